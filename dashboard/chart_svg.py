"""The server-drawn twin of a chart: the Plotly figure (dashboard/figures.py) as plain SVG.

The explorer and the embed send it in their first HTML, so a chart is on screen before any
script has run, and keep it in the page until plotly.js has drawn the interactive chart in
the same box (assets/style.css `.chart-box`): no blank box, no jump. It is drawn from the
figure itself (its traces, texts, colours, axis sides and ranges), so it shows the same
figures; each mark carries its value (`data-value`), which tests compare with the figure's,
and a figure a note marks (provisional, revised…) is drawn as the live chart draws it: a
lighter bar, a hollow point, its label with the mark (`data-marked`). Each mark also carries
the live chart's hover words (`data-tip`, its trace's name in `data-name`), which
assets/chart_hover.js shows on hover or tap: the twin answers a reader's pointer from the
first paint, seconds before plotly.js can on a slow phone. A long line's points drawn by the
line alone (no marker) carry none: the page stays light, and the table lists them.

The width is not known on the server: the twin is 100% wide and as tall as the chart.
Texts and axis labels are placed in percent of the width; the marks are drawn in a nested
SVG stretched to the plot area (its lines keep their width: non-scaling strokes, and dots
are round line caps). Two variants are sent, the "wide" and the "narrow" texts of the
figure, and CSS shows the one for the screen, as assets/spi.js does for the live chart.
"""
from __future__ import annotations

import math
from html import escape

from .figures import AXIS_TITLE, FONT, GRID, INK, LIGHTER, MUTED

W = 1000                                   # the plot area's own width, in its viewBox units
MARGINS = {  # (left, width) of the plot area, in % of the chart's width: room for the axis labels
    ("wide", False): (8.0, 89.0), ("wide", True): (3.0, 89.0),
    ("narrow", False): (17.0, 80.0), ("narrow", True): (3.0, 80.0)}
NARROWEST = {"wide": 560, "narrow": 300}   # px: the narrowest chart each variant is shown in (a 620 / 320 px screen)
EM = 0.62                                   # a label character's width in em: at least any digit's or letter's
EDGE = 0.5                                  # % kept clear at each side of the chart
RANKED = {("wide", False): (24.0, 72.0), ("wide", True): (4.0, 72.0),   # each bar's label inside the plot
          ("narrow", False): (44.0, 52.0), ("narrow", True): (4.0, 52.0)}


def _text(x: str, y: float, body: str, size: int, colour: str = INK, anchor: str = "start", extra: str = "") -> str:
    return (f'<text x="{x}" y="{y:.1f}" font-size="{size}" fill="{colour}" text-anchor="{anchor}"{extra}>'
            f"{escape(body)}</text>")


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").split("<br>") if line]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round values from 0 to `top` for gridlines (1, 2 or 5 times a power of ten apart)."""
    if top <= 0:
        return [0.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(top / step) + 1)]


def _tick(value: float, percent: bool) -> str:
    return f"{value:.0f}%" if percent else f"{value:,.0f}" if value >= 1 or value == 0 else f"{value:g}"


