"""Numbers, periods and dates written for people, in Arabic (first) and English.

Numbers use Latin digits in both languages, as Omani ministry dashboards and statistical
releases do, with "," between thousands and "." for decimals (babel, locale ar_OM with the
`latn` numbering system, and en). In Arabic text a sign or a percentage is wrapped in a
left-to-right isolate so a minus or a plus never lands on the wrong side of the number.
Months are the names used in Oman and the Gulf (يناير، فبراير…). Period labels are read
with the contract's grammar (contract/periods.py), the same as every filter uses.

Inside Arabic text every ISO date, time, release id or code is isolated left to right (ltr,
store/texts.py: t() does it for the fields it fills in), so 2026-11-24 never reads 24-11-2026;
a time zone is named in the reader's language (zone_name, from babel's CLDR data); a count is
said with its unit in the form its number takes (unit_label with count=…: CLDR's plural
categories from babel, the words for each from the catalogue's units.<unit>.forms).
"""
from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from zoneinfo import ZoneInfo

from babel import dates as _dates
from babel import numbers as _numbers

from contract import periods
from contract.language import BABEL_LOCALE, plural_category  # noqa: F401  (shared with the validator's messages)

from .texts import FSI, LRI, PDI, RLI, is_ltr_run, ltr, t  # noqa: F401  (the bidi controls and isolates, from one place)

MONTHS = {
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
           "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
    "en": ["January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December"],
}
HALVES = {"ar": ["النصف الأول", "النصف الثاني"], "en": ["H1", "H2"]}
QUARTERS = {"ar": ["الربع الأول", "الربع الثاني", "الربع الثالث", "الربع الرابع"], "en": ["Q1", "Q2", "Q3", "Q4"]}

# Bidi controls (store/texts.py): LRI … PDI isolates a left-to-right run inside Arabic text;
# RLI … PDI isolates an Arabic run inside an SVG text whose base direction is left to right.
_SIGN_OR_PERCENT = re.compile(r"[-+%\u2212]")


def _isolate(text: str, lang: str) -> str:
    """Keep a signed number or a percentage in one left-to-right piece inside Arabic text."""
    return f"{LRI}{text}{PDI}" if lang == "ar" and _SIGN_OR_PERCENT.search(text) else text


# ---------------------------------------------------------------- numbers

def fmt_number_babel(value: float, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """The reference: babel with ar_OM / en and Latin digits (slow: ~20 µs a number)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if signed:
        pattern = "+" + pattern + ";-" + pattern
    text = _numbers.format_decimal(value, format=pattern, locale=BABEL_LOCALE[lang],
                                   numbering_system="latn", decimal_quantization=True)
    if signed and value == 0:
        text = text.lstrip("+-")
    return text


def fmt_number(value: float | None, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """6073 → '6,073' in both languages (Latin digits); None → '–'.

    Same output as babel's ar_OM/en Latin-digit formats (fmt_number_babel; a test checks they
    agree), computed with Python's own formatting (which rounds the exact binary value, as
    babel does) because a chart formats thousands of numbers."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    text = format(value, f",.{decimals}f" if decimals > 0 else ",.0f")
    if text[0] == "-" and float(text[1:].replace(",", "")) == 0:
        text = text[1:]   # never "-0"
    if signed and text[0] != "-" and float(text.replace(",", "")) != 0:
        text = "+" + text
    return _isolate(text, lang) if text[0] in "+-" else text


