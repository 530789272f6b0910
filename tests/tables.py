"""Tables as a ministry prints them, made for tests in temp folders: a yearbook sheet of one
indicator (a title, a header of years over the governorates down, a note under it), the
catalogue entry of that test indicator and the recipe that reads the sheet."""
from __future__ import annotations

from pathlib import Path

import openpyxl

INDICATOR = """  om_upload_cases:
    topic: social_security
    country: OM
    files: [table.xlsx, cases.csv]
    unit: cases
    measure: stock
    name: {ar: حالات الضمان الاجتماعي حسب المحافظة, en: Social security cases by governorate}
    definition: {ar: الحالات في نهاية السنة., en: Cases at the end of the year.}
"""
RECIPE = """sheet: "جدول 1"
indicator: om_upload_cases
source: om_mosd_welfare_2021
header_rows: [2]
columns: [period]
rows: geo
skip: ["^المصدر"]
hidden: skip
"""
TITLE = "عدد حالات الضمان الاجتماعي حسب المحافظة"
NOTE = "المصدر: وزارة التنمية الاجتماعية"


def yearbook(path: Path, body, hidden_rows=()) -> Path:
    """A yearbook sheet: a title, a header of years over governorates down, a note under it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "جدول 1"
    for row in [[TITLE], ["المحافظة", 2023, 2024], *body, [NOTE]]:
        ws.append(list(row))
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path
