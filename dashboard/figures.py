"""Plotly figures from a described view (store/wording.py): data in, figure out, no I/O.

Built with plotly.graph_objects (a figure costs ~1-2 ms; plotly express ~40 ms). The
title, unit, period and source line are drawn on the chart itself, so a PNG exported from
the modebar carries them. In Arabic the value axis and the legend sit on the right, time
still runs left to right, and every Arabic string is isolated right-to-left so brackets and
numbers stay in place inside Plotly's SVG text. Colours: Okabe-Ito, distinguishable with
the common forms of colour blindness.
"""
from __future__ import annotations

import copy
import re

import plotly.graph_objects as go

from store import releases
from store.formats import rtl_svg_text
from store.texts import t
from store.wording import Described, empty_words

# Okabe & Ito (2008): safe for deuteranopia, protanopia and tritanopia
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "'Noto Sans Arabic', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
INK, MUTED, GRID = "#1b1f24", "#4a5360", "#e3e6ea"
MAX_LABELLED_POINTS = 14
MAX_MARKED_POINTS = 36     # beyond (three years of months), a line's 10 px markers overlap on a phone's plot
MARKER = 10                # px: a point's marker
_TEMPLATE = {"data": {}, "layout": {}}  # empty: every style is set below, nothing inherited


def wrap(text: str, width: int) -> list[str]:
    """Split text into lines of at most ~width characters, on spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


def _svg(text: str, lang: str) -> str:
    return rtl_svg_text(text, lang)


def _lines(text: str, lang: str, width: int) -> str:
    return "<br>".join(_svg(line, lang) for line in wrap(text, width))


NARROW_CHARS = 28
EMPTY_CHARS = 40   # the lines of what a chart with no figure says, wide or on a phone
LEGEND_ROW, LEGEND_ITEM = 30, 28      # px: a one-row legend; an item of a legend of one item a row
LEGEND_GAP = 9                        # px between items one a row: Noto Sans Arabic's tall line box
AXIS_TITLE = 46                       # px: the value axis's numbers and title under ranked bars
MARK = "*"                            # beside a figure a note under the chart marks (texts.py note_marked)
LIGHTER = 0.45                        # a marked bar's opacity; a marked point is hollow (chart_svg.py alike)
ISOLATES = re.compile("[\u2066-\u2069]")   # bidi isolates: no width on screen
NAME_CHARS = 22                       # characters a line of a ranked bar's name
PHONE_PLOT, CHAR_PX = 150, 7.5        # px: ranked bars' plot on a 360 px phone; a 12 px label's average glyph


def _legend(names: list[str], chars: int) -> tuple[str, int]:
    """The legend's orientation and height for a chart about `chars` title characters wide:
    one row when every name fits on it (a legend item's font is smaller than the title's and
    its symbol takes about six characters), else one item a row. Plotly wraps a long row
    itself, but then rows crowd each other and the subtitle; one item a row never does."""
    if not names:
        return "h", 0
    if sum(len(n) + 6 for n in names) <= chars * 1.6:
        return "h", LEGEND_ROW
    return "v", LEGEND_ITEM * len(names) + 12


def _legend_order(orientation: str, rtl: bool) -> str:
    """Items as groups (so tracegroupgap spaces them); a row is laid out left to right, so in
    Arabic its first series goes on the right, where a right-to-left reader starts."""
    return "reversed+grouped" if orientation == "h" and rtl else "grouped"


def _texts(vd: Described, lang: str, chars: int, legend: list[str], credit: bool = False) -> dict:
    """Title, subtitle, footer and legend laid out for a chart about `chars` characters wide
    (credit: with room for one more footer line, the image credit an exported image adds)."""
    title = wrap(vd.title, chars)
    # a by-area chart's country is said under the subtitle, off the governorates' axis
    sub = [line for text in [vd.subtitle, *(_marked(words, mark) for _, words, mark in vd.reference)]
           for line in wrap(text, int(chars * 1.3))]
    foot = [line for text in [*vd.notes, vd.source_line] if text for line in wrap(text, int(chars * 1.45))]
    orientation, legend_height = _legend(legend, chars)
    heading = 40 + 24 * len(title) + 18 * len(sub)
    top = heading + legend_height
    bottom = 58 + AXIS_TITLE * (vd.shape == "ranked") + 16 * (len(foot) + credit)
    height = max(420, _plot_height(vd) + top + bottom)
    # the legend hangs from under the subtitle (container units), in the room kept for it
    # Plotly sets a title of several lines with its first baseline on the pad (one line, 0.7em
    # lower): an empty first line brings the first line of words inside the chart's top edge
    lead = "<br>" if len(title) > 1 else ""
    return {"title": lead + "<br>".join(_svg(x, lang) for x in title), "subtitle": "<br>".join(_svg(x, lang) for x in sub),
            "foot": "<br>".join(_svg(x, lang) for x in foot), "top": top, "bottom": bottom, "legend": orientation,
            "legend_y": round(1 - heading / height, 4), "height": height,
            **({} if vd.shape == "ranked" else {"nticks": _time_ticks(vd, chars)})}


def _time_ticks(vd: Described, chars: int) -> int:
    """How many period labels the time axis of a chart about `chars` characters wide carries
    (0: every one): about 8 of a series of more than 12 on a wide chart; on a phone's, 3 of
    more than 6 (a label such as "September 2012" takes ~85 of its ~280 px). Plotly and the
    server-drawn twin (chart_svg.py) label alike; assets/spi.js swaps the phone's in."""
    n = len(vd.x_labels)
    if chars > NARROW_CHARS:
        return 8 if n > 12 else 0
    return 3 if n > 6 else 0


