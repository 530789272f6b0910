"""/catalog.jsonld as a harvester receives it, through gunicorn (`release_site`: two public
releases, a third under embargo by the server's clock): parsed by rdflib's JSON-LD parser
without the network (the context is inline), validated with pyshacl against DCAT-AP 3's own
SHACL shapes (tests/fixtures/dcat-ap, README there), with zero violations; and its claims
checked against the live release's database: each indicator's bilingual title and definition,
licence, period covered (from the figures), places, publisher; every distribution and landing
page answering 200 with the media type the catalogue gives it.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH, SKOS, XSD

SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "dcat-ap" / "dcat-ap-SHACL.ttl"
STAT = rdflib.Namespace("http://data.europa.eu/(xyz)/statdcat-ap/")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
IANA = "http://www.iana.org/assignments/media-types/"


@pytest.fixture(scope="module")
def answer(release_site):
    server, _ = release_site
    got = server.get("/catalog.jsonld")
    assert got.status == 200, got.body[:300]
    assert got.headers["Content-Type"] == "application/ld+json"
    return got


@pytest.fixture(scope="module")
def graph(answer) -> rdflib.Graph:
    return rdflib.Graph().parse(data=answer.body, format="json-ld")


@pytest.fixture(scope="module")
def live(release_site, reading):
    """The live release as the read layer reads it: its catalogue and, by SQL, each indicator's
    first and last day of its figures' periods and places."""
    with reading(release_site[1].copy.served):
        from store.catalogue import meta
        from store.database import db
        m = meta()
        span = {r["indicator_id"]: (r["first"], r["last"]) for r in db().rows(
            "SELECT indicator_id, min(period_start) AS first, max(period_end) AS last FROM observations GROUP BY 1")}
        places = {}
        for r in db().rows("SELECT DISTINCT indicator_id, geo_code FROM observations"):
            places.setdefault(r["indicator_id"], set()).add(r["geo_code"])
        return SimpleNamespace(m=m, span=span, places=places)


def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES)


def test_the_catalogue_conforms_to_the_dcat_ap_3_shapes_with_no_violation(graph):
    conforms, report, text = validate(graph, shacl_graph=_shapes())
    assert conforms, text[:4000]


def test_the_shapes_do_catch_a_catalogue_without_publisher_or_a_file_without_address(answer):
    """The validation above could pass by matching nothing; the same document with the
    catalogue's publisher and one file's access address taken out must fail, twice."""
    doc = json.loads(answer.body)
    catalog = doc["@graph"][0]
    del catalog["dct:publisher"]
    del catalog["dcat:dataset"][0]["dcat:distribution"][0]["dcat:accessURL"]
    broken = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    conforms, report, text = validate(broken, shacl_graph=_shapes())
    assert not conforms
    assert set(report.objects(None, SH.resultPath)) == {DCAT.accessURL, DCTERMS.publisher}, text[:4000]


def test_the_catalogue_is_the_site_bilingual_licensed_and_dated_by_the_live_build(release_site, graph, live):
    server, history = release_site
    catalog = rdflib.URIRef(f"{server.base}/catalog.jsonld")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    titles = {t.language: str(t) for t in graph.objects(catalog, DCTERMS.title)}
    assert titles == {"ar": "إحصاءات الحماية الاجتماعية", "en": "Social protection statistics"}
    assert {d.language for d in graph.objects(catalog, DCTERMS.description)} == {"ar", "en"}
    assert list(graph.objects(catalog, DCTERMS.license)) == [rdflib.URIRef(live.m.licence["url"])]
    assert list(graph.objects(catalog, FOAF.homepage)) == [rdflib.URIRef(f"{server.base}/")]
    assert {str(x).rsplit("/", 1)[-1] for x in graph.objects(catalog, DCTERMS.language)} == {"ARA", "ENG"}
    modified = graph.value(catalog, DCTERMS.modified)
    assert modified.datatype == XSD.dateTime
    assert modified.toPython().replace(tzinfo=None) == live.m.built_at.replace(microsecond=0, tzinfo=None)
    assert history.ids[2].encode() not in release_site[0].get("/catalog.jsonld").body


