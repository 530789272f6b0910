"""The page shell every page shares: skip link, header with the navbar built from the page
registry, the language switch, the main region, the footer. Plus small helpers pages use.

Pages register themselves with `name_ar` / `name_en` (and `nav=False` to stay out of the
navbar); `order` sets their place. The navbar reads dash.page_registry, so a new page
appears without touching this file. Every function takes the page's language, already
checked (dashboard/app.py reads it once per page).
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import dcc, html

from store import releases
from store.catalogue import meta
from store.formats import local_time, zone_name
from store.texts import direction, other_lang, t


def href(path: str, lang: str, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "", [], ())}
    query["lang"] = lang
    return f"{path}?{urlencode(query, safe=',')}"


def nav_pages() -> list[dict]:
    pages = [p for p in dash.page_registry.values() if p.get("nav", True) and not p.get("path_template")
             and p.get("module", "").split(".")[-1] != "not_found_404"]
    return sorted(pages, key=lambda p: (p.get("order") if p.get("order") is not None else 99, p["path"]))


def page_name(page: dict, lang: str) -> str:
    return page.get(f"name_{lang}") or page.get("name") or page["path"]


def shell(lang: str, active_path: str, content, switch_params: dict | None = None, wide: bool = False) -> html.Div:
    """The whole page: header (title, navbar, language switch), <main>, footer."""
    other = other_lang(lang)
    links = []
    for page in nav_pages():
        current = page["path"] == active_path
        links.append(html.Li(html.A(page_name(page, lang), href=href(page["path"], lang),
                                    className="nav-link spa-link" + (" active" if current else ""),
                                    **({"aria-current": "page"} if current else {}))))
    switch_href = href(active_path, other, **{k: v for k, v in (switch_params or {}).items() if k != "lang"})
    try:
        build = meta()
        build_text = [f"{t('build', lang)}: ", _unbroken(build.build_id), " · ",
                      _unbroken(f"{local_time(build.built_at, build.timezone):%Y-%m-%d %H:%M}"),
                      f" ({zone_name(build.timezone, lang)})"]
    except (OSError, RuntimeError):  # no database, or one that cannot be read: the page says so itself
        build_text = []
    choice = releases.current()
    if choice is not None:
        template = t("release_read", lang)
        head, rest = template.split("{release}")
        middle, tail = rest.split("{when}")
        build_text = [head, _unbroken(choice.release.release_id), middle,
                      _unbroken(f"{choice.release.local_time():%Y-%m-%d}"), tail]
    embargo = releases.embargo_notice(lang)
    return html.Div(className="page" + (" wide" if wide else ""), lang=lang, dir=direction(lang), children=[
        html.A(t("skip_to_content", lang), href="#main", className="skip-link"),
        html.Header(className="site-header", children=[
            html.Div(className="header-inner", children=[
                dcc.Link(className="brand", href=href("/", lang), children=[
                    html.Span(className="brand-mark", **{"aria-hidden": "true"}),
                    html.Span(t("site_title", lang)),
                ]),
                html.Nav(html.Ul(links, className="nav-list"), className="site-nav",
                         **{"aria-label": t("main_nav", lang)}),
                html.A(t("switch_lang", lang), href=switch_href, className="lang-switch", lang=other,
                       hrefLang=other, title=t("switch_lang_label", lang), **{"data-lang": other}),
            ]),
        ]),
        html.Div(embargo, className="embargo-banner", role="alert") if embargo else None,
        html.Main(id="main", tabIndex="-1", className="site-main", children=content),
        html.Footer(className="site-footer", children=[
            html.P(t("footer_licence", lang)),
            html.P(build_text, className="build-info") if build_text else None,
            html.P(html.A(t("reviewers_signin", lang), href=f"/signin?lang={lang}", className="signin-link")),
        ]),
    ])


def _unbroken(text: str) -> html.Span:
    """A date or an id kept on one line (a phone would break 2026-11-24 at its hyphens)."""
    return html.Span(text, className="nowrap", dir="ltr")


def message_box(messages, lang: str):
    """Friendly notices for URL parameters that had to be replaced (role=status, polite)."""
    if not messages:
        return None
    return html.Div(className="notice", role="status", children=[html.P(m) for m in messages])


def notice_page(lang: str, active_path: str, text: str, role: str = "alert"):
    """A page that only says something went wrong (no database, an unknown address…)."""
    return shell(lang, active_path, [html.Div(className="notice notice-error", role=role, children=html.P(text))])
