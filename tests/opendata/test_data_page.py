"""The Data page (/data) inside the dashboard: every address it shows answers, and the
Developer API address gives the same figures as the download button for the same view."""
from __future__ import annotations

import html as htmllib
import json
import re

import pytest


@pytest.fixture(scope="module")
def site(built):
    from spi.app import server   # the dashboard and the open data on one server, as served
    return server.test_client()


def _links(page: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'href="(/(?:data|api)/[^"]+)"', page)]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_page_lists_downloads_that_answer(site, lang):
    r = site.get(f"/data?lang={lang}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert f'lang="{lang}"' in page and ('dir="rtl"' if lang == "ar" else 'dir="ltr"') in page
    links = _links(page)
    for expected in ("/data/all.csv", "/data/all.xlsx?lang=ar", "/data/all.xlsx?lang=en", "/data/all.parquet",
                     "/data/datapackage.json", "/data/datapackage.zip", "/api/v1/openapi.json"):
        assert any(link.startswith(expected) for link in links), expected
    for link in links:
        got = site.get(link)
        assert got.status_code == 200, link
    assert "BOM" in page and "65001" in page  # the Excel encoding advice


def test_developer_api_address_matches_the_download(site, read_csv):
    page = site.get("/data?lang=en&indicator=om_nursery_children&geo=OM&from=2021&to=2021&breakdown=sex"
                    "&labels=codes&bom=false").get_data(as_text=True)
    # The address in the copy field after the "Developer API" label, as the server writes it.
    url = htmllib.unescape(re.search(r'<label for="data-api-url">.*?<input[^>]*value="([^"]+)"', page, re.S).group(1))
    assert url.endswith("/api/v1/observations?indicator=om_nursery_children&geo=OM&from=2021&to=2021"
                        "&breakdown=sex&format=csv")
    csv_link = next(link for link in _links(page) if link.startswith("/data/om_nursery_children.csv"))
    api_rows = read_csv(site.get(url.split("localhost", 1)[-1]).data)[1]
    dl_rows = read_csv(site.get(csv_link).data)[1]
    assert api_rows == dl_rows
    assert sorted(int(r["value"]) for r in api_rows) == [2708, 3365]


def test_bad_parameters_get_a_notice_not_an_error(site):
    r = site.get("/data?indicator=nope&from=20x1&breakdown=zzz&geo=ZZ")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Traceback" not in page
    assert "«nope»" in page and "«20x1»" in page


def test_page_is_in_the_navbar(site):
    import dash
    page = next(p for p in dash.page_registry.values() if p["path"] == "/data")
    assert page["name_ar"] == "البيانات" and page["name_en"] == "Data"


def _ssr(page: str) -> str:
    """The server-rendered copy of the page (what a browser without JavaScript shows)."""
    return page.split('id="ssr"', 1)[1]


def _options(page: str, name: str) -> list[tuple[str, bool]]:
    """(value, selected) of each option of a <select name=…> in the server-rendered page, in order."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', _ssr(page), re.S).group(1)
    return [(htmllib.unescape(re.search(r'value="([^"]*)"', attrs).group(1)), " selected" in f" {attrs}")
            for attrs in re.findall(r"<option([^>]*)>", select)]


def _hidden(form: str) -> dict[str, str]:
    """name -> value of the hidden fields of a form's HTML."""
    fields = [dict(re.findall(r'(\w+)="([^"]*)"', attrs)) for attrs in re.findall(r"<input([^>]*)>", form)]
    return {f["name"]: htmllib.unescape(f["value"]) for f in fields if f.get("type") == "hidden"}


def _offered(page: str, name: str) -> list[str]:
    return [value for value, _ in _options(page, name)]


def _selected(page: str, name: str) -> str:
    return next(value for value, chosen in _options(page, name) if chosen)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lists_offer_only_what_the_indicator_has(site, lang):
    """South Al Batinah's beneficiaries: its governorate and not Oman, its periods, its breakdown."""
    from store.catalogue import meta
    m = meta()
    ind = "om_spf_beneficiaries"
    page = site.get(f"/data?lang={lang}&indicator={ind}").get_data(as_text=True)
    geos = _offered(page, "geo")
    assert "OM-BJ" in geos and "OM" not in geos
    assert geos == ["", *m.geos_of(ind)]
    for bound in ("from", "to"):
        assert _offered(page, bound) == ["", *m.periods_of(ind)]
    assert _offered(page, "breakdown") == ["full", "total", *m.indicators[ind]["breakdowns"], "all"]
    national = site.get(f"/data?lang={lang}&indicator=om_nursery_children").get_data(as_text=True)
    assert _offered(national, "geo") == ["", "OM"] and "2023" in _offered(national, "from")


def test_every_indicators_lists_are_in_the_form_for_the_script(site):
    """data-choices (read by assets/data_form.js) gives, for every indicator, what the server
    offers when that indicator is sent, and the same words."""
    from store.catalogue import meta
    m = meta()
    page = site.get("/data?lang=en").get_data(as_text=True)
    choices = json.loads(htmllib.unescape(re.search(r'data-choices="([^"]*)"', _ssr(page)).group(1)))
    assert set(choices["of"]) == set(m.indicators)
    lists = {ind: {name: choices["sets"][name][n] for name, n in of.items()} for ind, of in choices["of"].items()}
    for ind, its in lists.items():
        assert its["geo"] == list(m.geos_of(ind)) and its["period"] == list(m.periods_of(ind))
        assert its["breakdown"] == [*m.indicators[ind]["breakdowns"], *["all"] * bool(m.indicators[ind]["breakdowns"])]
    for name, written in choices["sets"].items():   # each list once, however many indicators share it
        assert len(written) == len({tuple(v) for v in written}), name
    sent = site.get("/data?lang=en&indicator=jo_child_safe_spaces").get_data(as_text=True)
    assert _offered(sent, "geo")[1:] == lists["jo_child_safe_spaces"]["geo"]
    assert choices["labels"]["geo"]["OM-BJ"] == "South Al Batinah (OM-BJ)"
    assert f'>{choices["labels"]["geo"]["JO"]}</option>' in _ssr(sent)
    attrs = re.search(r'<select([^>]*name="from"[^>]*)>', _ssr(page)).group(1)
    assert 'data-list="period"' in attrs and 'data-fixed="1"' in attrs


def test_a_choice_the_indicator_lacks_gets_a_notice(site):
    page = site.get("/data?lang=en&indicator=om_spf_beneficiaries&geo=OM&from=2021&breakdown=sex")
    page = page.get_data(as_text=True)
    assert "“OM” is not known for this indicator" in page and "no figures for the period “2021”" in page
    assert "not published by “sex”" in page
    assert _selected(page, "geo") == "" and _selected(page, "from") == "" and _selected(page, "breakdown") == "total"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_place_section_offers_every_place_and_its_files(site, lang):
    from store.catalogue import meta
    m = meta()
    page = site.get(f"/data?lang={lang}&place=OM-BJ&indicator=om_nursery_children&from=2023").get_data(as_text=True)
    assert _offered(page, "place") == list(m.geographies) and _selected(page, "place") == "OM-BJ"
    links = _links(page)
    for ext in ("csv", "xlsx"):
        assert f"/data/place/OM-BJ.{ext}?lang={lang}" in links
    api = htmllib.unescape(re.search(r'<label for="data-place-api">.*?<input[^>]*value="([^"]+)"', page, re.S).group(1))
    assert api.endswith("/api/v1/observations?geo=OM-BJ&breakdown=all")
    main_form, place_form = (_hidden(form) for form in re.findall(r"<form.*?</form>", _ssr(page), re.S))
    assert main_form == {"lang": lang, "place": "OM-BJ"}   # neither form forgets the other's choice
    assert place_form == {"lang": lang, "indicator": "om_nursery_children", "from": "2023", "breakdown": "full",
                          "labels": "both"}
    default = site.get(f"/data?lang={lang}&place=XX").get_data(as_text=True)
    assert _selected(default, "place") == "OM" and ("«XX»" if lang == "ar" else "“XX”") in default


def test_governorates_offers_the_place_workbook(site):
    page = site.get("/governorates?country=OM&geo=OM-BJ&lang=en").get_data(as_text=True)
    links = _links(page)
    for ext in ("csv", "xlsx"):
        link = f"/data/place/OM-BJ.{ext}?lang=en"
        assert link in links
        r = site.get(link)
        assert r.status_code == 200 and r.headers["Content-Disposition"] == f'attachment; filename="OM-BJ.{ext}"'
    assert "/api/v1/observations?geo=OM-BJ&breakdown=all" in links


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_indicators_downloads_link_to_its_own_page(site, lang):
    """Beside an indicator's files, its page (definition, sources, revisions) in the same language."""
    page = site.get(f"/data?indicator=om_nursery_children&lang={lang}").get_data(as_text=True)
    anchor = re.search(r'<a [^>]*id="data-indicator-page"[^>]*>([^<]+)</a>', page)
    link = htmllib.unescape(re.search(r'href="([^"]+)"', anchor.group(0)).group(1))
    assert link == f"/indicator/om_nursery_children?lang={lang}"
    target = site.get(link)
    assert target.status_code == 200 and "om_nursery_children" in target.get_data(as_text=True)
