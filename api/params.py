"""Request arguments: the checks that are about the HTTP request itself.

Which figures a request selects (`indicator`, `geo`, `from`, `to`, `breakdown`, `with`) is
the view model's (store.view: parse_rows, parse_download), the same for the downloads, the API
and the pages. Here: parameters the address does not take, repeated or overlong values,
the language (store.texts.lang_of, the one policy), choices, flags and paging limits. A
bad value raises store.view.ParamError, which the routes turn into a 4xx JSON error that
names the parameter and says what was expected.
"""
from __future__ import annotations

import re

from store.texts import lang_of
from store.view import ParamError

MAX_PARAM_CHARS = 2000  # any single parameter value
MAX_LIMIT = 100_000     # rows per API page
DEFAULT_LIMIT = 10_000
MAX_OFFSET = 100_000_000


# Every address takes these: the release it reads (store/releases.py, chosen in spi/embargo.py).
EVERYWHERE = ("as_of",)


def check_known(args, allowed: tuple[str, ...]) -> None:
    """Refuse parameters the address does not take (a typo must not silently widen a download)."""
    allowed = (*allowed, *EVERYWHERE)
    for name in args.keys():
        if name not in allowed:
            raise ParamError(name, f"unknown parameter {name!r}; this address takes: {', '.join(allowed) or 'none'}",
                             code="unknown_parameter", allowed=list(allowed))
    for name in args.keys():
        values = args.getlist(name)
        if len(values) > 1:
            raise ParamError(name, f"parameter {name!r} is given {len(values)} times; give it once "
                                   "(join several values with commas)", code="repeated_parameter")
        if len(values[0]) > MAX_PARAM_CHARS:
            raise ParamError(name, f"parameter {name!r} is {len(values[0])} characters long; the limit is "
                                   f"{MAX_PARAM_CHARS}", code="too_long")


def language(args) -> str:
    """`lang` by the one language policy (store.texts.lang_of): none is Arabic. Another value
    raises store.texts.UnknownLanguage, which the routes answer with a 400 (api/http.py)."""
    return lang_of(args.get("lang"))


def choice(args, name: str, options: tuple[str, ...], default: str) -> str:
    value = args.get(name, default)
    if value not in options:
        raise ParamError(name, f"{value[:40]!r} is not allowed for {name}; use one of: {', '.join(options)}",
                         allowed=list(options))
    return value


def flag(args, name: str, default: bool) -> bool:
    value = args.get(name)
    if value is None:
        return default
    low = value.lower()
    if low in ("1", "true", "yes"):
        return True
    if low in ("0", "false", "no"):
        return False
    raise ParamError(name, f"{value[:40]!r} is not allowed for {name}; use true or false", allowed=["true", "false"])


def integer(args, name: str, default: int, low: int, high: int) -> int:
    value = args.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,12}", value):
        raise ParamError(name, f"{value[:40]!r} is not a whole number for {name} ({low} to {high})")
    number = int(value)
    if not low <= number <= high:
        raise ParamError(name, f"{name}={number} is out of range: {low} to {high}", code="out_of_range")
    return number
