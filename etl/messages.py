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

import functools
import re
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
    "errors": {"zero": "لا أخطاء", "one": "خطأ واحد", "two": "خطآن", "few": "{n} أخطاء", "many": "{n} خطأً",
               "other": "{n} خطأ"},
    "warnings": {"zero": "لا تحذيرات", "one": "تحذير واحد", "two": "تحذيران", "few": "{n} تحذيرات",
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


# In an Arabic template, a run of code or Latin text (`hidden: skip`, indicators.yaml, 2025-H1)
# is isolated where the template is added, as the fields are where they are filled in.
_LATIN_RUN = re.compile(r"(\{[^{}]*\})|(`[^`]*`|[A-Za-z0-9_.\-/']*[A-Za-z][A-Za-z0-9_.\-/']*)")


def _isolated_runs(template: str) -> str:
    return _LATIN_RUN.sub(lambda m: m.group(1) or isolate(m.group(2)), template)


def _add(table: dict[str, tuple[str, str]]) -> None:
    """Add messages given as key: (English, Arabic)."""
    for key, (en, ar) in table.items():
        assert key not in MESSAGES, key
        MESSAGES[key] = {"en": en, "ar": _isolated_runs(ar)}


class Both:
    """A field said differently in each language (a unit's or a country's name from the
    catalogue): filled in as the language's own words."""

    __slots__ = ("ar", "en")

    def __init__(self, ar: str, en: str):
        self.ar, self.en = ar, en

    def __format__(self, spec: str) -> str:
        return format(self.en, spec)

    def __repr__(self) -> str:
        return repr(self.en)


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


def said(exc: BaseException) -> str:
    """What an exception says: the Text it was raised with (to be said in the reader's
    language), else its str."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], Text) else str(exc)


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
        if spec in ("list", "rlist"):      # items joined: 'a, b' ('a', 'b' with rlist)
            items = list(value)
            if lang != "ar":
                return ", ".join(repr(v) if spec == "rlist" else str(v) for v in items)
            return "، ".join(self.format_field(_Quoted(v) if spec == "rlist" else v, "") for v in items)
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
        if isinstance(value, Verbatim) or (isinstance(value, str) and not value):
            return value
        if isinstance(value, Both):
            value = value.ar if lang == "ar" else value.en
            if lang == "ar":
                return f"«{value}»" if quoted else value
        if lang != "ar":
            return format(value, spec)
        if isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value) if isinstance(value, (set, frozenset)) else value
            return "، ".join(self.format_field(_Quoted(v) if quoted else v, "") for v in items)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 and not set(spec) & set("+%"):
            return format(value, spec)      # a plain number reads in order in Arabic
        written = isolate(format(value, spec))
        return f"«{written}»" if quoted else written


class _Quoted:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def render(key: str, lang: str, fields: dict) -> str:
    """The message `key` in `lang`, its fields filled in (KeyError for an unknown key)."""
    template = MESSAGES[key][lang]
    if lang == "en" and _plain(template):
        # str.format itself where it says the same (a Text is its English, Both formats as
        # English): a million-row file makes a message per flagged row.
        return template.format(**fields)
    return _Formatter(lang).vformat(template, (), fields)


@functools.lru_cache(maxsize=None)
def _plain(template: str) -> bool:
    """Whether str.format fills the template as _Formatter does in English: no list or noun spec."""
    return not any(spec in ("list", "rlist") or spec.startswith("#")
                   for _, name, spec, _ in string.Formatter().parse(template) if name is not None and spec)


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

# ---------------------------------------------------------------- figures and periods (etl/normalise.py)

_add({
    "cell.reason": ("{value!r} {reason}", "{value!r}: {reason}"),
    "status.unknown": ("is not a status (expected one of {words:list}, or their Arabic words)",
                       "ليست حالة معروفة (المتوقع إحدى الحالات {words:list}، أو ما يقابلها بالعربية)"),
    "figure.marks": ("carries more than one mark (the marks known: {marks:rlist}): declare the mark the source uses "
                     "(`marks:` in a layout recipe) or remove the extra one",
                     "تحمل أكثر من علامة واحدة (العلامات المعروفة: {marks:rlist}): عرِّف العلامة التي يستعملها المصدر "
                     "(`marks:` في وصفة التخطيط) أو احذف العلامة الزائدة"),
    "figure.empty": ("the cell is empty", "الخلية فارغة"),
    "figure.boolean": ("a true/false value is not a figure", "القيمة المنطقية (صح/خطأ) ليست رقمًا"),
    "figure.digits": ("mixes {systems} digits", "تخلط بين أرقام {systems}"),
    "figure.digits_and": ("{first} and {second}", "{first} و{second}"),
    "figure.infinite": ("is not a finite number", "ليست عددًا محدودًا"),
    "figure.too_large": ("is larger than the plausible maximum {maximum:,.0f}",
                         "أكبر من الحد الأقصى المعقول {maximum:,.0f}"),
    "figure.not_number": ("is not a number", "ليست عددًا"),
    "figure.ends_with_and": ("ends with 'و' (and): part of the number is missing",
                             "تنتهي بحرف «و»: جزء من العدد ناقص"),
    "figure.two_numbers": ("has two numbers in a row", "فيها عددان متتاليان"),
    "figure.words_order": ("has number words out of order", "ألفاظ العدد فيها على غير ترتيبها"),
    "figure.dual": ("puts a number before the dual word '{token}'", "فيها عدد قبل لفظ المثنى «{token}»"),
    "figure.unreadable_word": ("is not a number (cannot read '{token}')", "ليست عددًا (تعذّرت قراءة «{token}»)"),
    "period.expected": ("is not a period (expected e.g. 2021, 2025-H1, 2025-Q3, 2025-06, 'كانون الثاني 2024', "
                        "'الربع الأول 2024' or 'حتى نهاية يونيو 2025')",
                        "ليست فترة (المتوقع مثلًا 2021 أو 2025-H1 أو 2025-Q3 أو 2025-06 أو «كانون الثاني 2024» "
                        "أو «الربع الأول 2024» أو «حتى نهاية يونيو 2025»)"),
    "period.empty": ("the period is empty", "الفترة فارغة"),
    "period.boolean": ("a true/false value is not a period", "القيمة المنطقية (صح/خطأ) ليست فترة"),
    "period.unknown_name": ("is not a period: does not know the name '{piece}' (closest known name: '{near}')",
                            "ليست فترة: الاسم «{piece}» غير معروف (أقرب اسم معروف: «{near}»)"),
    "period.months_span": ("is not a period: the months {first} to {last} are not a quarter, a half-year or a year",
                           "ليست فترة: الأشهر من {first} إلى {last} ليست ربعًا ولا نصف سنة ولا سنة"),
    "period.two_periods": ("is not a period: it names two periods, {a} and {b}", "ليست فترة: تذكر فترتين، {a} و{b}"),
    "period.total": ("is a total or an average ('{total}'), not a period", "مجموع أو متوسط («{total}»)، لا فترة"),
    "period.fiscal": ("is not a period: a fiscal year ('{fiscal}') is not a calendar year",
                      "ليست فترة: السنة المالية («{fiscal}») ليست سنة ميلادية"),
    "period.hijri": ("is not a period: a Hijri year (هـ) is not read; the Gregorian year is needed",
                     "ليست فترة: السنة الهجرية (هـ) لا تُقرأ؛ المطلوب السنة الميلادية"),
    "period.years": ("is not a period: it prints {n} years ({years})", "ليست فترة: فيها {n:#years} ({years:list})"),
    "period.no_part": ("no header cell gives a period", "لا تعطي أي خلية من خلايا العنوان فترة"),
    "period.two_years": ("the header cells give two years that differ: {a} and {b}",
                         "تعطي خلايا العنوان سنتين مختلفتين: {a} و{b}"),
    "period.two_parts": ("the header cells give two {kind}s: {a} and {b}", "تعطي خلايا العنوان {kind} مرتين: {a} و{b}"),
    "period.conflict": ("the header cells conflict: {a} is not within {b}", "خلايا العنوان متعارضة: {a} لا يقع ضمن {b}"),
    "period.no_year": ("has no year: {part} needs a year, in the cell or in a header row above",
                       "بلا سنة: {part} يحتاج إلى سنة، في الخلية أو في صف عنوان فوقها"),
    "period.the_period": ("the period", "الفترة"),
    "period.contradicts": ("prints the year {year}, which contradicts the year {header} of the header above it",
                           "فيها السنة {year}، وهي تخالف السنة {header} في العنوان فوقها"),
    "period.year": ("the year {year}", "سنة {year}"),
    "period.implausible_year": ("has an implausible year {year}", "فيها سنة غير معقولة {year}"),
    "period.no_month": ("has no month {month}", "لا شهر رقمه {month}"),
    "period.half": ("the half-year H{number}{year}", "النصف {number}{year}"),
    "period.quarter": ("the quarter Q{number}{year}", "الربع {number}{year}"),
    "period.month": ("the month {number:02d} ({name}){year}", "الشهر {number:02d} ({name}){year}"),
    "period.of_year": (" {year}", " من سنة {year}"),
    "period.kind_year": ("year", "السنة"),
    "period.kind_half": ("half", "نصف السنة"),
    "period.kind_quarter": ("quarter", "الربع"),
    "period.kind_month": ("month", "الشهر"),
    "digits.Latin": ("Latin", "لاتينية"),
    "digits.Arabic-Indic": ("Arabic-Indic", "هندية"),
    "digits.Eastern Arabic-Indic (Persian)": ("Eastern Arabic-Indic (Persian)", "هندية شرقية (فارسية)"),
})

# ---------------------------------------------------------------- the rules of the catalogue (etl/validate.py)

_add({
    "validate.did_you_mean": (" (did you mean {name!r}?)", " (هل المقصود {name!r}؟)"),
    "validate.unknown_indicator": ("unknown indicator{near}", "مؤشر غير معروف{near}"),
    "validate.indicator_expected": ("an indicator id declared under `indicators:` in indicators.yaml",
                                    "رمز مؤشر معرَّف تحت `indicators:` في indicators.yaml"),
    "validate.not_in_file": ("indicator is not expected in this file", "المؤشر غير متوقع في هذا الملف"),
    "validate.its_files": ("one of its files {files}, or this file added to its `files:` in indicators.yaml",
                           "أحد ملفاته ({files!r})، أو إضافة هذا الملف إلى `files:` الخاصة به في indicators.yaml"),
    "validate.unknown_place": ("unknown governorate or country for {country}{near}",
                               "محافظة أو بلد غير معروف في {country}{near}"),
    "validate.place_expected": ("a governorate or country name of {country}, or this spelling added to the place's "
                                "`aliases:` under `geographies:` in indicators.yaml",
                                "اسم محافظة أو بلد من {country}، أو إضافة هذا الإملاء إلى `aliases:` الخاصة بالمكان "
                                "تحت `geographies:` في indicators.yaml"),
    "validate.bad_period": ("the period {reason}", "الفترة {reason}"),
    "validate.period_expected": ("a period such as 2021, 2025-H1 or 'حتى نهاية يونيو 2025'",
                                 "فترة مثل 2021 أو 2025-H1 أو «حتى نهاية يونيو 2025»"),
    "validate.wrong_unit": ("wrong unit for this indicator", "وحدة خاطئة لهذا المؤشر"),
    "validate.unit_expected": ("{en!r} ({ar}), or this spelling added to `units.{unit}.aliases:` in indicators.yaml",
                               "{ar} ({en!r})، أو إضافة هذا الإملاء إلى `units.{unit}.aliases:` في indicators.yaml"),
    "validate.no_such_breakdown": ("this indicator has no such breakdown", "ليس لهذا المؤشر هذا التصنيف"),
    "validate.breakdown_expected": ("an empty cell (breakdowns: {breakdowns})",
                                    "خلية فارغة (تصنيفات المؤشر: {breakdowns})"),
    "validate.none": ("none", "لا شيء"),
    "validate.unknown_member": ("unknown breakdown member{near}", "فئة تصنيف غير معروفة{near}"),
    "validate.member_expected": ("one of {members} or their Arabic/English labels, or this spelling added to the "
                                 "member's `aliases:` under `dimensions.{dimension}.members` in indicators.yaml",
                                 "إحدى الفئات {members!r} أو تسمياتها العربية أو الإنجليزية، أو إضافة هذا الإملاء إلى "
                                 "`aliases:` الخاصة بالفئة تحت `dimensions.{dimension}.members` في indicators.yaml"),
    "validate.bad_status": ("the status {reason}", "الحالة {reason}"),
    "validate.status_expected": ("one of {statuses:list}, or their Arabic or English words",
                                 "إحدى الحالات {statuses:list}، أو ما يقابلها بالعربية أو الإنجليزية"),
    "validate.status_clash": ("the cell says {cell}, its row or column {row}",
                              "الخلية تقول {cell}، وصفّها أو عمودها يقول {row}"),
    "validate.one_status": ("one status for a figure", "حالة واحدة للرقم"),
    "validate.bad_figure": ("the figure {reason}", "الرقم {reason}"),
    "validate.figure_expected": ("a number such as 72675, 122,178,206 or '169 ألفًا و998'",
                                 "عدد مثل 72675 أو 122,178,206 أو «169 ألفًا و998»"),
    "validate.figure_with_status": ("a figure with the status {status}", "رقم مع الحالة {status}"),
    "validate.no_figure_expected": ("no figure for that status (an empty cell or a code such as '..'), or another status",
                                    "لا رقم مع هذه الحالة (خلية فارغة أو رمز مثل «..»)، أو حالة أخرى"),
    "validate.scaled_too_large": ("the figure times the table's scale is larger than the plausible maximum {maximum:,.0f}",
                                  "الرقم مضروبًا في مقياس الجدول أكبر من الحد الأقصى المعقول {maximum:,.0f}"),
    "validate.smaller_scale": ("a smaller scale in the layout recipe", "مقياس أصغر في وصفة التخطيط"),
    "validate.negative": ("negative figure", "رقم سالب"),
    "validate.not_negative": ("zero or more (counts and amounts cannot be negative)",
                              "صفر أو أكثر (الأعداد والمبالغ لا تكون سالبة)"),
    "validate.fraction": ("a count with a fraction", "عدد فيه كسر"),
    "validate.whole_number": ("a whole number", "عدد صحيح"),
    "validate.no_source": ("the figure has no source", "الرقم بلا مصدر"),
    "validate.source_needed": ("a source_id for it (a source_id column, or a row for this column in the 'sources' sheet)",
                               "رمز مصدر له (عمود source_id، أو صف لهذا العمود في الورقة «sources»)"),
    "validate.unknown_source": ("unknown source {source!r}{near}", "مصدر غير معروف {source!r}{near}"),
    "validate.source_expected": ("a source id declared under `sources:` in indicators.yaml",
                                 "رمز مصدر معرَّف تحت `sources:` في indicators.yaml"),
    "validate.source_country": ("the source {source!r} is about another country", "المصدر {source!r} عن بلد آخر"),
    "validate.source_about": ("a source about {country}", "مصدر عن {country}"),
    "validate.duplicate": ("duplicate figure: the same indicator, place, period and breakdown as {file} row {row}",
                           "رقم مكرر: المؤشر والمكان والفترة والتصنيف نفسها كما في الملف {file}، الصف {row}"),
    "validate.each_once": ("each figure once", "كل رقم مرة واحدة"),
    "validate.parts_of": ("the {dimension} parts of {indicator} ({cell})", "أجزاء التصنيف {dimension} للمؤشر {indicator} ({cell})"),
    "validate.governorates_of": ("the governorates of {indicator} ({period})", "محافظات المؤشر {indicator} ({period})"),
    "validate.sum_off": ("{what} add up to {sum:,.0f}, not {total_name} {total:,.0f}",
                         "{what} مجموعها {sum:,.0f}، لا {total_name} {total:,.0f}"),
    "validate.published_total": ("the published total", "المجموع المنشور"),
    "validate.national_figure": ("the national figure", "الرقم الوطني"),
    "validate.parts_add_up": ("parts that add up to the total", "أجزاء مجموعها يساوي المجموع"),
    "validate.parts_within": ("parts no larger than the total", "أجزاء لا يزيد مجموعها على المجموع"),
    "validate.jump": ("changes by {change:+.0%} from {period} ({before:,.10g} → {after:,.10g}): check the figure",
                      "يتغير بنسبة {change:+.0%} عن {period} ({before:,.10g} ← {after:,.10g}): تحقق من الرقم"),
    "validate.jump_expected": ("a change of at most ±{limit:.0%} from one period to the next (`plausible_change` in "
                               "indicators.yaml)", "تغير لا يزيد على ±{limit:.0%} من فترة إلى التي تليها "
                               "(`plausible_change` في indicators.yaml)"),
    "validate.above_bound": ("read as {figure}, is above the plausible maximum for {unit} in {country} ({bound}): check "
                             "the figure", "قُرئ {figure}، وهو فوق الحد الأقصى المعقول لوحدة {unit} في {country} "
                             "({bound}): تحقق من الرقم"),
    "validate.bound_expected": ("at most {bound}, the bound `{where}` sets in {file} (line {line}); or that bound raised "
                                "there, if the figure is right", "{bound} على الأكثر، وهو الحد الذي يضعه {where!r} في "
                                "{file} (السطر {line})؛ أو رفع ذلك الحد هناك إن كان الرقم صحيحًا"),
    "validate.announced_has_figures": ("the indicator is marked `announced: true` (no figures published yet), but "
                                       "{n:,} figure(s) of it are read now",
                                       "المؤشر موسوم `announced: true` (لم تُنشر أرقامه بعد)، لكن يُقرأ منه الآن "
                                       "{n:#figures}"),
    "validate.take_mark_off": ("the mark taken off the indicator once its figures are published",
                               "إزالة هذا الوسم عن المؤشر بعد نشر أرقامه"),
    "validate.no_figures_yet": ("the indicator has no figures yet", "لا أرقام لهذا المؤشر بعد"),
    "validate.figures_in_files": ("figures in one of its files {files}, or `announced: true` on the indicator while "
                                  "none is published", "أرقام في أحد ملفاته ({files!r})، أو `announced: true` على "
                                  "المؤشر ما دام لم يُنشر منها شيء"),
    "validate.announced": ("{n} indicator(s) announced (`announced: true`), with no figures published yet, as the "
                           "catalogue says: {indicators:list}", "مؤشرات معلنة (`announced: true`) لم تُنشر أرقامها بعد، "
                           "كما يذكر دليل المؤشرات ({n:#indicators}): {indicators:list}"),
})

# ---------------------------------------------------------------- workbooks (etl/sheets.py)

_add({
    "sheets.save_again": ("the workbook saved again by Excel or LibreOffice",
                          "حفظ المصنف من جديد في Excel أو LibreOffice"),
    "sheets.as_xlsx": ("the workbook saved as an Excel Workbook (.xlsx) by Excel or LibreOffice",
                       "حفظ المصنف بصيغة مصنف Excel (.xlsx) في Excel أو LibreOffice"),
    "sheets.figure": ("the figure itself, or the file opened and saved once in Excel or LibreOffice",
                      "الرقم نفسه، أو فتح الملف وحفظه مرة في Excel أو LibreOffice"),
    "sheets.no_saved_value": ("a formula with no saved value, which reads as an empty cell",
                              "صيغة بلا قيمة محفوظة، فتُقرأ خلية فارغة"),
    "sheets.not_computed": ("a formula whose saved value was written by the program that made the file, not computed "
                            "by a spreadsheet (the workbook asks to be recalculated when it is opened)",
                            "صيغة قيمتها المحفوظة كتبها البرنامج الذي أنشأ الملف ولم يحسبها برنامج جداول (يطلب المصنف "
                            "إعادة الحساب عند فتحه)"),
    "sheets.no_sheet": ("no sheet named {name!r} (found {found})", "لا ورقة باسم {name!r} (الأوراق الموجودة: {found!r})"),
    "sheets.a_sheet_named": ("a sheet named {name!r}", "ورقة باسم {name!r}"),
    "sheets.unsupported": ("unsupported file type {suffix!r}", "نوع ملف غير مدعوم {suffix!r}"),
    "sheets.as_workbook": ("a workbook saved as .xlsx (or one of {suffixes:list})",
                           "مصنف محفوظ بصيغة .xlsx (أو إحدى الصيغ {suffixes:list})"),
    "sheets.unreadable": ("not a readable Excel workbook ({why})", "ليس مصنف Excel مقروءًا ({why})"),
    "sheets.no_zip_part": ("no {part} in the zip", "لا يوجد {part} في الملف المضغوط"),
    "sheets.workbook_part": ("its workbook part is {tag!r}", "جزء المصنف فيه {tag!r}"),
    "sheets.ole_empty": ("an OLE file with no workbook in it", "ملف OLE لا مصنف فيه"),
    "sheets.not_xls": ("not an Excel 97-2003 file", "ليس ملف Excel 97-2003"),
    "sheets.empty": ("the file is empty (0 bytes)", "الملف فارغ (0 بايت)"),
    "sheets.with_table": ("a workbook with the table", "مصنف فيه الجدول"),
    "sheets.damaged": ("the workbook is damaged and cannot be read ({why})", "المصنف تالف ولا يمكن قراءته ({why})"),
    "sheets.encrypted": ("the workbook is encrypted (it has a password to open)",
                         "المصنف مشفّر (له كلمة مرور لفتحه)"),
    "sheets.no_password": ("the workbook saved without a password to open", "حفظ المصنف بلا كلمة مرور لفتحه"),
    "sheets.xlsx_as_xls": ("an .xlsx or .ods workbook under the .xls name", "مصنف .xlsx أو .ods باسم ينتهي بـ .xls"),
    "sheets.rename_xlsx_ods": ("the file renamed to .xlsx (or .ods)", "إعادة تسمية الملف إلى .xlsx (أو .ods)"),
    "sheets.web_as_xls": ("a web page or an XML file under the .xls name, not an Excel workbook",
                          "صفحة ويب أو ملف XML باسم ينتهي بـ .xls، لا مصنف Excel"),
    "sheets.save_as_xlsx": ("the table opened in Excel or LibreOffice and saved as .xlsx",
                            "فتح الجدول في Excel أو LibreOffice وحفظه بصيغة .xlsx"),
    "sheets.ods_as_xlsx": ("an OpenDocument spreadsheet under the .xlsx name",
                           "جدول OpenDocument باسم ينتهي بـ .xlsx"),
    "sheets.rename_ods": ("the file renamed to .ods", "إعادة تسمية الملف إلى .ods"),
    "sheets.strict": ("a Strict Open XML workbook, which is not read here as printed",
                      "مصنف بصيغة Strict Open XML، وهي لا تُقرأ هنا كما طُبعت"),
    "sheets.xls_as_other": ("an .xls workbook (Excel 97-2003) under the {suffix} name",
                            "مصنف .xls (Excel 97-2003) باسم ينتهي بـ {suffix}"),
    "sheets.rename_xls": ("the file renamed to .xls, or saved as .xlsx",
                          "إعادة تسمية الملف إلى .xls، أو حفظه بصيغة .xlsx"),
    "sheets.old_excel": ("an Excel {version:g} workbook (older than Excel 97), which is not read here as printed",
                         "مصنف Excel {version:g} (أقدم من Excel 97)، وهو لا يُقرأ هنا كما طُبع"),
    "sheets.bad_mimetype": ("not an OpenDocument spreadsheet (its mimetype is {mime!r})",
                            "ليس جدول OpenDocument (نوعه {mime!r})"),
    "sheets.as_ods_or_xlsx": ("a spreadsheet saved as .ods or .xlsx", "جدول محفوظ بصيغة .ods أو .xlsx"),
    "sheets.xlsx_as_ods": ("an .xlsx workbook under the .ods name", "مصنف .xlsx باسم ينتهي بـ .ods"),
    "sheets.rename_xlsx": ("the file renamed to .xlsx", "إعادة تسمية الملف إلى .xlsx"),
    "sheets.ods_unreadable": ("not a readable OpenDocument spreadsheet ({why})", "ليس جدول OpenDocument مقروءًا ({why})"),
    "sheets.table_in_cell": ("a table inside a cell of the sheet, which is not read here as printed",
                             "جدول داخل خلية من الورقة، وهو لا يُقرأ هنا كما طُبع"),
})

# ---------------------------------------------------------------- reading a file (etl/extract.py)

_add({
    "extract.a_folder": ("is a folder, not a file", "مجلد، لا ملف"),
    "extract.data_file": ("a .csv, .xlsx, .xls or .ods file (or no such name in the raw folder)",
                          "ملف .csv أو .xlsx أو .xls أو .ods (أو لا شيء بهذا الاسم في مجلد الملفات الخام)"),
    "extract.broken_link": ("is a link to a file that does not exist", "رابط إلى ملف غير موجود"),
    "extract.file_or_no_link": ("the file itself, or no link", "الملف نفسه، أو لا رابط"),
    "extract.zero_bytes": ("the file is empty (0 bytes)", "الملف فارغ (0 بايت)"),
    "extract.header_and_figure": ("a header row and at least one figure", "صف عناوين ورقم واحد على الأقل"),
    "extract.unsupported": ("unsupported file type {suffix!r}", "نوع ملف غير مدعوم {suffix!r}"),
    "extract.file_types": ("a .csv, .xlsx, .xls or .ods file", "ملف .csv أو .xlsx أو .xls أو .ods"),
    "extract.unreadable": ("cannot be read ({why})", "لا يمكن قراءته ({why})"),
    "extract.readable_file": ("a file this user may read", "ملف يحق لهذا المستخدم قراءته"),
    "extract.recipe_no_figures": ("the recipe finds no figures in the file", "لا تجد الوصفة أي رقم في الملف"),
    "extract.recipe_figures": ("figures in the sheets and rows {recipe} names", "أرقام في الأوراق والصفوف التي تسميها {recipe}"),
    "extract.not_utf16": ("not readable as UTF-16 text (byte {byte})", "لا يُقرأ نصًا بترميز UTF-16 (البايت {byte})"),
    "extract.cp1256": ("not UTF-8 text: read as Windows-1256 (Arabic Windows), the encoding it appears to use",
                       "ليس نصًا بترميز UTF-8: قُرئ بترميز Windows-1256 (ويندوز العربي)، وهو الترميز الذي يبدو أنه يستعمله"),
    "extract.not_utf8": ("not UTF-8 text (byte {byte}), nor Arabic text in Windows-1256",
                         "ليس نصًا بترميز UTF-8 (البايت {byte})، ولا نصًا عربيًا بترميز Windows-1256"),
    "extract.save_as": ("a CSV file saved as 'CSV UTF-8' (in Excel: Save As, CSV UTF-8 (comma delimited))",
                        "ملف CSV محفوظ بصيغة «CSV UTF-8» (في Excel: حفظ باسم، CSV UTF-8 (مفصول بفواصل))"),
    "extract.empty": ("the file is empty", "الملف فارغ"),
    "extract.semicolons": ("columns separated by ';' (Excel's CSV in some regional settings): read as such",
                           "الأعمدة مفصولة بـ «;» (ملف CSV من Excel في بعض الإعدادات الإقليمية): قُرئت كذلك"),
    "extract.not_csv": ("not a readable CSV table: {why}", "ليس جدول CSV مقروءًا: {why}"),
    "extract.comma_separated": ("comma-separated values", "قيم مفصولة بفواصل"),
    "extract.kinds": ("the long layout (a header row with indicator_id, geo, period, value and source_id) and the wide "
                      "one (a sheet `data` with indicator_id, geo and one column per period, and a sheet `sources`)",
                      "التخطيط الطويل (صف عناوين فيه indicator_id وgeo وperiod وvalue وsource_id) والتخطيط العريض "
                      "(ورقة `data` فيها indicator_id وgeo وعمود لكل فترة، وورقة `sources`)"),
    "extract.no_recipe_workbook": ("no recipe reads this workbook: it has no sheet {name!r} of the built-in layouts "
                                   "(its sheets: {sheets})", "لا وصفة تقرأ هذا المصنف: ليس فيه الورقة {name!r} التي "
                                   "تطلبها التخطيطات المدمجة (أوراقه: {sheets!r})"),
    "extract.recipe_beside": ("a recipe beside it describing its table ({recipe}; `spi recipe draft {file}` drafts "
                              "one), or {kinds}", "وصفة بجانبه تصف جدوله ({recipe}؛ الأمر `spi recipe draft {file}` "
                              "يكتب مسودة لها)، أو {kinds}"),
    "extract.no_sheet": ("no sheet named {name!r} (its sheets: {sheets})", "لا ورقة باسم {name!r} (أوراقه: {sheets!r})"),
    "extract.sheet_recipe_names": ("the sheet the recipe names", "الورقة التي تسميها الوصفة"),
    "extract.hidden_sheet": ("the sheet is hidden: nobody reading the workbook sees it",
                             "الورقة مخفية: لا يراها من يقرأ المصنف"),
    "extract.hidden_read": ("`hidden: read` in a recipe if its figures are meant",
                            "`hidden: read` في وصفة إن كانت أرقامها مقصودة"),
    "extract.empty_sheet": ("the sheet is empty", "الورقة فارغة"),
    "extract.no_recipe_sheet": ("no recipe reads this sheet: no header row with an {marker!r} column in its first "
                                "{within} rows", "لا وصفة تقرأ هذه الورقة: لا صف عناوين فيه العمود {marker!r} في "
                                "أول {within:#rows} منها"),
    "extract.recipe_beside_workbook": ("a recipe beside the workbook ({recipe}; `spi recipe draft {file}` drafts one), "
                                       "or {kinds}", "وصفة بجانب المصنف ({recipe}؛ الأمر `spi recipe draft {file}` "
                                       "يكتب مسودة لها)، أو {kinds}"),
    "extract.no_header": ("no header row with an {marker!r} column in the first {within} rows",
                          "لا صف عناوين فيه العمود {marker!r} في أول {within:#rows}"),
    "extract.header_naming": ("a header row naming the columns", "صف عناوين يسمي الأعمدة"),
    "extract.hidden_row": ("a hidden row holds figures: nobody reading the sheet sees it",
                           "صف مخفي فيه أرقام: لا يراه من يقرأ الورقة"),
    "extract.hidden_column": ("a hidden column holds figures: nobody reading the sheet sees it",
                              "عمود مخفي فيه أرقام: لا يراه من يقرأ الورقة"),
    "extract.hidden_skip": ("`hidden: skip` in a recipe to leave hidden rows and columns out (or `hidden: read`)",
                            "`hidden: skip` في وصفة لترك الصفوف والأعمدة المخفية (أو `hidden: read`)"),
    "extract.no_header_column": ("a figure under a column with no header", "رقم تحت عمود بلا عنوان"),
    "extract.name_the_column": ("a header naming the column (a period, or a known column), or the cell emptied",
                                "عنوان يسمي العمود (فترة، أو عمود معروف)، أو إفراغ الخلية"),
    "extract.sources_columns": ("the sources sheet needs the columns 'column' and 'source_id'",
                                "ورقة المصادر تحتاج إلى العمودين «column» و«source_id»"),
    "extract.sources_rows": ("one row per period column naming its source", "صف لكل عمود فترة يسمي مصدره"),
    "extract.sources_twice": ("the sources sheet names column {column!r} twice (row {row})",
                              "ورقة المصادر تذكر العمود {column!r} مرتين (الصف {row})"),
    "extract.one_source": ("one source per period column", "مصدر واحد لكل عمود فترة"),
    "extract.no_figures": ("the file has no figures", "لا أرقام في الملف"),
    "extract.one_row": ("at least one row of figures", "صف أرقام واحد على الأقل"),
    "extract.columns_twice": ("columns named more than once: {columns}", "أعمدة مذكورة أكثر من مرة: {columns!r}"),
    "extract.each_column_once": ("each column named once", "كل عمود مذكور مرة واحدة"),
    "extract.given_twice": ("the recipe gives {fields:list} for the whole file, and the file has such a column too",
                            "تعطي الوصفة {fields:list} للملف كله، وفي الملف عمود كهذا أيضًا"),
    "extract.one_of_them": ("one of them", "أحدهما"),
    "extract.missing_columns": ("missing column(s) {missing}", "أعمدة ناقصة: {missing!r}"),
    "extract.the_columns": ("the columns {required}{hint}", "الأعمدة {required!r}{hint}"),
    "extract.whole_file_hint": (" or name it for the whole file in the recipe ({keys:list})",
                                " أو تسميته للملف كله في الوصفة ({keys:list})"),
    "extract.unknown_column": ("unknown column", "عمود غير معروف"),
    "extract.known_column": ("a known column, a breakdown declared in the catalogue",
                             "عمود معروف، أو تصنيف معرَّف في دليل المؤشرات"),
    "extract.known_column_or_period": ("a known column, a breakdown declared in the catalogue, or a period such as 2021",
                                       "عمود معروف، أو تصنيف معرَّف في دليل المؤشرات، أو فترة مثل 2021"),
    "extract.no_value_column": ("no 'value' column and no period columns, so no figures can be read",
                                "لا عمود «value» ولا أعمدة فترات، فلا يمكن قراءة أي رقم"),
    "extract.value_or_periods": ("a 'value' column (one figure per row) or one column per period such as 2021 (wide "
                                 "layout)", "عمود «value» (رقم في كل صف) أو عمود لكل فترة مثل 2021 (التخطيط العريض)"),
})

# ---------------------------------------------------------------- the raw folder and the build (etl/raw_folder.py, etl/build.py)

_add({
    "raw.outside_link": ("is a symbolic link to {target}, outside the raw folder: refused, nothing is read through it",
                         "رابط رمزي إلى {target} خارج مجلد الملفات الخام: مرفوض، ولا يُقرأ شيء عبره"),
    "raw.copy_in": ("the file itself, copied into the raw folder (a build reads only the files committed there)",
                    "الملف نفسه منسوخًا إلى مجلد الملفات الخام (لا يقرأ البناء إلا الملفات المحفوظة فيه)"),
    "raw.what_is_read": ("only {kinds} files and their recipes (<name>{suffix}) are",
                         "لا يُقرأ إلا ملفات {kinds} ووصفاتها (<الاسم>{suffix})"),
    "raw.folder": ("is a folder: not read ({what}; the files of a sub-folder are not)",
                   "مجلد: لم يُقرأ ({what}؛ أما ملفات المجلدات الفرعية فلا)"),
    "raw.folder_expected": ("the data files directly in the raw folder, or the folder moved out of it",
                            "ملفات البيانات في مجلد الملفات الخام نفسه، أو نقل هذا المجلد خارجه"),
    "raw.not_read": ("not read: {what}", "لم يُقرأ: {what}"),
    "raw.older_version": ("an earlier version of {newer}, kept: not read (only the newest version of a file is)",
                          "نسخة سابقة من {newer}، محفوظة: لا تُقرأ (لا يُقرأ من الملف إلا أحدث نسخه)"),
    "raw.not_read_expected": ("a data file of one of those kinds, or the file kept outside the raw folder",
                              "ملف بيانات من أحد هذه الأنواع، أو حفظ الملف خارج مجلد الملفات الخام"),
    "raw.lone_recipe": ("a layout recipe with no data file {stem}.* beside it: not used",
                        "وصفة تخطيط لا ملف بيانات {stem}.* بجانبها: لم تُستعمل"),
    "raw.lone_recipe_expected": ("a data file {stem} ({kinds}) beside it, or the recipe renamed after its file",
                                 "ملف بيانات {stem} ({kinds}) بجانبها، أو إعادة تسمية الوصفة باسم ملفها"),
    "build.catalogue": ("{message}", "{message}"),
    "build.calendar_uncompared": ("the calendar cannot be compared with release {release}'s: {why}",
                                  "لا يمكن مقارنة التقويم بتقويم الإصدار {release}: {why}"),
    "build.calendar_expected": ("every change of an announced release recorded with its reason",
                                "تسجيل كل تغيير في إصدار معلن عنه مع سببه"),
    "build.no_files": ("no source files found (.csv, .xlsx, .xls or .ods)",
                       "لم يوجد أي ملف مصدر (.csv أو .xlsx أو .xls أو .ods)"),
    "build.raw_folder": ("the folder of raw source files", "مجلد ملفات المصادر الخام"),
    "build.releases": ("the releases cannot be served: {why}", "لا يمكن تقديم الإصدارات: {why}"),
    "build.as_release_wrote": ("the releases as `spi release` wrote them", "الإصدارات كما كتبها `spi release`"),
    "build.cannot_write": ("cannot be written: {why}", "لا يمكن الكتابة: {why}"),
    "build.missing_file": ("the catalogue names a data file that is not in the raw folder (for {indicators:list}{more})",
                           "يذكر دليل المؤشرات ملف بيانات ليس في مجلد الملفات الخام (للمؤشرات {indicators:list}{more})"),
    "build.file_expected": ("the file in the raw folder, or the indicators' `files:` without it",
                            "الملف في مجلد الملفات الخام، أو حذفه من `files:` للمؤشرات"),
    "build.read": ("  read {file}: {n:,} figures{problems}", "  قُرئ {file}: {n:#figures}{problems}"),
    "build.read_problems": (", {n} problem(s)", "، {n:#problems}"),
})
NOUNS["problems"] = {"zero": "{n} مشكلة", "one": "مشكلة واحدة", "two": "مشكلتان", "few": "{n} مشكلات",
                     "many": "{n} مشكلة", "other": "{n} مشكلة"}

# ---------------------------------------------------------------- layout recipes and printed tables (etl/layouts.py)

_add({
    "layout.where": ("the layout recipe {recipe}", "وصفة التخطيط {recipe}"),
    "layout.stray_keys": ("{where}: {keys:list} belong to the other layout than `layout: {layout}`",
                          "{where}: المفاتيح {keys:list} تخص التخطيط الآخر، لا `layout: {layout}`"),
    "layout.one_layout": ("the keys of one layout (layout.schema.json)", "مفاتيح تخطيط واحد (layout.schema.json)"),
    "layout.unknown_indicator": ("{where}: unknown indicator {indicator!r}{near}", "{where}: مؤشر غير معروف {indicator!r}{near}"),
    "layout.an_indicator": ("an indicator of indicators.yaml", "مؤشر من indicators.yaml"),
    "layout.unknown_source": ("{where}: unknown source {source!r}{near}", "{where}: مصدر غير معروف {source!r}{near}"),
    "layout.rename": ("{where}: rename: {printed!r} to {target!r}, which is not a column the build reads{near}",
                      "{where}: `rename:` من {printed!r} إلى {target!r}، وهو ليس عمودًا يقرؤه البناء{near}"),
    "layout.one_of": ("one of {choices}", "أحد {choices!r}"),
    "layout.one_of_list": ("one of {choices:list}", "أحد {choices:list}"),
    "layout.label_columns": ("{where}: {n} row dimension(s) ({rows:list}) but {m} label column(s) ({labels:list})",
                             "{where}: عدد أبعاد الصفوف {n} ({rows:list}) وعدد أعمدة التسميات {m} ({labels:list})"),
    "layout.label_per_row": ("one label column per entry of `rows`", "عمود تسميات لكل مدخل في `rows`"),
    "layout.header_rows": ("{where}: {n} header rows but {m} columns", "{where}: عدد صفوف العناوين {n} وعدد مداخل `columns` {m}"),
    "layout.column_per_header": ("one entry of `columns` per header row", "مدخل في `columns` لكل صف عناوين"),
    "layout.indicator_twice": ("{where}: the indicator is given twice: by `indicator:` and by the table's {axis}",
                               "{where}: المؤشر معطى مرتين: في `indicator:` وفي {axis} الجدول"),
    "layout.axis_rows": ("rows", "صفوف"),
    "layout.axis_columns": ("columns", "أعمدة"),
    "layout.no_indicator": ("{where}: no indicator: name it (`indicator:`), or say which rows or columns give it",
                            "{where}: لا مؤشر: سمِّه (`indicator:`)، أو اذكر الصفوف أو الأعمدة التي تعطيه"),
    "layout.indicator_how": ("indicator: <id of indicators.yaml>, or `indicator` among rows or columns",
                             "`indicator:` ورمز مؤشر من indicators.yaml، أو `indicator` بين الصفوف أو الأعمدة"),
    "layout.not_a_dimension": ("{where}: {part!r} is not a dimension the table can give{near}",
                               "{where}: {part!r} ليس بُعدًا يمكن أن يعطيه الجدول{near}"),
    "layout.repeated": ("{where}: {parts:list} given by more than one header row or label column",
                        "{where}: {parts:list} معطاة في أكثر من صف عناوين أو عمود تسميات"),
    "layout.each_dimension_once": ("each dimension once", "كل بُعد مرة واحدة"),
    "layout.period_one_place": ("{where}: the period must come from one place: a header row or label column giving "
                                "`period`, rows or columns giving its parts (year, month, quarter, half), or `period:` "
                                "for the whole table", "{where}: يجب أن تأتي الفترة من مكان واحد: صف عناوين أو عمود "
                                "تسميات يعطي `period`، أو صفوف أو أعمدة تعطي أجزاءها (السنة، الشهر، الربع، النصف)، "
                                "أو `period:` للجدول كله"),
    "layout.one_of_these": ("one of these", "أحد هذه"),
    "layout.year_twice": ("{where}: the year is given twice: by `year:` and by the table",
                          "{where}: السنة معطاة مرتين: في `year:` وفي الجدول"),
    "layout.place_twice": ("{where}: the place is given twice: by `place:` and by the table",
                           "{where}: المكان معطى مرتين: في `place:` وفي الجدول"),
    "layout.one_of_them": ("one of them", "أحدهما"),
    "layout.bad_skip": ("{where}: skip: {pattern!r} is not a regular expression ({why})",
                        "{where}: `skip:` {pattern!r} ليس تعبيرًا نمطيًا ({why})"),
    "layout.skip_example": ("a pattern such as '^المصدر'", "نمط مثل «^المصدر»"),
    "layout.source_once": ("{where}: say the source once: `source`, or `sources` by period",
                           "{where}: اذكر المصدر مرة واحدة: `source`، أو `sources` بحسب الفترة"),
    "layout.source_or_sources": ("source or sources", "`source` أو `sources`"),
    "layout.bad_period": ("{where}: period: {period!r} {reason}", "{where}: `period:` {period!r}: {reason}"),
    "layout.period_example": ("a period such as 2023 or 2024-Q1", "فترة مثل 2023 أو 2024-Q1"),
    "layout.schema": ("the layout recipe {recipe}: {text}", "وصفة التخطيط {recipe}: {text}"),
    "layout.as_schema": ("a recipe as layout.schema.json describes", "وصفة كما يصفها layout.schema.json"),
    "layout.no_sheet": ("no sheet matches {pattern!r} (found {found}){near}",
                        "لا ورقة تطابق {pattern!r} (الأوراق الموجودة: {found!r}){near}"),
    "layout.the_sheet": ("the sheet the recipe names (its `sheet:`)", "الورقة التي تسميها الوصفة (`sheet:`)"),
    "layout.hidden_sheets": ("the sheet(s) {hidden} match {pattern!r} but are hidden: nobody reading the workbook sees "
                             "them", "الأوراق {hidden!r} تطابق {pattern!r} لكنها مخفية: لا يراها من يقرأ المصنف"),
    "layout.hidden_skip_sheets": ("`hidden: skip` in the recipe to leave them out (or `hidden: read` if they are meant)",
                                  "`hidden: skip` في الوصفة لتركها (أو `hidden: read` إن كانت مقصودة)"),
    "layout.many_sheets": ("{pattern!r} matches {n} sheets ({sheets}): they would be read as one table",
                           "{pattern!r} يطابق {n:#sheets} ({sheets!r}): ستُقرأ جدولًا واحدًا"),
    "layout.one_sheet": ("a pattern matching one sheet, or `every_sheet: true` if every one is meant",
                         "نمط يطابق ورقة واحدة، أو `every_sheet: true` إن كانت كلها مقصودة"),
    "layout.merged_body": ("a merged cell in the body of the table ({cells}): its figure would be read once, its other "
                           "cells as empty", "خلية مدمجة في متن الجدول ({cells}): سيُقرأ رقمها مرة واحدة، وبقية "
                           "خلاياها فارغة"),
    "layout.unmerge": ("each figure in a cell of its own (the merge undone)", "كل رقم في خلية مستقلة (بإلغاء الدمج)"),
    "layout.hidden_row": ("a hidden row holds figures: nobody reading the table sees it",
                          "صف مخفي فيه أرقام: لا يراه من يقرأ الجدول"),
    "layout.hidden_column": ("a hidden column holds figures: nobody reading the table sees it",
                             "عمود مخفي فيه أرقام: لا يراه من يقرأ الجدول"),
    "layout.hidden_skip": ("`hidden: skip` in the recipe to leave hidden rows and columns out (or `hidden: read`)",
                           "`hidden: skip` في الوصفة لترك الصفوف والأعمدة المخفية (أو `hidden: read`)"),
    "layout.unlisted_total": ("reads as a total: add {label!r} to the recipe's `totals:` (the total of the {part} it "
                              "stands in)", "تُقرأ مجموعًا: أضف {label!r} إلى `totals:` في الوصفة (مجموع {part} الذي "
                              "تقع فيه)"),
    "layout.not_indicator": ("is not an indicator of the catalogue{near}", "ليست مؤشرًا من دليل المؤشرات{near}"),
    "layout.total_indicators": ("is a total across indicators, which is not a figure of one: leave it out (`skip:` for "
                                "a row, `skip_columns:` for a column)", "مجموع عبر المؤشرات، وليس رقمًا لمؤشر واحد: "
                                "اتركه (`skip:` للصف، `skip_columns:` للعمود)"),
    "layout.total_years": ("is a total across years, which is not a figure of one period: leave it out (`skip_columns:` "
                           "in the recipe, or `skip:` for a row)", "مجموع عبر السنوات، وليس رقمًا لفترة واحدة: اتركه "
                           "(`skip_columns:` في الوصفة، أو `skip:` للصف)"),
    "layout.header_or_skip": ("a header naming the column, or the column left out (`skip_columns:` in the recipe)",
                              "عنوان يسمي العمود، أو ترك العمود (`skip_columns:` في الوصفة)"),
    "layout.bad_header": ("the header {reason}", "العنوان {reason}"),
    "layout.no_label": ("a figure in a row with no label", "رقم في صف بلا تسمية"),
    "layout.label_needed": ("a label in the recipe's label column", "تسمية في عمود التسميات الذي تذكره الوصفة"),
    "layout.bad_label": ("the row label {reason}", "تسمية الصف {reason}"),
    "layout.period_together": ("a period the header rows and the recipe give together",
                               "فترة تعطيها صفوف العناوين والوصفة معًا"),
    "layout.no_period": ("no period: no header row nor label over this cell gives one (its year is not printed above "
                         "it?)", "لا فترة: لا صف عناوين ولا تسمية فوق هذه الخلية تعطي فترة (ألم تُطبع سنتها فوقها؟)"),
    "layout.period_how": ("a period over the cell, `year:` or `period:` in the recipe, or the column left out "
                          "(`skip_columns:`)", "فترة فوق الخلية، أو `year:` أو `period:` في الوصفة، أو ترك العمود "
                          "(`skip_columns:`)"),
    "layout.bad_figure": ("the figure {reason}", "الرقم {reason}"),
    "layout.one_mark": ("one mark a cell", "علامة واحدة في الخلية"),
    "layout.stock_total": ("a total of {parts}s for a stock ({indicator} is counted on a day), which is not the sum of "
                           "its parts", "مجموع {parts} لمؤشر رصيد ({indicator} يُعدّ في يوم واحد)، وهو ليس مجموع "
                           "أجزائه"),
    "layout.leave_total": ("the total left out (`skip_columns:` or `skip:` in the recipe)",
                           "ترك المجموع (`skip_columns:` أو `skip:` في الوصفة)"),
    "layout.total_off": ("the total {total:,.10g} is not the sum of the {n} figures it totals beside it ({sum:,.10g})",
                         "المجموع {total:,.10g} ليس مجموع الأرقام التي يجمعها بجانبه ({n:#figures}، ومجموعها "
                         "{sum:,.10g})"),
    "layout.total_expected": ("a total that is the sum of its parts (or `check_totals: false` in the recipe when the "
                              "table's totals are not sums)", "مجموع يساوي مجموع أجزائه (أو `check_totals: false` في "
                              "الوصفة إن لم تكن مجاميع الجدول مجاميع فعلية)"),
    "layout.expect_period": ("a period such as 2023, 2024-Q1 or يناير 2024", "فترة مثل 2023 أو 2024-Q1 أو يناير 2024"),
    "layout.expect_year": ("a year such as 2024", "سنة مثل 2024"),
    "layout.expect_month": ("a month such as يناير, كانون الثاني or January", "شهر مثل يناير أو كانون الثاني أو January"),
    "layout.expect_quarter": ("a quarter such as الربع الأول or Q1", "ربع مثل الربع الأول أو Q1"),
    "layout.expect_half": ("a half-year such as النصف الأول or H1", "نصف سنة مثل النصف الأول أو H1"),
    "layout.expect_geo": ("a place of the catalogue", "مكان من دليل المؤشرات"),
    "layout.expect_indicator": ("an indicator of the catalogue (its id or name)", "مؤشر من دليل المؤشرات (رمزه أو اسمه)"),
    "layout.expect_member": ("a member of {dimension}", "فئة من {dimension}"),
    "layout.expect_join": ("{a}; {b}", "{a}؛ {b}"),
    "layout.expect_totals": ("{words}, or a label of the recipe's `totals:`", "{words}، أو تسمية من `totals:` في الوصفة"),
})

# ---------------------------------------------------------------- drafting a recipe (etl/draft.py)

_add({
    "draft.reader_failed": ("the reader failed on this recipe ({why})", "تعثّر القارئ في هذه الوصفة ({why})"),
    "draft.reader_fault": ("a recipe the reader reads or refuses with a sentence: this is a fault of etl/layouts.py; "
                           "change the recipe (see the comments) and report it",
                           "وصفة يقرؤها القارئ أو يرفضها بجملة مفهومة: هذا خلل في etl/layouts.py؛ غيِّر الوصفة "
                           "(انظر التعليقات) وأبلغ عنه"),
})
NOUNS["sources"] = {"zero": "{n} مصدر", "one": "مصدر واحد", "two": "مصدران", "few": "{n} مصادر", "many": "{n} مصدرًا",
                    "other": "{n} مصدر"}
_add({
    "build.catalogue_read": ("catalogue {file}: {indicators} indicators, {sources} sources",
                             "دليل المؤشرات {file}: {indicators:#indicators}، {sources:#sources}"),
    "build.writing": ("  writing {n:,} observations", "  تُكتب {n:#observations}"),
})

# ---------------------------------------------------------------- the lines `spi build` and `spi validate` print around the report

_add({
    "cli.building": ("building from {raw}", "البناء من {raw}"),
    "cli.built": ("built {database} in {seconds:.2f} s: {files} files, {indicators} indicators, {observations:,} "
                  "observations, {warnings} warning(s)", "بُنيت {database} في {seconds:.2f} ثانية: {files:#files}، "
                  "{indicators:#indicators}، {observations:#observations}، {warnings:#warnings}"),
    "cli.build_failed": ("build failed: {n} error(s); the database was not changed{served}",
                         "تعذّر البناء: {n:#errors}؛ لم تتغير قاعدة البيانات{served}"),
    "cli.nor_served": (", nor the databases the site serves", "، ولا قواعد البيانات التي يقدمها الموقع"),
    "cli.build_partial": ("build failed while its files were being swapped in: {n} error(s); the build had been "
                          "decided, and the next `spi build` completes it",
                          "تعذّر البناء أثناء استبدال ملفاته: {n:#errors}؛ كان البناء قد تقرر، وسيكمله الأمر "
                          "`spi build` التالي"),
    "cli.errors": ("{n} error(s)", "عدد الأخطاء: {n}"),
    "cli.ok": ("ok: {n:,} figures pass every check (with the other files of {raw})",
               "سليم: اجتاز كل الفحوص {n:#figures} (مع بقية ملفات {raw})"),
    "cli.no_such_file": ("no such file: {files:list}", "لا ملف بهذا الاسم: {files:list}"),
})


# A YAML file checked for shape (etl/checked_yaml.py: the catalogue, a layout recipe). The English
# of a schema problem is jsonschema's own sentence (`said`, as it always was); the Arabic is said
# from the same error by its kind (`yaml.schema_*`).
_add({
    "yaml.missing": ("the file does not exist", "الملف غير موجود"),
    "yaml.folder": ("is a folder, not a file", "مجلد، لا ملف"),
    "yaml.unreadable": ("cannot be read ({why})", "لا يُقرأ ({why})"),
    "yaml.not_utf8": ("line {line}: not UTF-8 text (byte {byte}); save the file as UTF-8",
                      "السطر {line}: ليس نصًا بترميز UTF-8 (البايت {byte})؛ احفظ الملف بترميز UTF-8"),
    "yaml.twice": ("line {line}: {where} is given twice (first at line {first}); a second entry would silently "
                   "replace the first", "السطر {line}: {where} مذكور مرتين (أول مرة في السطر {first})؛ والثاني "
                   "كان سيحل محل الأول دون أن يُقال"),
    "yaml.not_yaml": ("not valid YAML: {detail}", "ليس نص YAML صالحًا: {detail}"),
    "yaml.parser_at": ("line {line}, column {column}: {problem}", "السطر {line}، العمود {column}: {problem}"),
    "yaml.parser_since": ("{said} ({context}, from line {line}, column {column})",
                          "{said} ({context} بدأ في السطر {line}، العمود {column})"),
    "yaml.parser_while": ("{said} ({context})", "{said} ({context})"),
    "yaml.alias_loop": ("line {line}: the alias *{anchor} is inside the node &{anchor} it names (a structure without "
                        "end)", "السطر {line}: الاسم المستعار *{anchor} داخل العقدة &{anchor} التي يسميها (بنية بلا نهاية)"),
    "yaml.alias_bomb": ("line {line}: aliases expand to more than {bound:,} nodes (a YAML alias bomb?)",
                        "السطر {line}: الأسماء المستعارة تتمدد إلى أكثر من {bound:,} عقدة (قنبلة أسماء مستعارة؟)"),
    "yaml.not_mapping": ("expected a mapping of keys at the top level", "المتوقع في المستوى الأعلى مفاتيح وقيمها"),
    "yaml.problems": ("{lines}", "{lines}"),
    "yaml.more": ("… and {n} more", "… و{n:#more}"),
    "yaml.top": ("the top level", "المستوى الأعلى"),
    "yaml.at": ("line {line}: {where}: {what}{expected}", "السطر {line}: {where}: {what}{expected}"),
    "yaml.expected": (" (expected {hint})", " (المتوقع: {hint})"),
    "yaml.schema_type": ("{value!r} is not of type {types}", "{value!r} ليس {types}"),
    "yaml.schema_unexpected": ("{names:rlist} not allowed here{near}", "مفتاح غير معروف هنا: {names:rlist}{near}"),
    "yaml.schema_required": ("{name!r} is a required property", "المفتاح {name!r} مطلوب"),
    "yaml.schema_enum": ("{value!r} is not one of {allowed:rlist}", "{value!r} ليس أحد {allowed:rlist}"),
    "yaml.schema_few": ("{value!r} has fewer than {n} item(s)", "عدد عناصر {value!r} أقل من {n}"),
    "yaml.schema_minimum": ("{value!r} is less than the minimum of {limit}", "{value!r} أقل من الحد الأدنى {limit}"),
    "yaml.schema_maximum": ("{value!r} is more than the maximum of {limit}", "{value!r} أكبر من الحد الأعلى {limit}"),
    "yaml.schema_pattern": ("{value!r} is not written as expected", "{value!r} ليس مكتوبًا بالصيغة المطلوبة"),
    "yaml.schema_other": ("{said}", "لا يطابق الشكل المطلوب: {said}"),
    "yaml.type_array": ("a list", "قائمة"),
    "yaml.type_object": ("a mapping of keys", "مفاتيح وقيمها"),
    "yaml.type_string": ("a text", "نصًا"),
    "yaml.type_integer": ("a whole number", "عددًا صحيحًا"),
    "yaml.type_number": ("a number", "عددًا"),
    "yaml.type_boolean": ("true or false", "true أو false"),
    "yaml.type_null": ("empty", "فارغًا"),
    "yaml.or": ("{first} or {then}", "{first} أو {then}"),
})

# libyaml's own sentences (its scanner, parser and composer, as the parser's complaint names
# them), said in Arabic (etl/checked_yaml.py not_yaml); a sentence not here stays as written.
_LIBYAML = {
    "found character that cannot start any token":
        "حرف لا تبدأ به قيمة (قيمة تبدأ بعلامة خاصة مثل @: ضعها بين علامتي تنصيص)",
    "could not find expected ':'":
        "لم تُوجد النقطتان «:» المتوقعتان بعد المفتاح",
    "mapping values are not allowed in this context":
        "لا يجوز مفتاح وقيمته هنا (نقطتان «:» في غير موضعهما: ضع القيمة التي فيها نقطتان بين علامتي تنصيص، أو صحّح المسافة البادئة)",
    "block sequence entries are not allowed in this context":
        "لا يجوز عنصر قائمة «-» هنا (تحقق من المسافة البادئة)",
    "found unexpected end of stream":
        "انتهى الملف قبل أوانه (علامة تنصيص أو قوس لم يُغلق؟)",
    "found a tab character that violates indentation":
        "حرف جدولة (Tab) في المسافة البادئة: استعمل المسافات",
    "found a tab character where an indentation space is expected":
        "حرف جدولة (Tab) حيث يُتوقع مسافة بادئة: استعمل المسافات",
    "found unknown escape character":
        "تسلسل هروب «\\» غير معروف داخل نص بين علامتي تنصيص مزدوجتين (استعمل علامتي تنصيص مفردتين)",
    "did not find expected comment or line break":
        "لم يُوجد تعليق أو نهاية سطر حيث يُتوقع (نص زائد بعد القيمة)",
    "did not find expected alphabetic or numeric character":
        "لم يُوجد حرف أو رقم حيث يُتوقع (اسم مرساة & أو إشارة * ناقص)",
    "found unexpected document indicator":
        "علامة بداية أو نهاية مستند («---» أو «...») في غير موضعها",
    "did not find expected <document start>":
        "لم تُوجد بداية المستند المتوقعة",
    "did not find expected node content":
        "لم تُوجد قيمة حيث يُتوقع",
    "did not find expected '-' indicator":
        "لم يُوجد عنصر القائمة «-» المتوقع (تحقق من المسافة البادئة)",
    "did not find expected key":
        "لم يُوجد المفتاح المتوقع (تحقق من المسافة البادئة)",
    "did not find expected ',' or ']'":
        "لم تُوجد الفاصلة «,» أو القوس «]» المتوقعان",
    "did not find expected ',' or '}'":
        "لم تُوجد الفاصلة «,» أو القوس «}» المتوقعان",
    "found undefined alias":
        "إشارة * إلى مرساة غير معرّفة",
    "found duplicate anchor":
        "مرساة & معرّفة مرتين",
    "expected a single document in the stream":
        "المتوقع مستند واحد في الملف",
    "found unhashable key":
        "مفتاح لا يصلح مفتاحًا (قائمة أو مفاتيح وقيمها)",
    "while parsing a flow sequence":
        "في قائمة بين قوسين [ ]",
    "while parsing a flow mapping":
        "في مفاتيح وقيمها بين قوسين { }",
    "while parsing a block collection":
        "في قائمة أو مفاتيح",
    "while parsing a block mapping":
        "في مفاتيح وقيمها",
    "while parsing a flow node":
        "في قيمة بين قوسين",
    "while parsing a block node":
        "في قيمة",
    "while parsing a node":
        "في قيمة",
    "while scanning a quoted scalar":
        "في نص بين علامتي تنصيص",
    "while scanning a plain scalar":
        "في نص",
    "while scanning a block scalar":
        "في نص متعدد الأسطر",
    "while scanning a simple key":
        "في مفتاح",
    "while scanning for the next token":
        "عند قراءة العنصر التالي",
    "while scanning an anchor":
        "في اسم مرساة &",
    "while scanning an alias":
        "في إشارة *",
    "while scanning a tag":
        "في وسم !",
    "while scanning a directive":
        "في توجيه %",
    "while composing a mapping":
        "في مفاتيح وقيمها",
    "while constructing a mapping":
        "في مفاتيح وقيمها",
}
_add({f"yaml.libyaml.{en}": (en.replace("{", "{{").replace("}", "}}"), ar.replace("{", "{{").replace("}", "}}"))
      for en, ar in _LIBYAML.items()})


def language(choice: str | None, environ) -> str:
    """The language of the command line: `--lang` when given, else the locale's (LC_ALL, then
    LC_MESSAGES, then LANG, as POSIX reads them): Arabic when it starts with `ar`, else English."""
    if choice:
        return choice
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "ar" if value.lower().startswith("ar") else "en"
    return "en"
_add({
    "draft.no_figures": ("the sheet has no figures (no cell holds a number)", "لا أرقام في الورقة (لا خلية فيها عدد)"),
    "draft.not_a_table": ("{file}: not a table the reader reads (a .csv, .xlsx, .xlsm, .xls or .ods file)",
                          "{file}: ليس جدولًا يقرؤه القارئ (ملف .csv أو .xlsx أو .xlsm أو .xls أو .ods)"),
    "draft.csv_sheet": ("a CSV is one sheet: --sheet is for workbooks", "ملف CSV ورقة واحدة: الخيار --sheet للمصنفات"),
    "draft.no_sheet": ("no sheet named {name!r} in {file} (its sheets: {sheets}){near}",
                       "لا ورقة باسم {name!r} في {file} (أوراقه: {sheets!r}){near}"),
    "draft.did_you_mean": ("; did you mean {name!r}?", "؛ هل المقصود {name!r}؟"),
    "draft.no_sheets": ("{file} has no sheets", "لا أوراق في {file}"),
    "draft.no_figures_sheet": ("no sheet of {file} that is not hidden has figures (its sheets: {sheets})",
                               "لا ورقة ظاهرة في {file} فيها أرقام (أوراقه: {sheets!r})"),
    "draft.problem": ("{file}: {message}{expected}", "{file}: {message}{expected}"),
    "draft.unreadable": ("{file}: cannot be read ({why})", "{file}: لا يمكن قراءته ({why})"),
    "draft.unknown": ("unknown {what} {value!r}{near}: an {what} declared under `{section}:` in indicators.yaml",
                      "{what} غير معروف {value!r}{near}: المطلوب {what} معرَّف تحت `{section}:` في indicators.yaml"),
    "cli.nothing_written": ("{command}: {why}; nothing written", "{command}: {why}؛ لم يُكتب شيء"),
})

# ---------------------------------------------------------------- the release engine's refusals (etl/release.py)
# What the clerk gave is named by fields (at_option, note_ar_option, note_en_option): the
# command line's options by default (release.CLI_WORDS), the desk's own fields there
# (etl/approval.py), so that one sentence serves both.

NOUNS["days"] = {"zero": "{n} يوم", "one": "يوم واحد", "two": "يومين", "few": "{n} أيام", "many": "{n} يومًا",
                 "other": "{n} يوم"}
_add({
    "release.untrusted": ("{path} cannot be trusted: {problems}; restore it from version control",
                          "لا يمكن الوثوق بـ{path}: {problems}؛ استعِده من نظام إدارة النسخ"),
    "release.untrusted_history": ("{path} cannot be trusted: {problems}; restore data/releases/ from version control",
                                  "لا يمكن الوثوق بـ{path}: {problems}؛ استعِد المجلد data/releases/ من نظام إدارة "
                                  "النسخ"),
    "release.and": ("{first}; {then}", "{first}؛ {then}"),
    "release.and_more": ("{first}; and {n} more", "{first}؛ و{n:#more}"),
    "release.rewritten": ("{problems}; restore data/releases/ from version control",
                          "{problems}؛ استعِد المجلد data/releases/ من نظام إدارة النسخ"),
    "release.stray_reasons": ("{path} is not release {release}'s: the release gave no reasons ({manifest} records "
                              "none); remove it", "{path} ليس من ملفات الإصدار {release}: لم يذكر الإصدار أسبابًا "
                              "(لا يسجّل {manifest} أيًّا منها)؛ احذفه"),
    "release.file_missing": ("{path} is missing: it is release {release}'s, on record in {manifest}",
                             "{path} مفقود: وهو من ملفات الإصدار {release} المسجَّل في {manifest}"),
    "release.file_changed": ("{path} is not the file released on {public_at} (its SHA-256 is {found}…, the release "
                             "records {recorded}…)", "{path} ليس الملف الذي صدر في {public_at} (بصمته SHA-256 هي "
                             "{found}…، والمسجَّل في الإصدار {recorded}…)"),
    "release.access_missing": ("{path} is missing: it is the list of who saw release {release} before publication, "
                               "on record in {manifest}; restore it from version control",
                               "{path} مفقود: وهو قائمة من اطّلعوا على الإصدار {release} قبل نشره، المسجَّلة في "
                               "{manifest}؛ استعِده من نظام إدارة النسخ"),
    "release.access_changed": ("{path} is not the list of who saw release {release} before publication that {manifest} "
                               "records (its SHA-256 is {found}…, the record's {recorded}…): it was edited after it "
                               "was recorded; restore it from version control",
                               "{path} ليس قائمة من اطّلعوا على الإصدار {release} قبل نشره المسجَّلة في {manifest} "
                               "(بصمته SHA-256 هي {found}…، والمسجَّلة {recorded}…): عُدِّل بعد تسجيله؛ استعِده من "
                               "نظام إدارة النسخ"),
    "release.access_unrecorded": ("{path} is a list of who saw release {release} before publication that {manifest} "
                                  "has no record of: it was put there by hand; remove it, then `spi "
                                  "pre-release-access` records the list from the audit log",
                                  "{path} قائمة بمن اطّلعوا على الإصدار {release} قبل نشره لا سجلّ لها في {manifest}: "
                                  "وُضعت يدويًا؛ احذفها، ثم يسجّل `spi pre-release-access` القائمة من سجل التدقيق"),
    "release.access_not_written": ("the history with these records of pre-release access would not check "
                                   "({problems}): nothing written", "لن يصمد السجل مع قيود الاطّلاع المسبق هذه أمام "
                                   "التحقق ({problems}): لم يُكتب شيء"),
    "release.entry_removed": ("release {release} is served (its entry is in {served}) but {manifest} no longer lists "
                              "it: its entry was removed; restore data/releases/ from version control",
                              "الإصدار {release} يقدّمه الموقع (مدخله في {served}) لكن {manifest} لم يعد يذكره: حُذف "
                              "مدخله؛ استعِد المجلد data/releases/ من نظام إدارة النسخ"),
    "release.served_removed": ("{entry} was served (it is in {served}) and is no longer in the history: it was removed",
                               "{entry} قدّمه الموقع (وهو في {served}) ولم يعد في السجل: حُذف منه"),
    "release.served_changed": ("{entry} differs from the entry the site served ({served}): it was changed after it "
                               "was recorded", "{entry} يختلف عن المدخل الذي قدّمه الموقع ({served}): غُيِّر بعد "
                               "تسجيله"),
    "release.no_candidate": ("no candidate at {path}: run `spi build` first",
                             "لا إصدار مرشَّح في {path}: شغِّل `spi build` أولًا"),
    "release.candidate_unreadable": ("{path} cannot be read ({error}): run `spi build` again",
                                     "تعذّرت قراءة {path} ({error}): شغِّل `spi build` مرة أخرى"),
    "release.candidate_version": ("{path} was built by another version of this software: run `spi build` again",
                                  "بُني {path} بنسخة أخرى من هذا البرنامج: شغِّل `spi build` مرة أخرى"),
    "release.at_not_time": ("{at_option} {at!r} is not a date and time such as {example} ({standard}; without an "
                            "offset, {zone})", "{at_option} {at!r} ليس تاريخًا ووقتًا مثل {example} (بصيغة {standard}؛ "
                            "وإن لم يُذكر فرق التوقيت فبتوقيت {zone})"),
    "release.at_gap": ("{at_option} {at}: that time does not exist in {zone}: the clocks go forward that night, from "
                       "{before} to {after}. Give a time outside the gap, or with its offset (e.g. {example})",
                       "{at_option} {at}: هذا الوقت لا وجود له بتوقيت {zone}: تُقدَّم الساعة تلك الليلة من {before} "
                       "إلى {after}. اختر وقتًا خارج هذه الفجوة، أو اذكره بفرق توقيته (مثل {example})"),
    "release.at_twice": ("{at_option} {at}: that time happens twice in {zone}: the clocks go back that night, from "
                         "{before} to {after}. Say which with its offset: {first} (the first) or {second} (the second)",
                         "{at_option} {at}: هذا الوقت يتكرر مرتين بتوقيت {zone}: تُؤخَّر الساعة تلك الليلة من {before} "
                         "إلى {after}. حدِّد أيهما تقصد بفرق توقيته: {first} (الأول) أو {second} (الثاني)"),
    "release.at_past": ("{at_option} {at}: {shown} is in the past (it is now {now}): a release cannot go public on a "
                        "day gone by, which would change what the public saw then. Give a time from now on, or leave "
                        "out {at_option} to publish now",
                        "{at_option} {at}: الوقت {shown} قد مضى (الوقت الآن {now}): لا يُنشر إصدار في يوم مضى، فذلك "
                        "يغيّر ما رآه الجمهور يومها. اختر وقتًا من الآن فصاعدًا، أو لا تذكر {at_option} ليُنشر "
                        "الإصدار فورًا"),
    "release.at_ahead": ("{at_option} {at}: {shown} is more than {days:#days} days ahead (site.max_embargo_days in "
                         "{catalogue}): check the date", "{at_option} {at}: الوقت {shown} بعد أكثر من {days:#days} من "
                         "الآن (site.max_embargo_days في {catalogue}): تحقَّق من التاريخ"),
    "release.before_latest": ("a release cannot go public before the latest one ({release}, {public_at})",
                              "لا يُنشر إصدار قبل أحدث إصدار ({release}، {public_at})"),
    "release.key_unexpected": ("a signing key was given, but {catalogue} has no site.signing_key to check signatures "
                               "with: add its public key there first (`spi signing-key` prints it)",
                               "أُعطي مفتاح توقيع، لكن ليس في {catalogue} المفتاح site.signing_key للتحقق من "
                               "التوقيعات: أضِف إليه المفتاح العام أولًا (يطبعه `spi signing-key`)"),
    "release.key_needed": ("{catalogue} says releases are signed (site.signing_key): give the ministry's private key "
                           "with --sign-key FILE or SPI_SIGNING_KEY_FILE",
                           "ينصّ {catalogue} على أن الإصدارات موقَّعة (site.signing_key): أعطِ المفتاح الخاص بالوزارة "
                           "في `--sign-key FILE` أو SPI_SIGNING_KEY_FILE"),
    "release.key_unreadable": ("the signing key {path} cannot be read as an Ed25519 private key (PEM): {error}",
                               "تعذّرت قراءة مفتاح التوقيع {path} مفتاحًا خاصًا من نوع Ed25519 (PEM): {error}"),
    "release.key_mismatch": ("the signing key {path} is not the one whose public half is site.signing_key in "
                             "{catalogue}", "مفتاح التوقيع {path} ليس المفتاح الذي نصفه العام هو site.signing_key في "
                             "{catalogue}"),
    "release.catalogue_unreadable": ("the catalogue {catalogue} cannot be read: {error}",
                                     "تعذّرت قراءة دليل المؤشرات {catalogue}: {error}"),
    "release.catalogue_changed": ("{catalogue} changed since the candidate was built: run `spi build` again",
                                  "تغيّر {catalogue} منذ بناء المرشَّح: شغِّل `spi build` مرة أخرى"),
    "release.nothing": ("the candidate changes nothing since release {release}: nothing to release",
                        "لا يغيِّر المرشَّح شيئًا منذ الإصدار {release}: لا شيء يُصدَر"),
    "release.no_approver": ("the approver's name is empty: name who approved the release",
                            "اسم المعتمِد فارغ: اذكر من اعتمد الإصدار"),
    "release.own_approval": ("{name!r} cannot approve a release they make themselves: a second person approves it",
                             "لا يعتمد {name!r} إصدارًا يصدره بنفسه: يعتمده شخص آخر"),
    "release.no_note": ("a release needs a note saying what it brings ({note_en_option}, and {note_ar_option} in "
                        "Arabic)", "يحتاج الإصدار إلى ملاحظة تقول ما يأتي به: {note_ar_option} و{note_en_option}"),
    "release.note_ar_empty": ("the Arabic note ({note_ar_option}) is empty: say what the release brings in Arabic",
                              "{note_ar_option} فارغة: اكتب بالعربية ما يأتي به الإصدار"),
    "release.note_ar_latin": ("the Arabic note ({note_ar_option}) {note!r} has no Arabic letter: give the note in "
                              "Arabic there, and in English with {note_en_option}",
                              "{note_ar_option} {note!r} ليس فيها حرف عربي: اكتب الملاحظة فيها بالعربية، واكتبها "
                              "بالإنجليزية في {note_en_option}"),
    "release.no_reason": ("a {action} needs a reason (--reason), which is recorded and shown",
                          "يحتاج {action} إلى سبب (--reason)، يُسجَّل ويُعرض"),
    "release.cancel": ("cancel", "إلغاء الإصدار"),
    "release.reschedule": ("reschedule", "تغيير موعد الإصدار"),
    "release.not_latest": ("release {release!r} cannot be amended: only the latest release can be, while it is under "
                           "embargo ({latest})", "لا يمكن تعديل الإصدار {release!r}: لا يُعدَّل إلا أحدث إصدار، ما دام "
                           "تحت الحظر ({latest})"),
    "release.latest_is": ("it is {release}", "وهو {release}"),
    "release.latest_none": ("there is none", "ولا يوجد إصدار"),
    "release.already_public": ("release {release} is public since {public_at}: what the public has seen cannot be "
                               "withdrawn; make a new release that corrects it",
                               "الإصدار {release} منشور منذ {public_at}: ما رآه الجمهور لا يُسحب؛ أصدِر إصدارًا "
                               "جديدًا يصحّحه"),
})

# ---------------------------------------------------------------- the catalogue's own checks (etl/catalogue.py)
# `where` is the entry's path of keys (calendar[2].state), a code isolated in Arabic.

_add({
    "catalogue.in_file": ("{file}: {problem}", "{file}: {problem}"),
    "catalogue.at": ("{where}: {message}", "{where}: {message}"),
    "catalogue.at_line": ("line {line}: {where}: {message}", "السطر {line}: {where}: {message}"),
    "catalogue.not_one_of": ("{value!r} is not one of {allowed}", "{value!r} ليست من القيم المعروفة: {allowed}"),
    "catalogue.reserved": ("this name is reserved for a column of the observations table",
                           "هذا الاسم محجوز لعمود من أعمدة جدول المشاهدات"),
    "catalogue.not_a_country": ("{country!r} is not a country of the catalogue (one of {countries} under "
                                "`geographies:`)", "{country!r} ليس بلدًا من دليل المؤشرات (البلدان المعرَّفة تحت "
                                "`geographies:`: {countries})"),
    "catalogue.not_positive": ("{value!r} is not a positive number (the largest plausible figure in this unit)",
                               "{value!r} ليست عددًا موجبًا (المطلوب أكبر رقم معقول بهذه الوحدة)"),
    "catalogue.timezone": ("{zone!r} is not a time zone name such as Asia/Muscat",
                           "{zone!r} ليس اسم منطقة زمنية مثل Asia/Muscat"),
    "catalogue.same_announcement": ("is the same announcement as {other} (both named {name!r}): give each its own "
                                    "`id`, or change the date of one by a change with its reason",
                                    "هو الإعلان نفسه الذي في {other} (كلاهما باسم {name!r}): أعطِ كلًّا منهما `id` "
                                    "خاصًا به، أو غيِّر تاريخ أحدهما بتغيير يُذكر سببه"),
    "catalogue.not_a_day": ("{text!r} is not a day of the calendar", "{text!r} ليس يومًا من أيام التقويم"),
    "catalogue.change_ahead": ("{made} is in the future (today is {today} in {zone}): a change is recorded on the day "
                               "it is made, not before", "{made} يوم لم يأتِ بعد (اليوم {today} بتوقيت {zone}): "
                               "يُسجَّل التغيير يوم حدوثه، لا قبله"),
    "catalogue.change_order": ("{made} is before the change above it ({previous}): record the changes oldest first, "
                               "each below the one before it", "{made} يسبق التغيير الذي فوقه ({previous}): سجِّل "
                               "التغييرات من الأقدم إلى الأحدث، كلًّا تحت الذي قبله"),
    "catalogue.moved_to_itself": ("{to} is also the day it moved to: a move names the day the release was expected "
                                  "before it", "{to} هو أيضًا اليوم الذي نُقل إليه: يذكر النقل اليوم الذي كان الإصدار "
                                  "متوقعًا فيه قبله"),
    "catalogue.changes_nothing": ("changes nothing: the state was already {state!r} and no moved_from says the date "
                                  "changed", "لا يغيّر شيئًا: كانت الحالة {state!r} من قبل، ولا moved_from يذكر أن "
                                  "التاريخ تغيّر"),
    "catalogue.state_unrecorded": ("{given!r} without its reason: the state is {state!r} after {last}; record the "
                                   "change under {changes} as {example}",
                                   "{given!r} بلا سبب: الحالة {state!r} بعد {last}؛ سجِّل التغيير تحت {changes} "
                                   "هكذا: {example}"),
    "catalogue.state_unrecorded_none": ("{given!r} without its reason: the state is {state!r} after no change; record "
                                        "the change under {changes} as {example}",
                                        "{given!r} بلا سبب: الحالة {state!r} إذ لم يُسجَّل أي تغيير؛ سجِّل التغيير "
                                        "تحت {changes} هكذا: {example}"),
    "catalogue.default_announced": ("{default!r} is announced, with no figures yet (`announced: true`): the explorer "
                                    "would open on an empty chart; name one with figures",
                                    "{default!r} مؤشر معلن عنه ولا أرقام له بعد (`announced: true`): ستُفتح صفحة "
                                    "الاستكشاف على رسم فارغ؛ اختر مؤشرًا له أرقام"),
    "catalogue.other_country": ("{other!r} is about another country", "{other!r} يخص بلدًا آخر"),
    "catalogue.not_a_count": ("{other!r} is not a count (its unit is {unit!r}), so it cannot be divided by",
                              "{other!r} ليس مؤشر أعداد (وحدته {unit!r})، فلا يُقسَم عليه"),
    "catalogue.divides_already": ("{other!r} already divides another indicator or is divided itself",
                                  "{other!r} يُقسَم عليه مؤشر آخر من قبل، أو يُقسَم هو نفسه على غيره"),
    "catalogue.name_used": ("the name {name!r} is already used by {code!r}",
                            "الاسم {name!r} مستعمل من قبلُ لـ{code!r}"),
    "catalogue.not_iso_country": ("{country!r} is not an {standard} code", "{country!r} ليس رمز بلد بمعيار {standard}"),
    "catalogue.missing_subdivisions": ("missing {standard} subdivisions {missing}",
                                       "تنقصه تقسيمات إدارية من {standard}: {missing}"),
    "catalogue.not_subdivision": ("not an {standard} subdivision of {country}",
                                  "ليس تقسيمًا إداريًا للبلد {country} في {standard}"),
    "catalogue.parent_after": ("{parent!r} must be listed before its children", "يجب أن يُذكر {parent!r} قبل فروعه"),
    "catalogue.listed_twice": ("{item!r} is listed twice", "{item!r} مذكور مرتين"),
    "catalogue.series_twice": ("{series} is listed twice", "{series} مذكورة مرتين"),
    "catalogue.sdg_code": ("{code!r} is not an SDG indicator code (goal.target.indicator, such as 1.3.1 or 1.a.2)",
                           "{code!r} ليس رمز مؤشر من أهداف التنمية المستدامة (بالصيغة goal.target.indicator، مثل "
                           "1.3.1 أو 1.a.2)"),
})

# ------------------------------------------------------- progress of a change (etl/transaction.py, etl/release.py)

_add({
    "progress.indented": ("  {line}", "  {line}"),
    "transaction.build": ("build", "بناء"),
    "transaction.release": ("release", "إصدار"),
    "transaction.waiting": ("  waiting for another {what} into {root} to finish",
                            "  بانتظار أن ينتهي {what} آخر في {root}"),
    "transaction.unreadable_journal": ("an interrupted run left an unreadable journal in {root}: removed, and nothing "
                                       "of it was swapped in", "ترك تشغيلٌ انقطع سجلَّ عمليات لا يُقرأ في {root}: حُذف، "
                                       "ولم يُستبدل شيء منه"),
    "transaction.completed": ("completed an interrupted run into {root}: it had been decided, and {made} of its {n} "
                              "file(s) were still to be swapped in", "أُكمل تشغيلٌ انقطع في {root}: كان قد تقرّر، "
                              "وكان {made} من ملفاته البالغ عددها {n} لم يُستبدل بعد"),
    "transaction.removed": ("removed {n} temporary file(s) an interrupted run left in {root} (it had not been decided: "
                            "nothing of it was swapped in)", "حُذفت ملفات مؤقتة عددها {n} تركها تشغيلٌ انقطع في "
                            "{root} (لم يكن قد تقرّر: لم يُستبدل شيء منه)"),
    "release.set_aside": ("the folder of release {release} was not on record in {manifest} (a release interrupted "
                          "before it was recorded): set aside in {target}", "مجلد الإصدار {release} غير مسجَّل في "
                          "{manifest} (إصدار انقطع قبل تسجيله): نُقل جانبًا إلى {target}"),
    "release.serving": ("  serving release {release}: {n:,} figures", "  يُقدَّم الإصدار {release}: {n:#figures}"),
})

# ---------------------------------------------------------------- why a release changes figures (etl/revisions.py)

_add({
    "revisions.file_row": ("{file} row {row}", "{file}، الصف {row}"),
    "revisions.reason_n": ("reason {n}", "السبب {n}"),
    "revisions.unreadable": ("the reasons file {path} cannot be read: {why}", "تعذّرت قراءة ملف الأسباب {path}: {why}"),
    "revisions.not_utf8": ("the reasons file {path} is not UTF-8 text (save it as CSV UTF-8)",
                           "ملف الأسباب {path} ليس نصًا بترميز UTF-8 (احفظه بصيغة `CSV UTF-8`)"),
    "revisions.not_csv": ("the reasons file {path} is not CSV: {why}", "ملف الأسباب {path} ليس بصيغة CSV: {why}"),
    "revisions.empty_file": ("the reasons file {path} is empty: expected a header row ({columns}) and a row per figure",
                             "ملف الأسباب {path} فارغ: المتوقع صف عناوين ({columns}) وصف لكل رقم"),
    "revisions.no_column": ("the reasons file {path} has no column {missing} (its header row is {header}); expected "
                            "{expected}", "ليس في ملف الأسباب {path} العمود {missing} (صف عناوينه: {header})؛ المتوقع: "
                            "{expected}"),
    "revisions.kind": ("{where}: kind {kind!r} is not one of {kinds} (Eurostat's kinds of revision: routine, a "
                       "correction of an error, a major revision)", "{where}: النوع {kind!r} ليس من الأنواع {kinds} "
                       "(أنواع التعديل عند Eurostat: تعديل دوري، وتصحيح خطأ، وتعديل جوهري)"),
    "revisions.empty_reason": ("{where}: {empty} is empty: say why the figure changes in Arabic (reason_ar) and in "
                               "English (reason_en)", "{where}: {empty} فارغ: اذكر سبب تغيّر الرقم بالعربية (reason_ar) "
                               "وبالإنجليزية (reason_en)"),
    "revisions.no_arabic": ("{where}: reason_ar {reason!r} has no Arabic letter: give the reason in Arabic there, and "
                            "in English in reason_en", "{where}: السبب العربي (reason_ar) {reason!r} ليس فيه حرف عربي: "
                            "اكتب السبب فيه بالعربية، وبالإنجليزية في reason_en"),
    "revisions.twice": ("{where}: {figure} is given a reason twice (also in {other}): give one",
                        "{where}: أُعطي الرقم {figure} سببين (وفي {other} أيضًا): أعطِه سببًا واحدًا"),
    "revisions.added": ("{where}: {figure} is added by this release, not revised, amended or withdrawn: a figure "
                        "published for the first time needs no reason", "{where}: الرقم {figure} يضيفه هذا الإصدار، "
                        "ولا يعدّله ولا يسحبه: الرقم المنشور أول مرة لا يحتاج إلى سبب"),
    "revisions.not_changed": ("{where}: {figure} is not a figure this release revises, amends or withdraws (`spi diff` "
                              "lists them; `spi diff --reasons-template` prints the rows to fill in)",
                              "{where}: {figure} ليس رقمًا يعدّله هذا الإصدار أو يسحبه (يسردها `spi diff`؛ ويطبع "
                              "`spi diff --reasons-template` الصفوف المطلوب ملؤها)"),
    "revisions.required": ("the catalogue says every revision says why (site.revision_reasons: required), and {n} "
                           "figure(s) this release changes have no reason: {figures}{more} (--reasons FILE; "
                           "`spi diff --reasons-template` prints the rows to fill in)",
                           "ينصّ دليل المؤشرات على أن يُذكر سبب كل تعديل (`site.revision_reasons: required`)، "
                           "والأرقام التي يغيّرها هذا الإصدار بلا سبب عددها {n}: {figures}{more} (`--reasons FILE`؛ "
                           "ويطبع `spi diff --reasons-template` الصفوف المطلوب ملؤها)"),
    "revisions.and_more": ("; …", "؛ …"),
    "revisions.breakdown_type": ("{where}: breakdown is {type}, expected {shape}",
                                 "{where}: breakdown من النوع {type}، والمتوقع {shape}"),
    "revisions.unknown_breakdown": ("{where}: {unknown} is not a breakdown of the catalogue ({dims})",
                                    "{where}: {unknown} ليس تصنيفًا من تصنيفات دليل المؤشرات ({dims})"),
    "revisions.no_breakdowns": ("it has none", "لا تصنيف فيه"),
    "revisions.empty_head": ("{where}: {column} is empty: name the figure by its indicator_id, geo_code and period (and "
                             "its breakdown members)", "{where}: {column} فارغ: سمِّ الرقم برمز مؤشره indicator_id "
                             "ومكانه geo_code وفترته period (وفئات تصنيفه)"),
})
