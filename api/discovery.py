"""What search engines read to find every page: /sitemap.xml (the sitemaps.org protocol, with
each page's language versions as xhtml:link alternates) and /robots.txt.

The page list is computed here from the read layer, not from the dashboard (api/ may not import
dashboard/: tests/test_layers.py); tests/opendata/test_sitemap.py checks it against the
dashboard's page registry, so that a new page cannot be left out silently, and fetches every
address through the real server. The addresses are the ones the site's own links use
(dashboard/layout.py `href`: the path, its parameters, then `lang`), one per language:

  /                                  the overview
  /explorer?indicator=<id>[&view=…]  every indicator, in each view the explorer offers for it
                                     (store.view.views_for; the share panel's permalink of each)
  /indicator/<id>, /embed/<id>       every indicator's data page, and its chart for <iframe>s
  /governorates?country=<c>, /framework?country=<c>   per country
  /data, /about, /releases, /releases?release=<id>    the rest, and each public release

Each page's `lastmod`: when the figures it shows last changed, by the releases read (the time
the latest release that changed the indicator went public; a release's own page, its time),
else the time the live release went public, or, for a site that serves one build, when it was
built. A release under embargo is in none of it for the public (store.queries.release_list).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import urlencode

from contract.schema import LANGS
from store.queries import release_changes
from store.texts import DEFAULT_LANG
from store.view import parse_view, views_for

from .feeds import rfc3339

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
ET.register_namespace("", SITEMAP)
ET.register_namespace("xhtml", XHTML)

# The pages' paths, as the dashboard registers them (dashboard/pages/*.py; the 404 page aside).
PAGES = ("/", "/explorer", "/indicator/<indicator>", "/embed/<indicator>", "/governorates", "/framework", "/data",
         "/about", "/releases")


def page_addresses(m, known: list[dict]) -> list[tuple[str, dict, datetime]]:
    """(path, query without lang, lastmod) of every public page, in the order of PAGES."""
    live = known[-1]["public_at"] if known else m.built_at
    changed: dict[str, datetime] = {}
    for r in known:   # oldest first: the last release that changed an indicator wins
        for c in release_changes(m, r["release_id"]):
            changed[c["indicator_id"]] = r["public_at"]
    out: list[tuple[str, dict, datetime]] = [("/", {}, live)]
    for ind in m.indicators:
        for kind in views_for(m, ind):
            for breakdown in (m.indicators[ind]["breakdowns"] if kind == "breakdown" else [None]):
                params = {"indicator": ind, **({"view": kind} if kind != "time" else {}),
                          **({"breakdown": breakdown} if breakdown else {})}
                query = parse_view(params, m, DEFAULT_LANG).query()
                query.pop("lang")
                out.append(("/explorer", query, changed.get(ind, live)))
    out += [(f"/indicator/{ind}", {}, changed.get(ind, live)) for ind in m.indicators]
    out += [(f"/embed/{ind}", {}, changed.get(ind, live)) for ind in m.indicators]
    out += [(page, {"country": c}, live) for page in ("/governorates", "/framework") for c in m.countries]
    out += [("/data", {}, live), ("/about", {}, live), ("/releases", {}, live)]
    out += [("/releases", {"release": r["release_id"]}, r["public_at"]) for r in reversed(known)]
    return out


def address(base: str, path: str, query: dict, lang: str) -> str:
    """The page's address in `lang`, as the site's own links write it (dashboard/layout.py href)."""
    return f"{base}{path}?{urlencode({**query, 'lang': lang}, safe=',')}"


def sitemap(m, known: list[dict], base: str) -> bytes:
    """Every page in each language, each with all its language versions (and x-default: the
    Arabic, which an address without `lang` gives) as alternates."""
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path, query, lastmod in page_addresses(m, known):
        versions = {lang: address(base, path, query, lang) for lang in LANGS}
        for lang in LANGS:
            url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = versions[lang]
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = rfc3339(lastmod)
            for code, href in [*versions.items(), ("x-default", versions[DEFAULT_LANG])]:
                ET.SubElement(url, f"{{{XHTML}}}link", {"rel": "alternate", "hreflang": code, "href": href})
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def robots(base: str) -> str:
    """robots.txt: the public site may be crawled; each Disallow says why. Rules are written so
    that the first match (urllib.robotparser) and the longest match (RFC 9309) agree."""
    return "\n".join([
        "# The public site and its open data may be crawled and indexed; the pages are listed in the sitemap.",
        "User-agent: *",
        "# The scripts a page runs, for a crawler that renders pages (each page is served drawn already)",
        "Allow: /_dash-component-suites/",
        "# Dash's internals (its layout, dependencies and callbacks): the app's wiring, not pages",
        "Disallow: /_dash-",
        "# The reviewers' sign-in and sign-out: a form for a few people, with nothing public behind it",
        "Disallow: /signin",
        "Disallow: /signout",
        "# API paging: limit and offset make countless addresses of the same rows; each indicator's",
        "# figures are one file at /data/<indicator>.csv, and all of them at /data/all.csv",
        "Disallow: /api/v1/observations",
        "Allow: /",
        "",
        f"Sitemap: {base}/sitemap.xml",
        "",
    ])
