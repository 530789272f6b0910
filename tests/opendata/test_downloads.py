"""The bytes of every download, checked against the database they come from."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest


BOM = b"\xef\xbb\xbf"
NURSERY = "om_nursery_children"
PAID, CASES = "om_ss_paid", "om_ss_cases"  # the explorer's amount per case divides the one by the other


def _db_rows(q, where: str = "", params=None) -> list[dict]:
    """Observations as the CSV writes them (text), in the downloads' order."""
    dims = list(dict.fromkeys(q("SELECT dimension FROM dimensions ORDER BY rowid")["dimension"]))
    order = ", ".join(["i.sort_order", "o.geo_code", "o.period_end", "o.period_start", *(f"o.{d} NULLS FIRST" for d in dims)])
    frame = q(f"SELECT o.* FROM observations o JOIN indicators i USING (indicator_id) {where} ORDER BY {order}", params)
    rows = []
    for rec in frame.to_dict("records"):
        row = {}
        for k, v in rec.items():
            if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
                row[k] = ""
            elif isinstance(v, (pd.Timestamp, datetime, date)):
                row[k] = pd.Timestamp(v).strftime("%Y-%m-%d")
            elif k == "source_row":
                row[k] = str(int(v))
            else:
                row[k] = v
        rows.append(row)
    return rows


def _same_rows(csv_rows: list[dict], db_rows: list[dict]) -> None:
    assert len(csv_rows) == len(db_rows)
    for got, want in zip(csv_rows, db_rows):
        for k, v in want.items():
            if k == "value":
                assert float(got[k]) == pytest.approx(v, rel=0, abs=0), (k, got, want)
                assert not got[k].endswith(".0"), "integral values are written without .0"
            else:
                assert got[k] == str(v), (k, got[k], v)


def test_published_figures_in_the_csv(client, read_csv):
    """Nursery enrolment as the ministry published it: 6,073 at the end of 2021, 9,018 at the end of 2023."""
    r = client.get(f"/data/{NURSERY}.csv?labels=codes&bom=false&breakdown=total")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    _, rows = read_csv(r.data)
    assert [(x["period"], x["value"]) for x in rows] == [("2021", "6073"), ("2023", "9018")]
    assert all(x["source_id"] for x in rows)


@pytest.mark.parametrize("bom", [None, "true", "false"])
def test_csv_encoding_bom_or_plain_utf8(client, bom):
    url = f"/data/{NURSERY}.csv" + (f"?bom={bom}" if bom else "")
    data = client.get(url).data
    if bom in (None, "true"):  # default: with BOM, so Excel shows Arabic
        assert data.startswith(BOM)
    else:
        assert not data.startswith(BOM)
    text = data.decode("utf-8-sig")
    assert "الأطفال الملتحقون بدور الحضانة" in text  # labels=both by default, Arabic by default


def test_every_indicator_full_series_equals_the_database(client, q, read_csv):
    """No view parameter: every row of the indicator, every column, exactly as stored."""
    ids = list(q("SELECT indicator_id FROM indicators ORDER BY sort_order")["indicator_id"])
    assert len(ids) > 30
    for ind in ids:
        r = client.get(f"/data/{ind}.csv?labels=codes&bom=false")
        assert r.status_code == 200, ind
        header, rows = read_csv(r.data)
        assert header == list(q("SELECT * FROM observations LIMIT 0").columns)
        _same_rows(rows, _db_rows(q, "WHERE o.indicator_id = ?", [ind]))


