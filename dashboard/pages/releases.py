"""Releases: when figures were published, what each release added, revised, amended and
withdrew (old and new values, and why, when the release said: etl/revisions.py), and the releases the catalogue announces, with the iCalendar
feed. A reader of the live release sees nothing of an embargoed one: its database holds only
the releases up to the one read (store/releases.py)."""
from __future__ import annotations

import functools

import dash
from dash import dcc, html

from contract.manifest import written_in
from contract.schema import CHANGES
from store import prerelease, releases
from store.catalogue import meta
from store.datapage import announcement_state
from store.formats import amount_formatter, fmt_day, fmt_time, ltr
from store.queries import amendment_list, calendar_from, release_changes, release_list
from store.texts import direction, other_lang, parts, t
from store.view import one
from store.wording import revision_why

from ..layout import href, shell
from ..table import phone_table

dash.register_page(__name__, path="/releases", order=4, name="Releases", name_ar=t("page_releases", "ar"),
                   name_en=t("page_releases", "en"), title_key="page_releases",
                   description="When figures were published, what each release changed, and the release calendar.")

MAX_CHANGES_SHOWN = 200   # the rest in the API answer and its CSV


@functools.lru_cache(maxsize=32)
def _content(version: str, lang: str, chosen: str | None, today, audit: tuple):
    """The page of a build, language, release chosen and day, and of the audit log as it is
    (`audit`: its stamp, for the lists of pre-release access)."""
    m = meta()
    known = list(reversed(release_list()))
    shown = next((r for r in known if r["release_id"] == chosen), known[0] if known else None)
    items = []
    for r in known:
        counts = " · ".join(t(f"change_{c}_n", lang, n=int(r[c] or 0)) for c in CHANGES if r[c])
        seen = prerelease.access(r["release_id"], r["public_at"], releases.now(),   # None until its time
                                 build_id=r["build_id"])
        items.append(html.Li(className="release" + (" current" if r is shown else ""), children=[
            dcc.Link(ltr(r["release_id"], lang), href=href("/releases", lang, release=r["release_id"])),
            f" · {fmt_time(r['public_at'], r['timezone'] or m.timezone, lang)} · ", release_note(r, lang),
            html.Span(f" · {counts}" if counts else "", className="muted"),
            html.Span([f" · {t('release_fingerprint', lang)} ",
                       html.Code(r["entry_sha256"][:16], dir="ltr", title=r["entry_sha256"])], className="muted"),
            html.P(seen.words(lang), className="pre-release-access" + ("" if seen.available else " unavailable"))
            if seen else None,
        ]))
    amended = [html.Li(_amendment(a, m.timezone, lang)) for a in amendment_list()]
    upcoming = [html.Li(className=f"announced {e['state']}", children=[
                    html.Strong(fmt_day(e["expected_on"], lang)), " · ", e[f"title_{lang}"],
                    html.Span(" · " + ", ".join(m.indicators[i][f"name_{lang}"] for i in e["indicators"] or []
                                                if i in m.indicators), className="muted"),
                    " · ", html.Span(announcement_state(e, lang), className="calendar-state")])
                for e in calendar_from(m, today)]
    return [
        html.Div(className="page-head", children=[html.H1(t("releases_heading", lang)),
                                                  html.P(t("releases_intro", lang), className="lead")]),
        html.H2(t("releases_upcoming", lang)),
        html.Ul(upcoming, className="calendar") if upcoming else html.P(t("releases_none_announced", lang)),
        html.P([html.A(t("releases_subscribe", lang), href=f"/releases.ics?lang={lang}"), " · ",
                html.A(t("feed_follow", lang), href=f"/releases.atom?lang={lang}", id="releases-atom"), " · ",
                html.A("JSON", href="/api/v1/releases")]),
        html.H2(t("releases_published", lang)),
        html.Ol(items, className="releases spa-links", reversed=True) if items else html.P(t("no_release_yet", lang)),
        html.Ul(amended, className="amendments") if amended else None,
        html.P([t("releases_chain_note", lang), " ", html.A(t("releases_chain", lang), href="/data/releases.json")]),
        *(_changes(m, shown, lang) if shown else []),
    ]