def fmt_percent(share: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """0.485 → '48.5%' ('+48.5%' when signed)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    body = format(abs(share) * 100, f",.{decimals}f" if decimals > 0 else ",.0f")  # fmt_number, as it is >= 0
    sign = ("+" if share > 0 else "-" if share < 0 else "") if signed else ("-" if share < 0 else "")
    return _isolate(f"{sign}{body}%", lang)


# ---------------------------------------------------------------- counts and their units

def unit_label(unit: dict, lang: str, count: float | None = None) -> str:
    """A unit's name, as a heading says it ('مرفق', 'facilities'); with `count`, the form a
    count of it takes: '7 مرافق', '2 مرفقان', '11 مرفقًا', '100 مرفق'; '1 facility', '7
    facilities'. The forms are the catalogue's (units.<unit>.forms; the units table's
    name_<lang>_<category>), the name where it gives none."""
    name = unit[f"name_{lang}"]
    if count is None or not isinstance(count, (int, float)) or count != count:
        return name
    form = unit.get(f"name_{lang}_{plural_category(count, lang)}")
    return form if isinstance(form, str) and form else name


def fmt_value(value: float | None, unit: dict, lang: str, decimals: int = 0, qualifier: str | None = None) -> str:
    """A published figure with its unit, in the form its number takes: '6,073 children', '7
    مرافق', '122,178,206 ر.ع.', 'more than 28 facilities'."""
    number = fmt_number(value, lang, decimals)
    label = unit_label(unit, lang, _shown(value, decimals))
    if unit.get("kind") == "currency":
        text = f"{number} {label}" if lang == "ar" else f"{label} {number}"
    else:
        text = f"{number} {label}"
    if qualifier == "more_than":
        text = t("qualifier_more_than", lang, value=text)
    return text


def _shown(value: float | None, decimals: int) -> float | None:
    """The number as it is written (rounded to its decimals), whose form the unit takes."""
    if not isinstance(value, (int, float)) or value != value:
        return None
    return round(value, decimals) if decimals > 0 else round(value)


def fmt_amount(value: float | None, unit: dict, lang: str, decimals: int = 0, qualifier: str | None = None) -> str:
    """The number alone, with the currency sign when money ('OMR 24,000'); qualifier kept."""
    return amount_formatter(unit, lang, decimals)(value, qualifier)


def amount_formatter(unit: dict, lang: str, decimals: int = 0, sign: bool = True):
    """fmt_amount for many figures of one unit: the unit's texts and the number format are
    looked up once (a chart formats thousands of figures), and a positive number, nearly
    every figure, takes one format() call. sign=False: no currency sign (a table whose unit
    column names it)."""
    spec = f",.{decimals}f" if decimals > 0 else ",.0f"
    currency = unit_label(unit, lang) if unit.get("kind") == "currency" and sign else None
    more_than = t("qualifier_more_than", lang, value="{}")

    def amount(value: float | None, qualifier: str | None = None) -> str:
        if isinstance(value, (int, float)) and value > 0:
            number = format(value, spec)
        else:
            number = fmt_number(value, lang, decimals)   # missing, zero, negative
        if currency:
            number = f"{number} {currency}" if lang == "ar" else f"{currency} {number}"
        return more_than.format(number) if qualifier == "more_than" else number
    return amount


# ---------------------------------------------------------------- periods and dates

@functools.lru_cache(maxsize=4096)
def period_label(label: str, lang: str) -> str:
    """A period for people: '2021', 'يونيو 2025' / 'June 2025', 'النصف الأول 2025' / 'H1 2025',
    'يناير – مايو 2025' / 'January – May 2025'."""
    p = periods.parse(label)
    if p is None:
        return str(label)
    y, part = p.start.year, p.label[5:]
    if "/" in part:
        return f"{MONTHS[lang][p.start.month - 1]} – {MONTHS[lang][p.end.month - 1]} {y}"
    if not part:
        return str(y)
    if part.isdigit():
        return f"{MONTHS[lang][int(part) - 1]} {y}"
    names = HALVES if part[0] == "H" else QUARTERS
    return f"{names[lang][int(part[1]) - 1]} {y}"


@functools.lru_cache(maxsize=4096)
def period_phrase(label: str, measure: str, lang: str) -> str:
    """What a figure's period means: a stock is counted at the end ('end of 2021'), a flow is during."""
    text = period_label(label, lang)
    if measure == "stock":
        return f"نهاية {text}" if lang == "ar" else f"end of {text}"
    if periods.frequency(label) == "H":
        return text
    return f"خلال {text}" if lang == "ar" else f"during {text}"


def fmt_date(value, lang: str) -> str:
    """A publication date: '2025-08-17' → '17 أغسطس 2025' / '17 August 2025'; '2022' stays; None → not stated."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == "":
        return t("not_stated", lang)
    text = str(value)[:10]
    try:
        d = _dt.date.fromisoformat(text)
    except ValueError:
        m = re.match(r"^(\d{4})-(\d{2})$", text)
        if m:
            return f"{MONTHS[lang][int(m.group(2)) - 1]} {m.group(1)}"
        return text
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"


def fmt_day(value, lang: str) -> str:
    """A day as ISO 8601 (a date, a datetime or its text): '2026-11-24', kept in that order
    inside Arabic text (where it would otherwise read 24-11-2026)."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return ltr(text[:10], lang)


def local_time(when: _dt.datetime, zone: str) -> _dt.datetime:
    """A moment (aware, or naive UTC as the database stores it) in the publisher's time zone."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(ZoneInfo(zone))


def fmt_time(when: _dt.datetime, zone: str, lang: str) -> str:
    """A moment as people read it, in the publisher's time zone, with the zone's name in their
    language: '2026-11-24 09:00 (توقيت عُمان)' / '2026-11-24 09:00 (Oman Time)' (the date and
    time kept left to right inside Arabic). The one way a page, a notice or a chart says when."""
    return f"{ltr(f'{local_time(when, zone):%Y-%m-%d %H:%M}', lang)} ({zone_name(zone, lang)})"


_NO_PLACE = ("UTC", "GMT", "UCT", "Zulu", "Universal", "Greenwich")


@functools.lru_cache(maxsize=64)
def zone_name(zone: str, lang: str) -> str:
    """A time zone (IANA name) as people call it in their language, from CLDR (babel's
    get_timezone_location): Asia/Muscat → 'توقيت عُمان' / 'Oman Time', Asia/Beirut → 'توقيت
    لبنان' / 'Lebanon Time' (a name that holds in summer and winter alike). A zone of no place
    (UTC, Etc/…) or one CLDR does not know keeps its IANA name (isolated inside Arabic).
    Machine-read texts (the X-Embargo header, iCalendar) keep the IANA name itself."""
    if zone in _NO_PLACE or zone.startswith("Etc/"):
        return ltr(zone, lang) if is_ltr_run(zone) else zone
    try:
        return _dates.get_timezone_location(zone, locale=BABEL_LOCALE[lang])
    except (LookupError, ValueError):
        return ltr(zone, lang) if is_ltr_run(zone) else zone


def join_list(items: list[str], lang: str) -> str:
    """'a, b and c' / 'a، b و c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    if lang == "ar":
        return "، ".join(items[:-1]) + " و" + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def rtl_svg_text(text: str, lang: str) -> str:
    """Text for an SVG label (Plotly): an Arabic string is isolated right to left, so brackets
    and numbers at its ends stay in place even though the SVG's base direction is left to right."""
    return f"{RLI}{text}{PDI}" if lang == "ar" else text