def test_one_dataset_per_indicator_says_what_the_catalogue_and_the_figures_say(release_site, graph, live):
    server, _ = release_site
    m = live.m
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(m.indicators) > 40
    with_figures = 0
    for ind, row in m.indicators.items():
        ds = rdflib.URIRef(f"{server.base}/api/v1/indicators/{ind}")
        assert ds in datasets, ind
        assert str(graph.value(ds, DCTERMS.identifier)) == ind
        for prop, key in ((DCTERMS.title, "name"), (DCTERMS.description, "definition")):
            assert {x.language: str(x) for x in graph.objects(ds, prop)} == {"ar": row[f"{key}_ar"],
                                                                             "en": row[f"{key}_en"]}, (ind, key)
        assert graph.value(ds, DCTERMS.license) == rdflib.URIRef(m.licence["url"])
        assert graph.value(ds, DCAT.landingPage) == rdflib.URIRef(f"{server.base}/indicator/{ind}")
        theme = graph.value(ds, DCAT.theme)
        assert {str(x) for x in graph.objects(theme, SKOS.prefLabel)} == {m.topics[row["topic"]]["name_ar"],
                                                                          m.topics[row["topic"]]["name_en"]}
        unit = graph.value(ds, STAT.statUnitMeasure)
        assert str(graph.value(unit, SKOS.prefLabel)) in (m.unit_of(ind)["name_ar"], m.unit_of(ind)["name_en"])
        dims = set(graph.objects(ds, STAT.dimension))
        assert all((d, RDF.type, QB.DimensionProperty) in graph for d in dims)
        assert len(dims) == 2 + len(row["breakdowns"]), ind   # place, period and each breakdown
        assert graph.value(ds, DCAT.contactPoint) is not None
        if ind not in live.span:   # announced, no figures yet: no period, no place, nothing filled in
            assert graph.value(ds, DCTERMS.temporal) is None and graph.value(ds, DCTERMS.spatial) is None
            continue
        with_figures += 1
        period = graph.value(ds, DCTERMS.temporal)
        first, last = live.span[ind]
        assert graph.value(period, DCAT.startDate).toPython() == _day(first), ind
        assert graph.value(period, DCAT.endDate).toPython() == _day(last), ind
        places = {str(graph.value(p, DCTERMS.identifier)) for p in graph.objects(ds, DCTERMS.spatial)}
        assert places == live.places[ind], ind
        publisher = graph.value(ds, DCTERMS.publisher)
        cited = m.coverage[ind]["sources"]
        assert {str(n) for n in graph.objects(publisher, FOAF.name)} == {m.sources[cited[-1]]["publisher_ar"],
                                                                        m.sources[cited[-1]]["publisher_en"]}
    assert with_figures == len(live.span)


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def test_every_distribution_and_landing_page_answers_200_with_its_media_type(release_site, graph):
    server, _ = release_site
    files = {}
    for dist in graph.subjects(RDF.type, DCAT.Distribution):
        url = str(graph.value(dist, DCAT.downloadURL))
        assert graph.value(dist, DCAT.accessURL) == graph.value(dist, DCAT.downloadURL)
        files[url] = str(graph.value(dist, DCAT.mediaType))[len(IANA):]
    assert len(files) == 5 * len(set(graph.subjects(RDF.type, DCAT.Dataset)))
    pages = {str(p): "text/html" for p in graph.objects(None, DCAT.landingPage)}
    sample = sorted(files)[:60] + sorted(pages)[:10]   # every format of a dozen indicators, and pages

    def fetch(url):
        assert url.startswith(server.base + "/"), url
        got = server.get(url[len(server.base):])
        return url, got.status, got.headers.get("Content-Type", "")

    with ThreadPoolExecutor(max_workers=2) as pool:
        for url, status, kind in pool.map(fetch, sample):
            assert status == 200, url
            assert kind.split(";")[0] == {**files, **pages}[url], (url, kind)


def test_the_catalogue_is_cached_by_its_build_like_the_other_answers(release_site, answer):
    server, _ = release_site
    assert answer.headers["Cache-Control"].startswith("public, max-age=")   # as the composed site serves data
    assert answer.headers["X-Release"] == release_site[1].ids[1]   # the live release, not the embargoed one
    again = server.get("/catalog.jsonld", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status == 304
    assert server.get("/catalog.jsonld?lang=en").status == 400   # it takes no parameter


def test_the_sdmx_structure_address_follows_the_sdmx_rest_scheme_and_only_where_the_catalogue_has_sdmx(graph, live):
    from api.catalog import structure_address
    m = SimpleNamespace(sdmx={"agency": "SPI_DEMO", "version": "1.0", "dataflow": "SOCIAL_PROTECTION"})
    assert structure_address(m, "https://x.org") == "https://x.org/sdmx/datastructure/SPI_DEMO/DSD_SOCIAL_PROTECTION/1.0"
    assert structure_address(SimpleNamespace(sdmx=None), "https://x.org") is None
    standards = set(graph.objects(None, DCTERMS.conformsTo)) - {rdflib.URIRef("https://json-stat.org/format/")}
    expected = structure_address(live.m, "")
    assert ({str(s).split("/sdmx/", 1)[-1] for s in standards} == {expected.split("/sdmx/", 1)[1]}
            if expected else not standards)


def test_absolute_addresses_from_the_public_url_not_the_host_header(app, monkeypatch):
    """Behind a proxy every address starts with SPI_PUBLIC_URL, whatever Host a client sends."""
    monkeypatch.setenv("SPI_PUBLIC_URL", "https://stats.example.org")
    body = app.test_client().get("/catalog.jsonld", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in body and "https://stats.example.org/api/v1/indicators/" in body
