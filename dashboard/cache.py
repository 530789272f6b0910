"""Views and figures cached per (database build, state): a rebuild changes build_id, so
nothing cached outlives the data it was made from."""
from __future__ import annotations

import dataclasses
import functools

from . import data
from .figures import figure_dict
from .state import State
from .views import ViewData, build_view, shares_of


@functools.lru_cache(maxsize=512)
def _view(build_id: str, state: State) -> tuple[ViewData, dict]:
    if state.view == "breakdown" and state.mode in ("group", "share"):
        # grouped bars show exactly the figures, notes and table of stacked ones (only the bar
        # placement differs) and shares are computed from them: switching between the three
        # modes does not rebuild the view
        stacked = _view(build_id, dataclasses.replace(state, mode="stack"))[0]
        vd = dataclasses.replace(stacked, barmode="group") if state.mode == "group" else shares_of(stacked, state)
    else:
        vd = build_view(state)
    return vd, figure_dict(vd)


def view_for(state: State) -> tuple[ViewData, dict]:
    """(ViewData, figure as a plain dict) for a state. Treat both as read-only."""
    return _view(data.db().build_id, state)
