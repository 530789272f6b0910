"""Dash component trees to HTML, for the server-rendered first paint.

The index page carries the requested page already rendered as HTML (cards, SVG sparklines,
tables, text), so it appears before any JavaScript has loaded; when React has mounted and
rendered the same page, CSS hides this copy (see assets/style.css, `#ssr`) and
assets/spi.js removes it. Until then it is the page, so it keeps the components' ids (a
label names its field, a tab its panel, a script finds a part), and a reader's focus in it
moves to the element with the same id in the live page. Interactive Dash components become
their static equivalents (a link stays a link; a graph is left to its server-drawn twin,
which the page puts beside it).
"""
from __future__ import annotations

from html import escape

from .wire import to_wire

VOID = {"img", "br", "hr", "input", "meta", "link", "source", "col", "wbr"}
PROP_ATTR = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex", "colSpan": "colspan",
             "rowSpan": "rowspan", "readOnly": "readonly", "maxLength": "maxlength", "dateTime": "datetime",
             "accessKey": "accesskey", "spellCheck": "spellcheck", "contentEditable": "contenteditable"}
SKIP = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key", "loading_state",
        "setProps", "persistence", "persisted_props", "persistence_type"}
FIELD_PROPS = {"id", "type", "value", "readOnly", "className", "name", "rows", "lang", "dir"}
TAGS = {"ObjectEl": "object", "Summary": "summary", "Details": "details"}


def _style(style: dict) -> str:
    out = []
    for k, v in style.items():
        prop = "".join("-" + c.lower() if c.isupper() else c for c in k)
        out.append(f"{prop}:{v}")
    return ";".join(out)


def _attrs(props: dict) -> str:
    parts = []
    for name, value in props.items():
        if name in SKIP or name.startswith("_"):
            continue
        if value is None or value is False or isinstance(value, (dict, list)) and name != "style":
            continue
        attr = PROP_ATTR.get(name, name)
        if name == "style" and isinstance(value, dict):
            value = _style(value)
        if value is True:
            parts.append(attr)
        elif isinstance(value, (str, int, float)):
            parts.append(f'{attr}="{escape(str(value), quote=True)}"')
    return (" " + " ".join(dict.fromkeys(parts))) if parts else ""


def to_html(node) -> str:
    """HTML for a component tree, given as components or in Dash's wire form (strings are
    escaped)."""
    return _html(to_wire(node))


def _html(node) -> str:
    if node is None or node is False:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(_html(n) for n in node)
    if isinstance(node, (int, float)):
        return escape(str(node))
    if isinstance(node, str):
        return escape(node)
    if not isinstance(node, dict) or "props" not in node:
        return ""
    ns, typ, props = node.get("namespace"), node.get("type"), node["props"]
    children = props.get("children")
    if ns == "spi_components" and typ == "RawHtml":
        tag = "span" if props.get("inline") else "div"
        cls = props.get("className")
        extra = "".join(f' {k}="{escape(str(v), quote=True)}"' for k, v in props.items()
                        if k.startswith(("data-", "aria-")))
        return f"<{tag}{' class=' + chr(34) + escape(cls) + chr(34) if cls else ''}{extra}>{props.get('html', '')}</{tag}>"
    if ns == "dash_html_components":
        tag = TAGS.get(typ, typ.lower())
        if tag in VOID:
            return f"<{tag}{_attrs(props)}>"
        return f"<{tag}{_attrs(props)}>{_html(children)}</{tag}>"
    if ns == "dash_core_components":
        if typ == "Link":
            cls = props.get("className")
            return (f'<a href="{escape(props.get("href") or "", quote=True)}"'
                    f'{" class=" + chr(34) + escape(cls) + chr(34) if cls else ""}>'
                    f"{_html(children)}</a>")
        if typ in ("Store", "Location", "Interval", "Download", "Clipboard"):
            return ""
        if typ in ("Input", "Textarea"):   # with its value: a read-only address reads before scripts run
            kept = {k: v for k, v in props.items() if k in FIELD_PROPS}
            if typ == "Input":
                return f"<input{_attrs(kept)}>"
            value = kept.pop("value", None)
            return f"<textarea{_attrs(kept)}>{escape(str(value or ''))}</textarea>"
        if typ == "Graph":   # its server-drawn twin stands beside it (dashboard/blocks.py chart_box)
            return ""
        if typ in ("RadioItems", "Checklist"):
            value = props.get("value")
            values = value if isinstance(value, list) else [value]
            items = []
            for opt in props.get("options") or []:
                label = opt.get("label") if isinstance(opt, dict) else opt
                val = opt.get("value") if isinstance(opt, dict) else opt
                mark = "●" if val in values else "○"
                items.append(f'<span class="ssr-option">{mark} {_html(to_wire(label))}</span>')
            return f'<div class="ssr-options {escape(props.get("className") or "")}">{"".join(items)}</div>'
        if typ == "Dropdown":
            label = next((opt.get("label") for opt in props.get("options") or []
                          if isinstance(opt, dict) and opt.get("value") == props.get("value")), "")
            return f'<div class="ssr-dropdown">{_html(to_wire(label))}</div>'
    return _html(children)
