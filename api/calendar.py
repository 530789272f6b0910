"""The release calendar as iCalendar (RFC 5545), written with the `icalendar` package: one
all-day event per announced release, in the language asked for. Its UID is the announcement's
name (etl/announcements.py), kept when its date moves, so that a subscribed calendar moves the
event rather than adding a second; its STATUS is the announcement's state (TENTATIVE while
provisional, CONFIRMED, CANCELLED), and its SEQUENCE the number of changes it has had, so that a
calendar takes the newer version. A cancelled release stays in the feed, CANCELLED, until its
day: a subscribed calendar then removes or strikes it, where leaving it out would keep the old
event there."""
from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from contract.schema import CALENDAR_STATES
from store.datapage import announcement_state
from store.formats import LRI, PDI
from store.texts import t

STATUS = dict(zip(CALENDAR_STATES, ("TENTATIVE", "CONFIRMED", "CANCELLED")))   # RFC 5545 3.8.1.11


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
        event.add("uid", f"{e['calendar_id']}@social-protection-indicators")
        event.add("dtstamp", m.built_at)
        event.add("status", STATUS[e["state"]])
        event.add("sequence", int(e["sequence"]))
        event.add("dtstart", e["expected_on"])
        event.add("dtend", e["expected_on"] + timedelta(days=1))
        event.add("summary", title)
        names = [m.indicators[i][f"name_{lang}"] for i in (e["indicators"] or []) if i in m.indicators]
        state = announcement_state(e, lang).replace(LRI, "").replace(PDI, "")   # marks are for pages, not machines
        event.add("description", "\n".join([state, t("calendar_expected", lang), *names]))
        if base:
            event.add("url", f"{base}/releases?lang={lang}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