def test_labels_names_codes_both(client, q, read_csv):
    codes_h, codes = read_csv(client.get(f"/data/{NURSERY}.csv?labels=codes&breakdown=sex").data)
    names_h, names = read_csv(client.get(f"/data/{NURSERY}.csv?labels=names&lang=ar&breakdown=sex").data)
    en_h, en = read_csv(client.get(f"/data/{NURSERY}.csv?labels=names&lang=en&breakdown=sex").data)
    both_h, both = read_csv(client.get(f"/data/{NURSERY}.csv?labels=both&lang=en&breakdown=sex").data)
    assert len(codes) == len(names) == len(en) == len(both) == 2
    assert {r["sex"] for r in codes} == {"male", "female"}
    assert names_h[:3] == ["المؤشر", "النطاق الجغرافي", "الفترة"] and "الجنس" in names_h
    assert {r["الجنس"] for r in names} == {"ذكور", "إناث"}
    assert {r["Sex"] for r in en} == {"Male", "Female"}
    assert {r["Indicator"] for r in en} == {"Children enrolled in nurseries"}
    assert both_h[:4] == ["indicator_id", "indicator_name", "geo_code", "geo_name"]
    assert {(r["sex"], r["sex_label"]) for r in both} == {("male", "Male"), ("female", "Female")}
    assert {r["geo_name"] for r in both} == {"Oman"}
    src = q("SELECT publisher_en, title_en FROM sources WHERE source_id = ?", [codes[0]["source_id"]]).iloc[0]
    assert src["title_en"] in both[0]["source_name"] and src["publisher_en"] in both[0]["source_name"]
    # The value columns agree whatever the labels.
    assert [r["value"] for r in codes] == [r["القيمة"] for r in names] == [r["value"] for r in both]


@pytest.mark.parametrize("query, expected", [
    ("", {("2021", None, 6073), ("2021", "male", 3365), ("2021", "female", 2708), ("2023", None, 9018)}),
    ("?breakdown=all", {("2021", None, 6073), ("2021", "male", 3365), ("2021", "female", 2708), ("2023", None, 9018)}),
    ("?geo=OM", {("2021", None, 6073), ("2023", None, 9018)}),  # a view without breakdown: totals
    ("?breakdown=total", {("2021", None, 6073), ("2023", None, 9018)}),
    ("?breakdown=sex", {("2021", "male", 3365), ("2021", "female", 2708)}),
    ("?breakdown=total,sex&from=2021&to=2021", {("2021", None, 6073), ("2021", "male", 3365), ("2021", "female", 2708)}),
    ("?from=2022", {("2023", None, 9018)}),
    ("?to=2022-06", {("2021", None, 6073)}),
    ("?from=2021-Q4&to=2021-Q4", {("2021", None, 6073)}),
    ("?geo=OM-BJ", set()),
])
def test_view_parameters(client, query, expected, read_csv):
    r = client.get(f"/data/{NURSERY}.csv{query}{'&' if query else '?'}labels=codes")
    assert r.status_code == 200
    _, rows = read_csv(r.data)
    assert {(x["period"], x["sex"] or None, int(x["value"])) for x in rows} == expected


def test_half_year_and_month_periods(client, read_csv):
    _, rows = read_csv(client.get("/data/om_spf_services.csv?to=2025&labels=codes").data)
    assert [(r["period"], r["value"]) for r in rows] == [("2025-H1", "3120")]
    _, rows = read_csv(client.get("/data/om_spf_services.csv?to=2024&labels=codes").data)
    assert rows == []
    _, rows = read_csv(client.get("/data/om_spf_beneficiaries.csv?from=2025-06&to=2025-06&breakdown=beneficiary_category&labels=codes").data)
    assert sum(int(r["value"]) for r in rows) == 169998 and len(rows) == 5  # the parts add up to the total