def _plot_height(vd: Described) -> int:
    """The plot area's height: a bar a category for ranked bars, a band for one number."""
    shape = vd.shape
    if shape == "ranked":
        return max(140, 46 * len(vd.ranked()))
    return 240 if shape == "number" else 300


def figure(vd: Described, width_chars: int = 70, validate: bool = True) -> go.Figure:
    """The chart for a view as a plotly.graph_objects Figure (validated property by property)."""
    return go.Figure(figure_dict(vd, width_chars), _validate=validate)


def _marked(text: str, mark: str) -> str:
    """A figure's text with MARK when its status or revision is said in a note."""
    return f"{text}{MARK}" if mark and text else text


def _labels(texts: list[str], marks: list[str], lang: str) -> list[str]:
    """Value labels drawn on the chart, marked as the notes say, isolated in Arabic (the dot
    of "ر.ع." stays at its end)."""
    return [_svg(_marked(x, mark), lang) if x else "" for x, mark in zip(texts, marks or [""] * len(texts))]


def _hover(s) -> list[str]:
    """Each figure's words on hover, with its status or revision when it has one."""
    return [f"{text} · {mark}" if mark else text for text, mark in zip(s.texts, s.marks)] if any(s.marks) else s.texts


def _line_traces(vd: Described) -> list[dict]:
    """Markers for every published point, a line between neighbours, and across a gap a thin
    dashed connector (not a figure: no marker, no hover) labelled in the layout (_gap_labels)."""
    lang, traces = vd.lang, []
    labelled = len(vd.periods) <= MAX_LABELLED_POINTS
    for n, s in enumerate(vd.series):
        colour = PALETTE[n % len(PALETTE)]
        marked = any(s.marks)   # provisional, estimated…: hollow markers, and said on hover
        symbol = ["circle", "square", "diamond", "triangle-up"][n % 4]
        sizes = _marker_sizes(s.values, s.marks) if len(vd.x_labels) > MAX_MARKED_POINTS else None
        # a marker's edge; none where a long line has no marker (Plotly's legend draws a marker
        # of the mean size and edge: a white edge there would cut the legend's line like a dash)
        edge = 2 if marked else 1.5
        traces.append(dict(
            type="scatter", x=vd.x_labels, y=s.values, name=_svg(s.name, lang), legendgroup=s.key, customdata=_hover(s),
            hovertemplate="%{x}: %{customdata}<extra>" + _svg(s.name, lang) + "</extra>",
            mode="lines+markers+text" if labelled else "lines+markers", connectgaps=False,
            line=dict(color=colour, width=2.5, dash="dot" if s.derived else "solid"),
            marker=dict(color=colour, size=sizes or MARKER,
                        symbol=[f"{symbol}-open" if mark else symbol for mark in s.marks] if marked else symbol,
                        line=dict(color=colour if marked else "white",
                                  width=[edge if size else 0 for size in sizes] if sizes else edge)),
            text=_labels(s.texts, s.marks, lang) if labelled else None, textposition="top center",
            textfont=dict(color=INK, size=13), cliponaxis=False))
        for before, after in _gaps(s.values):
            traces.append(dict(type="scatter", x=[vd.x_labels[before], vd.x_labels[after]],
                               y=[s.values[before], s.values[after]], mode="lines", showlegend=False,
                               hoverinfo="skip", line=dict(color=colour, width=1.5, dash="dash")))
    return traces


