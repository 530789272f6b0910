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
import functools
import re
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
