"""Periods as Arab statistical offices print them: every month of both Arabic series and
English, quarters and half-years in each language, header rows composed, and the errors."""
from __future__ import annotations

import calendar
import unicodedata
from datetime import date

import pytest

from contract import periods
from etl.normalise import PeriodPart, compose, parse_period, period_part

# The Syriac series (Jordan, Lebanon, Syria, Iraq, Palestine), with the variants offices print.
SYRIAC = {
    1: ("كانون الثاني", "كانون ثاني", "كانون الثانى", "كانون2", "كانون 2", "ك2"),
    2: ("شباط",),
    3: ("آذار", "اذار", "أذار"),
    4: ("نيسان",),
    5: ("أيار", "ايار", "آيار", "إيار", "مايس"),
    6: ("حزيران",),
    7: ("تموز",),
    8: ("آب", "اب", "أب"),
    9: ("أيلول", "ايلول"),
    10: ("تشرين الأول", "تشرين الاول", "تشرين أول", "تشرين اول", "تشرين1", "ت1", "تشرین الأول"),
    11: ("تشرين الثاني", "تشرين ثاني", "تشرين الثانى", "تشرين2", "ت2"),
    12: ("كانون الأول", "كانون الاول", "كانون أول", "كانون1", "ك1"),
}
# The standard series (Egypt, the Gulf), the Maghreb's (Morocco, Mauritania) and Algeria's and Tunisia's.
STANDARD = {
    1: ("يناير", "جانفي"),
    2: ("فبراير", "فيفري"),
    3: ("مارس",),
    4: ("أبريل", "إبريل", "ابريل", "أفريل", "افريل"),
    5: ("مايو", "ماي"),
    6: ("يونيو", "يونيه", "يونية", "جوان"),
    7: ("يوليو", "يوليه", "يولية", "يوليوز", "جويلية"),
    8: ("أغسطس", "اغسطس", "أغشت", "غشت", "أوت", "اوت"),
    9: ("سبتمبر", "شتنبر", "شتمبر"),
    10: ("أكتوبر", "اكتوبر"),
    11: ("نوفمبر", "نونبر"),
    12: ("ديسمبر", "دجنبر", "دجمبر"),
}
ENGLISH = {m: (calendar.month_name[m], calendar.month_abbr[m], calendar.month_name[m].upper(),
               calendar.month_abbr[m].lower() + ".") for m in range(1, 13)}
ENGLISH[9] += ("Sept", "Sept.")
NAMES = [(name, m) for table in (SYRIAC, STANDARD, ENGLISH) for m, names in table.items() for name in names]
DAYS_2023 = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def dates(p):
    return p.label, p.start, p.end


def month_of(y: int, m: int, days: int):
    return f"{y}-{m:02d}", date(y, m, 1), date(y, m, days)


@pytest.mark.parametrize("name, m", NAMES)
def test_every_month_name_with_its_year(name, m):
    assert dates(parse_period(f"{name} 2023")) == month_of(2023, m, DAYS_2023[m])
    assert dates(parse_period(f"{name} {'2023'.translate(ARABIC_INDIC)}")) == month_of(2023, m, DAYS_2023[m])
    assert dates(parse_period(f"{name} 2023م")) == month_of(2023, m, DAYS_2023[m])


@pytest.mark.parametrize("name, m", NAMES)
def test_every_month_name_under_a_headers_year(name, m):
    assert dates(parse_period(name, year=2024)) == month_of(2024, m, DAYS_2023[m] + (m == 2))   # 2024 is a leap year
    assert period_part(name) == PeriodPart("month", m, None)
    assert periods.period_word(name) == ("month", m)