def _marker_sizes(values: list, marks: list) -> list[int]:
    """A long line's markers: only where a figure is marked (provisional, revised…: its
    hollow marker says so) or stands alone between gaps (no line reaches it); elsewhere the
    line is the figures (hover still names each one). A marker a point would overlap its
    neighbours into a thick band, and the server-drawn twin would carry a dot a point (an
    11-place monthly series of 20 years: 2,640 of them, 300 KB of HTML)."""
    def alone(i: int) -> bool:
        return all(not 0 <= j < len(values) or values[j] is None for j in (i - 1, i + 1))
    return [MARKER if v is not None and ((marks and marks[i]) or alone(i)) else 0 for i, v in enumerate(values)]


def _gaps(values: list) -> list[tuple[int, int]]:
    """(index before, index after) of every run of missing figures between two published ones."""
    present = [i for i, v in enumerate(values) if v is not None]
    return [(a, b) for a, b in zip(present, present[1:]) if b > a + 1]


def _gap_labels(vd: Described) -> list[dict]:
    """"No figure published" under the middle of each gap, once per gap whatever the series."""
    spans = sorted({gap for s in vd.series for gap in _gaps(s.values)})
    # at a category's index: a label such as "2022" would be read as the number 2022
    return [dict(text=_svg(t("no_figure_published", vd.lang), vd.lang), showarrow=False, xref="x", yref="paper",
                 x=(a + b) / 2, y=0, yanchor="bottom", yshift=6, font=dict(size=11, color=MUTED))
            for a, b in spans]


def _bar_traces(vd: Described) -> list[dict]:
    """Bars over time or places. Labels sit inside a stacked segment, over a grouped bar; a
    label that would not fit at 10 px is left out (layout.uniformtext): the table has it."""
    lang, traces = vd.lang, []
    labelled = len(vd.periods) <= MAX_LABELLED_POINTS
    for n, s in enumerate(vd.series):
        marked = any(s.marks)   # provisional, estimated…: lighter bars, and said on hover
        traces.append(dict(
            type="bar", x=vd.x_labels, y=s.values, name=_svg(s.name, lang), legendgroup=s.key, customdata=_hover(s),
            hovertemplate="%{x}: %{customdata}<extra>" + _svg(s.name, lang) + "</extra>",
            marker=dict(color=PALETTE[n % len(PALETTE)], line=dict(color="white", width=0.5),
                        opacity=[LIGHTER if mark else 1 for mark in s.marks] if marked else 1,
                        pattern=dict(shape="/" if s.derived and not vd.percent else "")),
            text=_labels(s.texts, s.marks, lang) if labelled else None, texttemplate="%{text}" if labelled else None,
            textposition="inside" if vd.barmode == "stack" else "outside", insidetextanchor="middle",
            textangle=0, constraintext="both",
            textfont=dict(size=12), cliponaxis=False))
    return traces


