"""The release calendar as iCalendar (RFC 5545), written with the `icalendar` package: one
all-day event per announced release, in the language asked for, with a stable UID so a
subscribed calendar updates an event rather than adding it twice."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from icalendar import Calendar, Event

from store.texts import t


def calendar_feed(m, entries: list[dict], lang: str, base: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//social-protection-indicators//releases//" + lang.upper())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", t("calendar_name", lang))
    cal.add("x-wr-timezone", m.timezone)
    for e in entries:
        title = e[f"title_{lang}"]
        event = Event()
        uid = hashlib.sha256(f"{e['expected_on']}|{e['title_en']}".encode()).hexdigest()[:24]
        event.add("uid", f"{uid}@social-protection-indicators")
        event.add("dtstamp", m.built_at)
        event.add("dtstart", e["expected_on"])
        event.add("dtend", e["expected_on"] + timedelta(days=1))
        event.add("summary", title)
        names = [m.indicators[i][f"name_{lang}"] for i in (e["indicators"] or []) if i in m.indicators]
        event.add("description", "\n".join([t("calendar_expected", lang), *names]))
        if base:
            event.add("url", f"{base}/releases?lang={lang}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
