"""Turn figures and periods as ministries write them into numbers and dates.

Published Arabic statistics write the same number many ways: `(72675)`, `122,178,206`,
`٧٢٬٦٧٥`, `169 ألفًا و998`, `ألفين و891`. Each parser here accepts those forms and
nothing looser: anything it cannot read exactly raises `ValueError` with the reason, so
the validator can report the cell instead of guessing.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contract import periods
from contract.periods import Period, checked_month, checked_year

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
EASTERN_ARABIC_INDIC = "۰۱۲۳۴۵۶۷۸۹"
_DIGITS = str.maketrans(ARABIC_INDIC + EASTERN_ARABIC_INDIC, "0123456789" * 2)
# One figure is written in one digit system; a mix is a typing error, never read as a number.
_DIGIT_SYSTEMS = (("Arabic-Indic", re.compile(f"[{ARABIC_INDIC}]")),
                  ("Eastern Arabic-Indic (Persian)", re.compile(f"[{EASTERN_ARABIC_INDIC}]")),
                  ("Latin", re.compile(r"[0-9]")))

# Footnote references that trail a figure in published tables (the note itself is elsewhere).
_FOOTNOTE = re.compile(r"[\s]*(?:[†‡§]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)$")
# A mark that says what a figure is: "79597*", or a period column headed "2023*".
STATUS_MARKS = {"*": "provisional"}
# What a cell holds in place of a figure the source does not give.
NO_FIGURE_CODES = {"..": "not_available", "…": "not_available", "...": "not_available", "غ.م": "not_available",
                   "غ. م": "not_available", "غير متوفر": "not_available", "غير متاح": "not_available",
                   "n.a.": "not_available", "n/a": "not_available", "لا ينطبق": "not_applicable",
                   "سري": "confidential"}
# The words of a `status` column, in either language (a code as stored, too).
STATUS_WORDS = {
    "provisional": ("provisional", "preliminary", "p", "أولي", "أولية", "بيانات أولية", "مبدئي"),
    "estimated": ("estimated", "estimate", "e", "تقديري", "تقديرية", "مقدر"),
    "break": ("break", "break in series", "b", "انقطاع", "انقطاع في السلسلة", "تغير في المنهجية"),
    "not_available": ("not_available", "not available", "m", "غير متوفر", "غير متاح"),
    "not_applicable": ("not_applicable", "not applicable", "z", "لا ينطبق"),
    "confidential": ("confidential", "c", "سري"),
}
_STATUS_INDEX = {word: status for status, words in STATUS_WORDS.items() for word in words}


def parse_status(raw: object) -> str | None:
    """A `status` cell: a status code, or its Arabic or English words; None when empty.
    ValueError for anything else."""
    text = " ".join(str(raw).split()).strip() if raw is not None else ""
    if not text:
        return None
    found = _STATUS_INDEX.get(text.lower())
    if found is None:
        raise ValueError(f"is not a status (expected one of {', '.join(STATUS_WORDS)}, or their Arabic words)")
    return found


def mark_of(label: str, marks: dict[str, str] = STATUS_MARKS) -> tuple[str, str | None]:
    """A label without its status mark, and the status the mark gives: "2023*" -> ("2023",
    "provisional"). The one grammar of marks, in every layout: a cell or a header carries one
    mark at most, the longest declared one that ends it ("**" when a recipe declares it); a
    mark left after it ("1111**" where only "*" is declared) is a ValueError, never a guess."""
    text = label.strip()
    for mark in sorted(marks, key=len, reverse=True):
        if text.endswith(mark) and len(text) > len(mark):
            rest = text[:-len(mark)].strip()
            if any(rest.endswith(m) for m in marks):
                raise ValueError(f"carries more than one mark (the marks known: {', '.join(map(repr, marks))}): "
                                 "declare the mark the source uses (`marks:` in a layout recipe) or remove the "
                                 "extra one")
            return rest, marks[mark]
    return text, None
# Tatweel and the Arabic short vowels, which never change a number word's meaning.
_DIACRITICS = re.compile("[\u0640\u064b-\u065f\u0670]")
# The largest figure any indicator may hold; beyond it a cell is a typing error.
MAX_ABS_VALUE = 1e12

# Number words, after diacritics are removed. Value: (multiplier, implied count).
_SCALES = {
    "الف": (1_000, 1), "ألف": (1_000, 1), "ألفا": (1_000, 1), "الفا": (1_000, 1),
    "آلاف": (1_000, 1), "الاف": (1_000, 1),
    "ألفان": (1_000, 2), "ألفين": (1_000, 2), "الفان": (1_000, 2), "الفين": (1_000, 2),
    "مليون": (1_000_000, 1), "ملايين": (1_000_000, 1), "مليونا": (1_000_000, 1),
    "مليونان": (1_000_000, 2), "مليونين": (1_000_000, 2),
    "مليار": (1_000_000_000, 1), "مليارات": (1_000_000_000, 1),
}
_QUALIFIERS = {
    "more_than": ("أكثر من", "اكثر من", "more than", "over", ">"),
    "less_than": ("أقل من", "اقل من", "less than", "under", "<"),
}


@dataclass(frozen=True)
class Figure:
    """A parsed figure: its value and, when published as a bound, the qualifier; its status
    when a mark on the cell gives one. A code in place of a figure ("..", "غ.م") is a Figure
    with no value and a status that says why."""

    value: float | None
    qualifier: str | None = None
    status: str | None = None


def to_latin_digits(text: str) -> str:
    """Replace Arabic-Indic and Eastern Arabic-Indic digits with Latin ones."""
    return text.translate(_DIGITS)


def parse_figure(raw: object) -> Figure:
    """Read one published figure; raise ValueError saying why it cannot be read."""
    if raw is None:
        raise ValueError("the cell is empty")
    if isinstance(raw, bool):
        raise ValueError("a true/false value is not a figure")
    if isinstance(raw, (int, float)):
        return Figure(_checked(float(raw)))
    text = " ".join(str(raw).split())
    if not text:
        raise ValueError("the cell is empty")
    if text.lower() in NO_FIGURE_CODES:
        return Figure(None, status=NO_FIGURE_CODES[text.lower()])
    text, status = mark_of(text)
    qualifier = None
    for name, words in _QUALIFIERS.items():
        for word in words:
            rest = text[len(word):]
            # A whole word only: "over 28" is a bound, "overall" is not.
            if text.lower().startswith(word) and (word in "<>" or not rest or not rest[0].isalpha()):
                qualifier, text = name, rest.strip()
                break
        if qualifier:
            break
    text = _FOOTNOTE.sub("", text)
    if text.startswith("(") and text.endswith(")"):
        # Arabic ministry texts set figures off in brackets; they never mean negative.
        text = text[1:-1].strip()
    systems = [name for name, digits in _DIGIT_SYSTEMS if digits.search(text)]
    if len(systems) > 1:
        raise ValueError(f"mixes {' and '.join(systems)} digits")
    text = to_latin_digits(text)
    value = _parse_plain(text)
    if value is None:
        value = _parse_words(text)
    return Figure(_checked(value), qualifier, status)


def _checked(value: float) -> float:
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("is not a finite number")
    if abs(value) > MAX_ABS_VALUE:
        raise ValueError(f"is larger than the plausible maximum {MAX_ABS_VALUE:,.0f}")
    return value


_PLAIN = re.compile(r"^[-−]?(?:\d{1,3}(?:[,٬]\d{3})+|\d+)(?:[.٫]\d+)?$")


def _parse_plain(text: str) -> float | None:
    """A plain number with optional thousands separators (`,` or `٬`) and decimals."""
    number = _plain_decimal(text)
    return None if number is None else float(number)


def _plain_decimal(text: str) -> Decimal | None:
    """As _parse_plain, but exact: `16.1 ألف` must be 16100, not 16100.000000000002
    (binary floats would make such a count look fractional to the validator)."""
    if not _PLAIN.match(text):
        return None
    return Decimal(text.replace("−", "-").replace(",", "").replace("٬", "").replace("٫", "."))


def _parse_words(text: str) -> float:
    """Numbers written partly in words: `169 ألفًا و998`, `ألفين و891`, `24 ألف`."""
    tokens = _DIACRITICS.sub("", text).replace("،", " ").split()
    if not tokens:
        raise ValueError("is not a number")
    if tokens[-1] == "و":
        # `ألف و` is a figure cut short (`ألف و548` lost its last part), not 1000.
        raise ValueError("ends with 'و' (and): part of the number is missing")
    # Decimal, not float: the result is an exact whole number whenever the text is one.
    total, pending, last_scale = Decimal(0), None, None
    for token in tokens:
        if token.startswith("و") and len(token) > 1 and token not in _SCALES:
            token = token[1:]
        elif token == "و":
            continue
        number = _plain_decimal(token)
        if number is not None:
            if pending is not None:
                raise ValueError("has two numbers in a row")
            pending = number
        elif token in _SCALES:
            scale, implied = _SCALES[token]
            if last_scale is not None and scale >= last_scale:
                raise ValueError("has number words out of order")
            if implied == 2 and pending is not None:
                raise ValueError(f"puts a number before the dual word '{token}'")
            total += (pending if pending is not None else implied) * scale
            pending, last_scale = None, scale
        else:
            raise ValueError(f"is not a number (cannot read '{token}')")
    if last_scale is None:
        raise ValueError("is not a number")
    return float(total + (pending or 0))


# ---------------------------------------------------------------- periods
# The labels and their days are the contract's (contract/periods.py); this part only reads
# the ways a ministry writes a period ("حتى نهاية يونيو 2025", "يونيو 2025م", "2025-H1").

ARABIC_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
                 "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
_MONTHS = {name: i + 1 for i, name in enumerate(ARABIC_MONTHS)}
_MONTHS.update({"ابريل": 4, "إبريل": 4, "اكتوبر": 10})
_MONTHS.update({calendar.month_name[i].lower(): i for i in range(1, 13)})
_MONTHS.update({calendar.month_abbr[i].lower(): i for i in range(1, 13)})

_YEAR = r"(\d{4})\s*م?"
_TO_END = re.compile(r"^(?:حتى|إلى|الى|to|until|up to)?\s*(?:نهاية|end of|the end of)\s+(.+)$", re.I)


def parse_period(raw: object) -> Period:
    """Read a period: `2021`, `2025-H1`, `2025-Q3`, `2022-03`, `حتى نهاية يونيو 2025`…"""
    if raw is None:
        raise ValueError("the period is empty")
    if isinstance(raw, (int, float)) and float(raw).is_integer():
        raw = str(int(raw))
    text = to_latin_digits(" ".join(str(raw).split())).strip()
    if not text:
        raise ValueError("the period is empty")
    m = _TO_END.match(text)
    if m:
        inner = parse_period(m.group(1))
        return Period(inner.label, inner.start, inner.end, to_date=True)
    if m := re.fullmatch(_YEAR, text):
        return periods.year(checked_year(int(m.group(1))))
    if m := re.fullmatch(r"(\d{4})-?H([12])", text, re.I):
        return periods.half(checked_year(int(m.group(1))), int(m.group(2)))
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", text, re.I):
        return periods.quarter(checked_year(int(m.group(1))), int(m.group(2)))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return periods.month(checked_year(int(m.group(1))), checked_month(int(m.group(2))))
    if m := re.fullmatch(r"(\S+)\s+" + _YEAR, text):
        mo = _MONTHS.get(m.group(1).lower())
        if mo:
            return periods.month(checked_year(int(m.group(2))), mo)
    raise ValueError("is not a period (expected e.g. 2021, 2025-H1, 2025-Q3, 2025-06 or 'حتى نهاية يونيو 2025')")


def reference_dates(period: Period, measure: str) -> tuple[str, date, date]:
    """Label and dates a figure refers to, given whether it is a stock or a flow.

    A stock is counted on one day: the last day of its period. A flow runs over the
    period; a flow "to the end of June 2025" runs from the start of that year.
    """
    if measure == "stock":
        return period.label, period.end, period.end
    if period.to_date and period.start != date(period.end.year, 1, 1):
        running = periods.year_to(period.end)
        return running.label, running.start, running.end
    return period.label, period.start, period.end
