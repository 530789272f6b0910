"""Atom feeds (RFC 4287) for people who follow releases in a feed reader, written with
xml.etree:

  /releases.atom ?lang           one entry per public release: its note, what it added,
                                 revised, amended and withdrew (the counts /api/v1/releases gives)
  /data/<indicator>.atom ?lang   one entry per release that changed the indicator's figures,
                                 with its latest figure of each place as that release published it

Why /data/<indicator>.atom and not /indicator/<id>.atom: /data/<indicator>.<ext> is where an
indicator's machine-readable files are (csv, xlsx, json, zip; api/routes.py), and a feed is one
more of them, with the same rules (a parameter the address does not take is a 400, an indicator
the catalogue does not have a 404 JSON error, ETags made by the route: spi/caching.py DATA).
/indicator/<id> is a page of the dashboard, whose router owns that prefix.

What the public receives: the releases up to the one the request reads (store.queries.
release_list), which for the public is the live release, so an embargoed release has no entry
before its time; a reviewer's request reads it, and its answer is private (spi/embargo.py).
An indicator's figure of an entry is read from that release's own database (as `as_of=<id>`
reads it), so each entry says what was published then, never a later revision.

Each feed is in one language (`lang`, Arabic by default: xml:lang on the feed), and links to
the other language's feed and pages as `alternate` with `hreflang`. A release made before
notes had both languages has its English note only, marked xml:lang/lang="en" where it stands.
A feed's id is its own address; an entry's a tag: URI (RFC 4151) on the site's public host
(store.address.public_base), one per release, indicator and language, dated by the release;
dates are RFC 3339 in UTC.
"""
from __future__ import annotations

import contextlib
import functools
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from html import escape
from urllib.parse import urlencode, urlsplit

from contract.schema import CHANGES
from store import datapage, releases
from store.catalogue import meta
from store.database import releases as releases_folder
from store.queries import release_changes
from store.series import chart
from store.texts import direction, other_lang, separator, t
from store.wording import describe

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml"
RELEASE_ENTRIES = 50     # the newest releases a feed carries (the API and /releases have them all)
INDICATOR_ENTRIES = 20   # each entry reads its release's database: the newest 20 changes of an indicator

ET.register_namespace("", ATOM)


def rfc3339(when: datetime) -> str:
    """A database time (naive UTC) or an aware one as RFC 3339 in UTC: 2026-11-24T05:00:00Z."""
    aware = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def tag(base: str, when: datetime, *path: str) -> str:
    """A tag: URI on the public host (without a port, which a tag's authority cannot have),
    dated by `when` (the day the thing it names came to be), so it never changes."""
    host = urlsplit(base).hostname or "localhost"
    return f"tag:{host},{when:%Y-%m-%d}:{'/'.join(path)}"


def counts_text(r: dict, lang: str) -> str:
    """'3 added, 1 revised' from a row with a count per kind of change (CHANGES)."""
    said = [t(f"change_{c}_n", lang, n=int(r.get(c) or 0)) for c in CHANGES if r.get(c)]
    return separator(lang).join(said) or t("feed_no_change", lang)


def note_html(r: dict, lang: str) -> str:
    """The release's note as a paragraph in its own language: in `lang` where it has one,
    else the English note marked as English."""
    note_lang = lang if r["note_ar" if lang == "ar" else "note"] else other_lang(lang)
    text = r["note_ar" if note_lang == "ar" else "note"] or ""
    return f'<p lang="{note_lang}" dir="{direction(note_lang)}">{escape(text)}</p>'


def _page(base: str, path: str, lang: str, **query) -> str:
    return f"{base}{path}?{urlencode({**{k: v for k, v in query.items() if v}, 'lang': lang})}"


