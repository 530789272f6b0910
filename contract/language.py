"""What every layer that writes for people shares about the two languages: the bidi controls
that keep a left-to-right run (a file name, a code, a date) in its order inside Arabic text,
and CLDR's plural category of a count (babel), which picks the form an Arabic noun takes after
a number. The site (store/) and the validator's messages (etl/messages.py) both use these, so
they live here, below both."""
from __future__ import annotations

from babel import Locale as _Locale

# LRI … PDI isolates a left-to-right run inside Arabic text; RLI … PDI an Arabic run inside
# left-to-right text (an SVG label); FSI … PDI a run whose direction its first letter says.
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"

BABEL_LOCALE = {"ar": "ar_OM", "en": "en"}
_PLURAL = {lang: _Locale.parse(BABEL_LOCALE[lang]).plural_form for lang in BABEL_LOCALE}


def plural_category(count: float, lang: str) -> str:
    """CLDR's plural category of a number in a language (babel): in Arabic 0 zero, 1 one, 2 two,
    3-10 few, 11-99 many, 100-102 other, 103 few…; in English 1 one, else other."""
    try:
        return _PLURAL[lang](abs(count))
    except (TypeError, ValueError):
        return "other"
