"""Plotly figures from a described view (store/wording.py): data in, figure out, no I/O.

Built with plotly.graph_objects (a figure costs ~1-2 ms; plotly express ~40 ms). The
title, unit, period and source line are drawn on the chart itself, so a PNG exported from
the modebar carries them. In Arabic the value axis and the legend sit on the right, time
still runs left to right, and every Arabic string is isolated right-to-left so brackets and
numbers stay in place inside Plotly's SVG text. Colours: Okabe-Ito, distinguishable with
the common forms of colour blindness.
"""
from __future__ import annotations

import plotly.graph_objects as go

from store import releases
from store.formats import rtl_svg_text
from store.texts import t
from store.wording import Described

# Okabe & Ito (2008): safe for deuteranopia, protanopia and tritanopia
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "'Noto Sans Arabic', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
INK, MUTED, GRID = "#1b1f24", "#4a5360", "#e3e6ea"
MAX_LABELLED_POINTS = 14
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


def _texts(vd: Described, lang: str, chars: int) -> dict:
    """Title, subtitle and footer wrapped for a chart about `chars` characters wide."""
    title = wrap(vd.title, chars)
    sub = wrap(vd.subtitle, int(chars * 1.3))
    foot = [line for text in [*vd.notes, vd.source_line] if text for line in wrap(text, int(chars * 1.45))]
    top = 34 + 24 * len(title) + 18 * len(sub) + (28 if len(vd.series) > 1 else 0)
    bottom = 58 + 16 * len(foot)
    return {"title": "<br>".join(_svg(x, lang) for x in title), "subtitle": "<br>".join(_svg(x, lang) for x in sub),
            "foot": "<br>".join(_svg(x, lang) for x in foot), "top": top, "bottom": bottom,
            "height": max(420, 300 + top + bottom)}


def figure(vd: Described, width_chars: int = 70, validate: bool = True) -> go.Figure:
    """The chart for a view as a plotly.graph_objects Figure (validated property by property)."""
    return go.Figure(figure_dict(vd, width_chars), _validate=validate)


