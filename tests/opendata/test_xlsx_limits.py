"""Excel's sheet limit (1,048,576 rows), handled honestly: long topics continue on numbered
sheets in the whole-dataset workbook; a per-indicator workbook that cannot fit says so (4xx)."""
from __future__ import annotations

import io

import openpyxl

from api import xlsx


def test_long_topics_continue_on_numbered_sheets(app, q, monkeypatch, tmp_path):
    from api import dataset
    from store.catalogue import meta
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 12)  # 7 data rows per sheet (5 header rows)
    m = meta()
    path = tmp_path / "split.xlsx"
    info = xlsx.dataset_workbook(path, m, "en", dataset._topic_tables(m, "both", "en"))
    assert info["split"], "some topic has more than 7 figures"
    wb = openpyxl.load_workbook(path)
    data_sheets = [n for n in wb.sheetnames if wb[n]["A5"].value == "indicator_id"]
    rows = sum(wb[n].max_row - 5 for n in data_sheets)
    assert rows == int(q("SELECT count(*) AS n FROM observations")["n"].iloc[0])
    assert all(wb[n].max_row - 5 <= 7 for n in data_sheets)
    topic = q("SELECT name_en FROM topics WHERE topic = ?", [info["split"][0]])["name_en"].iloc[0]
    second = f"{topic} (2)"[:31] if len(f"{topic} (2)") <= 31 else next(n for n in wb.sheetnames if n.endswith("(2)"))
    assert second in wb.sheetnames
    assert "continued" in wb[second]["A1"].value
    readme = " ".join(str(c.value) for row in wb[wb.sheetnames[0]].iter_rows() for c in row if c.value)
    assert "1,048,576" in readme and "CSV and Parquet" in readme


def test_indicator_too_long_for_excel_is_a_clear_4xx(client, monkeypatch):
    import api.routes as routes
    monkeypatch.setattr(routes, "EXCEL_MAX_ROWS", 10)
    r = client.get("/data/om_spf_beneficiaries.xlsx")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "too_large_for_excel"
    assert "/data/om_spf_beneficiaries.csv" in r.get_json()["error"]["message"]
    ok = client.get("/data/om_spf_beneficiaries.xlsx?breakdown=total")
    assert ok.status_code == 200 and openpyxl.load_workbook(io.BytesIO(ok.data))
