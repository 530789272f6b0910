"""The release calendar's states (etl/announcements.py, etl/catalogue.py _check_calendar): the
catalogue refuses a change of state without its reason, an unknown state, a change dated in
the future, changes out of order, naming `calendar[n].changes[m]`; and, through the real
server, a history of two releases whose catalogues announce the same release first
provisional on 2099-01-15, then confirmed and moved to 2099-02-01 (with a second one
cancelled): /releases.ics (parsed by icalendar) has STATUS, SEQUENCE and the same UID across
the move, and keeps the cancelled event as CANCELLED; the Releases page and the indicator
pages say the state and the reason in Arabic and English; the API gives them too."""
from __future__ import annotations

import re
from html import unescape

import icalendar
import pytest
import yaml

from etl.catalogue import CatalogueError, load_catalogue
from store.formats import LRI, PDI

TITLE = {"ar": "إحصاءات الضمان الاجتماعي 2098", "en": "Social security statistics 2098"}
ANNOUNCED = [{"id": "ss_2098", "date": "2099-01-15", "title": TITLE, "indicators": ["om_ss_cases"]},
             {"date": "2099-03-01", "title": {"ar": "إحصاءات الحالات 2099", "en": "Case statistics 2099"},
              "indicators": ["om_ss_cases"]}]
LATE = {"ar": "تأخر وصول بيانات المصدر", "en": "The source's data came late"}
COMPLETE = {"ar": "اكتملت البيانات", "en": "The data are complete"}
STOPPED = {"ar": "توقف المسح", "en": "The survey stopped"}
CHANGED = [{**ANNOUNCED[0], "date": "2099-02-01", "state": "confirmed",
            "changes": [{"day": "2026-05-01", "state": "confirmed", "reason": COMPLETE},
                        {"day": "2026-05-20", "state": "confirmed", "moved_from": "2099-01-15", "reason": LATE}]},
           {**ANNOUNCED[1], "state": "cancelled", "changes": [{"day": "2026-05-10", "state": "cancelled", "reason": STOPPED}]}]


def _catalogue(paths, tmp_path, calendar) -> object:
    data = yaml.safe_load(paths.catalogue.read_text(encoding="utf-8"))
    data["calendar"] = calendar
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_catalogue_takes_states_and_changes(paths, tmp_path):
    cat = load_catalogue(_catalogue(paths, tmp_path, CHANGED))
    assert [e.get("state") for e in cat.calendar] == ["confirmed", "cancelled"]


def _changed(**edit) -> list:
    entry = {**CHANGED[0], **edit}
    return [entry]


@pytest.mark.parametrize("calendar, message", [
    (_changed(state="postponed"), "calendar[0].state: 'postponed' is not one of"),
    (_changed(changes=[{"day": "2026-05-01", "state": "confirmed"}]), "calendar[0].changes[0]: 'reason' is a required"),
    (_changed(changes=[{"day": "2026-05-01", "state": "delayed", "reason": LATE}]),
     "calendar[0].changes[0].state: 'delayed' is not one of"),
    (_changed(changes=[{"day": "2026-05-01", "state": "confirmed", "reason": {"en": "late"}}]),
     "calendar[0].changes[0].reason: 'ar' is a required property"),
    (_changed(changes=[{"day": "2098-05-01", "state": "confirmed", "reason": LATE}]),
     "calendar[0].changes[0].day: 2098-05-01 is in the future"),
    (_changed(changes=[{"day": "2026-05-20", "state": "provisional", "moved_from": "2099-01-15", "reason": LATE},
                       {"day": "2026-05-01", "state": "confirmed", "reason": COMPLETE}]),
     "calendar[0].changes[1].day: 2026-05-01 is before the change above it (2026-05-20)"),
    (_changed(changes=[]), "calendar[0].state: 'confirmed' without its reason: the state is 'provisional' after no change"),
    (_changed(state="cancelled"), "calendar[0].state: 'cancelled' without its reason: the state is 'confirmed' after "
                                  "calendar[0].changes[1]"),
    (_changed(changes=[{"day": "2026-05-01", "state": "provisional", "reason": LATE}], state="provisional"),
     "calendar[0].changes[0]: changes nothing"),
    (_changed(changes=[{"day": "2026-05-01", "state": "confirmed", "moved_from": "2099-02-01", "reason": LATE}]),
     "calendar[0].changes[0].moved_from: 2099-02-01 is also the day it moved to"),
    (_changed(changes=[{"day": "2026-02-30", "state": "confirmed", "reason": LATE}]),
     "calendar[0].changes[0].day: '2026-02-30' is not a day of the calendar"),
    ([ANNOUNCED[0], {**ANNOUNCED[1], "id": "ss_2098"}], "calendar[1]: is the same announcement as calendar[0]"),
])
def test_the_catalogue_refuses_an_unrecorded_or_impossible_change(paths, tmp_path, calendar, message):
    with pytest.raises(CatalogueError, match=re.escape(message)):
        load_catalogue(_catalogue(paths, tmp_path, calendar))


