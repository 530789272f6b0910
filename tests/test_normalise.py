"""Figures and periods as ministries write them, read exactly or refused with a reason."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etl.normalise import Figure, parse_figure, parse_period, reference_dates, to_latin_digits


@pytest.mark.parametrize("written, value, qualifier", [
    ("(72675)", 72675, None),                 # brackets set a figure off; never negative
    ("122,178,206", 122178206, None),
    ("٧٢٦٧٥", 72675, None),                   # Arabic-Indic digits
    ("۷۲۶۷۵", 72675, None),                   # Eastern Arabic-Indic (Persian) digits
    ("٧٢٬٦٧٥", 72675, None),                  # Arabic thousands separator
    ("1٫5 مليون", 1_500_000, None),           # Arabic decimal separator
    ("169 ألفًا و998", 169998, None),
    ("142 ألفًا و41", 142041, None),
    ("ألفًا و548", 1548, None),
    ("ألفين و891", 2891, None),
    ("ألفان و792", 2792, None),
    ("4 آلاف و651", 4651, None),
    ("3 آلاف و120", 3120, None),
    ("24 ألف", 24000, None),
    ("122.1 مليون", 122_100_000, None),
    ("مليونان و 3 آلاف", 2_003_000, None),
    ("أكثر من 28", 28, "more_than"),
    ("اكثر من 28", 28, "more_than"),
    ("أقل من 5", 5, "less_than"),
    ("over 28", 28, "more_than"),
    (">28", 28, "more_than"),
    ("72675†", 72675, None),                  # footnote references
    ("(72675)¹", 72675, None),
    ("  79597 ", 79597, None),
    (79597, 79597, None),                     # Excel numbers
    (3.0, 3, None),
    ("7.5", 7.5, None),
    ("-5", -5, None),                         # read; the validator refuses negatives
])
def test_parse_figure_reads_published_forms(written, value, qualifier):
    assert parse_figure(written) == Figure(float(value), qualifier)


@pytest.mark.parametrize("written, reason", [
    (None, "empty"), ("", "empty"), ("   ", "empty"), (True, "true/false"),
    ("twelve", "cannot read 'twelve'"), ("-", "not a number"),
    ("79٥97", "mixes Arabic-Indic and Latin digits"),
    ("1000000000000000", "larger than the plausible maximum"), (1e15, "larger than the plausible maximum"),
    ("1,23", "cannot read"),                  # a separator that does not group thousands
    ("12 34", "two numbers in a row"),
    ("ألف ألف", "out of order"),
    ("2 ألفين", "before the dual word"),
    ("ألف و", "ends with 'و'"),               # cut short: 'ألف و548' lost its last part
    ("(72675", "cannot read"),
    ("overall 5", "cannot read 'overall'"),   # a bound word only as a whole word
    (float("nan"), "not a finite number"),
])
def test_parse_figure_refuses_with_a_reason(written, reason):
    with pytest.raises(ValueError) as exc:
        parse_figure(written)
    assert reason in str(exc.value)


@pytest.mark.parametrize("word, scale", [("ألف", 1_000), ("مليون", 1_000_000), ("مليار", 1_000_000_000)])
def test_decimal_number_words_are_exact(word, scale):
    """`16.1 ألف` is 16100, not 16100.000000000002: a count must stay a whole number."""
    wrong = [f"{n / 100:.2f} {word}" for n in range(1, 10_000)
             if parse_figure(f"{n / 100:.2f} {word}").value != float(Decimal(f"{n / 100:.2f}") * scale)]
    assert wrong == []


def test_to_latin_digits():
    assert to_latin_digits("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ 2021") == "0123456789 0123456789 2021"


@pytest.mark.parametrize("written, label, start, end, to_date", [
    ("2021", "2021", "2021-01-01", "2021-12-31", False),
    (2021, "2021", "2021-01-01", "2021-12-31", False),
    ("2021م", "2021", "2021-01-01", "2021-12-31", False),
    ("٢٠٢١", "2021", "2021-01-01", "2021-12-31", False),
    ("2025-H1", "2025-H1", "2025-01-01", "2025-06-30", False),
    ("2025H2", "2025-H2", "2025-07-01", "2025-12-31", False),
    ("2025-Q3", "2025-Q3", "2025-07-01", "2025-09-30", False),
    ("2024-Q1", "2024-Q1", "2024-01-01", "2024-03-31", False),
    ("2022-03", "2022-03", "2022-03-01", "2022-03-31", False),
    ("2024-2", "2024-02", "2024-02-01", "2024-02-29", False),    # leap year
    ("مارس 2022", "2022-03", "2022-03-01", "2022-03-31", False),
    ("March 2022", "2022-03", "2022-03-01", "2022-03-31", False),
    ("حتى نهاية يونيو 2025", "2025-06", "2025-06-01", "2025-06-30", True),
    ("to the end of June 2025", "2025-06", "2025-06-01", "2025-06-30", True),
    ("نهاية 2021", "2021", "2021-01-01", "2021-12-31", True),
])
def test_parse_period(written, label, start, end, to_date):
    p = parse_period(written)
    assert (p.label, p.start, p.end, p.to_date) == (label, date.fromisoformat(start), date.fromisoformat(end), to_date)


@pytest.mark.parametrize("written, reason", [
    ("2021-13", "no month 13"), ("1800", "implausible year"), ("2025-H3", "is not a period"),
    ("FY21", "is not a period"), ("", "empty"), (None, "empty"), ("2021/2022", "is not a period"),
])
def test_parse_period_refuses_with_a_reason(written, reason):
    with pytest.raises(ValueError) as exc:
        parse_period(written)
    assert reason in str(exc.value)


@pytest.mark.parametrize("written, measure, label, start, end", [
    ("2021", "stock", "2021", "2021-12-31", "2021-12-31"),          # a count on the last day
    ("2021", "flow", "2021", "2021-01-01", "2021-12-31"),           # a total over the year
    ("2025-H1", "stock", "2025-H1", "2025-06-30", "2025-06-30"),
    ("حتى نهاية يونيو 2025", "stock", "2025-06", "2025-06-30", "2025-06-30"),
    ("حتى نهاية يونيو 2025", "flow", "2025-H1", "2025-01-01", "2025-06-30"),   # to date: from 1 January
    ("حتى نهاية مارس 2025", "flow", "2025-Q1", "2025-01-01", "2025-03-31"),
    ("حتى نهاية مايو 2025", "flow", "2025-01/2025-05", "2025-01-01", "2025-05-31"),
    ("حتى نهاية ديسمبر 2025", "flow", "2025", "2025-01-01", "2025-12-31"),
    ("حتى نهاية 2025", "flow", "2025", "2025-01-01", "2025-12-31"),
    ("2025-06", "flow", "2025-06", "2025-06-01", "2025-06-30"),     # a month's flow is not to date
])
def test_reference_dates(written, measure, label, start, end):
    assert reference_dates(parse_period(written), measure) == (label, date.fromisoformat(start), date.fromisoformat(end))
