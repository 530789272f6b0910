"""An indicator's data page (/indicator/<id>), as the server writes it: every indicator of the
catalogue has one, in both languages; its figures are the database's and the API's for the
same indicator; each section is there with its heading; an announced indicator says its
figures are not yet published; an unknown indicator is the 404 page and a bad language a
400; revisions, the next release and the citation come from the release history read."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest

from etl.build import build
from store.catalogue import meta
from store.formats import fmt_amount
from store.texts import t

SECTIONS = ("facts", "latest", "sources", "revisions", "next", "cite", "downloads")
CALENDAR = """calendar:
  - date: "2099-01-15"
    title: {ar: إحصاءات الضمان الاجتماعي 2098, en: Social security statistics 2098}
    indicators: [om_ss_cases]
"""


@pytest.fixture(scope="module")
def client(served):
    from spi.app import server
    return server.test_client()


def _page(client, path: str) -> str:
    """The server's copy of a page (what a reader sees before any script runs)."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True).split('<div id="ssr" class="ssr">', 1)[1]


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _section(page: str, key: str) -> str:
    found = re.search(rf'<section id="dp-{key}"[^>]*>(.*?)</section>', page, re.S)
    assert found, f"no section dp-{key}"
    return found.group(1)


def _latest_published(client, indicator: str, geo: str) -> dict:
    """The API's latest total of the indicator in a place."""
    rows = client.get(f"/api/v1/observations?indicator={indicator}&geo={geo}&breakdown=total").get_json()["data"]
    return max((r for r in rows if r["value"] is not None), key=lambda r: r["period_end"])


def test_every_indicator_of_the_catalogue_has_a_page(client):
    for indicator in meta().indicators:
        for lang in ("ar", "en"):
            assert client.get(f"/indicator/{indicator}?lang={lang}").status_code == 200, (indicator, lang)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_page_is_titled_by_its_indicator_and_reached_from_the_explorer_and_about(client, lang):
    """A reader arrives from the explorer's heading or the About page's definitions, and the
    browser tab (and a search result) names the indicator, not "About this indicator"."""
    indicator = "om_ss_cases"
    name = meta().indicators[indicator][f"name_{lang}"]
    page = client.get(f"/indicator/{indicator}?lang={lang}").get_data(as_text=True)
    assert unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)) == f"{name} · {t('site_title', lang)}"
    wanted = f'href="/indicator/{indicator}?lang={lang}"'
    assert wanted in _page(client, f"/explorer?indicator={indicator}&lang={lang}")
    about = _page(client, f"/about?lang={lang}")
    assert wanted in about and t("page_indicator_more", lang) in unescape(about)
    pinned = _page(client, f"/explorer?indicator={indicator}&lang={lang}&as_of=2026-11-24")
    assert f'href="/indicator/{indicator}?as_of=2026-11-24&amp;lang={lang}"' in pinned


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_headline_page_has_every_section_with_its_heading(client, lang):
    response = client.get(f"/indicator/om_dis_specialists_hired?lang={lang}")
    whole = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in whole
    page = whole.split('<div id="ssr" class="ssr">', 1)[1]
    assert page.count("<h1") == 1 and _words(page.split("<h1", 1)[1].split("</h1>")[0].split(">", 1)[1]) == \
        meta().indicators["om_dis_specialists_hired"][f"name_{lang}"]
    for key in (*SECTIONS, "know", "target"):
        body = _section(page, key)
        assert re.search(rf'<h2 id="dp-{key}-h">', body), key
    facts = _section(page, "facts")
    assert "<dl" in facts and facts.count("<dt>") == facts.count("<dd>") >= 8
    assert meta().indicators["om_dis_specialists_hired"][f"definition_{lang}"] in unescape(facts)
    for sentence in meta().indicators["om_dis_specialists_hired"][f"know_{lang}"]:
        assert sentence in unescape(_section(page, "know"))
    target = _words(_section(page, "target"))
    assert t("target_for", lang, period="2024", value="100") in target and t("pending", lang, period="2024") in target


