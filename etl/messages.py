"""The validator's messages, in Arabic and English: one catalogue for the CLI and the desk.

Every problem the build finds in a source file is said by a key of MESSAGES with named
fields; `Text(key, **fields)` is that message. A Text *is* its English text (a str), so
everything that reads or compares a message as a string (the reports, the tests, grouping by
cause) reads it as it always has, and `Text.render("ar")` says it in Arabic for an
Arabic-speaking clerk.

In Arabic every field that is not itself a message (a file name, a sheet name, a cell such as
C4, a value as written, a code, a list of them) is wrapped in a Unicode isolate, FSI … PDI,
so that it reads in its own order inside the Arabic sentence; `{name!r}` quotes it, «…».
A count is said with its noun in the form its number takes ({n:#rows}: CLDR's plural
categories through babel, contract/language.py): صف واحد، صفّان، 3 صفوف، 11 صفًا، 100 صف.

Templates are str.format templates; the two languages of a key have the same fields (a test
reads the catalogue to hold it so).
"""
from __future__ import annotations

import string

from contract.language import FSI, PDI, plural_category

LANGS = ("ar", "en")

# The forms a counted noun takes in Arabic, by CLDR plural category ({n} is the number).
NOUNS: dict[str, dict[str, str]] = {
    "rows": {"zero": "{n} صف", "one": "صف واحد", "two": "صفّان", "few": "{n} صفوف", "many": "{n} صفًا",
             "other": "{n} صف"},
    "more_rows": {"zero": "{n} صف آخر", "one": "صف آخر", "two": "صفّان آخران", "few": "{n} صفوف أخرى",
                  "many": "{n} صفًا آخر", "other": "{n} صف آخر"},
    "more_cells": {"zero": "{n} خلية أخرى", "one": "خلية أخرى", "two": "خليتان أخريان", "few": "{n} خلايا أخرى",
                   "many": "{n} خلية أخرى", "other": "{n} خلية أخرى"},
    "more": {"zero": "{n} مشكلة أخرى", "one": "مشكلة أخرى", "two": "مشكلتان أخريان", "few": "{n} مشكلات أخرى",
             "many": "{n} مشكلة أخرى", "other": "{n} مشكلة أخرى"},
    "figures": {"zero": "{n} رقم", "one": "رقم واحد", "two": "رقمان", "few": "{n} أرقام", "many": "{n} رقمًا",
                "other": "{n} رقم"},
    "indicators": {"zero": "{n} مؤشر", "one": "مؤشر واحد", "two": "مؤشران", "few": "{n} مؤشرات",
                   "many": "{n} مؤشرًا", "other": "{n} مؤشر"},
    "errors": {"zero": "{n} خطأ", "one": "خطأ واحد", "two": "خطآن", "few": "{n} أخطاء", "many": "{n} خطأً",
               "other": "{n} خطأ"},
    "warnings": {"zero": "{n} تحذير", "one": "تحذير واحد", "two": "تحذيران", "few": "{n} تحذيرات",
                 "many": "{n} تحذيرًا", "other": "{n} تحذير"},
    "files": {"zero": "{n} ملف", "one": "ملف واحد", "two": "ملفان", "few": "{n} ملفات", "many": "{n} ملفًا",
              "other": "{n} ملف"},
    "observations": {"zero": "{n} مشاهدة", "one": "مشاهدة واحدة", "two": "مشاهدتان", "few": "{n} مشاهدات",
                     "many": "{n} مشاهدة", "other": "{n} مشاهدة"},
    "years": {"zero": "{n} سنة", "one": "سنة واحدة", "two": "سنتان", "few": "{n} سنوات", "many": "{n} سنة",
              "other": "{n} سنة"},
    "sheets": {"zero": "{n} ورقة", "one": "ورقة واحدة", "two": "ورقتان", "few": "{n} أوراق", "many": "{n} ورقة",
               "other": "{n} ورقة"},
}