def test_xlsx_indicator_arabic_sheet(client, q):
    r = client.get(f"/data/{NURSERY}.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    assert len(wb.sheetnames) == 2
    ws = wb[wb.sheetnames[0]]
    assert ws.sheet_view.rightToLeft is True
    assert ws.freeze_panes == "A9"  # title, unit, definition, sources, view, blank, two header rows
    assert ws["A1"].value == "الأطفال الملتحقون بدور الحضانة"
    assert "طفل" in ws["A2"].value  # unit
    assert "وزارة التنمية الاجتماعية" in ws["A4"].value  # a source's publisher
    names = [c.value for c in ws[7]]
    codes = [c.value for c in ws[8]]
    assert names[0] == "المؤشر" and codes[0] == "indicator_id"
    assert "value" in codes and "geo_name" in codes
    vcol = codes.index("value") + 1
    values = [(ws.cell(r, codes.index("period") + 1).value, ws.cell(r, codes.index("sex") + 1).value, ws.cell(r, vcol))
              for r in range(9, ws.max_row + 1)]
    db = q("SELECT period, sex, value FROM observations WHERE indicator_id = ? ORDER BY period_end, sex NULLS FIRST", [NURSERY])
    assert [(p, s, c.value) for p, s, c in values] == [(p, None if s is None or s != s else s, v) for p, s, v in db.itertuples(index=False)]
    for _, _, cell in values:
        assert isinstance(cell.value, (int, float)) and cell.number_format == "#,##0"
    start = ws.cell(9, codes.index("period_start") + 1)
    assert isinstance(start.value, datetime) and start.number_format == "yyyy-mm-dd"
    about = wb[wb.sheetnames[1]]
    text = "\n".join(str(c.value) for row in about.iter_rows() for c in row if c.value)
    assert "CC-BY-4.0" in text and "دور الحضانة" in text and "وزارة التنمية الاجتماعية" in text


def test_xlsx_english_is_left_to_right_and_view_is_described(client):
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/data/{NURSERY}.xlsx?lang=en&breakdown=sex&labels=names").data))
    ws = wb[wb.sheetnames[0]]
    assert not ws.sheet_view.rightToLeft
    assert ws["A1"].value == "Children enrolled in nurseries"
    assert "Sex" in ws["A5"].value  # the view in words
    header = [c.value for c in ws[7]]
    assert "Sex" in header
    sexes = {ws.cell(r, header.index("Sex") + 1).value for r in range(9, ws.max_row + 1)}
    assert sexes == {"Male", "Female"}


def test_json_metadata(client, q):
    doc = client.get(f"/data/{NURSERY}.json").get_json()
    ind = q("SELECT * FROM indicators WHERE indicator_id = ?", [NURSERY]).iloc[0]
    assert doc["name"] == {"ar": ind["name_ar"], "en": ind["name_en"]}
    assert doc["definition"] == {"ar": ind["definition_ar"], "en": ind["definition_en"]}
    assert doc["unit"]["id"] == ind["unit"] and doc["unit"]["name"]["ar"] == "طفل"
    assert doc["measure"] == ind["measure"]
    assert [b["dimension"] for b in doc["breakdowns"]] == list(ind["breakdowns"])
    assert {m["code"] for m in doc["breakdowns"][0]["members"]} == {"male", "female"}
    cited = set(q("SELECT DISTINCT source_id FROM observations WHERE indicator_id = ?", [NURSERY])["source_id"])
    assert {s["id"] for s in doc["sources"]} == cited
    assert all(s["publisher"]["ar"] and s["title"]["en"] for s in doc["sources"])
    assert doc["view"]["full_series"] is True and doc["view"]["observations"] == 4
    assert doc["licence"]["id"] == "CC-BY-4.0"
    # A view cites only the sources its figures come from.
    view = client.get(f"/data/{NURSERY}.json?from=2023").get_json()
    assert view["view"]["observations"] == 1 and view["view"]["parameters"]["from"] == "2023"
    assert {s["id"] for s in view["sources"]} == {"om_mosd_briefing_2024"}


def test_json_targets(client):
    doc = client.get("/data/om_dis_specialists_hired.json").get_json()
    assert [(t["period"], t["value"], t["source_id"]) for t in doc["targets"]] == [("2024", 100, "om_mosd_briefing_2024")]


def test_zip_bundle(client):
    r = client.get(f"/data/{NURSERY}.zip?breakdown=sex&lang=en")
    zf = zipfile.ZipFile(io.BytesIO(r.data))
    assert sorted(zf.namelist()) == sorted([f"{NURSERY}.csv", f"{NURSERY}.json", "README.md"])
    assert zf.read(f"{NURSERY}.csv") == client.get(f"/data/{NURSERY}.csv?breakdown=sex&lang=en").data
    meta = json.loads(zf.read(f"{NURSERY}.json"))
    assert meta["view"]["parameters"] == {"breakdown": "sex"} and meta["view"]["observations"] == 2
    readme = zf.read("README.md").decode("utf-8")
    assert "Children enrolled in nurseries" in readme and "الأطفال الملتحقون بدور الحضانة" in readme
    assert "CC-BY-4.0" in readme and "Sex" in readme


def test_with_adds_the_figures_of_other_indicators(client, q, read_csv):
    """The explorer's amount-per-case download (/data/om_ss_paid.csv?…&with=om_ss_cases) holds the
    figures of both indicators: the same rows as the API gives for indicator=om_ss_paid,om_ss_cases."""
    for view in ("geo=OM&breakdown=total", "geo=OM&from=2023&to=2023&breakdown=total", ""):
        sep = "&" if view else ""
        _, rows = read_csv(client.get(f"/data/{PAID}.csv?{view}{sep}with={CASES}&labels=codes").data)
        _, api_rows = read_csv(client.get(f"/api/v1/observations?indicator={PAID},{CASES}{sep}{view}"
                                          "&format=csv&labels=codes").data)
        assert rows == api_rows and {r["indicator_id"] for r in rows} == {PAID, CASES}, view
    # `with` is not a view parameter: alone, it gives the full series of both indicators.
    n = int(q("SELECT count(*) AS n FROM observations WHERE indicator_id IN (?, ?)", [PAID, CASES])["n"].iloc[0])
    assert len(rows) == n
    # Breakdowns are checked against the address's indicator only.
    assert client.get(f"/data/{NURSERY}.csv?breakdown=sex&with={CASES}").status_code == 200
    assert client.get(f"/data/{CASES}.csv?breakdown=sex&with={NURSERY}").get_json()["error"]["code"] == \
        "breakdown_not_available"


def test_with_in_metadata_workbook_and_zip(client, q):
    """Sources, metadata and workbook of a download with `with` cover both indicators."""
    view = f"geo=OM&breakdown=total&with={CASES}"
    doc = client.get(f"/data/{PAID}.json?{view}").get_json()
    assert doc["view"] == {"parameters": {"geo": "OM", "breakdown": "total", "with": CASES}, "observations": 4,
                           "full_series": False}
    assert [w["id"] for w in doc["with"]] == [CASES] and doc["with"][0]["definition"]["en"]
    cited = set(q("SELECT DISTINCT source_id FROM observations WHERE indicator_id IN (?, ?) AND geo_code = 'OM'",
                  [PAID, CASES])["source_id"])
    assert {s["id"] for s in doc["sources"]} == cited
    assert doc["links"]["observations"] == f"/api/v1/observations?indicator={PAID},{CASES}&geo=OM&breakdown=total"
    assert doc["links"]["csv"] == f"/data/{PAID}.csv?{view}"
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/data/{PAID}.xlsx?{view}&lang=en&labels=codes").data))
    data, about = wb[wb.sheetnames[0]], wb[wb.sheetnames[1]]
    codes = [c.value for c in data[8]]
    assert {data.cell(r, codes.index("indicator_id") + 1).value for r in range(9, data.max_row + 1)} == {PAID, CASES}
    assert "with the figures of Social security cases" in data["A5"].value
    text = "\n".join(str(c.value) for row in about.iter_rows() for c in row if c.value)
    assert "with the figures of\nSocial security cases" in text and CASES in text
    zf = zipfile.ZipFile(io.BytesIO(client.get(f"/data/{PAID}.zip?{view}&lang=en").data))
    assert json.loads(zf.read(f"{PAID}.json"))["with"][0]["id"] == CASES
    assert "## Social security cases" in zf.read("README.md").decode("utf-8")


def test_documented_breakdowns_and_with(client, parameters_of):
    """Each indicator's download paths in the OpenAPI document list exactly the breakdowns its
    downloads take and the indicators `with` takes (schemathesis tries only a few values each)."""
    doc = client.get("/api/v1/openapi.json").get_json()
    every = doc["components"]["parameters"]["breakdown"]["schema"]["items"]["enum"]
    operations = {}
    for path in doc["paths"]:
        if path.startswith("/data/") and path.endswith(".csv") and path != "/data/all.csv" \
                and not path.startswith("/data/place/"):
            operations[path] = parameters_of(doc, path)
    assert len(operations) > 30
    for path, named in operations.items():
        offered = named["breakdown"]["items"]["enum"]
        for b in every:
            r = client.get(f"{path}?breakdown={b}&labels=codes")
            assert r.status_code == (200 if b in offered else 400), (path, b)
        others = named["with"]["items"]["enum"] if "with" in named else []
        if others:
            assert client.get(f"{path}?with={','.join(others)}&labels=codes").status_code == 200, path
        strangers = [p[6:-4] for p in operations if p != path and p[6:-4] not in others]
        r = client.get(f"{path}?with={strangers[0]}")
        assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_with", path


def test_whole_dataset_csv_equals_the_database(client, q, read_csv):
    r = client.get("/data/all.csv?labels=codes&bom=false", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200 and not r.data.startswith(BOM)
    header, rows = read_csv(r.data)
    assert header == list(q("SELECT * FROM observations LIMIT 0").columns)
    _same_rows(rows, _db_rows(q))
    default = client.get("/data/all.csv").data
    assert default.startswith(BOM)
    h, rows_both = read_csv(default)
    assert "indicator_name" in h and len(rows_both) == len(rows)


def test_whole_dataset_parquet_equals_the_database(client, q):
    r = client.get("/data/all.parquet")
    frame = pd.read_parquet(io.BytesIO(r.data))
    db = q("SELECT * FROM observations")
    assert len(frame) == len(db)
    key = ["indicator_id", "geo_code", "period", "value"]
    got = frame[key].sort_values(key).reset_index(drop=True)
    want = db[key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert {"indicator_name_ar", "indicator_name_en", "geo_name_ar", "sex_label_en"} <= set(frame.columns)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_whole_dataset_xlsx(client, q, lang):
    r = client.get(f"/data/all.xlsx?lang={lang}")
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    topics = q("SELECT t.topic, t.name_ar, t.name_en, count(o.indicator_id) AS n FROM topics t "
               "JOIN indicators i ON i.topic = t.topic JOIN observations o ON o.indicator_id = i.indicator_id "
               "GROUP BY ALL ORDER BY min(t.sort_order)")
    for t in topics.itertuples(index=False):
        name = getattr(t, f"name_{lang}")[:31]
        assert name in wb.sheetnames, name
        ws = wb[name]
        if lang == "ar":
            assert ws.sheet_view.rightToLeft is True
        else:
            assert not ws.sheet_view.rightToLeft
        assert ws.freeze_panes == "A6"
        assert ws["A1"].value == getattr(t, f"name_{lang}")
        codes = [c.value for c in ws[5]]
        assert codes[:2] == ["indicator_id", "indicator_name"] and "value" in codes
        assert ws.max_row - 5 == t.n  # every observation of the topic, once
        vcol = codes.index("value") + 1
        for row in range(6, ws.max_row + 1):
            cell = ws.cell(row, vcol)
            assert isinstance(cell.value, (int, float)) and cell.number_format.startswith("#,##0")
    total = sum(wb[n].max_row - 5 for n in wb.sheetnames if wb[n]["A5"].value == "indicator_id")
    assert total == int(q("SELECT count(*) AS n FROM observations")["n"].iloc[0])


def test_unknown_indicator_download_is_json_404(client):
    for ext in ("csv", "xlsx", "json", "zip"):
        r = client.get(f"/data/no_such_indicator.{ext}")
        assert r.status_code == 404 and r.is_json
        assert "no_such_indicator" in r.get_json()["error"]["message"]
