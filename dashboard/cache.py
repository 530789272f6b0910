"""What the dashboard keeps per (database build, view): a view's numbers, its words and
figure, and the explorer's page parts. A rebuild changes the build's version, so nothing
kept outlives the figures it was made from; a view's numbers are the same in both
languages and are kept once.
"""
from __future__ import annotations

import dataclasses
import functools

from contract.schema import LANGS
from store import releases
from store.catalogue import meta
from store.series import Chart, chart, shares_of
from store.texts import DEFAULT_LANG
from store.view import View
from store.wording import Described, describe

from .blocks import chart_block, share_block
from .controls import controls, indicator_picker
from .figures import figure_dict
from .table import table_block
from .wire import to_wire


@functools.lru_cache(maxsize=512)
def _numbers(version: str, view: View) -> Chart:
    if view.kind == "breakdown" and view.mode in ("group", "share"):
        # grouped bars show exactly the figures, notes and table of stacked ones (only the bar
        # placement differs) and shares are computed from them: switching between the three
        # modes does not read the figures again
        stacked = _numbers(version, dataclasses.replace(view, mode="stack"))
        return dataclasses.replace(stacked, barmode="group") if view.mode == "group" else shares_of(stacked)
    return chart(view, meta())


@functools.lru_cache(maxsize=512)
def _view(version: str, view: View) -> tuple[Described, dict]:
    if view.kind == "breakdown" and view.mode == "group":   # the words of stacked bars, placed side by side
        words = dataclasses.replace(_view(version, dataclasses.replace(view, mode="stack"))[0], barmode="group")
    else:
        numbers = _numbers(version, dataclasses.replace(view, lang=DEFAULT_LANG, tab="chart"))
        words = describe(dataclasses.replace(numbers, view=view), meta())
    return words, figure_dict(words)


def view_for(view: View) -> tuple[Described, dict]:
    """(the view in words, its figure as a plain dict). Treat both as read-only."""
    return _view(releases.cache_key(meta().version), view)



@functools.lru_cache(maxsize=256)
def _parts(version: str, view: View, base: str) -> tuple:
    words, fig = _view(version, view)
    m = meta()
    both = {lang: _view(version, dataclasses.replace(view, lang=lang))[0] for lang in LANGS}   # for the citations
    return chart_block(view, words, fig, m), _table(version, view), share_block(view, m, base, both), controls(view, m)


@functools.lru_cache(maxsize=256)
def _table(version: str, view: View):
    """The table of a view; grouped bars have the table of stacked ones."""
    if view.mode == "group":
        return _table(version, dataclasses.replace(view, mode="stack"))
    return table_block(view, _view(version, view)[0])


@functools.lru_cache(maxsize=256)
def _parts_wire(version: str, view: View, base: str) -> list:
    return to_wire(list(_parts(version, view, base)))


def explorer_parts(view: View, base: str) -> tuple:
    """The explorer's parts a control click changes: chart, table, share boxes, controls."""
    return _parts(releases.cache_key(meta().version), view, base)


@functools.lru_cache(maxsize=256)
def _picker(version: str, indicator: str, lang: str):
    return indicator_picker(View(indicator=indicator, lang=lang), meta())


def explorer_picker(view: View):
    """The explorer's indicator picker: the same for every view of an indicator in a language,
    and a link and its search words an indicator (20 ms to build at 100 indicators)."""
    return _picker(releases.cache_key(meta().version), view.indicator, view.lang)


def explorer_wire(view: View, base: str) -> list:
    """explorer_parts in Dash's wire form, as the update callback answers (dashboard/wire.py)."""
    return _parts_wire(releases.cache_key(meta().version), view, base)