@pytest.mark.parametrize("name, m", [(n, m) for table in (SYRIAC, STANDARD) for m, names in table.items() for n in names[:1]])
def test_month_names_as_pdfs_and_typists_write_them(name, m):
    """Diacritics, tatweel, presentation forms (text copied out of a PDF), spaces, bidi marks."""
    vowelled = "\u064e".join(name)                      # a fatha after every letter
    stretched = name[0] + "\u0640\u0640" + name[1:]     # tatweel
    presentation = "".join(unicodedata.lookup(f"ARABIC LETTER {unicodedata.name(c)[14:]} ISOLATED FORM")
                           if c != " " and _has_isolated(c) else c for c in name)
    for written in (vowelled, stretched, presentation, f"  {name}\u00a0 ٢٠٢٣ ", f"\u200f{name} 2023\u200f"):
        assert parse_period(written, year=2023).label == f"2023-{m:02d}", written


def _has_isolated(c: str) -> bool:
    try:
        unicodedata.lookup(f"ARABIC LETTER {unicodedata.name(c)[14:]} ISOLATED FORM")
        return True
    except (KeyError, ValueError):
        return False


@pytest.mark.parametrize("written, m", [
    ("كانون الثاني (يناير)", 1), ("يناير / كانون الثاني", 1), ("كانون2/يناير", 1), ("شباط / فبراير", 2),
    ("آذار (مارس)", 3), ("نيسان/أبريل", 4), ("أيار - مايو", 5), ("حزيران (يونيو)", 6), ("تموز/يوليو", 7),
    ("آب (أغسطس)", 8), ("أيلول/ سبتمبر", 9), ("تشرين الأول (أكتوبر)", 10), ("نوفمبر / تشرين الثاني", 11),
    ("كانون الأول (ديسمبر)", 12), ("كانون الثاني / يناير / January", 1), ("Jan (كانون الثاني)", 1),
])
def test_combined_names_of_one_month(written, m):
    assert parse_period(f"{written} 2025").label == f"2025-{m:02d}"
    assert parse_period(written, year=2025).label == f"2025-{m:02d}"


@pytest.mark.parametrize("written, label", [
    ("الربع الأول", "Q1"), ("الربع الاول", "Q1"), ("الربع أول", "Q1"), ("الربع الثاني", "Q2"), ("الربع الثانى", "Q2"),
    ("الربع الثالث", "Q3"), ("الربع الرابع", "Q4"), ("الربع 1", "Q1"), ("الربع ٣", "Q3"), ("ر1", "Q1"), ("ر 2", "Q2"),
    ("ر٤", "Q4"), ("الفصل الأول", "Q1"), ("الفصل الثالث", "Q3"), ("الثلاثي الثاني", "Q2"), ("الثلاثي الرابع", "Q4"),
    ("Q1", "Q1"), ("q2", "Q2"), ("Q 3", "Q3"), ("first quarter", "Q1"), ("Second Quarter", "Q2"),
    ("3rd quarter", "Q3"), ("4th Quarter", "Q4"), ("1st qtr", "Q1"), ("Quarter 1", "Q1"), ("quarter 4", "Q4"),
    ("النصف الأول", "H1"), ("النصف الاول", "H1"), ("النصف الثاني", "H2"), ("نصف السنة الأول", "H1"),
    ("السداسي الأول", "H1"), ("السداسي الثاني", "H2"), ("H1", "H1"), ("h2", "H2"), ("first half", "H1"),
    ("Second Half", "H2"), ("1st half", "H1"), ("2nd half-year", "H2"), ("half 1", "H1"), ("First half year", "H1"),
    ("كانون الثاني - آذار", "Q1"), ("نيسان - حزيران", "Q2"), ("July to September", "Q3"), ("Oct-Dec", "Q4"),
    ("يناير - يونيو", "H1"), ("تموز – كانون الأول", "H2"), ("الربع الأول (كانون الثاني - آذار)", "Q1"),
])
def test_quarters_and_halves_in_each_language(written, label):
    assert parse_period(f"{written} 2024").label == f"2024-{label}"
    assert parse_period(f"2024 {written}").label == f"2024-{label}"
    assert parse_period(written, year=2024).label == f"2024-{label}"
    assert period_part(written).year is None