def _el(parent, name: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
    if text is not None:
        el.text = text
    return el


def _link(parent, href: str, rel: str, type_: str, hreflang: str | None = None, title: str | None = None) -> None:
    attrs = {"rel": rel, "type": type_, "href": href}
    if hreflang:
        attrs["hreflang"] = hreflang
    if title:
        attrs["title"] = title
    ET.SubElement(parent, f"{{{ATOM}}}link", attrs)


def _feed(m, lang: str, base: str, title: str, subtitle: str, self_path: str, page_path: str,
          updated: datetime) -> ET.Element:
    """The feed's head: id (its own address, which stays when its first entry comes or a build
    is made), titles, its address and the other language's, the page it follows in both
    languages, author, licence (rights, rel=license), updated."""
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    _el(feed, "id", f"{base}{self_path}?lang={lang}")
    _el(feed, "title", title)
    _el(feed, "subtitle", subtitle)
    _el(feed, "updated", rfc3339(updated))
    _link(feed, f"{base}{self_path}?lang={lang}", "self", MEDIA_TYPE, lang)
    _link(feed, f"{base}{self_path}?lang={other_lang(lang)}", "alternate", MEDIA_TYPE, other_lang(lang))
    for code in (lang, other_lang(lang)):
        _link(feed, _page(base, page_path, code), "alternate", "text/html", code)
    _link(feed, m.licence["url"], "license", "text/html", title=m.licence["name"])
    author = _el(feed, "author")
    _el(author, "name", t("site_title", lang))
    _el(author, "uri", f"{base}/?lang={lang}")
    note = m.licence["note"].get(lang) or ""
    _el(feed, "rights", f"{m.licence['name']} ({m.licence['url']})" + (f" {note}" if note else ""))
    _el(feed, "generator", "social-protection-indicators")
    return feed


def _entry(feed, ident: str, title: str, when: datetime, links: list[tuple[str, str, str, str | None]],
           summary: str, content: str) -> None:
    entry = _el(feed, "entry")
    _el(entry, "id", ident)
    _el(entry, "title", title)
    _el(entry, "published", rfc3339(when))
    _el(entry, "updated", rfc3339(when))
    for href, rel, type_, hreflang in links:
        _link(entry, href, rel, type_, hreflang)
    _el(entry, "summary", summary, type="text")
    _el(entry, "content", content, type="html")


def _bytes(feed: ET.Element) -> bytes:
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def releases_feed(m, known: list[dict], lang: str, base: str) -> bytes:
    """The feed of `known` releases (oldest first, as release_list gives them): newest first."""
    newest = list(reversed(known))[:RELEASE_ENTRIES]
    feed = _feed(m, lang, base, t("feed_releases_title", lang), t("feed_releases_subtitle", lang), "/releases.atom",
                 "/releases", newest[0]["public_at"] if newest else m.built_at)
    for r in newest:
        rid = r["release_id"]
        counts = counts_text(r, lang)
        links = [(_page(base, "/releases", code, release=rid), "alternate", "text/html", code)
                 for code in (lang, other_lang(lang))]
        links.append((f"{base}/api/v1/releases/{rid}/changes", "related", "application/json", None))
        _entry(feed, tag(base, r["public_at"], "releases", rid, lang), t("feed_release_entry", lang, release=rid),
               r["public_at"], links, counts, note_html(r, lang) + f"<p>{escape(counts)}</p>")
    return _bytes(feed)


@contextlib.contextmanager
def _published_by(release_id: str):
    """Within a request, read the release `release_id` (as `as_of=<id>` would), then the one
    the request reads again. Outside a served releases folder there is nothing else to read."""
    folder, choice = releases_folder(), releases.current()
    if folder is None or choice is None or choice.release.release_id == release_id:
        yield
        return
    token = releases.reading(folder.choose(choice.reviewer, release_id))
    try:
        yield
    finally:
        releases.done(token)


def changes_of(m, indicator: str, known: list[dict]) -> list[tuple[dict, dict]]:
    """(release, its counts of changes in `indicator`) for each of the `known` releases that
    changed one of its figures, newest first, at most INDICATOR_ENTRIES."""
    out = []
    for r in reversed(known):
        counts: dict[str, int] = {}
        for c in release_changes(m, r["release_id"]):
            if c["indicator_id"] == indicator:
                counts[c["change"]] = counts.get(c["change"], 0) + 1
        if counts:
            out.append((r, counts))
            if len(out) == INDICATOR_ENTRIES:
                break
    return out


def latest_as_published(indicator: str, lang: str, release: dict):
    """(the latest figure of each place, the source line) as `release` published them: the
    Data page's own reading (store.datapage) of that release's database. A release never
    changes once made, so this is kept per release entry (its id and the hash of its entry in
    the chain): a feed is not a reason to load every release's catalogue again (the read
    layer keeps a few: store/catalogue.py KEPT_BUILDS)."""
    return _latest_as_published(indicator, lang, release["release_id"], release["entry_sha256"])


@functools.lru_cache(maxsize=1024)
def _latest_as_published(indicator: str, lang: str, release_id: str, _entry_sha256: str):
    with _published_by(release_id):
        m = meta()
        if indicator not in m.indicators:
            return (), ""
        words = describe(chart(datapage.view(m, indicator, lang, None), m), m)
        return tuple(datapage.latest_by_place(words, m)), words.source_line


def indicator_feed(m, indicator: str, known: list[dict], lang: str, base: str) -> bytes:
    """The feed of the releases that changed `indicator`, each with its latest figures then."""
    name = m.indicators[indicator][f"name_{lang}"]
    changed = changes_of(m, indicator, known)
    feed = _feed(m, lang, base, t("feed_indicator_title", lang, name=name),
                 m.indicators[indicator].get(f"definition_{lang}") or name, f"/data/{indicator}.atom",
                 f"/indicator/{indicator}", changed[0][0]["public_at"] if changed else m.built_at)
    for r, counts in changed:
        rid = r["release_id"]
        figures, source = latest_as_published(indicator, lang, r)
        if figures:
            top = figures[0]
            title = t("feed_indicator_entry", lang, name=name, figure=top.text, place=top.area,
                      period=top.period_text, release=rid)
        else:
            title = t("feed_indicator_entry_none", lang, name=name, release=rid)
        changed_text = t("feed_changed_here", lang, counts=counts_text(counts, lang))
        items = "".join(f"<li>{escape(f.area)} · {escape(f.period_text)}: {escape(f.text)}"
                        + (f" ({escape(f.mark)})" if f.mark else "") + "</li>" for f in figures)
        content = (note_html(r, lang) + f"<p>{escape(changed_text)}</p>"
                   + (f"<p>{escape(t('feed_latest', lang))}</p><ul>{items}</ul>" if items else "")
                   + (f"<p>{escape(source)}</p>" if source else ""))
        links = [(_page(base, f"/indicator/{indicator}", code, as_of=rid), "alternate", "text/html", code)
                 for code in (lang, other_lang(lang))]
        links.append((_page(base, "/releases", lang, release=rid), "related", "text/html", lang))
        links.append((f"{base}/data/{indicator}.csv?as_of={rid}", "related", "text/csv", None))
        _entry(feed, tag(base, r["public_at"], "data", indicator, rid, lang), title, r["public_at"], links,
               changed_text, content)
    return _bytes(feed)
