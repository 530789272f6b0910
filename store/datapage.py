"""An indicator's data page (/indicator/<id>), for people who read rather than click: what the
page says beyond the explorer's own parts, read from the same view and the same tables.

The page's figures are the explorer's: `view(...)` is the explorer's over-time view of every
place the indicator has figures for, and `latest_by_place` reads its table (the numbers of
store/series.py with the words of store/wording.py), so the data page, the explorer's table,
its download and its API answer hold the same figures. Revisions are the `changes` the
Releases page lists, the next release the catalogue's calendar, the downloads the addresses
api/routes.py serves. Nothing is computed here that the explorer does not compute.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from .formats import amount_formatter, fmt_value, period_label
from .queries import calendar_from, release_changes, release_list
from .texts import t
from .view import View, parse_view
from .wording import Described, revision_why

SHOWN_CHANGES = ("revised", "amended", "withdrawn")   # a figure's first publication ("added") is no revision


@dataclass(frozen=True)
class PlaceFigure:
    """The latest published figure of one place, in words."""

    geo: str
    area: str
    period: str
    period_text: str     # 'end of 2023', 'during 2023'
    value: float
    text: str            # the figure with its unit, in its plural form: '6,073 children', '7 مرافق'
    mark: str            # its status, revision and derivation in words ("" for a figure as first published)


def view(meta, indicator_id: str, lang: str, as_of: str | None) -> View:
    """The explorer's over-time view of the indicator in every place it has figures for (the
    country first), at the release `as_of` names (None: the one read)."""
    params = {"indicator": indicator_id, "geo": ",".join(meta.geos_of(indicator_id)), "as_of": as_of}
    return parse_view({k: v for k, v in params.items() if v}, meta, lang)


def know(meta, indicator_id: str, lang: str) -> list[str]:
    """"What you should know": the catalogue's plain sentences (`know`), none where it gives none."""
    return list(meta.indicators[indicator_id].get(f"know_{lang}") or [])


def latest_by_place(words: Described, meta) -> list[PlaceFigure]:
    """The latest figure of each place in the view's table (its totals, or the derived sum of
    the parts of an indicator published only by them), in the view's order of places."""
    view = words.numbers.view
    unit, decimals = meta.unit_of(view.indicator), meta.indicators[view.indicator]["decimals"]
    latest: dict[str, tuple[dict, dict]] = {}
    for numbers, said in zip(words.numbers.table, words.table):   # the same rows, in the same order
        if numbers["category"] not in ("total", "sum_of_parts") or numbers["value"] is None:
            continue
        found = latest.get(numbers["geo"])
        if found is None or found[0]["period_end"] <= numbers["period_end"]:
            latest[numbers["geo"]] = (numbers, said)
    out = []
    for geo in view.geos:
        if geo not in latest:
            continue
        numbers, said = latest[geo]
        mark = " · ".join(w for w in (said["status"], t("derived", view.lang) if numbers["derived"] else "") if w)
        out.append(PlaceFigure(geo=geo, area=said["area"], period=numbers["period"], period_text=said["period_text"],
                               value=numbers["value"],
                               text=fmt_value(numbers["value"], unit, view.lang, decimals, numbers["qualifier"]),
                               mark=mark))
    return out


def revisions(meta, indicator_id: str, lang: str) -> list[tuple[dict, list[str]]]:
    """(release, what it changed in this indicator's figures, in words) for every release up to
    the one read that revised, amended or withdrew one of them, oldest first: the changes the
    Releases page lists (store/queries.py release_changes)."""
    amount = amount_formatter(meta.unit_of(indicator_id), lang, meta.indicators[indicator_id]["decimals"])
    out = []
    for release in release_list():
        changes = [c for c in release_changes(meta, release["release_id"])
                   if c["indicator_id"] == indicator_id and c["change"] in SHOWN_CHANGES]
        if changes:
            out.append((release, [_change(c, meta, amount, lang) for c in changes]))
    return out


def _change(c: dict, meta, amount, lang: str) -> str:
    """'Oman · 2024: revised, from 44 to 45', and why when the release said
    (' · correction: a typing error corrected')."""
    members = [meta.member_label(d, c[d], lang) for d in meta.dimension_columns if c.get(d)]
    figure = " · ".join([meta.geo_name(c["geo_code"], lang), period_label(c["period"], lang), *members])
    words = t("dp_revision", lang, figure=figure, change=t(f"change_{c['change']}", lang),
              old=_value(c["old_value"], c["old_status"], amount, lang),
              new=_value(c["new_value"], c["new_status"], amount, lang))
    if c.get("revision_kind"):
        words += " · " + revision_why((c["revision_kind"], c["revision_reason_ar"], c["revision_reason_en"]), lang)
    return words


def _value(value, status: str | None, amount, lang: str) -> str:
    """A figure's value and status as a change names it; '—' where there is none (withdrawn)."""
    words = [amount(value, None)] if value is not None else []
    words += [t(f"status_{status}", lang)] if status else []
    return " · ".join(words) or "—"


def expected(meta, indicator_id: str, day) -> list[dict]:
    """The releases the catalogue announces from `day` on that bring this indicator's figures
    (a cancelled one brings none: it is on the Releases page, not next)."""
    return [e for e in calendar_from(meta, day) if indicator_id in (e["indicators"] or []) and e["state"] != "cancelled"]


def next_words(e: dict, lang: str) -> str:
    """"Next figures expected on 2099-01-15: … (confirmed on …: …)", for an indicator's pages."""
    return f'{t("next_expected", lang, when=e["expected_on"].isoformat(), what=e[f"title_{lang}"])} ' \
           f'({announcement_state(e, lang)})'


def announcement_state(e: dict, lang: str) -> str:
    """An announced release's state in words, with the latest change's day and reason when its
    state changed, and the day it moved from and why when it moved: "confirmed on 2026-01-10:
    the data are complete · moved from 2099-01-15: the source was late"."""
    said = [t(f"calendar_changed_{e['state']}", lang, day=e["changed_on"].isoformat(), reason=e[f"reason_{lang}"])
            if e["changed"] == "state" else t(f"calendar_state_{e['state']}", lang)]
    if e["moved_from"] is not None:
        said.append(t("calendar_moved", lang, date=e["moved_from"].isoformat(), reason=e[f"move_reason_{lang}"]))
    return " · ".join(said)


def downloads(indicator_id: str, lang: str, as_of: str | None) -> dict[str, str]:
    """The full series' files (CSV, XLSX, JSON metadata, ZIP) and its API call, at the release
    read (the addresses of api/routes.py, relative)."""
    release = {"as_of": as_of} if as_of else {}
    files = urlencode({"lang": lang, **release})
    out = {ext: f"/data/{indicator_id}.{ext}?{files}" for ext in ("csv", "xlsx", "json", "zip")}
    out["api"] = f"/api/v1/observations?{urlencode({'indicator': indicator_id, **release})}"
    return out
