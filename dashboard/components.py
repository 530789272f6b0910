"""One small component of our own: `RawHtml`, markup we generate on the server (SVG
sparklines, the governorate map) shown inline, so its links and <title>s work and it is
identical in the server-rendered first paint and in the React page.

The JavaScript side is ten lines in assets/spi.js (`window.spi_components.RawHtml`). Only
pass markup built by our own code with every text escaped (dashboard/svg.py does this).
"""
from __future__ import annotations

from dash.development.base_component import Component


class RawHtml(Component):
    """<div> (or <span>) whose inner HTML is `html`."""

    _children_props: list = []
    _base_nodes = ["children"]
    _namespace = "spi_components"
    _type = "RawHtml"

    def __init__(self, html: str = "", id=None, className: str | None = None, inline: bool = False, **kwargs):
        self._prop_names = ["id", "html", "className", "inline"]
        self._valid_wildcard_attributes = ["data-", "aria-"]
        self.available_properties = ["id", "html", "className", "inline", "data-*", "aria-*"]
        self.available_wildcard_properties = ["data-", "aria-"]
        args = {"html": html, "inline": inline}
        if id is not None:
            args["id"] = id
        if className is not None:
            args["className"] = className
        args.update(kwargs)
        super().__init__(**args)