@pytest.mark.parametrize("written, label", [
    ("الربع الأول من عام 2024", "2024-Q1"), ("الربع الأول لعام 2024", "2024-Q1"), ("النصف الثاني من سنة 2023", "2023-H2"),
    ("النصف الأول من العام ٢٠٢٤م", "2024-H1"), ("the first quarter of 2024", "2024-Q1"), ("Q1-2024", "2024-Q1"),
    ("Q1/2024", "2024-Q1"), ("2024Q1", "2024-Q1"), ("2024 Q1", "2024-Q1"), ("Q1 2024", "2024-Q1"), ("H2 2023", "2023-H2"),
    ("لشهر شباط 2024", "2024-02"), ("شهر يناير 2024", "2024-01"), ("كانون الثاني، 2024", "2024-01"),
    ("2024", "2024"), ("2024م", "2024"), ("2024 م", "2024"), ("عام 2024", "2024"), ("سنة 2024", "2024"),
    ("العام 2024", "2024"), ("٢٠٢٤", "2024"), ("عام ٢٠٢٤م", "2024"), ("year 2024", "2024"), (2024, "2024"), (2024.0, "2024"),
    ("2024 ميلادي", "2024"), ("Jan 2024", "2024-01"), ("January, 2024", "2024-01"), ("Jan-2024", "2024-01"),
    ("2025-06", "2025-06"), ("2025-6", "2025-06"), ("2025-H1", "2025-H1"), ("2025-Q3", "2025-Q3"),
])
def test_complete_forms(written, label):
    assert parse_period(written).label == label


@pytest.mark.parametrize("written, label, start, end", [
    ("حتى نهاية يونيو 2025", "2025-06", "2025-06-01", "2025-06-30"),
    ("حتى نهاية حزيران 2025", "2025-06", "2025-06-01", "2025-06-30"),
    ("لغاية نهاية أيار 2024", "2024-05", "2024-05-01", "2024-05-31"),
    ("حتى نهاية الربع الثالث 2024", "2024-Q3", "2024-07-01", "2024-09-30"),
    ("نهاية 2021", "2021", "2021-01-01", "2021-12-31"),
    ("to the end of June 2025", "2025-06", "2025-06-01", "2025-06-30"),
])
def test_to_date(written, label, start, end):
    p = parse_period(written)
    assert (p.label, p.start, p.end, p.to_date) == (label, date.fromisoformat(start), date.fromisoformat(end), True)


def test_to_date_under_a_headers_year():
    p = parse_period("حتى نهاية حزيران", year=2025)
    assert (p.label, p.to_date) == ("2025-06", True)
    assert period_part("حتى نهاية حزيران") == PeriodPart("month", 6, None, to_date=True)
    assert compose([period_part("2025"), period_part("حتى نهاية حزيران")]).to_date


@pytest.mark.parametrize("cells, label", [
    (["2024", "كانون الثاني"], "2024-01"),
    (["2024", "Feb"], "2024-02"),
    (["٢٠٢٤م", "الربع الثالث"], "2024-Q3"),
    (["عام 2023", "النصف الثاني"], "2023-H2"),
    (["2024", "الربع الأول", "شباط"], "2024-02"),             # a quarter over its months
    (["2024", "النصف الثاني", "الربع الرابع"], "2024-Q4"),
    (["2024", "النصف الأول", "حزيران"], "2024-06"),
    (["Q1 2024"], "2024-Q1"),                                 # a lone complete part
    (["كانون الثاني 2024"], "2024-01"),
    (["2024"], "2024"),
    (["2024", "كانون الثاني 2024"], "2024-01"),               # the same year twice agrees
    (["2024", "2024"], "2024"),
])
def test_compose_header_rows(cells, label):
    assert compose([period_part(c) for c in cells]).label == label


