"""A revised series drawn old against new, for the desk's page of changes: the series as the
latest release has it (dashed) and as the candidate has it (solid), every figure a point, so the
approver sees at a glance whether a revision is a typo or a new story.

Drawn on the server as inline SVG (no script: the desk's policy allows none), from the
release's side-by-side figures (etl.release.Change.joined): only figures either side published,
nothing interpolated; a gap in a series is a gap in its line.
"""
from __future__ import annotations

import math
from html import escape

import pandas as pd

from etl.release import figure_key

WIDTH, HEIGHT, PAD_X, PAD_TOP, PAD_BOTTOM = 560, 210, 56, 16, 44
MAX_CHARTS = 8


def revised_series(joined: pd.DataFrame | None, kinds) -> list[tuple[dict, pd.DataFrame]]:
    """Each series (indicator, place, breakdown members) that holds a revised figure: its key
    and its figures by period (old_value, new_value), at most MAX_CHARTS of them."""
    if joined is None or kinds is None:
        return []
    frame = joined.assign(change=kinds)
    keys = [c for c in figure_key(frame) if c not in ("period", "change") and not c.startswith(("old_", "new_"))]
    revised = frame[frame["change"] == "revised"]
    out = []
    for values in revised[keys].drop_duplicates().head(MAX_CHARTS).itertuples(index=False):
        key = dict(zip(keys, values))
        mask = pd.Series(True, index=frame.index)
        for column, value in key.items():
            mask &= frame[column].isna() if missing(value) else frame[column] == value
        out.append((key, frame[mask].sort_values("period")[["period", "old_value", "new_value", "change"]]))
    return out


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def svg(series: pd.DataFrame, label: str, old_name: str, new_name: str) -> str:
    """The series as an SVG line chart: old dashed, new solid, each revised period marked."""
    periods = [str(p) for p in series["period"]]
    values = [v for v in [*series["old_value"], *series["new_value"]] if not missing(v)]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    step = (WIDTH - 2 * PAD_X) / max(1, len(periods) - 1)

    def x(i: int) -> float:
        return PAD_X + (i * step if len(periods) > 1 else (WIDTH - 2 * PAD_X) / 2)

    def y(v: float) -> float:
        return PAD_TOP + (high - v) / (high - low) * (HEIGHT - PAD_TOP - PAD_BOTTOM)

    def line(column: str, css: str) -> str:
        runs, run = [], []
        for i, v in enumerate(series[column]):
            if missing(v):
                runs, run = (runs + [run] if run else runs), []
            else:
                run.append(f"{x(i):.1f},{y(v):.1f}")
        runs += [run] if run else []
        paths = "".join(f'<polyline class="{css}" points="{" ".join(r)}"/>' for r in runs if len(r) > 1)
        dots = "".join(f'<circle class="{css}" cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3"/>'
                       for r in runs for p in r)
        return paths + dots

    marks = "".join(f'<line class="mark" x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{PAD_TOP}" y2="{HEIGHT - PAD_BOTTOM}"/>'
                    for i, c in enumerate(series["change"]) if c == "revised")
    ticks = "".join(f'<text x="{PAD_X - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:,.10g}</text>' for v in (low, high))
    shown = {0, len(periods) - 1} | {i for i, c in enumerate(series["change"]) if c == "revised"}
    labels = "".join(f'<text x="{x(i):.1f}" y="{HEIGHT - 24}" text-anchor="middle">{escape(periods[i])}</text>'
                     for i in sorted(shown))
    legend = (f'<line class="old" x1="{PAD_X}" x2="{PAD_X + 24}" y1="{HEIGHT - 5}" y2="{HEIGHT - 5}"/>'
              f'<text x="{PAD_X + 30}" y="{HEIGHT - 1}">{escape(old_name)}</text>'
              f'<line class="new" x1="{WIDTH / 2}" x2="{WIDTH / 2 + 24}" y1="{HEIGHT - 5}" y2="{HEIGHT - 5}"/>'
              f'<text x="{WIDTH / 2 + 30}" y="{HEIGHT - 1}">{escape(new_name)}</text>')
    return (f'<svg class="desk-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
            f'direction="ltr">{marks}{ticks}{labels}{line("old_value", "old")}{line("new_value", "new")}{legend}</svg>')