# -- served: two releases, the second with the calendar changed ----------------------------------

NOW = "2026-10-01T00:00:00+00:00"


@pytest.fixture(scope="module")
def calendar_site(shipped_copy, tmp_path_factory):
    """Two releases of the shipped sources, the first announcing ANNOUNCED, the second (a change
    of the catalogue only) CHANGED; gunicorn serving them: (the server, the release ids)."""
    from tests.servers import gunicorn
    copy = shipped_copy("calendar")
    data = yaml.safe_load(copy.catalogue.read_text(encoding="utf-8"))
    ids = []
    for calendar, at in ((ANNOUNCED, "2026-06-01T09:00"), (CHANGED, "2026-06-02T09:00")):
        data["calendar"] = calendar
        copy.catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        ids.append(copy.release(f"calendar {len(ids)}", at))
    log = tmp_path_factory.mktemp("calendar-site") / "gunicorn.log"
    with gunicorn(copy.served, log, {"SPI_NOW": NOW}, workers=1) as running:
        yield running, ids


def _events(running, query: str) -> dict:
    answer = running.get(f"/releases.ics?{query}")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/calendar"), answer.text[:300]
    assert LRI not in answer.text and PDI not in answer.text
    return {str(e["summary"]): e for e in icalendar.Calendar.from_ical(answer.body).walk("VEVENT")}


def test_the_feed_has_status_sequence_and_a_uid_that_stays_when_the_date_moves(calendar_site):
    running, (first, second) = calendar_site
    before, after = _events(running, f"lang=en&as_of={first}"), _events(running, "lang=en")
    ss, cases = TITLE["en"], "Case statistics 2099"
    assert [(str(before[k]["status"]), before[k]["sequence"], before[k]["dtstart"].dt.isoformat()) for k in (ss, cases)] == \
        [("TENTATIVE", 0, "2099-01-15"), ("TENTATIVE", 0, "2099-03-01")]
    assert [(str(after[k]["status"]), after[k]["sequence"], after[k]["dtstart"].dt.isoformat()) for k in (ss, cases)] == \
        [("CONFIRMED", 2, "2099-02-01"), ("CANCELLED", 1, "2099-03-01")]   # the cancelled one stays, CANCELLED
    assert str(before[ss]["uid"]) == str(after[ss]["uid"]) == "ss_2098@social-protection-indicators"
    assert str(before[cases]["uid"]) == str(after[cases]["uid"])   # derived from its first date and title
    assert "moved from 2099-01-15: The source's data came late" in str(after[ss]["description"])
    assert "cancelled on 2026-05-10: The survey stopped" in str(after[cases]["description"])
    arabic = _events(running, "lang=ar")[TITLE["ar"]]
    assert "نُقل من 2099-01-15: " + LATE["ar"] in str(arabic["description"]) and str(arabic["status"]) == "CONFIRMED"


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(LRI, "").replace(PDI, "").strip()


