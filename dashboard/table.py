"""The explorer's Table tab: the exact figures of a view as an HTML table, sortable in the
browser (assets/spi.js), with every source's title once under it.

Written as one HTML string in one RawHtml component, every text escaped: a 1,000-row table
costs a string, not thousands of Dash components.

On a phone every table of the site built here (the Table tab, and phone_table's for the other
pages) is one card per row, by CSS alone (assets/style.css, .card-table), so that the
server's copy and the live page look the same: each cell carries its column's name in
data-label, which the card shows before it, and the Table tab's card puts the value first.
The card changes the cells' display, which takes a table's meaning away from screen readers
in some browsers: the cells' roles (role="table", "row", "cell"…) keep it.
"""
from __future__ import annotations

import functools
from html import escape

from dash import html

from store.catalogue import meta
from store.formats import fmt_number
from store.texts import semicolon, t
from store.view import View
from store.wording import Described

from .blocks import data_links
from .components import RawHtml

TABLE_MAX_ROWS = 100  # a page, not a spreadsheet: a long series' full table is its CSV, linked under it
COLUMNS = ("period", "area", "category", "value", "unit", "source")
# A table escapes ~3,500 cells, mostly the same few areas, categories, units and sources
_esc = functools.lru_cache(maxsize=8192)(escape)


def _head(lang: str) -> str:
    cells = []
    for n, col in enumerate(COLUMNS):
        label = t(f"col_{col}", lang)
        if col == "unit":
            cells.append(f'<th scope="col" role="columnheader">{_esc(label)}</th>')
            continue
        sort, mark = ("ascending", "▲") if col == "period" else ("none", "↕")
        kind = "number" if col == "value" else "text"
        cells.append(f'<th scope="col" role="columnheader" aria-sort="{sort}"><button class="sort-button" type="button" data-col="{n}" '
                     f'data-type="{kind}" title="{_esc(t("sort_by", lang, col=label))}">{_esc(label)}'
                     f'<span class="sort-mark" aria-hidden="true">{mark}</span></button></th>')
    return "".join(cells)


def _row(r: dict, derived_tag: str, labels: dict[str, str]) -> str:
    value_key = "" if r["value"] is None else repr(float(r["value"]))
    tag = f'<span class="derived-tag">{derived_tag}</span>' if r["derived"] else ""
    status = f' <span class="status-tag">({_esc(r["status"])})</span>' if r["status"] else ""
    return (f'<tr role="row"{" class=" + chr(34) + "derived-row" + chr(34) if r["derived"] else ""}>'
            f'<td role="cell" {labels["period"]} data-sort="{_esc(r["sort_period"])}">{_esc(r["period_text"])}</td>'
            f'<td role="cell" {labels["area"]}>{_esc(r["area"])}</td>'
            f'<td role="cell" {labels["category"]}>{_esc(r["category"])}{tag}</td>'
            f'<td role="cell" class="num" data-sort="{value_key}">{_esc(r["value_text"])}{status}</td>'
            f'<td role="cell" class="unit">{_esc(r["unit"])}</td>'
            f'<td role="cell" {labels["source"]} class="source">{_esc(r["source"])}</td></tr>')


def table_block(view: View, words: Described):
    """The table of a view: its most recent TABLE_MAX_ROWS rows, oldest first."""
    lang = view.lang
    rows = words.latest(TABLE_MAX_ROWS)   # oldest first, as sort_table(…, "period") orders them
    total_rows = len(words.numbers.table)
    derived = _esc(f" ({t('derived', lang)})")
    # the value and its unit open the card without a name (the card's first line)
    labels = {col: f'data-label="{_esc(t(f"col_{col}", lang))}"' for col in ("period", "area", "category", "source")}
    body = [_row(r, derived, labels) for r in rows] or \
        [f'<tr role="row"><td role="cell" colspan="{len(COLUMNS)}">{_esc(t("no_data_view", lang))}</td></tr>']
    caption = _esc(t("table_caption", lang, name=meta().indicators[view.indicator][f"name_{lang}"]))
    table = (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{caption}">'
             f'<table class="data-table sortable card-table value-first" role="table"><caption>{caption}</caption>'
             f'<thead role="rowgroup"><tr role="row">{_head(lang)}</tr></thead>'
             f'<tbody role="rowgroup">{"".join(body)}</tbody></table></div>')
    more = html.P([t("table_truncated", lang, shown=fmt_number(len(rows), lang), total=fmt_number(total_rows, lang)),
                   " ", html.A(t("table_all_rows", lang), href=data_links(view, meta())["csv"], download="",
                               id="explorer-table-all")],
                  className="muted") if total_rows > len(rows) else None
    # each source's title once, under the table, rather than on each of hundreds of rows
    titles = dict.fromkeys(f"{r['source']}: {r['source_title']}" if r["source_title"] else r["source"] for r in rows)
    cited = html.P(f"{t('sources', lang)}: " + semicolon(lang).join(titles),
                   className="muted table-sources") if titles else None
    return html.Div([more, RawHtml(html=table, id="explorer-datatable"), cited])


def phone_table(ident: str, name: str, labels: list[str], rows: list[list], row_header: int | None = None,
                classes: dict[int, str] | None = None):
    """A table of Dash components that a phone shows as one card per row (see the module's
    docstring): `rows` are the cells' contents, in the order of the columns `labels`; the
    cell in column `row_header` names its row (a <th>, the card's title); `classes` gives a
    column's cells their class ("num" for a figure)."""
    classes = classes or {}

    def cell(n: int, content):
        if n == row_header:
            return html.Th(content, scope="row", role="rowheader", className=classes.get(n))
        return html.Td(content, role="cell", className=classes.get(n), **{"data-label": labels[n]})

    head = html.Thead(html.Tr([html.Th(label, scope="col", role="columnheader") for label in labels], role="row"),
                      role="rowgroup")
    body = html.Tbody([html.Tr([cell(n, c) for n, c in enumerate(row)], role="row") for row in rows], role="rowgroup")
    return html.Div(className="table-wrap", tabIndex="0", role="region", **{"aria-label": name},
                    children=html.Table([head, body], className="data-table card-table", id=ident, role="table"))
