"""The Data page (/data) inside the dashboard: every address it shows answers, and the
Developer API address gives the same figures as the download button for the same view."""
from __future__ import annotations

import html as htmllib
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