def chart_svg(fig: dict, variant: str) -> str:
    """The twin of `fig` laid out with its `variant` ("wide" or "narrow") texts."""
    layout = fig["layout"]
    meta = layout["meta"]
    tx, rtl = meta["texts"][variant], meta["lang"] == "ar"
    height, top, bottom = tx["height"], tx["top"], tx["bottom"]
    plot_h = height - top - bottom
    side, anchor = ("99%", "end") if rtl else ("1%", "start")
    out = [f'<svg class="chart-twin-svg {variant}" width="100%" height="{height}" role="img" '
           f'aria-label="{escape(" ".join(_lines(tx["title"])), quote=True)}" font-family="{escape(FONT, quote=True)}" '
           f'direction="ltr">']
    y = 12.0
    for line in _lines(tx["title"]):
        y += 24
        out.append(_text(side, y, line, 17, INK, anchor))
    for line in _lines(tx["subtitle"]):
        y += 18
        out.append(_text(side, y, line, 13, MUTED, anchor))
    legend = [t for t in fig["data"] if layout.get("showlegend") and t.get("showlegend", True) and t.get("name")]
    out += _legend(legend, tx, side, anchor, y + 8)
    traces = [t for t in fig["data"] if t.get("hoverinfo") != "skip" and not str(t.get("legendgroup", "")).startswith("target")]
    if traces and traces[0].get("orientation") == "h":
        out += _ranked(traces[0], layout, variant, rtl, top, plot_h)
    elif traces:
        out += _by_category(fig["data"], layout, variant, rtl, top, plot_h, tx.get("nticks", 0))
    for a in layout["annotations"][1:]:   # the big number and its context, an embargo notice
        if a.get("xref") == "paper":
            shift = -a.get("yshift", 0) + (-8 if a.get("yanchor") == "bottom" else a["font"]["size"] + 4)
            y = top + plot_h * (1 - a["y"]) + shift
            turn = f' transform="rotate({a["textangle"]} 500 {y:.0f})"' if a.get("textangle") else ""
            for n, line in enumerate(_lines(a["text"])):   # a text of several lines, as Plotly draws it
                out.append(_text("50%", y + n * a["font"]["size"] * 1.3, line, a["font"]["size"], a["font"]["color"],
                                 "middle", turn))
    ranked = bool(traces) and traces[0].get("orientation") == "h"
    y = height - bottom + 42 + AXIS_TITLE * ranked
    for line in _lines(tx["foot"]):
        y += 15
        out.append(_text(side, y, line, 11, MUTED, anchor))
    out.append("</svg>")
    return "".join(out)


def _legend(traces: list[dict], tx: dict, side: str, anchor: str, y: float) -> list[str]:
    """The legend under the subtitle: a coloured square before each name, one a row or in one row."""
    if not traces:
        return []
    items = [(_colour(t), t["name"]) for t in traces]
    if tx["legend"] == "h":
        spans = "".join(f'<tspan fill="{c}">■ </tspan><tspan fill="{INK}">{escape(n)}   </tspan>' for c, n in items)
        return [f'<text x="{side}" y="{y + 16:.1f}" font-size="12" text-anchor="{anchor}">{spans}</text>']
    return [f'<text x="{side}" y="{y + 16 + 28 * i:.1f}" font-size="12" text-anchor="{anchor}">'
            f'<tspan fill="{c}">■ </tspan><tspan fill="{INK}">{escape(n)}</tspan></text>' for i, (c, n) in enumerate(items)]


def _colour(trace: dict) -> str:
    return (trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get("color") or INK


def _at(left: float, width: float, x: float) -> str:
    """A position in the plot area (0..W) as a percent of the chart's width."""
    return f"{left + width * x / W:.2f}%"


def _marked(trace: dict) -> list[bool]:
    """Which of a trace's figures the live chart marks: a lighter bar (marker.opacity below 1),
    a hollow point (an "-open" symbol)."""
    marker, n = trace.get("marker") or {}, len(trace["x" if trace.get("orientation") == "h" else "y"])
    opacity, symbol = marker.get("opacity", 1), marker.get("symbol", "")
    return [(opacity[i] if isinstance(opacity, list) else opacity) < 1
            or str(symbol[i] if isinstance(symbol, list) else symbol).endswith("-open") for i in range(n)]


def _bar(x: float, y: float, w: float, h: float, colour: str, v: float, marked: bool, tip: str) -> str:
    lighter = f' fill-opacity="{LIGHTER}" data-marked="1"' if marked else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}" data-value="{v!r}"'
            f'{lighter}{tip}/>')


