"""Period labels: the one grammar of the `period` column, and the days a label spans.

A figure's period is stored as a canonical label:

    2021             a year
    2025-H1          a half-year
    2025-Q3          a quarter
    2025-06          a month
    2025-01/2025-05  January to May: a running total that no named period covers

etl/normalise.py reads the many ways ministries write periods into these labels; the read
layer turns labels back into days with the same functions here, so a `from`/`to` filter,
a run of years with gaps, and a label shown to people all follow one rule.
"""
from __future__ import annotations

import calendar
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

FIRST_YEAR, LAST_YEAR = 1950, 2100
# A single period (not a range), as the `from` and `to` filters take it; years FIRST_YEAR-LAST_YEAR.
FILTER_PATTERN = r"(19[5-9][0-9]|20[0-9]{2}|2100)(-(0[1-9]|1[0-2]|H[12]|Q[1-4]))?"
_LABEL = re.compile(r"([0-9]{4})(?:-(H[12]|Q[1-4]|[0-9]{2}))?")
_RANGE = re.compile(r"([0-9]{4})-([0-9]{2})/([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True)
class Period:
    """A period as its canonical label and its first and last day."""

    label: str
    start: date
    end: date
    to_date: bool = False  # "to the end of June 2025": a date that closes a running total


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def checked_year(y: int) -> int:
    """The year, or ValueError when it is outside the years any figure can be about."""
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise ValueError(f"has an implausible year {y}")
    return y


def checked_month(m: int) -> int:
    if not 1 <= m <= 12:
        raise ValueError(f"has no month {m}")
    return m


def year(y: int) -> Period:
    return Period(str(y), date(y, 1, 1), date(y, 12, 31))


def half(y: int, h: int) -> Period:
    return Period(f"{y}-H{h}", date(y, 6 * h - 5, 1), _month_end(y, 6 * h))


def quarter(y: int, q: int) -> Period:
    return Period(f"{y}-Q{q}", date(y, 3 * q - 2, 1), _month_end(y, 3 * q))


def month(y: int, m: int) -> Period:
    return Period(f"{y}-{m:02d}", date(y, m, 1), _month_end(y, m))


def year_to(end: date) -> Period:
    """From 1 January to the end of `end`'s month, named when a named period is that span."""
    named = {3: quarter(end.year, 1), 6: half(end.year, 1), 12: year(end.year)}.get(end.month)
    if named is not None:
        return named
    if end.month == 1:
        return month(end.year, 1)
    return Period(f"{end.year}-01/{end.year}-{end.month:02d}", date(end.year, 1, 1), _month_end(end.year, end.month))


@functools.lru_cache(maxsize=4096)
def parse(label: object) -> Period | None:
    """The period of a canonical label, or None when `label` is not one."""
    text = str(label if label is not None else "").strip()
    m = _LABEL.fullmatch(text)
    if m:
        y, part = int(m.group(1)), m.group(2)
        if not FIRST_YEAR <= y <= LAST_YEAR:
            return None
        if part is None:
            return year(y)
        if part[0] == "H":
            return half(y, int(part[1]))
        if part[0] == "Q":
            return quarter(y, int(part[1]))
        return month(y, int(part)) if 1 <= int(part) <= 12 else None
    m = _RANGE.fullmatch(text)
    if m and m.group(1) == m.group(3) and m.group(2) == "01" and 1 < int(m.group(4)) <= 12:
        y = int(m.group(1))
        if FIRST_YEAR <= y <= LAST_YEAR:
            found = year_to(date(y, int(m.group(4)), 1))
            return found if found.label == text else None
    return None


def parse_filter(label: object) -> Period | None:
    """The period of a `from`/`to` value: a single period's label (not a running total)."""
    text = str(label if label is not None else "")
    return parse(text) if re.fullmatch(FILTER_PATTERN, text) else None


def ends_within(end: date, first: Period | None, last: Period | None) -> bool:
    """THE rule of the `from`/`to` filters: a figure is in the range when the day its period
    ends falls between the first day of `first` and the last day of `last`. So from=2021,
    to=2021 keeps a stock counted on 31 December 2021 and a flow over 2021, and to=2025 keeps
    the half-year 2025-H1."""
    return (first is None or end >= first.start) and (last is None or end <= last.end)


def frequency(label: str) -> str | None:
    """'Y', 'H', 'Q' or 'M' for a single period's label; None otherwise."""
    p = parse(label)
    if p is None or "/" in p.label:
        return None
    part = p.label[5:]
    return "Y" if not part else "M" if part.isdigit() else part[0]


def following(label: str) -> str:
    """The next period of the same frequency: 2021 -> 2022, 2025-H2 -> 2026-H1, 2025-12 -> 2026-01."""
    y, part = int(label[:4]), label[5:]
    if not part:
        return str(y + 1)
    if part.isdigit():
        m = int(part)
        return f"{y + 1}-01" if m == 12 else f"{y}-{m + 1:02d}"
    kind, n = part[0], int(part[1])
    return f"{y + 1}-{kind}1" if n == (2 if kind == "H" else 4) else f"{y}-{kind}{n + 1}"


def sort_key(label: str) -> tuple:
    """Order of labels in time: by last day, then first day; unreadable labels last."""
    p = parse(label)
    return (p.end, p.start, label) if p else (date.max, date.max, str(label))


@functools.lru_cache(maxsize=1024)
def run(labels: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every period from the first of `labels` to the last, and the ones `labels` lacks.

    Only for labels of one frequency (a run of years, of months…); otherwise the labels
    as given, in time order, with nothing missing."""
    labels = tuple(dict.fromkeys(labels))
    ordered = tuple(sorted(labels, key=sort_key))
    freqs = {frequency(x) for x in labels}
    if len(labels) < 2 or len(freqs) != 1 or None in freqs:
        return ordered, ()
    out = [ordered[0]]
    while out[-1] != ordered[-1] and len(out) < 5000:
        out.append(following(out[-1]))
    if out[-1] != ordered[-1]:
        return ordered, ()
    present = set(labels)
    return tuple(out), tuple(p for p in out if p not in present)


# ---------------------------------------------------------------- periods as offices print them
# The words of a printed period, written once in their plain form: `fold` and `_key` turn a
# header cell into the same key as the names here, so alef forms, ى/ي, ة/ه, tatweel,
# diacritics, spacing and a varying article ("كانون ثاني" / "كانون الثاني") need no entries
# of their own. etl/normalise.py reads cells with these; a recipe drafter can match header
# cells against them. Sources of the series: CLDR's Gregorian month names for ar-JO, ar-LB,
# ar-SY, ar-IQ, ar-PS (the Syriac series), ar-EG and the Gulf (the standard series), ar-MA
# (ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر), ar-MR (إبريل، أغشت، شتمبر، دجمبر), ar-DZ and ar-TN
# (جانفي، فيفري، أفريل، جوان، جويلية، أوت); the short Levantine forms كانون2/تشرين1 of the
# region's date pickers; Iraq's مايس. Quarters as Arab offices print them: الربع (the
# Mashreq and the Gulf), الفصل (Morocco's HCP), الثلاثي (Tunisia's INS, Algeria's ONS);
# half-years النصف and السداسي (the Maghreb's semester).

_MONTHS_PRINTED = {
    1: ("كانون الثاني", "كانون2", "ك2", "يناير", "جانفي", "January", "Jan"),
    2: ("شباط", "فبراير", "فيفري", "February", "Feb"),
    3: ("آذار", "مارس", "March", "Mar"),
    4: ("نيسان", "أبريل", "أفريل", "April", "Apr"),   # إبريل (Egypt, Mauritania) is أبريل folded
    5: ("أيار", "مايس", "مايو", "ماي", "May"),
    6: ("حزيران", "يونيو", "يونيه", "جوان", "June", "Jun"),
    7: ("تموز", "يوليو", "يوليه", "يوليوز", "جويلية", "July", "Jul"),
    8: ("آب", "أغسطس", "أغشت", "غشت", "أوت", "August", "Aug"),
    9: ("أيلول", "سبتمبر", "شتنبر", "شتمبر", "September", "Sept", "Sep"),
    10: ("تشرين الأول", "تشرين1", "ت1", "أكتوبر", "October", "Oct"),
    11: ("تشرين الثاني", "تشرين2", "ت2", "نوفمبر", "نونبر", "November", "Nov"),
    12: ("كانون الأول", "كانون1", "ك1", "ديسمبر", "دجنبر", "دجمبر", "December", "Dec"),
}
MONTH_NAMES: dict[str, int] = {name: m for m, names in _MONTHS_PRINTED.items() for name in names}
# One name of each month in each series, for messages: "كانون الثاني / يناير / January".
MONTH_LABELS = {m: f"{names[0]} / {ar} / {next(n for n in names if n.isascii())}"
                for (m, names), ar in zip(_MONTHS_PRINTED.items(), ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو",
                                                                 "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"))}

_ORDINALS_AR = {"الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4}
_ORDINALS_EN = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _numbered(nouns_ar: tuple[str, ...], short_ar: str | None, nouns_en: tuple[str, ...], short_en: str, count: int) -> dict[str, int]:
    names: dict[str, int] = {}
    for n in range(1, count + 1):
        for noun in nouns_ar:
            names.update({f"{noun} {word}": n for word, k in _ORDINALS_AR.items() if k == n})
            names[f"{noun} {n}"] = n
        if short_ar:
            names[f"{short_ar}{n}"] = n
        names[f"{short_en}{n}"] = n
        for noun in nouns_en:
            names.update({f"{word} {noun}": n for word, k in _ORDINALS_EN.items() if k == n})
            names[f"{noun} {n}"] = n
    return names


# "الربع الأول", "الربع 1", "ر1", "الفصل الأول", "الثلاثي الأول", "Q1", "first quarter", "1st quarter", "quarter 1".
QUARTER_NAMES: dict[str, int] = _numbered(("الربع", "الفصل", "الثلاثي"), "ر", ("quarter", "qtr"), "Q", 4)
# "النصف الأول", "النصف 1", "السداسي الأول", "نصف السنة الأول", "H1", "first half", "1st half-year", "half 1".
HALF_NAMES: dict[str, int] = _numbered(("النصف", "نصف السنة", "السداسي"), None, ("half", "half-year"), "H", 2)
# Words around a year: "عام 2024", "سنة 2024", "الربع الأول من عام 2024", "لشهر يناير 2024", "2024م".
YEAR_WORDS = ("عام", "العام", "لعام", "للعام", "سنة", "السنة", "لسنة", "للسنة", "year")
CONNECTING_WORDS = ("من", "في", "خلال", "عن", "شهر", "الشهر", "لشهر", "of", "the", "in", "for", "month")
YEAR_SUFFIXES = ("م", "ميلادي", "ميلادية")   # "2024م": anno Domini
HIJRI_SUFFIXES = ("هـ", "هجري", "هجرية")      # "1445هـ": a Hijri year, never read as a Gregorian one
# A fiscal year ("السنة المالية 2024", "FY2024") straddles two calendar years: never read as one.
FISCAL_WORDS = ("المالية", "مالية", "fiscal", "financial", "fy")
# A header cell that sums or averages the periods beside it is not a period ("المجموع 2024").
TOTAL_WORDS = ("المجموع", "مجموع", "الإجمالي", "إجمالي", "الجملة", "جملة", "الكل", "الكلي", "المتوسط", "متوسط",
               "المعدل", "معدل", "total", "subtotal", "sum", "all", "average", "avg", "mean")

_DIGITS_ANY = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MARKS = re.compile("[\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")   # tatweel, short vowels, Quranic marks
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ئ": "ي", "ة": "ه",
                          "ک": "ك", "ؤ": "و", "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_KEY_SPLIT = re.compile(r"[\s.\-_]+")


def fold(text: object) -> str:
    """The plain form of printed text, so that one spelling stands for its variants: Arabic
    presentation forms, tatweel, diacritics and invisible marks gone; أ إ آ ٱ as ا, ى as ي,
    ة as ه (and Persian ی ک as ي ك); Arabic-Indic digits as Latin; dashes as '-'; lower
    case; runs of spaces as one."""
    s = unicodedata.normalize("NFKC", str(text))
    s = _MARKS.sub("", _INVISIBLE.sub("", s))
    return " ".join(s.translate(_DIGITS_ANY).translate(_LETTERS).casefold().split())


def _key(text: str) -> str:
    """A folded name without spaces, dots, dashes and the article that varies: "كانون الثاني",
    "كانون ثاني", "كانون  الثانى" and "كانونالثاني" have one key; "Jan." and "jan" too."""
    words = _KEY_SPLIT.split(fold(text))
    return "".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words)


def _index() -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for kind, names in (("month", MONTH_NAMES), ("quarter", QUARTER_NAMES), ("half", HALF_NAMES)):
        for name, n in names.items():
            key = _key(name)
            if index.setdefault(key, (kind, n)) != (kind, n):   # the vocabulary never names two periods alike
                raise AssertionError(f"{name!r} reads as both {index[key]} and {(kind, n)}")
    return index


_INDEX = _index()
_NAME_OF_KEY = {_key(name): name for names in (HALF_NAMES, QUARTER_NAMES, MONTH_NAMES) for name in reversed(names)}
_TOTAL_KEYS = {_key(w): w for w in TOTAL_WORDS}
_FISCAL_KEYS = {_key(w): w for w in FISCAL_WORDS}
_WORD = re.compile(r"[^\W\d_]+")


def period_word(text: object) -> tuple[str, int] | None:
    """("month", 1-12), ("quarter", 1-4) or ("half", 1-2) when `text` is one printed name of a
    month, quarter or half-year ("كانون الثاني", "ايار", "Sept.", "الربع الأول", "H2"); else None."""
    return _INDEX.get(_key(str(text if text is not None else "")))


def total_word(text: object) -> str | None:
    """The total or average word `text` prints ("المجموع", "Total", "المتوسط"), or None."""
    return _word_among(text, _TOTAL_KEYS)


def fiscal_word(text: object) -> str | None:
    """The fiscal-year word `text` prints ("المالية", "FY"), or None."""
    return _word_among(text, _FISCAL_KEYS)


def _word_among(text: object, keys: dict[str, str]) -> str | None:
    for word in _WORD.findall(fold(text if text is not None else "")):
        found = keys.get(_key(word))
        if found:
            return found
    return None


def closest_name(text: object) -> str | None:
    """The known month, quarter or half-year name nearest to `text`, for a message; None when
    nothing is near."""
    found = difflib.get_close_matches(_key(str(text)), list(_NAME_OF_KEY), n=1, cutoff=0.8)
    return _NAME_OF_KEY[found[0]] if found else None