@pytest.mark.parametrize("cells, reason", [
    (["2024", "2023"], "two years that differ: 2024 and 2023"),
    (["2024", "كانون الثاني 2023"], "two years that differ"),
    (["2024", "يناير", "فبراير"], "two months"),
    (["2024", "Q1", "Q2"], "two quarters"),
    (["2024", "الربع الثاني", "شباط"], "is not within the quarter Q2"),
    (["2024", "H1", "Q3"], "is not within the half-year H1"),
    (["يناير"], "has no year"),
    (["الربع الأول", "يناير"], "has no year"),
    ([], "no header cell gives a period"),
])
def test_compose_names_the_conflict(cells, reason):
    with pytest.raises(ValueError) as exc:
        compose([period_part(c) for c in cells])
    assert reason in str(exc.value)


def test_compose_checks_the_year_bounds():
    with pytest.raises(ValueError, match="implausible year 1800"):
        compose([PeriodPart("year", None, 1800), PeriodPart("month", 1, None)])


@pytest.mark.parametrize("kind, number", [("day", 1), ("month", 13), ("month", 0), ("quarter", 5), ("half", 3),
                                          ("month", None), ("year", 1)])
def test_a_period_part_is_well_formed(kind, number):
    with pytest.raises(ValueError):
        PeriodPart(kind, number, 2024)


@pytest.mark.parametrize("written, year, reason", [
    ("ينير 2024", None, "closest known name: 'يناير'"),
    ("كانون الثالث 2024", None, "does not know the name"),
    ("Janury 2024", None, "closest known name: 'January'"),
    ("سبتمر", 2024, "closest known name: 'سبتمبر'"),
    ("فبرير 2024", None, "closest known name: 'فبراير'"),
    ("الربع الاوول", 2024, "closest known name: 'الربع الأول'"),
    ("يناير", None, "has no year"),
    ("كانون الثاني", None, "needs a year, in the cell or in a header row above"),
    ("الربع الأول", None, "has no year"),
    ("H2", None, "has no year"),
    ("يناير 2023", 2024, "prints the year 2023, which contradicts the year 2024"),
    ("2023", 2024, "contradicts"),
    ("Q1 2022", 2024, "contradicts"),
    ("يناير 1800", None, "implausible year 1800"),
    ("2101", None, "implausible year 2101"),
    ("يناير", 1900, "implausible year 1900"),
    ("١٤٤٥هـ", None, "Hijri"),
    ("محرم 1445 هـ", None, "Hijri"),
    ("2021/2022", None, "is not a period: it prints 2 years"),
    ("السنة المالية 2024", None, "fiscal year"),
    ("FY2024", None, "fiscal year"),
    ("المجموع", None, "is a total or an average"),
    ("المجموع", 2024, "is a total"),
    ("الإجمالي", 2024, "is a total"),
    ("الاجمالي 2024", None, "is a total"),
    ("المجموع الكلي", None, "is a total"),
    ("Total", 2024, "is a total"),
    ("Grand total 2024", None, "is a total"),
    ("المتوسط", 2024, "is a total or an average"),
    ("كانون الثاني (فبراير)", 2024, "names two periods"),
    ("يناير - مايو", 2024, "are not a quarter, a half-year or a year"),
    ("Q5 2024", None, "is not a period"),
    ("الربع الخامس 2024", None, "is not a period"),
    ("2024-Q5", None, "is not a period"),
    ("Q1-24", None, "is not a period"),
    ("", None, "empty"), ("  ", None, "empty"), (None, None, "empty"), (float("nan"), None, "empty"),
    (True, None, "true/false"),
])
def test_refused_with_a_reason(written, year, reason):
    with pytest.raises(ValueError) as exc:
        parse_period(written, year)
    assert reason in str(exc.value)


@pytest.mark.parametrize("written", ["المجموع", "Total", "الإجمالي", "المتوسط", "Sum"])
def test_a_total_is_not_a_period_part(written):
    with pytest.raises(ValueError, match="total"):
        period_part(written)


def test_the_header_year_must_be_a_year():
    with pytest.raises(TypeError):
        parse_period("يناير", "2024")


# ------------------------------------------------------------------ every label's days