def _tip(where: str, words: str | None) -> str:
    """A mark's words on hover, as the live chart's hovertemplate puts them ("%{x}: %{customdata}",
    figures.py): its period or place, its figure with its unit and status. assets/chart_hover.js
    shows them over the server-drawn chart, its trace's name (`data-name`) above them."""
    if not words:
        return ""
    return f' data-tip="{escape(" ".join(_lines(str(where))) + ": " + words, quote=True)}"'


def _named(trace: dict) -> str:
    """The trace's name for the hover's first line, as the live chart's <extra> box gives it."""
    return f' data-name="{escape(trace["name"], quote=True)}"' if trace.get("name") else ""


def _value_top(values: list[float], axis: dict) -> float:
    given = axis.get("range")
    if given:
        return max(given)
    return (max(values) if values else 1) * 1.1 or 1


def _by_category(data: list[dict], layout: dict, variant: str, rtl: bool, top: float, plot_h: float,
                 ticks: int) -> list[str]:
    """Bars (grouped or stacked) or lines over the categories of the x axis, value axis on its
    side; `ticks` of the categories labelled (0: every one), as the figure's texts say."""
    left, width = MARGINS[(variant, rtl)]
    cats = layout["xaxis"].get("categoryarray") or data[0]["x"]
    band = W / max(len(cats), 1)
    traces = [t for t in data if t.get("hoverinfo") != "skip"]
    bars = [t for t in traces if t["type"] == "bar"]
    stacked = layout.get("barmode") == "stack"
    sums = [sum(t["y"][i] or 0 for t in bars) for i in range(len(cats))] if stacked and bars else []
    values = [v for t in traces for v in t["y"] if v is not None] + sums
    vtop = _value_top(values, layout["yaxis"])
    percent = layout["yaxis"].get("ticksuffix") == "%"
    out = [f'<svg x="{left}%" y="{top}" width="{width}%" height="{plot_h}" viewBox="0 0 {W} {plot_h}" '
           'preserveAspectRatio="none" overflow="visible">']
    labels = []
    for tick in nice_ticks(vtop):
        y = plot_h - tick / vtop * plot_h
        out.append(f'<line x1="0" x2="{W}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID if tick else MUTED}" '
                   'vector-effect="non-scaling-stroke"/>')
        labels.append(_text(f"{left + width + 0.8:.2f}%" if rtl else f"{left - 0.8:.2f}%", top + y + 4,
                            _tick(tick, percent), 12, MUTED, "start" if rtl else "end"))
    base = [0.0] * len(cats)
    for n, t in enumerate(bars):
        colour, marked = _colour(t), _marked(t)
        hover = t.get("customdata") or [None] * len(t["y"])
        out.append(f"<g{_named(t)}>")
        for i, v in enumerate(t["y"]):
            if v is None:
                continue
            if stacked:
                x0, w, y0 = band * i + band * 0.175, band * 0.65, base[i]
                base[i] += v
            else:
                w = band * 0.65 / len(bars)
                x0, y0 = band * i + band * 0.175 + w * n, 0.0
            y1 = plot_h - (y0 + v) / vtop * plot_h
            out.append(_bar(x0, y1, w, v / vtop * plot_h, colour, v, marked[i], _tip(t["x"][i], hover[i])))
            text = (t.get("text") or [""] * len(t["y"]))[i]
            tall = v / vtop * plot_h
            if text and not stacked:
                labels.append(_text(_at(left, width, x0 + w / 2), top + y1 - 5, text, 12, INK, "middle"))
            elif text and tall >= 16:   # inside its segment, as Plotly does; a thin one has none
                labels.append(_text(_at(left, width, x0 + w / 2), top + y1 + tall / 2 + 4, text, 12, "white", "middle"))
        out.append("</g>")
    where = {cat: band * (i + 0.5) for i, cat in enumerate(cats)}
    for t in data:   # lines, with a gap's dashed connector and a target line
        if t["type"] != "scatter":
            continue
        colour, dash = _colour(t), (t.get("line") or {}).get("dash")
        points = [(where[x], plot_h - v / vtop * plot_h, v, text, _tip(x, words))
                  for x, v, text, words in zip(t["x"], t["y"], t.get("text") or [""] * len(t["y"]),
                                               t.get("customdata") or [None] * len(t["y"])) if v is not None]
        # a published line joins neighbours only (a gap has its own dashed connector);
        # a connector or a target line joins its two ends
        joins_all = t.get("hoverinfo") == "skip" or str(t.get("legendgroup", "")).startswith("target")
        style = f'stroke="{colour}" vector-effect="non-scaling-stroke" stroke-width="2"' + (
            ' stroke-dasharray="6 4"' if dash in ("dash", "dot") else "")
        # one path a line (a gap starts a new stretch of it): a monthly series of 20 years is
        # one element, not 240
        joined = [n > 0 and (joins_all or x - points[n - 1][0] < band * 1.5) for n, (x, *_) in enumerate(points)]
        if any(joined):
            out.append(f'<path d="{_line_path([(x, y) for x, y, *_ in points], joined)}" fill="none" {style}/>')
        if "markers" in (t.get("mode") or ""):
            # a dot a marker (a zero-length stroke with round caps), its value in data-value; the
            # stroke is the group's, kept round however the plot is stretched by CSS (.dots): ~45
            # bytes a point; a long line has markers only where figures.py _marker_sizes gives one
            hollow = [m for m, v in zip(_marked(t), t["y"]) if v is not None]
            size = t["marker"].get("size")
            shown = [s > 0 for s, v in zip(size, t["y"]) if v is not None] if isinstance(size, list) else [True] * len(points)
            dots, holes = [], []
            for (x, y, v, text, tip), marked, dot in zip(points, hollow, shown):
                if not dot:   # a long line's point (figures.py _marker_sizes): the line draws it, no hover
                    continue
                dots.append(f'<path d="M{x:.1f} {y:.1f}h0" data-value="{v!r}"{tip}' + (' data-marked="1"/>' if marked else "/>"))
                if marked:   # hollow, as Plotly's "-open" symbols
                    holes.append(f"M{x:.1f} {y:.1f}h0")
                if text:
                    labels.append(_text(_at(left, width, x), top + y - 10, text, 13, INK, "middle"))
            if dots:
                out.append(f'<g class="dots"{_named(t)} stroke="{colour}" stroke-width="10" stroke-linecap="round">{"".join(dots)}</g>')
            if holes:
                out.append(f'<path class="dots" d="{"".join(holes)}" stroke="white" stroke-width="5" stroke-linecap="round"/>')
    out.append("</svg>")
    for a in layout["annotations"]:   # "no figure published" under a gap
        if a.get("xref") == "x":
            labels.append(_text(_at(left, width, band * (a["x"] + 0.5)), top + plot_h - 8, a["text"], 11, MUTED,
                                "middle"))
    # category labels under the axis, every `step`th as Plotly steps them (over the axis's range)
    shown = layout["xaxis"].get("range") or [-0.5, len(cats) - 0.5]
    step = math.ceil((shown[1] - shown[0]) / ticks) if ticks else 1
    for i, cat in enumerate(cats):
        if i % step == 0:
            labels.append(_category_label(left + width * band * (i + 0.5) / W, top + plot_h + 18, str(cat), variant))
    return out + labels


