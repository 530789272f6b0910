"""The words printed in a table's labels, as the ETL compares them.

Offices print the same word many ways: with or without the definite article's hamza, a final
ى or ي, tatweel, short vowels, extra spaces; English in any case. `plain_words` is the one
rule by which a printed label is matched to a word the software or a recipe knows (a total,
a status word, a code in place of a figure), so that each list of words is written once.
"""
from __future__ import annotations

import functools

from contract.periods import fold
from contract.schema import STATUSES

# Labels that mean the total of whatever they stand in (a row of the country under its
# governorates, a column of both sexes, a year beside its months). A recipe says which of them
# its table prints (`totals:`); one that is printed but not declared is named, not misread.
TOTAL_WORDS = ("الإجمالي", "اجمالي", "إجمالي", "المجموع", "مجموع", "المجموع الكلي", "الإجمالي العام", "الجملة",
               "الكل", "المجموع العام", "total", "grand total", "all")

# The words of a `status` cell, in either language (a code as stored, too); a recipe adds its
# own (`statuses:`), such as نهائي (final: a figure as published, no status).
STATUS_WORDS = {
    "provisional": ("provisional", "preliminary", "p", "أولي", "أولية", "بيانات أولية", "مبدئي"),
    "estimated": ("estimated", "estimate", "e", "تقديري", "تقديرية", "مقدر"),
    "break": ("break", "break in series", "b", "انقطاع", "انقطاع في السلسلة", "تغير في المنهجية"),
    "not_available": ("not_available", "not available", "m", "غير متوفر", "غير متاح"),
    "not_applicable": ("not_applicable", "not applicable", "z", "لا ينطبق"),
    "confidential": ("confidential", "c", "سري"),
}


def plain_words(text: object) -> str:
    """A label in the form words are compared in (contract/periods.py fold: the one rule,
    which the month names use too): spaces collapsed, tatweel, short vowels and invisible
    marks dropped, alef forms, final ya and ta marbuta folded, Arabic-Indic digits as Latin,
    lower case."""
    return fold(text if text is not None else "")


@functools.cache
def total_words() -> frozenset[str]:
    return frozenset(plain_words(w) for w in TOTAL_WORDS)


@functools.cache
def _statuses() -> dict[str, str]:
    out = {plain_words(w): status for status, words in STATUS_WORDS.items() for w in words}
    out.update({plain_words(s): s for s in STATUSES})
    return out


def status_words(extra: dict | None = None) -> dict[str, str | None]:
    """Every status word (plain form) and the status it means (None: a figure as published,
    which a recipe says as `final`), the recipe's own (`statuses:`) added to the built-in ones."""
    if not extra:
        return _statuses()
    return {**_statuses(), **{plain_words(w): None if s == "final" else s for w, s in extra.items()}}