def figure_dict(vd: Described, width_chars: int = 70) -> dict:
    """The chart for a view: markers for every published point, no line across a gap.

    The plain {"data", "layout"} that go.Figure(...).to_plotly_json() would give. The server
    sends this directly (go.Figure deep-copies every list twice: 25 ms for a 1,200-point
    chart); the tests build every kind of view through figure(), so plotly validates it."""
    lang = vd.lang
    rtl = lang == "ar"
    traces = []
    labelled = len(vd.periods) <= MAX_LABELLED_POINTS
    for n, s in enumerate(vd.series):
        colour = PALETTE[n % len(PALETTE)]
        marked = any(s.marks)   # provisional, estimated…: hollow markers or lighter bars, and said on hover
        hover = [f"{text} · {mark}" if mark else text for text, mark in zip(s.texts, s.marks)] if marked else s.texts
        common = dict(x=vd.x_labels, y=s.values, name=_svg(s.name, lang), customdata=hover,
                      hovertemplate="%{x}: %{customdata}<extra>" + _svg(s.name, lang) + "</extra>")
        if vd.kind == "line":
            symbol = ["circle", "square", "diamond", "triangle-up"][n % 4]
            traces.append(dict(
                type="scatter", **common, mode="lines+markers+text" if labelled else "lines+markers", connectgaps=False,
                line=dict(color=colour, width=2.5, dash="dot" if s.derived else "solid"),
                marker=dict(color=colour, size=10,
                            symbol=[f"{symbol}-open" if mark else symbol for mark in s.marks] if marked else symbol,
                            line=dict(color=colour if marked else "white", width=2 if marked else 1.5)),
                text=s.texts if labelled else None, textposition="top center",
                textfont=dict(color=INK, size=13), cliponaxis=False))
        else:
            traces.append(dict(
                type="bar", **common, marker=dict(color=colour, line=dict(color="white", width=0.5),
                                      opacity=[0.45 if mark else 1 for mark in s.marks] if marked else 1,
                                      pattern=dict(shape="/" if s.derived and not vd.percent else "")),
                text=s.texts if labelled else None, texttemplate="%{text}" if labelled else None,
                textposition="inside" if vd.barmode == "stack" else "outside", insidetextanchor="middle",
                textfont=dict(size=12), cliponaxis=False))

    texts = {name: _texts(vd, lang, chars) for name, chars in (("wide", width_chars), ("narrow", NARROW_CHARS))}
    wide = texts["wide"]
    x_anchor = "right" if rtl else "left"
    x_pos = 1 if rtl else 0

    layout = dict(
        template=_TEMPLATE, font=dict(family=FONT, size=13, color=INK), separators=".,",
        paper_bgcolor="white", plot_bgcolor="white", height=wide["height"],
        margin=dict(t=wide["top"], b=wide["bottom"], l=64 if not rtl else 24, r=64 if rtl else 24, autoexpand=True),
        title=dict(text=wide["title"], x=x_pos, xanchor=x_anchor, xref="container",
                   y=1, yref="container", yanchor="top", pad=dict(t=12, l=10, r=10), font=dict(size=17, color=INK),
                   subtitle=dict(text=wide["subtitle"], font=dict(size=13, color=MUTED))),
        showlegend=len(vd.series) > 1,
        legend=dict(orientation="h", x=x_pos, xanchor=x_anchor, y=1.0, yanchor="bottom", yref="paper",
                    # Plotly lays legend items out left to right; in Arabic the first series goes
                    # on the right, where a right-to-left reader starts
                    traceorder="reversed" if rtl else "normal", font=dict(size=12),
                    bgcolor="rgba(255,255,255,0)"),
        hovermode="closest", dragmode=False,
        hoverlabel=dict(font=dict(family=FONT, size=13), align="right" if rtl else "left"),
        xaxis=dict(type="category", categoryorder="array", categoryarray=vd.x_labels, fixedrange=True,
                   showgrid=False, linecolor=MUTED, ticks="outside", tickfont=dict(size=12), automargin=True,
                   # long monthly series: a label every few periods, always horizontal, so the
                   # source line under the axis is never covered
                   tickangle=0, nticks=8 if len(vd.x_labels) > 12 else 0),
        yaxis=dict(side="right" if rtl else "left", fixedrange=True, rangemode="tozero", gridcolor=GRID,
                   zeroline=True, zerolinecolor=MUTED, tickformat=",~r" if not vd.percent else ".0f",
                   ticksuffix="%" if vd.percent else "", automargin=True,
                   title=dict(text=_svg(vd.unit, lang), font=dict(size=12, color=MUTED), standoff=8)),
        barmode=vd.barmode or "group", bargap=0.35,
        annotations=[dict(text=wide["foot"], showarrow=False,
                          xref="paper", yref="paper", x=x_pos, xanchor=x_anchor, y=0, yanchor="top",
                          yshift=-(34 + 8), align="right" if rtl else "left", font=dict(size=11, color=MUTED))],
        # assets/spi.js swaps in the "narrow" texts when the chart is drawn on a phone
        meta=dict(indicator=vd.indicator_id, lang=lang, texts=texts),
    )
    if vd.percent and vd.barmode == "stack":
        layout["yaxis"]["range"] = [0, 100]
    if vd.empty:
        layout["annotations"].append(dict(text=_svg(t("no_data_view", lang), lang), showarrow=False, xref="paper",
                                          yref="paper", x=0.5, y=0.5, font=dict(size=15, color=MUTED)))
        layout["xaxis"]["visible"] = False
        layout["yaxis"]["visible"] = False
    for value, words in vd.targets:   # a published target: a dashed line across the chart, named
        layout.setdefault("shapes", []).append(dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=value, y1=value,
                                                    line=dict(color=MUTED, width=1.5, dash="dash")))
        layout["annotations"].append(dict(text=_svg(words, lang), showarrow=False, xref="paper", yref="y",
                                          x=x_pos, xanchor=x_anchor, y=value, yanchor="bottom",
                                          font=dict(size=11, color=MUTED)))
    notice = releases.embargo_notice(lang)
    if notice:   # across the chart, so a saved image carries it too
        layout["annotations"].append(dict(text=_svg(notice, lang), showarrow=False, xref="paper", yref="paper",
                                          x=0.5, y=0.5, textangle=-12, font=dict(size=20, color="rgba(138,28,28,0.55)")))
    return {"data": traces, "layout": layout}


def graph_config(indicator_id: str, lang: str, filename_suffix: str = "", toolbar: bool = True) -> dict:
    """dcc.Graph config: Plotly's labels in the page's language, a PNG named after the indicator.
    toolbar=False where the page has its own download buttons (the explorer): Plotly's toolbar
    would sit on the title of an Arabic chart, with words of its own in English."""
    return {
        "locale": lang,
        "displayModeBar": toolbar,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "displaylogo": False,
        "responsive": True,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d",
                                   "autoScale2d", "resetScale2d", "toggleSpikelines", "hoverClosestCartesian",
                                   "hoverCompareCartesian"],
        "toImageButtonOptions": {"format": "png", "filename": f"{indicator_id}{filename_suffix}_{lang}",
                                 "scale": 2, "width": 1000, "height": 600},
    }