def _ranked_traces(vd: Described) -> list[dict]:
    """One period's figures as horizontal bars, largest on top, each named on its axis: no
    legend to match colours against. Missing ones are listed last, with no bar."""
    lang = vd.lang
    items = vd.ranked()[::-1]   # Plotly draws the first category at the bottom
    names = [_lines(label, lang, NAME_CHARS) for label, *_ in items]   # a long name on lines: room for the bars
    return [dict(type="bar", orientation="h", y=names, x=[value for _, value, _, _ in items],
                 customdata=[f"{text} · {mark}" if mark else (text or t("no_figure_published", lang))
                             for _, _, text, mark in items],
                 hovertemplate="%{y}: %{customdata}<extra></extra>", name="",
                 marker=dict(color=PALETTE[0], opacity=[LIGHTER if mark else 1 for *_, mark in items]),
                 text=[_svg(_marked(text, mark), lang) if value is not None
                       else _svg(t("no_figure_published", lang), lang) for _, value, text, mark in items],
                 textposition="outside", textangle=0, textfont=dict(size=12, color=INK), cliponaxis=False)]


def _number(vd: Described) -> list[dict]:
    """One figure: the number, large, in the middle of the chart; its unit and period under it."""
    lang = vd.lang
    s = next(s for s in vd.series if any(v is not None for v in s.values))
    i = next(i for i, v in enumerate(s.values) if v is not None)
    context = " · ".join(x for x in (vd.unit, vd.x_labels[i], s.marks[i] if s.marks else "") if x)
    # (text, size, colour, anchor, shift from the middle): the number above it, its context below
    lines = [(s.texts[i], 46, INK, "bottom", 4), (context, 15, MUTED, "top", -4)]
    lines += [(words, 13, MUTED, "top", -44) for _, words in vd.targets[:1]]   # the target it is measured against
    return [dict(text=_svg(text, lang), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, yanchor=anchor,
                 yshift=shift, font=dict(size=size, color=colour)) for text, size, colour, anchor, shift in lines]


def _headroom(vd: Described) -> list | None:
    """A value axis from zero to a little above the highest figure or target, so the labels
    over the top points stay inside the plot, clear of the subtitle and legend."""
    values = [v for s in vd.series for v in s.values if v is not None] + [value for value, _ in vd.targets]
    if vd.barmode == "stack" and vd.shape == "bars":   # a stack reaches the sum of its parts
        values += [sum(v for v in stack if v is not None) for stack in zip(*(s.values for s in vd.series))]
    if not values or min(values) < 0 or (vd.percent and vd.shape != "ranked"):
        return None
    top = _ranked_top(vd) if vd.shape == "ranked" else max(values) * 1.18
    return [0, top or 1]


def _ranked_top(vd: Described) -> float:
    """The value axis's top for ranked bars: far enough that every bar's label fits beyond its
    end in a phone's plot (the longest bar's above all), yet the bars keep at least 40% of it."""
    items = [(value, len(ISOLATES.sub("", _marked(text, mark)))) for _, value, text, mark in vd.ranked()
             if value is not None]
    longest = max(value for value, _ in items)
    need = max(value / max(0.05, 1 - (chars * CHAR_PX + 10) / PHONE_PLOT) for value, chars in items)
    return min(max(need, longest * 1.18), longest * 2.5)


