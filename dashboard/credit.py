"""The credit an exported chart image carries under its source: the site, the view's address
and the licence, so that a chart printed or pasted elsewhere says where it came from and on
what terms. Used by the Download & share panel (dashboard/blocks.py, drawn by
assets/explorer.js) and by `spi publish` (spi/publish.py); dashboard.figures.for_export puts
it under the source line.

It must fit the image: a view's address can be longer than the image is wide, and the
licence at its end would fall off the edge. So the credit is one line where it fits, else the
site and the licence on a line (the licence always whole), then the address on lines of its
own, broken after its `?`, `&` and `,`; a part longer than a line is shortened in the middle.
A line is as long as the source line above it may be (dashboard/figures.py wraps that at
70 × 1.45 characters), so it fits wherever the source fits.
"""
from __future__ import annotations

import re

from store.formats import FSI, LRI, PDI, RLI, rtl_svg_text
from store.texts import ltr, t

LINE_CHARS = 100   # characters of a footer line under an exported chart
LINE_PX = 16       # px a footer line takes (figures.py keeps room for one line of credit)
ELLIPSIS = "…"


def image_credit(lang: str, address: str, licence: str) -> str:
    """The credit's lines (joined by <br>, each isolated for Plotly's SVG text in Arabic)."""
    site = t("site_title", lang)
    whole = t("image_credit", lang, site=site, address=address, licence=licence)
    if _length(whole) <= LINE_CHARS:
        return rtl_svg_text(whole, lang)
    terms = rtl_svg_text(t("image_credit_terms", lang, site=site, licence=licence), lang)
    return "<br>".join([terms, *(ltr(line, lang) for line in address_lines(address))])


def address_lines(address: str, chars: int = LINE_CHARS) -> list[str]:
    """The address in lines of at most `chars` characters, broken after a separator."""
    lines = [""]
    for part in re.split(r"(?<=[?&,])", address):
        part = shortened(part, chars)
        if lines[-1] and len(lines[-1]) + len(part) > chars:
            lines.append("")
        lines[-1] += part
    return lines


def shortened(text: str, chars: int) -> str:
    """`text` in at most `chars` characters: its start and its end, an ellipsis between."""
    if len(text) <= chars:
        return text
    head = (chars - 1) * 2 // 3
    return text[:head] + ELLIPSIS + text[len(text) - (chars - 1 - head):]


def room(credit: str) -> int:
    """The px an exported image needs at its foot beyond the one credit line figures.py keeps."""
    return LINE_PX * credit.count("<br>")


def with_room(fig: dict, credit: str) -> dict:
    """An exported figure (for_export) with room for every line of its credit: taller at its
    foot by room(credit), the plot and the texts above it where they were (the legend, placed
    in a share of the height, is moved back to its place). assets/explorer.js does the same."""
    extra = room(credit)
    layout = fig["layout"]
    height = layout["height"]
    legend = {**layout["legend"], "y": round(1 - (1 - layout["legend"]["y"]) * height / (height + extra), 4)}
    return {"data": fig["data"], "layout": {**layout, "height": height + extra, "legend": legend,
                                            "margin": {**layout["margin"], "b": layout["margin"]["b"] + extra}}}


def _length(text: str) -> int:
    """Characters a reader sees (not the invisible isolates)."""
    return sum(ch not in (LRI, RLI, FSI, PDI) for ch in text)
