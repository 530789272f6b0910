"""Every figure of one place as a file (/data/place/<geo>.csv|.xlsx): the same rows as the API
call /api/v1/observations?geo=<geo>&breakdown=all, cell for cell, with the metadata every
workbook carries; a bad place is a 4xx JSON answer."""
from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

PLACES = ("OM-BJ", "OM", "JO")


def _api_rows(client, geo: str, query: str = "") -> list[dict]:
    body = client.get(f"/api/v1/observations?geo={geo}&breakdown=all&limit=100000{query}").get_json()
    assert body["total"] == body["count"]   # one page: the whole answer
    return body["data"]


def _workbook(client, url: str):
    r = client.get(url)
    assert r.status_code == 200, r.data[:300]
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return r, openpyxl.load_workbook(io.BytesIO(r.data))


def _sheet_rows(ws) -> list[dict]:
    """The data rows of a data sheet, keyed by the identifiers row; dates as ISO text, as the API writes them."""
    top = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "indicator_id")
    codes = [c.value for c in ws[top]]
    rows = []
    for values in ws.iter_rows(min_row=top + 1, values_only=True):
        rows.append({k: v.date().isoformat() if isinstance(v, datetime) else v for k, v in zip(codes, values)})
    return rows


@pytest.mark.parametrize("geo", PLACES)
@pytest.mark.parametrize("lang, labels", [("ar", "both"), ("en", "codes")])
def test_workbook_cells_equal_the_api_rows(client, geo, lang, labels):
    want = _api_rows(client, geo, f"&lang={lang}&labels={labels}")
    assert want and {r["geo_code"] for r in want} == {geo}
    _, wb = _workbook(client, f"/data/place/{geo}.xlsx?lang={lang}&labels={labels}")
    got = _sheet_rows(wb[wb.sheetnames[0]])
    assert len(got) == len(want)
    for row, expected in zip(got, want):
        assert row == expected


@pytest.mark.parametrize("geo", PLACES)
def test_csv_is_the_api_csv(client, geo, q, read_csv):
    plain = client.get(f"/data/place/{geo}.csv?labels=codes&bom=false")
    assert plain.status_code == 200 and plain.mimetype == "text/csv"
    assert plain.headers["Content-Disposition"] == f'attachment; filename="{geo}.csv"'
    assert plain.data == client.get(f"/api/v1/observations?geo={geo}&breakdown=all&format=csv&limit=100000").data
    default = client.get(f"/data/place/{geo}.csv")
    assert default.data.startswith(b"\xef\xbb\xbf")    # the downloads' defaults: BOM, codes and Arabic names
    header, rows = read_csv(default.data)
    name = q("SELECT name_ar FROM geographies WHERE geo_code = ?", [geo])["name_ar"].iloc[0]
    assert "geo_name" in header and {r["geo_name"] for r in rows} == {name}


def test_workbook_carries_what_every_workbook_carries(client, q):
    """Title, sources, what it holds, licence and build above the frozen header; the About sheet
    describes every indicator the rows hold; Arabic is right to left."""
    r, wb = _workbook(client, "/data/place/OM-BJ.xlsx")
    assert r.headers["Content-Disposition"] == 'attachment; filename="OM-BJ.xlsx"'
    assert wb.sheetnames == ["البيانات", "عن المؤشرات"]
    data, about = wb[wb.sheetnames[0]], wb[wb.sheetnames[1]]
    assert data.sheet_view.rightToLeft and about.sheet_view.rightToLeft
    assert data["A1"].value == "كل أرقام جنوب الباطنة"
    assert data.freeze_panes == "A7"   # title, sources, what it holds, blank, two header rows
    cited = q("SELECT DISTINCT o.source_id, s.publisher_ar FROM observations o JOIN sources s USING (source_id) "
              "WHERE geo_code = 'OM-BJ'")
    assert data["A2"].value.startswith("المصادر") and all(p in data["A2"].value for p in cited["publisher_ar"])
    build = q("SELECT build_id FROM build_info")["build_id"].iloc[0]
    assert "جنوب الباطنة" in data["A3"].value and "CC-BY-4.0" in data["A3"].value and build in data["A3"].value
    text = "\n".join(str(c.value) for row in about.iter_rows() for c in row if c.value)
    held = q("SELECT DISTINCT indicator_id FROM observations WHERE geo_code = 'OM-BJ'")["indicator_id"]
    assert len(held) > 1 and all(i in text for i in held)
    assert "CC-BY-4.0" in text and build in text and "مع أرقام" not in text   # every indicator is the file's own
    assert "value" in [c.value for c in data[6]]
    english = _workbook(client, "/data/place/OM-BJ.xlsx?lang=en")[1]
    assert english.sheetnames == ["Data", "About the indicators"]
    assert not english["Data"].sheet_view.rightToLeft
    assert english["Data"]["A1"].value == "All figures for South Al Batinah"


def test_a_place_without_figures_is_an_empty_file_not_an_error(client, q, read_csv):
    empty = [g for g in q("SELECT geo_code FROM geographies")["geo_code"]
             if g not in set(q("SELECT DISTINCT geo_code FROM observations")["geo_code"])]
    assert empty
    _, wb = _workbook(client, f"/data/place/{empty[0]}.xlsx?lang=en")
    assert [row[0] for row in wb["Data"].iter_rows(min_row=7, values_only=True)] == [
        "No published figures for this selection."]
    _, rows = read_csv(client.get(f"/data/place/{empty[0]}.csv").data)
    assert rows == []


@pytest.mark.parametrize("url, status, code", [
    ("/data/place/ZZ.xlsx", 404, "unknown_geography"),
    ("/data/place/ZZ.csv", 404, "unknown_geography"),
    ("/data/place/om-bj.csv", 400, "invalid_parameter"),
    ("/data/place/OM.xlsx?bom=false", 400, "unknown_parameter"),
    ("/data/place/OM.csv?format=xlsx", 400, "unknown_parameter"),
    ("/data/place/OM.csv?lang=fr", 400, "invalid_parameter"),
    ("/data/place/OM.xlsx?labels=all", 400, "invalid_parameter"),
    ("/data/place/OM.json", 404, "not_found"),
    ("/data/place/.csv", 404, "not_found"),
])
def test_bad_requests_are_4xx_json(client, url, status, code):
    r = client.get(url)
    assert r.status_code == status and r.is_json, (url, r.status_code, r.data[:200])
    assert r.get_json()["error"]["code"] == code
    assert r.headers["Cache-Control"] == "no-store"


def test_documented_in_the_openapi_document(client, parameters_of, q):
    doc = client.get("/api/v1/openapi.json").get_json()
    for ext, media in (("csv", "text/csv"),
                       ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        path = f"/data/place/{{geo}}.{ext}"
        named = parameters_of(doc, path)
        assert named["geo"]["enum"] == list(q("SELECT geo_code FROM geographies ORDER BY rowid")["geo_code"])
        assert ("bom" in named) == (ext == "csv") and {"lang", "labels"} <= set(named)
        assert media in doc["paths"][path]["get"]["responses"]["200"]["content"]
