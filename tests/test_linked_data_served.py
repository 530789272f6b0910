"""The schema.org `Dataset` a search engine (Google Dataset Search) reads from the explorer and an
indicator's data page, as gunicorn sends the bytes (`release_site`: two public releases, a
third under embargo): one <script type="application/ld+json"> in the head, JSON, with every
property Dataset Search requires, its values those of the live release's catalogue and
database, in the page's language; its files answering 200 in the format it names. And a
catalogue text holding `</script>` cannot end the script (a build of its own, served).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

VALUE = "jo_psychosocial_team"
REQUIRED = ("name", "description", "license", "creator", "distribution", "temporalCoverage", "spatialCoverage")
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
REPO = Path(__file__).resolve().parents[1]


def _datasets(html: str) -> list[dict]:
    return [json.loads(text) for text in SCRIPT.findall(html)]


@pytest.fixture(scope="module")
def live(release_site, reading):
    """The live release's catalogue and, by SQL, the first and last day of each indicator's figures."""
    with reading(release_site[1].copy.served):
        from store.catalogue import meta
        from store.database import db
        span = {r["indicator_id"]: (r["first"], r["last"]) for r in db().rows(
            "SELECT indicator_id, min(period_start) AS first, max(period_end) AS last FROM observations GROUP BY 1")}
        return SimpleNamespace(m=meta(), span=span)


@pytest.mark.parametrize("path", [f"/indicator/{VALUE}", f"/explorer?indicator={VALUE}",
                                  "/indicator/om_ss_cases", "/explorer?indicator=om_ss_cases&view=breakdown"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_page_carries_its_indicators_dataset_in_its_language(release_site, live, path, lang):
    server, history = release_site
    page = server.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
    assert page.status == 200
    head = page.text.split("</head>", 1)[0]
    found = _datasets(head)
    assert len(found) == 1, path
    ds, m = found[0], live.m
    ind = path.split("/")[-1].split("indicator=")[-1].split("&")[0]
    row = m.indicators[ind]
    assert ds["@type"] == "Dataset" and ds["@context"] == "https://schema.org/"
    assert all(ds.get(key) for key in REQUIRED), [k for k in REQUIRED if not ds.get(k)]
    assert ds["name"] == row[f"name_{lang}"] and ds["description"] == row[f"definition_{lang}"]
    assert ds["inLanguage"] == lang and ds["identifier"] == ind
    assert ds["url"] == f"{server.base}/indicator/{ind}?lang={lang}"
    assert ds["license"] == m.licence["url"] and ds["isAccessibleForFree"] is True
    assert [c["name"] for c in ds["creator"]] == [m.sources[s][f"publisher_{lang}"]
                                                  for s in dict.fromkeys(m.source_ids(ind))]
    first, last = live.span[ind]
    assert ds["temporalCoverage"] == f"{_day(first)}/{_day(last)}"
    assert [p["name"] for p in ds["spatialCoverage"]] == [m.geo_name(g, lang) for g in m.geos_of(ind)]
    assert all(p["@type"] == "Place" for p in ds["spatialCoverage"])
    assert ds["keywords"][0] == m.topics[row["topic"]][f"name_{lang}"]
    assert ds["dateModified"] == m.built_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert history.ids[2] not in page.text   # the embargoed release is nowhere on the public page
    for dist in ds["distribution"]:
        assert dist["@type"] == "DataDownload" and dist["contentUrl"].startswith(server.base + "/")
        got = server.get(dist["contentUrl"][len(server.base):], method="HEAD")
        assert got.status == 200, dist
        assert got.headers["Content-Type"].split(";")[0] == dist["encodingFormat"], dist


def _day(value) -> str:
    return (value.date() if hasattr(value, "date") else value).isoformat()


def test_the_catalogue_and_the_page_say_the_same(release_site):
    """The DCAT catalogue's dataset and the page's Dataset: the same name, period and files."""
    server, _ = release_site
    page = _datasets(server.get(f"/indicator/{VALUE}?lang=en").text)[0]
    graph = json.loads(server.get("/catalog.jsonld").body)["@graph"]
    ds = next(d for d in graph[0]["dcat:dataset"] if d["dct:identifier"] == VALUE)
    assert {"@value": page["name"], "@language": "en"} in ds["dct:title"]
    period = ds["dct:temporal"]
    assert page["temporalCoverage"] == f"{period['dcat:startDate']['@value']}/{period['dcat:endDate']['@value']}"
    assert [d["contentUrl"] for d in page["distribution"]] == [d["dcat:downloadURL"]["@id"]
                                                               for d in ds["dcat:distribution"]]


def test_pages_without_an_indicator_have_no_dataset(release_site):
    server, _ = release_site
    for path in ("/?lang=en", "/about", "/data", "/explorer?indicator=no_such_thing", "/indicator/no_such_thing"):
        assert not SCRIPT.findall(server.get(path).text), path


HOSTILE = "</script><script>alert(1)</script><!-- & -->"


@pytest.fixture(scope="module")
def hostile_site(shipped_copy, tmp_path_factory):
    """A build whose catalogue gives an indicator an English definition that tries to end the script."""
    from tests.servers import gunicorn
    copy = shipped_copy("hostile")
    text = copy.catalogue.read_text(encoding="utf-8")
    old = "en: Number of households (case files) receiving a social security pension at the end of the period."
    line = next(x for x in text.splitlines() if x.strip().startswith(old))
    copy.catalogue.write_text(text.replace(line, line.split("en:")[0] + f"en: '{HOSTILE} Number of households'"),
                              encoding="utf-8")
    spi = REPO / ".venv" / "bin" / "spi"
    done = subprocess.run([*([str(spi)] if spi.exists() else [sys.executable, "-m", "spi.cli"]), "build",
                           *copy.cli_args()], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    with gunicorn(copy.out / "indicators.duckdb", tmp_path_factory.mktemp("hostile") / "gunicorn.log",
                  workers=1) as running:
        yield running


def test_a_catalogue_text_cannot_end_the_script(hostile_site):
    page = hostile_site.get("/indicator/om_ss_cases?lang=en").text
    head = page.split("</head>", 1)[0]
    blocks = re.findall(r"<script\b[^>]*>(.*?)</script>", head, re.S)
    data = [b for b in blocks if b.lstrip().startswith('{"@context":"https://schema.org/"')]
    assert len(data) == 1 and "<" not in data[0] and ">" not in data[0]
    assert json.loads(data[0])["description"] == f"{HOSTILE} Number of households"
    assert "<script>alert(1)" not in head   # nowhere in the head as markup (the <meta> escapes it too)
