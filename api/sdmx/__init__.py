"""SDMX out: every published figure as SDMX, from the same read layer as the pages.

Reading order: structure.py (the dataflow, its data structure and codelists, built from the
catalogue `m`, written as SDMX-ML 2.1 structure messages), data.py (an SDMX key and period
parameters as a `store.view.Rows`, and the rows of `store.queries.select` as SDMX-CSV 2.0
and SDMX-JSON 2.0), routes.py (the REST paths under /sdmx/, laid out as the SDMX REST
specification's v1 paths that sdmx1 and other harvesters speak).

There is one dataflow for the whole dataset (its id, agency and version are the catalogue's
`sdmx:` block), not one per country or topic: every figure has the same dimensions (the
indicator, the place, the period, the catalogue's breakdowns), a country is the REF_AREA of
its places and a topic is a set of INDICATOR codes, so one flow asked with a key
(`/sdmx/data/SOCIAL_PROTECTION/om_ss_cases.OM`) selects what several flows would, and a
harvester registers one address. A catalogue without `sdmx:` publishes no SDMX (404).
"""