@pytest.mark.parametrize("lang, confirmed, moved, cancelled", [
    ("ar", "مؤكد", "نُقل من 2099-01-15: " + LATE["ar"], "ملغى منذ 2026-05-10: " + STOPPED["ar"]),
    ("en", "confirmed", "moved from 2099-01-15: " + LATE["en"], "cancelled on 2026-05-10: " + STOPPED["en"]),
])
def test_the_releases_page_and_the_indicator_page_say_the_state_and_why(calendar_site, lang, confirmed, moved,
                                                                          cancelled):
    running, _ = calendar_site
    page = running.get(f"/releases?lang={lang}").text
    items = {m.group(1): _words(m.group(2)) for m in re.finditer(r'<li class="announced (\w+)">(.*?)</li>', page)}
    assert set(items) == {"confirmed", "cancelled"}
    assert f"2099-02-01 · {TITLE[lang]}" in items["confirmed"] and f"{confirmed} · {moved}" in items["confirmed"]
    assert cancelled in items["cancelled"]
    for path in (f"/indicator/om_ss_cases?lang={lang}", f"/explorer?indicator=om_ss_cases&lang={lang}"):
        text = _words(running.get(path).text)
        assert "2099-02-01" in text and f"({confirmed} · {moved})" in text, path
        assert "2099-03-01" not in text, path   # the cancelled release is not the next one
    # the Arabic page isolates each date inside the Arabic text
    if lang == "ar":
        assert f"{LRI}2099-01-15{PDI}" in page


def test_the_api_gives_the_state_the_sequence_and_the_reasons(calendar_site):
    running, (first, second) = calendar_site
    import json
    upcoming = json.loads(running.get("/api/v1/releases").body)["upcoming"]
    assert upcoming[0] == {"id": "ss_2098", "expected_on": "2099-02-01", "title": TITLE, "indicators": ["om_ss_cases"],
                           "languages": ["ar", "en"], "state": "confirmed", "sequence": 2,
                           "latest_change": {"on": "2026-05-20", "changed": "date", "reason": LATE},
                           "moved": {"from": "2099-01-15", "reason": LATE}}
    assert (upcoming[1]["state"], upcoming[1]["latest_change"]) == \
        ("cancelled", {"on": "2026-05-10", "changed": "state", "reason": STOPPED})
    schema = json.loads(running.get("/api/v1/openapi.json").body)["components"]["schemas"]["UpcomingRelease"]
    assert set(schema["required"]) == set(upcoming[0])
    assert schema["properties"]["state"]["enum"] == ["provisional", "confirmed", "cancelled"]


# -- against the calendar the latest release published -------------------------------------------

MORE = {"ar": "تأكيد جديد", "en": "Confirmed again"}


@pytest.mark.parametrize("edit, message", [
    (lambda c: c[0].update(date="2099-02-08"),
     "calendar[0].date: moved from 2099-02-01 (release 2026-06-01) to 2099-02-08 with no change that says so"),
    (lambda c: c.pop(1), "the release announced for 2099-03-01 ('Case statistics 2099', in release 2026-06-01) is gone "
                         "before its day"),
    (lambda c: c[0]["changes"][0].update(reason=MORE),
     "calendar[0].changes: the changes release 2026-06-01 published are altered or taken out"),
    (lambda c: c[0]["changes"].pop(0), "calendar[0].changes: the changes release 2026-06-01 published are altered"),
    (lambda c: c[1].update(title={"ar": "عنوان آخر", "en": "Another title"}),   # a derived name: give it an id
     "give it the `id`"),
    (lambda c: c[0]["changes"].append({"day": "2026-06-01", "state": "confirmed", "moved_from": "2099-02-01",
                                       "reason": MORE}) or c[0].update(date="2099-02-08"), None),
])
def test_the_build_refuses_a_change_of_what_a_release_announced_that_is_not_recorded(shipped_copy, edit, message):
    import copy as copying
    from etl.build import build
    site = shipped_copy("calendar-history")
    data = yaml.safe_load(site.catalogue.read_text(encoding="utf-8"))
    data["calendar"] = copying.deepcopy(CHANGED)
    site.catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert site.release("announced", "2026-06-01T09:00") == "2026-06-01"
    edit(data["calendar"])
    site.catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(site.raw, site.catalogue, site.out, releases_dir=site.releases)
    said = "\n".join(i.message for i in result.issues)
    if message is None:
        assert result.ok, said
    else:
        assert not result.ok and message in said, said