@pytest.mark.parametrize("indicator", ["om_ss_cases", "om_ss_paid", "om_nursery_children", "om_spf_beneficiaries",
                                       "jo_child_safe_spaces", "om_dis_specialists_hired"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_latest_figure_is_the_databases_and_the_apis(client, db, indicator, lang):
    m = meta()
    place = m.indicators[indicator]["country"] if m.indicators[indicator]["country"] in m.geos_of(indicator) \
        else m.geos_of(indicator)[0]
    api = _latest_published(client, indicator, place)
    stored = db.execute(f"""SELECT value FROM observations WHERE indicator_id = ? AND geo_code = ? AND period = ?
                            AND {' AND '.join(f'"{d}" IS NULL' for d in m.dimension_columns)}""",
                        [indicator, place, api["period"]]).fetchone()[0]
    page = _page(client, f"/indicator/{indicator}?lang={lang}")
    shown = re.search(r'<strong id="dp-latest-value" data-value="([^"]+)">([^<]+)</strong>', page)
    assert float(shown.group(1)) == api["value"] == stored
    ind = m.indicators[indicator]
    assert unescape(shown.group(2)) == fmt_amount(stored, m.unit_of(indicator), lang, ind["decimals"])
    latest = _words(_section(page, "latest"))
    assert m.geo_name(place, lang) in latest


def test_the_change_is_the_overview_cards(client):
    latest = _words(_section(_page(client, "/indicator/om_ss_cases?lang=en"), "latest"))
    assert "79,597 cases" in latest and "end of 2023" in latest
    assert "+6,922 (+9.5%) · Change since 2021" in latest and "Previous figure (2021): 72,675" in latest


def test_the_downloads_answer_with_the_same_figures(client):
    page = _page(client, "/indicator/om_ss_cases?lang=en")
    links = dict(re.findall(r'<a id="dp-(csv|xlsx|json|zip)"[^>]*href="([^"]+)"', page))
    assert set(links) == {"csv", "xlsx", "json", "zip"}
    for ext, address in links.items():
        response = client.get(unescape(address))
        assert response.status_code == 200, address
        assert len(response.data) > 100
    assert "79597" in client.get(unescape(links["csv"])).get_data(as_text=True)
    address = unescape(re.search(r'<input value="([^"]+)"[^>]*id="dp-api"', page).group(1))
    assert address.endswith("/api/v1/observations?indicator=om_ss_cases")
    rows = client.get(f"{urlsplit(address).path}?{urlsplit(address).query}").get_json()["data"]
    assert {(r["period"], r["value"]) for r in rows} == {("2021", 72675), ("2023", 79597)}


@pytest.mark.parametrize("lang, missing", [("en", "Figures not yet published."), ("ar", "لم تُنشر أرقامه بعد.")])
def test_an_announced_indicator_has_a_page_with_its_definition_target_and_source(client, lang, missing):
    page = _page(client, f"/indicator/om_women_leadership_participants?lang={lang}")
    assert missing in _words(_section(page, "latest"))
    assert t("target_for", lang, period="2024", value="50") in _words(_section(page, "target"))
    assert 'data-source="om_mosd_briefing_2024"' in _section(page, "sources")
    assert 'id="dp-downloads"' not in page and 'id="dp-latest-value"' not in page


def test_an_unknown_indicator_is_the_404_page_and_a_bad_language_a_400(client):
    for path in ("/indicator/om_no_such_thing?lang=en", "/indicator/OM_SS_CASES", "/indicator/%00?lang=ar"):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "text/html", path
        assert t("page_not_found", "en" if "lang=en" in path else "ar") in response.get_data(as_text=True)
    response = client.get("/indicator/om_ss_cases?lang=fr")
    assert response.status_code == 400 and "Traceback" not in response.get_data(as_text=True)
    assert client.get("/indicator/om_ss_cases?indicator=om_ss_paid").status_code == 400   # the path names it


def test_a_build_that_is_not_a_release_says_it_has_no_revisions(client):
    assert t("dp_not_released", "en") in _words(_section(_page(client, "/indicator/om_ss_cases?lang=en"), "revisions"))


def test_every_headline_indicator_says_what_you_should_know_in_both_languages():
    for indicator, ind in meta().indicators.items():
        if ind["headline"]:
            assert ind["know_ar"] and len(ind["know_ar"]) == len(ind["know_en"]), indicator


# -- a release history: revisions and the citation's release; a calendar: the next release ---------

@pytest.fixture
def history_client(release_history, reading, monkeypatch):
    from spi.app import server
    monkeypatch.setenv("SPI_NOW", release_history.env["SPI_NOW"])
    with reading(release_history.copy.served):
        yield server.test_client(), release_history.ids


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_revisions_are_the_releases_changes_and_the_citation_names_the_release(history_client, lang):
    client, (first, second, _embargoed) = history_client
    page = _page(client, f"/indicator/jo_psychosocial_team?lang={lang}")
    revisions = _section(page, "revisions")
    assert f'data-release="{second}"' in revisions and f'data-release="{first}"' not in revisions
    place = "الأردن" if lang == "ar" else "Jordan"
    assert t("dp_revision", lang, figure=f"{place} · 2024", change=t("change_revised", lang), old="44", new="45") \
        in _words(revisions)
    assert float(re.search(r'id="dp-latest-value" data-value="([^"]+)"', page).group(1)) == 45
    cite = unescape(_section(page, "cite"))
    assert f"/indicator/jo_psychosocial_team?lang={lang}&as_of={second}" in cite
    assert t("cite_release", lang, id=second) in cite
    then = _page(client, f"/indicator/jo_psychosocial_team?lang={lang}&as_of={first}")
    assert t("dp_revisions_none", lang) in _words(_section(then, "revisions"))
    assert float(re.search(r'id="dp-latest-value" data-value="([^"]+)"', then).group(1)) == 44
    assert f"as_of={first}" in unescape(_section(then, "downloads"))


def test_the_next_release_is_the_calendars(tmp_path, paths, reading):
    catalogue = tmp_path / "indicators.yaml"
    catalogue.write_text(paths.catalogue.read_text(encoding="utf-8") + CALENDAR, encoding="utf-8")
    assert build(paths.raw, catalogue, tmp_path / "out").ok
    from spi.app import server
    with reading(tmp_path / "out" / "indicators.duckdb"):
        client = server.test_client()
        said = _words(_section(_page(client, "/indicator/om_ss_cases?lang=en"), "next"))
        assert "Next figures expected on 2099-01-15: Social security statistics 2098" in said
        other = _words(_section(_page(client, "/indicator/om_ss_paid?lang=en"), "next"))
        assert t("dp_next_none", "en") in other


@pytest.mark.parametrize("know, message", [
    ({"ar": ["جملة."]}, "indicators.om_ss_cases.know: 'en' is a required property"),
    ({"ar": ["جملة."], "en": [" "]}, "indicators.om_ss_cases.know.en[0]"),
    ({"ar": [], "en": ["A sentence."]}, "indicators.om_ss_cases.know.ar"),
    ({"ar": ["جملة."], "en": ["A sentence."], "fr": ["Une phrase."]}, "indicators.om_ss_cases.know"),
])
def test_the_catalogue_refuses_a_know_that_is_not_both_languages_in_sentences(paths, tmp_path, know, message):
    import yaml
    from etl.catalogue import CatalogueError, load_catalogue
    data = yaml.safe_load(paths.catalogue.read_text(encoding="utf-8"))
    data["indicators"]["om_ss_cases"]["know"] = know
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(message)):
        load_catalogue(path)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_explorer_of_an_announced_indicator_cites_nothing(client, lang):
    """An indicator with no figure yet has no chart to cite: no citation box whose words would
    be an empty source ("(persons). . In: …"); a view with figures keeps both citations."""
    empty = _page(client, f"/explorer?indicator=om_women_leadership_participants&lang={lang}")
    assert "explorer-cite-" not in empty and ". . " not in _words(empty)
    full = _page(client, f"/explorer?indicator=om_ss_cases&lang={lang}")
    assert 'id="explorer-cite-ar"' in full and 'id="explorer-cite-en"' in full