def release_note(r: dict, lang: str) -> html.Span:
    """What a release brings, in the page's language; a release made before notes had both
    languages has its English note only, shown as it is and marked as English (lang, dir), so
    that it is read, spoken and laid out as English."""
    note_lang = lang if r[_NOTE[lang]] else other_lang(lang)
    return html.Span(r[_NOTE[note_lang]], className="release-note", lang=note_lang, dir=direction(note_lang))


_NOTE = {"ar": "note_ar", "en": "note"}   # the releases table's note in each language


def _amendment(a: dict, zone: str, lang: str) -> list:
    """A release cancelled or moved before it was public, and why: the reason as its publisher
    wrote it, in one language, marked with the language its letters are (lang, dir auto)."""
    reason = html.Span(a["reason"], className="amendment-reason", lang=written_in(a["reason"]), dir="auto")
    if a["action"] == "cancel":
        return parts("release_cancelled", lang, release=a["release_id"], reason=reason)
    return parts("release_rescheduled", lang, release=a["release_id"], when=fmt_time(a["public_at"], zone, lang),
                 reason=reason)


def _changes(m, release: dict, lang: str) -> list:
    """What a release changed, a row a figure; on a phone a card a figure, its values before
    and after side by side (dashboard/table.py phone_table)."""
    rows = release_changes(m, release["release_id"])
    api = f"/api/v1/releases/{release['release_id']}/changes"
    name = t("releases_changes", lang, release=release["release_id"])
    if not rows:
        return [html.H2(name), html.P(t("releases_no_changes", lang))]
    body = []
    for r in rows[:MAX_CHANGES_SHOWN]:
        amount = amount_formatter(m.unit_of(r["indicator_id"]), lang, m.indicators[r["indicator_id"]]["decimals"])
        members = [m.member_label(d, r[d], lang) for d in m.dimension_columns if r.get(d)]
        body.append([t(f"change_{r['change']}", lang), m.indicators[r["indicator_id"]][f"name_{lang}"],
                     " · ".join([m.geo_name(r["geo_code"], lang), r["period"], *members]),
                     _value(r, "old", amount, lang), _value(r, "new", amount, lang), _why(r, lang)])
    labels = [t(k, lang) for k in ("change", "column_indicator_id", "figure", "old_value", "new_value", "revision_reason")]
    more = len(rows) - MAX_CHANGES_SHOWN
    return [
        html.H2(name),
        phone_table("release-changes", name, labels, body, row_header=1, classes={3: "num", 4: "num"}),
        html.P([t("releases_more", lang, n=more) + " " if more > 0 else "",
                html.A(t("releases_all_changes", lang), href=api), " · ", html.A("CSV", href=f"{api}?format=csv")]),
    ]


def _why(r: dict, lang: str) -> str:
    """Why the release changed the figure, in the page's language ("—" when it did not say)."""
    return revision_why((r["revision_kind"], r["revision_reason_ar"], r["revision_reason_en"]), lang) \
        if r.get("revision_kind") else "—"


def _value(r: dict, side: str, amount, lang: str) -> list:
    """A figure's value before or after the release, and its status in smaller type."""
    value, status = r[f"{side}_value"], r[f"{side}_status"]
    if value is None and r["change"] in (("added",) if side == "old" else ("withdrawn",)):
        return ["—"]
    words = amount(value, None) if value is not None else None
    mark = html.Span(t(f"status_{status}", lang), className="status-tag") if status else None
    return [words, " · ", mark] if words and mark else [words or mark]


def layout(lang: str, **params):
    m = meta()
    return shell(lang, "/releases", _content(releases.cache_key(m.version), lang, one(params.get("release")),
                                             releases.today(m.timezone), prerelease.stamp()))
