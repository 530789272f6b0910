"""Turn figures and periods as ministries write them into numbers and dates.

Published Arabic statistics write the same number many ways: `(72675)`, `122,178,206`,
`٧٢٬٦٧٥`, `169 ألفًا و998`, `ألفين و891`. Each parser here accepts those forms and
nothing looser: anything it cannot read exactly raises `ValueError` with the reason, so
the validator can report the cell instead of guessing.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contract import periods
from contract.periods import Period

from .messages import Text
from .words import STATUS_WORDS, plain_words, status_words

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
def parse_status(raw: object) -> str | None:
    """A `status` cell: a status code, or its Arabic or English words (etl/words.py); None
    when empty. ValueError for anything else."""
    text = plain_words(raw) if raw is not None else ""
    if not text:
        return None
    words = status_words()
    if text not in words:
        raise ValueError(Text("status.unknown", words=list(STATUS_WORDS)))
    return words[text]


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
                raise ValueError(Text("figure.marks", marks=list(marks)))
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
        raise ValueError(Text("figure.empty"))
    if isinstance(raw, bool):
        raise ValueError(Text("figure.boolean"))
    if isinstance(raw, (int, float)):
        return Figure(_checked(float(raw)))
    text = " ".join(str(raw).split())
    if not text:
        raise ValueError(Text("figure.empty"))
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
        raise ValueError(Text("figure.digits", systems=functools.reduce(
            lambda a, b: Text("figure.digits_and", first=a, second=b), [Text(f"digits.{s}") for s in systems])))
    text = to_latin_digits(text)
    value = _parse_plain(text)
    if value is None:
        value = _parse_words(text)
    return Figure(_checked(value), qualifier, status)


def _checked(value: float) -> float:
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(Text("figure.infinite"))
    if abs(value) > MAX_ABS_VALUE:
        raise ValueError(Text("figure.too_large", maximum=MAX_ABS_VALUE))
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
        raise ValueError(Text("figure.not_number"))
    if tokens[-1] == "و":
        # `ألف و` is a figure cut short (`ألف و548` lost its last part), not 1000.
        raise ValueError(Text("figure.ends_with_and"))
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
                raise ValueError(Text("figure.two_numbers"))
            pending = number
        elif token in _SCALES:
            scale, implied = _SCALES[token]
            if last_scale is not None and scale >= last_scale:
                raise ValueError(Text("figure.words_order"))
            if implied == 2 and pending is not None:
                raise ValueError(Text("figure.dual", token=token))
            total += (pending if pending is not None else implied) * scale
            pending, last_scale = None, scale
        else:
            raise ValueError(Text("figure.unreadable_word", token=token))
    if last_scale is None:
        raise ValueError(Text("figure.not_number"))
    return float(total + (pending or 0))


# ---------------------------------------------------------------- periods
# The labels and their days are the contract's (contract/periods.py); this part only reads
# the ways a ministry writes a period ("حتى نهاية يونيو 2025", "يونيو 2025م", "2025-H1").

# The standard Arabic series, as before; every printed name is the contract's MONTH_NAMES.
ARABIC_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
                 "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]

_EXPECTED = Text("period.expected")
# On folded text (contract.periods.fold): "حتى نهاية" is "حتي نهايه" there, "إلى" is "الي".
_TO_END = re.compile(r"^(?:(?:حتي|الي|لغايه|ولغايه|to|until|up to)\s+(?:نهايه|اخر|the end of|end of)"
                     r"|(?:نهايه|اخر|the end of|end of))\s+(.+)$")
_ARABIC_LETTER = "[\u0621-\u064a]"
_YEAR_TOKEN = re.compile(r"(?<!\d)(\d{4})(?!\d)(?:\s*(?:" + "|".join(periods.fold(w) for w in periods.YEAR_SUFFIXES)
                         + f")(?!{_ARABIC_LETTER}))?")
_HIJRI = re.compile(r"(?<!\d)\d{4}\s*(?:" + "|".join(periods.fold(w) for w in periods.HIJRI_SUFFIXES)
                    + f")(?!{_ARABIC_LETTER})")
_FILLERS = {periods.fold(w) for w in periods.YEAR_WORDS + periods.CONNECTING_WORDS}
# Between two names of one period ("كانون الثاني (يناير)", "شباط / فبراير").
_SAME = re.compile(r"\s*[()\[\]/\\|،,]\s*")
# Between the first and last month of a span ("كانون الثاني - آذار", "January to March").
_SPAN = re.compile(r"\s*-\s*|\s+(?:الي|to|حتي)\s+")
_KINDS = ("year", "half", "quarter", "month")


@dataclass(frozen=True)
class PeriodPart:
    """What one header cell prints of a period, complete or not: "2024" (a year), "يناير"
    (a month, its year in a header row above), "الربع الأول 2024" (a complete quarter).
    `to_date` marks "حتى نهاية …", a date that closes a running total."""

    kind: str            # "year", "half", "quarter" or "month"
    number: int | None   # 1-12 for a month, 1-4 a quarter, 1-2 a half, None for a year
    year: int | None     # the year printed in the cell, if any
    to_date: bool = False

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"a period part is a year, half, quarter or month, not {self.kind!r}")
        most = {"year": None, "half": 2, "quarter": 4, "month": 12}[self.kind]
        if (self.number is None) != (most is None) or (most and not 1 <= self.number <= most):
            raise ValueError(f"a {self.kind} part has no number {self.number!r}")

    def describe(self) -> Text:
        if self.kind == "year":
            return Text("period.year", year=self.year)
        year = Text("period.of_year", year=self.year) if self.year is not None else ""
        if self.kind == "month":
            return Text("period.month", number=self.number, name=periods.MONTH_LABELS.get(self.number), year=year)
        return Text(f"period.{self.kind}", number=self.number, year=year)


def checked_year(y: int) -> int:
    """contract.periods.checked_year, its refusal said by the message catalogue."""
    try:
        return periods.checked_year(y)
    except ValueError:
        raise ValueError(Text("period.implausible_year", year=y)) from None


def checked_month(m: int) -> int:
    """contract.periods.checked_month, its refusal said by the message catalogue."""
    try:
        return periods.checked_month(m)
    except ValueError:
        raise ValueError(Text("period.no_month", month=m)) from None


def _months(part: PeriodPart) -> range:
    """The months a part spans: a year all twelve, the quarter Q2 April to June."""
    if part.kind == "year":
        return range(1, 13)
    width = {"half": 6, "quarter": 3, "month": 1}[part.kind]
    return range(width * (part.number - 1) + 1, width * part.number + 1)


def _period_text(raw: object) -> str:
    if raw is None or (isinstance(raw, float) and raw != raw):   # an empty cell, NaN as pandas reads one
        raise ValueError(Text("period.empty"))
    if isinstance(raw, bool):
        raise ValueError(Text("period.boolean"))
    if isinstance(raw, (int, float)) and float(raw).is_integer():
        raw = str(int(raw))
    text = periods.fold(raw)
    if not text:
        raise ValueError(Text("period.empty"))
    return text


_WORDLIKE = re.compile(r"[^\W\d_]+(?:[\s.\-][^\W\d_]+)*\.?")


def _unknown(piece: str) -> ValueError:
    """The error for words that name no period: with the nearest known name when it looks
    like a misspelt one ("ينير": يناير)."""
    near = periods.closest_name(piece) if _WORDLIKE.fullmatch(piece) else None
    if near:
        return ValueError(Text("period.unknown_name", piece=piece, near=near))
    return ValueError(_EXPECTED)



def _span(segment: str) -> tuple[str, int | None]:
    """One name, two names of one period joined by a dash ("يناير - كانون الثاني"), or a span of
    months that is a named period ("كانون الثاني - آذار": Q1)."""
    found = periods.period_word(segment)
    if found:
        return found
    pieces = [p for p in _SPAN.split(segment) if p.strip()]
    if len(pieces) != 2:
        raise _unknown(segment)
    read = [periods.period_word(p) for p in pieces]
    for piece, found in zip(pieces, read):
        if found is None:
            raise _unknown(piece)
    first, last = read
    if first == last:
        return first
    if first[0] == last[0] == "month" and first[1] < last[1]:
        span = (first[1], last[1])
        for kind, count in (("quarter", 4), ("half", 2)):
            for n in range(1, count + 1):
                covered = _months(PeriodPart(kind, n, None))
                if span == (covered[0], covered[-1]):
                    return kind, n
        if span == (1, 12):
            return "year", None
        raise ValueError(Text("period.months_span", first=periods.MONTH_LABELS[span[0]],
                              last=periods.MONTH_LABELS[span[1]]))
    raise ValueError(Text("period.two_periods", a=PeriodPart(*first, None).describe(),
                          b=PeriodPart(*last, None).describe()))


def _word(rest: str) -> tuple[str, int | None]:
    """The month, quarter or half-year the words of a cell (its year taken out) name."""
    found = periods.period_word(rest)
    if found:
        return found
    segments = [s for s in _SAME.split(rest) if s.strip()]
    read = [_span(s) for s in segments] if len(segments) > 1 else [_span(rest)]
    if len(set(read)) > 1:
        a, b = (PeriodPart(kind, n, None).describe() for kind, n in list(dict.fromkeys(read))[:2])
        raise ValueError(Text("period.two_periods", a=a, b=b))
    return read[0]


def period_part(raw: object) -> PeriodPart:
    """What one header cell prints of a period, complete or not: "2024", "2025-H1", "يناير",
    "كانون الثاني 2024", "الربع الأول", "Q1 2024", "النصف الثاني من عام 2023", "حتى نهاية حزيران"…
    ValueError for anything else, a total or average ("المجموع", "Total") among them."""
    text = _period_text(raw)
    m = _TO_END.match(text)
    if m:
        inner = period_part(m.group(1))
        return PeriodPart(inner.kind, inner.number, inner.year, to_date=True)
    if m := re.fullmatch(r"(\d{4})", text):
        return PeriodPart("year", None, checked_year(int(m.group(1))))
    if m := re.fullmatch(r"(\d{4})-?h([12])", text):
        return PeriodPart("half", int(m.group(2)), checked_year(int(m.group(1))))
    if m := re.fullmatch(r"(\d{4})-?q([1-4])", text):
        return PeriodPart("quarter", int(m.group(2)), checked_year(int(m.group(1))))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return PeriodPart("month", checked_month(int(m.group(2))), checked_year(int(m.group(1))))
    total = periods.total_word(text)
    if total:
        raise ValueError(Text("period.total", total=total))
    fiscal = periods.fiscal_word(text)
    if fiscal:
        raise ValueError(Text("period.fiscal", fiscal=fiscal))
    if _HIJRI.search(text):
        raise ValueError(Text("period.hijri"))
    years = _YEAR_TOKEN.findall(text)
    if len(years) > 1:
        raise ValueError(Text("period.years", n=len(years), years=years))
    y = checked_year(int(years[0])) if years else None
    rest = " ".join(w for w in _YEAR_TOKEN.sub(" ", text).split() if w not in _FILLERS).strip(" -/\\|,،.:;()[]")
    if not rest:
        if y is None:
            raise ValueError(_EXPECTED)
        return PeriodPart("year", None, y)
    kind, number = _word(rest)
    return PeriodPart(kind, number, y)


def compose(parts: Sequence[PeriodPart]) -> Period:
    """The period that header cells give together, top row first: a year over a month, quarter
    or half-year ("2024" over "كانون الثاني"), a lone complete part ("Q1 2024"), or a coarser
    period over a finer one within it (a quarter over its months). ValueError naming the
    conflict: two years that differ, two months, a month outside the quarter above it, a
    month with no year anywhere."""
    parts = list(parts)
    if not parts:
        raise ValueError(Text("period.no_part"))
    years = list(dict.fromkeys(p.year for p in parts if p.year is not None))
    if len(years) > 1:
        raise ValueError(Text("period.two_years", a=years[0], b=years[1]))
    finest = None
    for p in sorted((p for p in parts if p.kind != "year"), key=lambda p: _KINDS.index(p.kind)):
        if finest is not None:
            if p.kind == finest.kind and p.number != finest.number:
                raise ValueError(Text("period.two_parts", kind=Text(f"period.kind_{p.kind}"), a=finest.describe(), b=p.describe()))
            if not set(_months(p)) <= set(_months(finest)):
                raise ValueError(Text("period.conflict", a=p.describe(), b=finest.describe()))
        finest = p
    if not years:
        raise ValueError(Text("period.no_year", part=finest.describe() if finest else Text("period.the_period")))
    y = checked_year(years[0])
    to_date = any(p.to_date for p in parts)
    if finest is None:
        found = periods.year(y)
    else:
        found = {"half": periods.half, "quarter": periods.quarter, "month": periods.month}[finest.kind](y, finest.number)
    return Period(found.label, found.start, found.end, to_date=to_date)


def parse_period(raw: object, year: int | None = None) -> Period:
    """Read a period: `2021`, `2025-H1`, `2025-Q3`, `2022-03`, `يونيو 2025`, `كانون الثاني 2024`,
    `Jan 2024`, `الربع الأول 2024`, `Q1 2024`, `النصف الثاني 2023`, `حتى نهاية يونيو 2025`…
    With `year` (the year a header row above gives), a cell that prints only the month,
    quarter or half-year: "يناير", "الربع الأول", "H2". ValueError saying what is wrong."""
    part = period_part(raw)
    if year is None:
        return compose([part])
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be an int, not {type(year).__name__}")
    header = checked_year(year)
    if part.year is not None and part.year != header:
        raise ValueError(Text("period.contradicts", year=part.year, header=header))
    return compose([PeriodPart("year", None, header), part])


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