MESSAGES: dict[str, dict[str, str]] = {}


def _add(table: dict[str, tuple[str, str]]) -> None:
    """Add messages given as key: (English, Arabic)."""
    for key, (en, ar) in table.items():
        assert key not in MESSAGES, key
        MESSAGES[key] = {"en": en, "ar": ar}


class Text(str):
    """One message of the catalogue, its fields filled in: as a str, its English text."""

    key: str
    fields: dict

    def __new__(cls, key: str, **fields):
        self = super().__new__(cls, render(key, "en", fields))
        self.key, self.fields = key, fields
        return self

    def render(self, lang: str) -> str:
        return render(self.key, lang, self.fields)

    def __reduce__(self):        # pickled as its key and fields, not as a plain str
        return (_text, (self.key, self.fields))


def _text(key: str, fields: dict) -> Text:
    return Text(key, **fields)


def text(value, lang: str) -> str:
    """A message (a Text) in `lang`; any other value as its own text (no message is then known)."""
    if isinstance(value, Text):
        return value.render(lang)
    return "" if value is None else str(value)


def isolate(value: str) -> str:
    """A left-to-right run (or any run) kept in its own order inside Arabic text: FSI value PDI."""
    return f"{FSI}{value}{PDI}"


class Verbatim(str):
    """A field already written for the language (a list the report joined): filled in as it is."""


class _Formatter(string.Formatter):
    """str.format, with in Arabic: fields isolated, `!r` as «…», lists joined with '، ', and
    a format spec '#noun' for a count said with its noun (NOUNS)."""

    def __init__(self, lang: str):
        self.lang = lang

    def convert_field(self, value, conversion):
        if self.lang == "ar" and conversion == "r":
            return _Quoted(value)
        return super().convert_field(value, conversion)

    def format_field(self, value, spec):
        lang = self.lang
        if spec.startswith("#"):
            forms = NOUNS[spec[1:]]
            number = f"{value:,}" if isinstance(value, (int, float)) else str(value)
            if lang != "ar":
                return number
            return forms[plural_category(value, "ar")].format(n=number)
        quoted = isinstance(value, _Quoted)
        value = value.value if quoted else value
        if isinstance(value, Text):
            return f"«{value.render(lang)}»" if quoted else value.render(lang)
        if isinstance(value, Verbatim):
            return value
        if lang != "ar":
            return format(value, spec)
        if isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value) if isinstance(value, (set, frozenset)) else value
            return "، ".join(self.format_field(_Quoted(v) if quoted else v, "") for v in items)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return format(value, spec)      # a plain number reads in order in Arabic
        written = isolate(format(value, spec))
        return f"«{written}»" if quoted else written


class _Quoted:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def render(key: str, lang: str, fields: dict) -> str:
    """The message `key` in `lang`, its fields filled in (KeyError for an unknown key)."""
    return _Formatter(lang).vformat(MESSAGES[key][lang], (), fields)


# ---------------------------------------------------------------- the report around a message

_add({
    "report.error": ("ERROR", "خطأ"),
    "report.warning": ("WARNING", "تحذير"),
    "report.info": ("INFO", "للعلم"),
    "report.file": ("{file}", "الملف {file}"),
    "report.sheet": ("sheet {sheet!r}", "الورقة {sheet!r}"),
    "report.row": ("row {row}", "الصف {row}"),
    "report.column": ("column {column!r}", "العمود {column!r}"),
    "report.value": ("value {value!r}", "القيمة {value!r}"),
    "report.expected": (" (expected {expected})", " (المتوقع: {expected})"),
    "report.more_rows": ("; {n:,} more row(s) like it: {shown}", "؛ والمشكلة نفسها في {n:#more_rows}: {shown}"),
    "report.more_cells": ("; {n:,} more cell(s) like it: {shown}", "؛ والمشكلة نفسها في {n:#more_cells}: {shown}"),
    "report.and_more": ("… and {n} more", "… و{n:#more}"),
})