def figure_dict(vd: Described, width_chars: int = 70) -> dict:
    """The chart for a view, drawn as its shape asks (Described.shape).

    The plain {"data", "layout"} that go.Figure(...).to_plotly_json() would give. The server
    sends this directly (go.Figure deep-copies every list twice: 25 ms for a 1,200-point
    chart); the tests build every kind of view through figure(), so plotly validates it."""
    lang = vd.lang
    rtl = lang == "ar"
    shape = vd.shape
    traces = {"line": _line_traces, "bars": _bar_traces, "ranked": _ranked_traces}.get(shape, lambda _: [])(vd)
    # a published target over time: a dashed line across the chart, named in the legend
    targets = vd.targets if shape == "line" and not vd.empty else []
    target_traces = [dict(type="scatter", x=[vd.x_labels[0], vd.x_labels[-1]], y=[value, value], mode="lines",
                          name=_svg(words, lang), legendgroup=f"target{value}", hoverinfo="name",
                          line=dict(color=MUTED, width=1.5, dash="dash")) for value, words in targets]
    legend = [s.name for s in vd.series] if shape in ("line", "bars") and len(vd.series) > 1 else []
    legend += [words for _, words in targets]
    texts = {name: _texts(vd, lang, chars, legend) for name, chars in (("wide", width_chars), ("narrow", NARROW_CHARS))}
    texts["export"] = _texts(vd, lang, width_chars, legend, credit=True)
    wide = texts["wide"]
    x_anchor = "right" if rtl else "left"
    x_pos = 1 if rtl else 0
    ranked = shape == "ranked"
    foot_anchor = "left" if rtl else "right"
    value_axis = dict(fixedrange=True, rangemode="tozero", gridcolor=GRID, zeroline=True, zerolinecolor=MUTED,
                      tickformat=",~r" if not vd.percent else ".0f", ticksuffix="%" if vd.percent else "",
                      automargin=True, range=_headroom(vd),
                      title=dict(text=_svg(vd.unit, lang), font=dict(size=12, color=MUTED), standoff=8))
    category_axis = dict(type="category", fixedrange=True, showgrid=False, linecolor=MUTED, ticks="outside",
                         tickfont=dict(size=12), automargin=True)
    if ranked:   # categories down the side a reader starts from; in Arabic the bars grow leftwards
        # every bar carries its figure; a few numbers on the axis (not to crowd a phone), the unit under them
        xaxis = {**value_axis, "autorange": "reversed" if rtl else True, "side": "bottom", "nticks": 4}
        if xaxis["range"] is not None:   # the headroom for the labels (Plotly ignores a range it autoranges)
            xaxis["range"], xaxis["autorange"] = xaxis["range"][::-1] if rtl else xaxis["range"], False
        yaxis = {**category_axis, "side": "right" if rtl else "left", "ticks": ""}
    else:
        # long monthly series: a label every few periods, always horizontal, so the source
        # line under the axis is never covered
        xaxis = {**category_axis, "categoryorder": "array", "categoryarray": vd.x_labels, "tickangle": 0,
                 "nticks": wide["nticks"]}
        if shape == "line":   # room beside the first and last points for their labels, off the value axis
            xaxis["range"] = [-0.75, len(vd.x_labels) - 0.25]
        yaxis = {**value_axis, "side": "right" if rtl else "left"}

    layout = dict(
        template=_TEMPLATE, font=dict(family=FONT, size=13, color=INK), separators=".,",
        paper_bgcolor="white", plot_bgcolor="white", height=wide["height"],
        margin=dict(t=wide["top"], b=wide["bottom"], l=64 if not rtl else 24, r=64 if rtl else 24, autoexpand=True),
        title=dict(text=wide["title"], x=x_pos, xanchor=x_anchor, xref="container",
                   y=1, yref="container", yanchor="top", pad=dict(t=12, l=10, r=10), font=dict(size=17, color=INK),
                   subtitle=dict(text=wide["subtitle"], font=dict(size=13, color=MUTED))),
        showlegend=bool(legend),
        legend=dict(orientation=wide["legend"], x=x_pos, xanchor=x_anchor, y=wide["legend_y"], yanchor="top",
                    yref="container",
                    # Plotly lays legend items out left to right; in Arabic the first series goes
                    # on the right, where a right-to-left reader starts
                    traceorder=_legend_order(wide["legend"], rtl), font=dict(size=12),
                    tracegroupgap=LEGEND_GAP,   # between items one a row (each trace is its own group)
                    bgcolor="rgba(255,255,255,0)"),
        hovermode="closest", dragmode=False,
        hoverlabel=dict(font=dict(family=FONT, size=13), align="right" if rtl else "left"),
        xaxis=xaxis, yaxis=yaxis,
        barmode=vd.barmode or "group", bargap=0.35, uniformtext=dict(minsize=10, mode="hide"),
        # the footer hangs from the plot's edge; ranked bars' names take the reader's side of
        # the width, so there it hangs from the other edge, across the plot and under the names
        annotations=[dict(text=wide["foot"], showarrow=False, xref="paper", yref="paper",
                          x=(1 - x_pos) if ranked else x_pos, xanchor=foot_anchor if ranked else x_anchor, y=0, yanchor="top",
                          yshift=-(42 + AXIS_TITLE * ranked), align="right" if rtl else "left", font=dict(size=11, color=MUTED))],
        # assets/spi.js swaps in the "narrow" texts when the chart is drawn on a phone; an
        # exported image has the "export" ones and a credit line (for_export, assets/explorer.js)
        meta=dict(indicator=vd.indicator_id, lang=lang, texts=texts),
    )
    if vd.percent and vd.barmode == "stack" and not ranked:
        layout["yaxis"]["range"] = [0, 100]
    if shape == "line":
        layout["annotations"] += _gap_labels(vd)
    if vd.empty or shape == "number":
        layout["annotations"] += _number(vd) if shape == "number" else [
            dict(text="<br>".join(_lines(words, lang, EMPTY_CHARS) for words in empty_words(vd)), showarrow=False,
                 xref="paper", yref="paper",
                 x=0.5, y=0.5, font=dict(size=15, color=MUTED))]
        layout["xaxis"]["visible"] = False
        layout["yaxis"]["visible"] = False
    notice = releases.embargo_notice(lang)
    if notice:   # across the chart, so a saved image carries it too
        layout["annotations"].append(dict(text=_svg(notice, lang), showarrow=False, xref="paper", yref="paper",
                                          x=0.5, y=0.5, textangle=-12, font=dict(size=20, color="rgba(138,28,28,0.55)")))
    return {"data": traces + target_traces, "layout": layout}


