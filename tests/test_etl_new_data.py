"""Adding a year, a governorate or an indicator is a data-only change: edit data files
and indicators.yaml (in a copy), rebuild, and the new figures are there, correctly dated."""
from __future__ import annotations

import csv
from datetime import date

import duckdb
import pytest
import yaml
from openpyxl import load_workbook

from etl.build import build

NEW_SOURCE = {
    "country": "OM",
    "publisher": {"ar": "وزارة التنمية الاجتماعية، سلطنة عُمان", "en": "Ministry of Social Development, Oman"},
    "title": {"ar": "الكتاب الإحصائي 2025 (اختبار)", "en": "Statistical yearbook 2025 (test)"},
    "published": "2026",
    "reference_period": {"ar": "عام 2025", "en": "2025"},
}


def edit_catalogue(path, edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def append_csv(path, rows: list[dict]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, header, lineterminator="\r\n").writerows(rows)


def rebuild(copy) -> duckdb.DuckDBPyConnection:
    result = build(copy.raw, copy.catalogue, copy.out)
    assert result.ok, "\n".join(map(str, result.issues))
    return duckdb.connect(str(copy.out / "indicators.duckdb"), read_only=True)


def totals(con, indicator):
    return con.execute("""SELECT geo_code, period, period_start, period_end, value, source_id, value_as_written
                          FROM observations WHERE indicator_id = ? AND coalesce(sex, beneficiary_category, service_channel,
                          association_type, case_outcome) IS NULL ORDER BY period_end, geo_code""", [indicator]).fetchall()


def test_a_new_year_is_a_new_column(source_copy, built):
    """A 2025 column in the national workbook, its row in `sources`, the source declared."""
    wb = load_workbook(source_copy.raw / "om_mosd_national.xlsx")
    ws, sources = wb["data"], wb["sources"]
    header = [c.value for c in ws[3]]
    new_col = len(header) + 1
    ws.cell(row=3, column=new_col, value="2025")
    figures = {"om_ss_cases": "(81,234)", "om_ss_paid": "130,500,000", "om_nurseries": "٣٧٠"}
    for row in ws.iter_rows(min_row=4):
        ind = row[0].value
        if ind in figures and all(c.value is None for c in row[2:5]):  # the total row, not a breakdown
            ws.cell(row=row[0].row, column=new_col, value=figures[ind])
    sources.append(["2025", "om_mosd_yearbook_2025", "test"])
    wb.save(source_copy.raw / "om_mosd_national.xlsx")
    edit_catalogue(source_copy.catalogue, lambda c: c["sources"].__setitem__("om_mosd_yearbook_2025", NEW_SOURCE))

    con = rebuild(source_copy)
    assert totals(con, "om_ss_cases")[-1] == ("OM", "2025", date(2025, 12, 31), date(2025, 12, 31), 81234.0,
                                              "om_mosd_yearbook_2025", "(81,234)")
    assert totals(con, "om_ss_paid")[-1] == ("OM", "2025", date(2025, 1, 1), date(2025, 12, 31), 130_500_000.0,
                                             "om_mosd_yearbook_2025", "130,500,000")
    assert totals(con, "om_nurseries")[-1][1:5] == ("2025", date(2025, 12, 31), date(2025, 12, 31), 370.0)
    before = duckdb.connect(str(built / "indicators.duckdb"), read_only=True)
    n_before = before.execute("SELECT count(*) FROM observations").fetchone()[0]
    assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == n_before + 3
    # Every earlier figure is unchanged.
    old = before.execute("SELECT * EXCLUDE (source_row) FROM observations ORDER BY ALL").fetchall()
    assert con.execute("SELECT * EXCLUDE (source_row) FROM observations WHERE period <> '2025' ORDER BY ALL").fetchall() == old


@pytest.mark.parametrize("written", ["مسقط", "محافظة مسقط", "Muscat", "OM-MA", "Masqat"])
def test_a_new_governorate_is_a_new_row(source_copy, written):
    append_csv(source_copy.raw / "om_spf_south_batinah.csv", [
        {"indicator_id": "om_spf_beneficiaries", "geo": written, "period": "حتى نهاية يونيو 2025",
         "unit": "مستفيد", "value": "210 آلاف و5", "source_id": "om_spf_south_batinah_2025"},
    ])
    con = rebuild(source_copy)
    rows = totals(con, "om_spf_beneficiaries")
    assert ("OM-MA", "2025-06", date(2025, 6, 30), date(2025, 6, 30), 210_005.0,
            "om_spf_south_batinah_2025", "210 آلاف و5") in rows
    assert [r[0] for r in rows] == ["OM-BJ", "OM-MA"]


def test_a_new_indicator_is_a_catalogue_entry_and_a_file(source_copy):
    def add(c):
        c["indicators"]["om_home_care_visits"] = {
            "topic": "elderly", "country": "OM", "files": ["om_home_care.csv"], "unit": "services",
            "measure": "flow", "higher_is_better": True, "breakdowns": ["sex"], "sum_to_total": ["sex"],
            "name": {"ar": "زيارات الرعاية المنزلية لكبار السن", "en": "Home care visits to older persons"},
            "definition": {"ar": "عدد زيارات الرعاية المنزلية خلال الفترة.", "en": "Home care visits during the period."},
        }
    edit_catalogue(source_copy.catalogue, add)
    (source_copy.raw / "om_home_care.csv").write_text(
        "indicator_id,geo,period,sex,value,source_id\n"
        "om_home_care_visits,الداخلية,2024-Q1,,1200,om_mosd_briefing_2024\n"
        "om_home_care_visits,الداخلية,2024-Q1,ذكور,500,om_mosd_briefing_2024\n"
        "om_home_care_visits,الداخلية,2024-Q1,إناث,700,om_mosd_briefing_2024\n"
        "om_home_care_visits,ظفار,2024-Q1,,300,om_mosd_briefing_2024\n", encoding="utf-8")
    con = rebuild(source_copy)
    assert con.execute("SELECT name_ar, unit, measure FROM indicators WHERE indicator_id = 'om_home_care_visits'").fetchone() == (
        "زيارات الرعاية المنزلية لكبار السن", "services", "flow")
    rows = con.execute("""SELECT geo_code, sex, period, period_start, period_end, value FROM observations
                          WHERE indicator_id = 'om_home_care_visits' ORDER BY geo_code, sex NULLS FIRST""").fetchall()
    q1 = (date(2024, 1, 1), date(2024, 3, 31))
    assert rows == [("OM-DA", None, "2024-Q1", *q1, 1200.0), ("OM-DA", "female", "2024-Q1", *q1, 700.0),
                    ("OM-DA", "male", "2024-Q1", *q1, 500.0), ("OM-ZU", None, "2024-Q1", *q1, 300.0)]
