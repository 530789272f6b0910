"""The read layer: everything the dashboard, the API and `spi publish` know about the
published database comes through here.

- database.py   the read-only DuckDB file, reopened when a new build is swapped in, and
                checked against the contract (contract/schema.py) when it is opened
- catalogue.py  the catalogue of the current build (indicators, places, sources…), read once
- view.py       the view model: what a page shows and which published rows it reads; the
                downloads and the API parse their parameters into the same objects
- queries.py    every SQL query (values always bound, never formatted in)
- series.py     the numbers of a view: periods, series, the rows of its table
- wording.py    the second pass: titles, notes, labels and formatted figures
- framework.py  results frameworks and targets, with the latest figures linked to them
- releases.py   which release a request reads (as_of, embargo), and citations of it
- texts.py      interface texts in Arabic and English, and the one language policy
- formats.py    numbers, periods and dates written for people

dashboard/ and api/ import this package and never each other.
"""