def for_export(fig: dict, credit: str, min_height: int = 0) -> dict:
    """The figure as an exported image draws it: the wide texts with room for the credit line,
    the credit under the source, at least `min_height` px tall. assets/explorer.js does the
    same in the browser for the Download & share panel's PNG and SVG; `spi publish` uses this."""
    layout = copy.deepcopy(fig["layout"])
    tx, rtl = layout["meta"]["texts"]["export"], layout["meta"]["lang"] == "ar"
    layout["title"]["text"], layout["title"]["subtitle"]["text"] = tx["title"], tx["subtitle"]
    layout["annotations"][0]["text"] = "<br>".join(x for x in (tx["foot"], _svg(credit, layout["meta"]["lang"])) if x)
    layout["margin"].update(t=tx["top"], b=tx["bottom"])
    layout["height"] = max(min_height, tx["height"])
    # the legend stays under the subtitle: its place is a share of the height
    legend_y = 1 - (1 - tx["legend_y"]) * tx["height"] / layout["height"]
    layout["legend"].update(orientation=tx["legend"], y=legend_y, traceorder=_legend_order(tx["legend"], rtl))
    return {"data": fig["data"], "layout": layout}


def graph_config(lang: str) -> dict:
    """dcc.Graph config: Plotly's labels in the page's language, and no Plotly toolbar: every
    page with a chart has its own image and data downloads (the Download & share panel; an
    embed links to it), and Plotly's toolbar would sit on the title of an Arabic chart, with
    words of its own in English."""
    return {
        "locale": lang,
        "displayModeBar": False,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "displaylogo": False,
        "responsive": True,
        "scrollZoom": False,
    }
