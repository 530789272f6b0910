"""The release calendar's announcements (the catalogue's `calendar:`), as the served database
keeps them: each with its state (provisional, confirmed, cancelled), the number of changes it
has had (iCalendar's SEQUENCE, so a subscribed calendar takes the newest version of an event),
the latest change's day and reason, and the day it was moved from.

An announcement keeps one name however often its date moves: its `id`, or, without one, a
hash of its first date (the `moved_from` of its first move, else its date) and its English
title, the same hash the feed's UIDs were made of before announcements had states, so that a
subscribed calendar's events keep their UIDs. The desk gives each announcement it makes an
`id` (new_id), so that retitling one never changes its name either.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from contract.schema import CALENDAR_STATES

DEFAULT_STATE = CALENDAR_STATES[0]


def first_date(entry: dict) -> str:
    """The day first announced: the day the first move moved it from, else its date."""
    moves = [c["moved_from"] for c in entry.get("changes", []) if "moved_from" in c]
    return moves[0] if moves else entry["date"]


def announcement_id(entry: dict) -> str:
    """Its `id`, or a hash of its first date and English title (stable across moves)."""
    return entry.get("id") or hashlib.sha256(f"{first_date(entry)}|{entry['title']['en']}".encode()).hexdigest()[:24]


def new_id(day: str, title_en: str, taken) -> str:
    """The `id` of a new announcement (the catalogue's ids: lowercase letters, digits and
    underscores, from a letter), readable in the desk's addresses and the feed's UIDs: the
    words of its English title, at most 60 letters of them, and its first day
    (`nursery_statistics_2099_06_01`); `_2`, `_3` … after it when one of `taken` (the names of
    the calendar's announcements) is that already, as a second announcement with the same
    title and day would be."""
    ascii_ = unicodedata.normalize("NFKD", title_en).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_.replace("'", ""))   # Dhofar's (’ is not ASCII): dhofars, not dhofar_s
    while len("_".join(words)) > 60 and len(words) > 1:
        words.pop()
    title = "_".join(words)[:60]
    stem = "_".join(part for part in ("" if title[:1].isalpha() else "release", title, day.replace("-", "_")) if part)
    name, n = stem, 1
    while name in taken:
        n += 1
        name = f"{stem}_{n}"
    return name


def row(entry: dict) -> dict:
    """One row of the `calendar` table (contract/schema.py)."""
    changes = entry.get("changes", [])
    latest = changes[-1] if changes else {}
    moves = [c for c in changes if "moved_from" in c]
    return {"calendar_id": announcement_id(entry), "expected_on": date.fromisoformat(entry["date"]),
            "title_ar": entry["title"]["ar"], "title_en": entry["title"]["en"],
            "indicators": list(entry.get("indicators", [])), "languages": list(entry.get("languages", ["ar", "en"])),
            "state": entry.get("state", DEFAULT_STATE), "sequence": len(changes),
            "changed_on": date.fromisoformat(latest["day"]) if latest else None,
            "changed": ("date" if "moved_from" in latest else "state") if latest else None,
            "reason_ar": (latest.get("reason") or {}).get("ar"), "reason_en": (latest.get("reason") or {}).get("en"),
            "moved_from": date.fromisoformat(moves[-1]["moved_from"]) if moves else None,
            "move_reason_ar": moves[-1]["reason"]["ar"] if moves else None,
            "move_reason_en": moves[-1]["reason"]["en"] if moves else None}


def unrecorded(released: list[dict], calendar: list[dict], release_id: str, today: date) -> list[str]:
    """What a calendar changes of the one the latest release (`release_id`) published without
    recording it: a change on record altered or taken out, a date moved with no change that
    says so, an announcement gone before its day (a release announced is cancelled, with its
    reason, not removed). Each a sentence naming `calendar[n]`."""
    now = {announcement_id(e): (n, e) for n, e in enumerate(calendar)}
    out = []
    for old in released:
        name = announcement_id(old)
        if name not in now:
            if date.fromisoformat(old["date"]) >= today:
                out.append(f"calendar: the release announced for {old['date']} ({old['title']['en']!r}, in release "
                           f"{release_id}) is gone before its day: cancel it (state: cancelled, with a change that says "
                           "why) rather than remove it; if its date or English title changed, give it the `id` "
                           f"{name!r} so that it stays the same announcement, and record the move")
            continue
        n, new = now[name]
        before, after = old.get("changes", []), new.get("changes", [])
        if after[:len(before)] != before:
            out.append(f"calendar[{n}].changes: the changes release {release_id} published are altered or taken out: "
                       "a change on record stays as it is; add a new one below them")
        elif new["date"] != old["date"] and not any("moved_from" in c for c in after[len(before):]):
            out.append(f"calendar[{n}].date: moved from {old['date']} (release {release_id}) to {new['date']} with no "
                       f"change that says so: add {{day: YYYY-MM-DD, state: {new.get('state', DEFAULT_STATE)}, "
                       f"moved_from: {old['date']}, reason: {{ar: …, en: …}}}} under calendar[{n}].changes")
    return out