def _category_label(at: float, y: float, text: str, variant: str) -> str:
    """A category's label centred under it (`at`: % of the chart's width), or, when centred it
    would run past an edge of the narrowest chart its variant is shown in (the first month of a
    long Arabic series, "يناير 2006", under the plot's very edge on a phone), set from that edge
    inwards: whole, still under its end of the axis."""
    half = len(text) * 12 * EM / 2 / NARROWEST[variant] * 100
    if at - half < EDGE:
        return _text(f"{EDGE}%", y, text, 12, INK, "start")
    if at + half > 100 - EDGE:
        return _text(f"{100 - EDGE}%", y, text, 12, INK, "end")
    return _text(f"{at:.2f}%", y, text, 12, INK, "middle")


def _line_path(points: list[tuple[float, float]], joined: list[bool]) -> str:
    """A line's path data: an absolute move where a stretch starts, then each point joined to
    the one before as a relative step in whole units of the plot's viewBox (about a pixel of a
    wide chart), the steps of a stretch after one "l": ~5 bytes a point, not ~11 (a monthly
    series of 20 years in 11 places is 2,640 points, twice: the wide and the narrow chart)."""
    d, steps, last = [], [], (0, 0)
    for (x, y), join in zip(points, joined):
        at = round(x), round(y)
        if join:
            dx, dy = at[0] - last[0], at[1] - last[1]
            steps.append(f"{dx}{dy}" if dy < 0 else f"{dx} {dy}")   # a minus sign separates the pair
        else:
            d += [f"l{' '.join(steps)}"] if steps else []
            d.append(f"M{at[0]} {at[1]}")
            steps = []
        last = at
    return "".join(d + ([f"l{' '.join(steps)}"] if steps else []))