@pytest.mark.parametrize("y", [2023, 2024, 2000, 2100])
def test_every_month_label_spans_its_days(y):
    for m in range(1, 13):
        last = calendar.monthrange(y, m)[1]
        assert dates(parse_period(f"{y}-{m:02d}")) == month_of(y, m, last)
    assert parse_period("شباط", year=y).end.day == (29 if calendar.isleap(y) else 28)


@pytest.mark.parametrize("written, start, end", [
    ("شباط 2024", "2024-02-01", "2024-02-29"),       # a leap February
    ("شباط 2023", "2023-02-01", "2023-02-28"),
    ("فبراير 2000", "2000-02-01", "2000-02-29"),     # divisible by 400: leap
    ("فيفري 2100", "2100-02-01", "2100-02-28"),      # divisible by 100: not
    ("نيسان 2024", "2024-04-01", "2024-04-30"),      # 30 days
    ("أيلول 2024", "2024-09-01", "2024-09-30"),
    ("تشرين الثاني 2024", "2024-11-01", "2024-11-30"),
    ("حزيران 2024", "2024-06-01", "2024-06-30"),
    ("كانون الثاني 2024", "2024-01-01", "2024-01-31"),  # 31 days
    ("آب 2024", "2024-08-01", "2024-08-31"),
    ("كانون الأول 2024", "2024-12-01", "2024-12-31"),
    ("الربع الأول 2024", "2024-01-01", "2024-03-31"),
    ("الربع الثاني 2024", "2024-04-01", "2024-06-30"),
    ("الربع الثالث 2024", "2024-07-01", "2024-09-30"),
    ("الربع الرابع 2024", "2024-10-01", "2024-12-31"),
    ("النصف الأول 2024", "2024-01-01", "2024-06-30"),
    ("النصف الثاني 2024", "2024-07-01", "2024-12-31"),
    ("2024", "2024-01-01", "2024-12-31"),
])
def test_label_dates(written, start, end):
    p = parse_period(written)
    assert (p.start, p.end) == (date.fromisoformat(start), date.fromisoformat(end))
    assert periods.parse(p.label) == p          # the read layer gives the same days for the label


# ------------------------------------------------------------------ the vocabulary itself

def test_vocabulary_is_exported_in_its_plain_form():
    assert periods.MONTH_NAMES["كانون الثاني"] == 1 and periods.MONTH_NAMES["يناير"] == 1
    assert periods.MONTH_NAMES["January"] == 1 and periods.MONTH_NAMES["Sept"] == 9
    assert periods.QUARTER_NAMES["الربع الأول"] == 1 and periods.QUARTER_NAMES["Q4"] == 4
    assert periods.HALF_NAMES["النصف الثاني"] == 2 and periods.HALF_NAMES["H1"] == 1
    assert sorted(set(periods.MONTH_NAMES.values())) == list(range(1, 13))
    # Written once: no name is a variant that fold already reads (أيار and ايار are one entry).
    keys = [periods._key(n) for names in (periods.MONTH_NAMES, periods.QUARTER_NAMES, periods.HALF_NAMES) for n in names]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("raw, folded", [
    ("أيّار", "ايار"), ("إبريل", "ابريل"), ("آذار", "اذار"), ("الثانى", "الثاني"), ("يونية", "يونيه"),
    ("كانـــون", "كانون"), ("٢٠٢٤", "2024"), ("۲۰۲۴", "2024"), ("  Jan \u00a0 2024 ", "jan 2024"), ("ﻳﻨﺎﻳﺮ", "يناير"),
])
def test_fold(raw, folded):
    assert periods.fold(raw) == folded


@pytest.mark.parametrize("header", ["gender", "الجنس", "المحافظة", "governorate", "year", "السنة", "month", "الشهر",
                                    "quarter", "notes", "ملاحظات", "value", "unit", "source_id", "الفئة العمرية"])
def test_other_headers_are_not_periods(header):
    """extract.py reads a wide table's period columns with parse_period: a breakdown or a
    field's column must never be taken for one."""
    with pytest.raises(ValueError):
        parse_period(header)
    with pytest.raises(ValueError):
        parse_period(header, year=2024)