def _ranked(trace: dict, layout: dict, variant: str, rtl: bool, top: float, plot_h: float) -> list[str]:
    """Horizontal bars, the last category on top (as Plotly draws them), names on the reader's side."""
    left, width = RANKED[(variant, rtl)]
    names, values, texts = trace["y"], trace["x"], trace.get("text") or [""] * len(trace["x"])
    hover = trace.get("customdata") or [None] * len(values)
    vtop = _value_top([v for v in values if v is not None], layout["xaxis"])
    band = plot_h / max(len(names), 1)
    out = [f'<svg x="{left}%" y="{top}" width="{width}%" height="{plot_h}" viewBox="0 0 {W} {plot_h}" '
           'preserveAspectRatio="none" overflow="visible">']
    percent = layout["xaxis"].get("ticksuffix") == "%"
    labels = []
    for tick in nice_ticks(vtop, layout["xaxis"].get("nticks") or 5):   # gridlines and their numbers under the plot
        x = W - tick / vtop * W if rtl else tick / vtop * W
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{plot_h}" stroke="{GRID}" '
                   'vector-effect="non-scaling-stroke"/>')
        labels.append(_text(_at(left, width, x), top + plot_h + 16, _tick(tick, percent), 12, MUTED, "middle"))
    colour, marked = _colour(trace), _marked(trace)
    for i, (name, v, text) in enumerate(zip(names, values, texts)):
        row = plot_h - band * (i + 1)
        mid = top + row + band / 2 + 4
        lines = _lines(name)   # a long name on lines, as the figure gives it
        for n, line in enumerate(lines):
            labels.append(_text(f"{left + width + 1:.2f}%" if rtl else f"{left - 1:.2f}%",
                                mid + 14 * (n - (len(lines) - 1) / 2), line, 12, INK, "start" if rtl else "end"))
        length = 0.0 if v is None else v / vtop * W
        if v is not None:
            x0 = W - length if rtl else 0
            out.append(_bar(x0, row + band * 0.175, length, band * 0.65, colour, v, marked[i], _tip(name, hover[i])))
        end = W - length - 8 if rtl else length + 8
        labels.append(_text(_at(left, width, end), mid, text, 12, INK, "end" if rtl else "start"))
    out.append(f'<line x1="{W if rtl else 0}" x2="{W if rtl else 0}" y1="0" y2="{plot_h}" stroke="{MUTED}" '
               'vector-effect="non-scaling-stroke"/></svg>')
    return out + labels


def twin(fig: dict) -> str:
    """Both variants of the twin; CSS shows the one that fits the screen."""
    return chart_svg(fig, "wide") + chart_svg(fig, "narrow")
