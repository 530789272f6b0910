"""The release calendar in the desk (spi/desk/calendar.py), through the real server: an editor
announces a release and then confirms, moves and cancels it, each change with its reason;
indicators.yaml has each, with every byte outside its `calendar:` section as it was, is
committed as the editor, and after `spi build` the candidate's /releases.ics has the event
TENTATIVE, then CONFIRMED with its SEQUENCE one higher, moved under the same UID, then
CANCELLED. Each announcement has its own `id`, two of one title and day two of them; two
editors saving at once make two commits, each of its own change. A change refused (no reason,
a day that is not one, a change of nothing, what the catalogue check refuses, a reviewer's or
an approver's post, a post without its token) writes nothing, commits nothing, and says why in
Arabic and in English."""
from __future__ import annotations

import json
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import duckdb
import icalendar
import pytest
import yaml

from etl.announcements import announcement_id, new_id
from etl.catalogue import load_catalogue
from spi.cli import main as spi
from ruamel.yaml.comments import CommentedMap

from spi.desk.calendar import _flow, _record, _section, edited
from spi.desk.page import TEXTS
from tests.desk_project import PEOPLE, desk_setting
from tests.servers import Client, gunicorn, spi_desk

TITLE = {"ar": "إحصاءات الحضانات، الربع الأول 2099", "en": "Nursery statistics: first quarter 2099"}
INDICATOR = "om_nursery_children"
COMPLETE = {"ar": "اكتملت بيانات الحضانات من المحافظات", "en": "The governorates' nursery data are complete"}
LATE = {"ar": "تأخر وصول بيانات محافظة ظفار", "en": "Dhofar's data came late"}
STOPPED = {"ar": "أُوقف المسح، كما أعلنت الوزارة", "en": "The survey was stopped, as the ministry said"}


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    return desk_setting(tmp_path_factory.mktemp("desk-calendar"))


@pytest.fixture(scope="module")
def desk(setting):
    project, env, root = setting
    with spi_desk(project.root, root / "desk.log", env) as running:
        yield running


@pytest.fixture(scope="module")
def candidate_site(setting):
    """The public site serving the candidate (data/processed/indicators.duckdb), which it reads
    again whenever a build rewrites it."""
    project, _, root = setting
    with gunicorn(project.candidate, root / "site.log", workers=1) as running:
        yield running


def signed_in(desk, username: str) -> Client:
    client = desk.client()
    assert client.sign_in(username, PEOPLE[username][2]).status == 303
    return client


def post(client: Client, path: str, fields: dict, token: str | bool | None = True):
    """A desk form posted as a browser posts it (a list: one field each), with the token of
    the page it is on (`token` True), the one given, or none (None)."""
    if token is True:
        token = client.token(urlsplit(path).path)
    sent = ({"csrf_token": token} if token is not None else {}) | fields
    return client.form(path, [(k, v) for k, values in sent.items()
                              for v in (values if isinstance(values, list) else [values])])


def announce_fields(day: str, title: dict, indicators=(INDICATOR,)) -> dict:
    return {"date": day, "title_ar": title["ar"], "title_en": title["en"], "indicators": list(indicators),
            "languages": ["ar", "en"]}


def change_fields(state: str, day: str, reason: dict) -> dict:
    return {"state": state, "date": day, "reason_ar": reason["ar"], "reason_en": reason["en"]}


def outside(text: str) -> tuple[str, str]:
    """What indicators.yaml holds before and after its calendar section."""
    start, end = _section(text)
    return text[:start], text[end:]


def head(project) -> str:
    return subprocess.run(["git", "-C", str(project.root), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def last_commit(project) -> tuple[str, list[str]]:
    shown = subprocess.run(["git", "-C", str(project.root), "show", "--name-only", "--format=%an <%ae>|%s", "HEAD"],
                           capture_output=True, text=True, check=True).stdout.strip().splitlines()
    return shown[0], [line for line in shown[1:] if line]


def built_feed(project, site) -> dict:
    """`spi build`, then the candidate's /releases.ics in English: its events by title."""
    assert spi(["build", "--project", str(project.root)]) == 0
    answer = site.get("/releases.ics?lang=en")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/calendar"), answer.text[:300]
    return {str(e["summary"]): e for e in icalendar.Calendar.from_ical(answer.body).walk("VEVENT")}


def audit(setting) -> list[dict]:
    return [json.loads(line) for line in (setting[2] / "audit.log").read_text().splitlines()]


# --- reading -----------------------------------------------------------------------------------

def test_a_visitor_signs_in_first_and_a_reviewer_reads_without_a_form(desk):
    answer = desk.get("/calendar?lang=en")
    assert answer.status == 303 and answer.headers["Location"].startswith("/signin?next=")
    reviewer = signed_in(desk, "amal")
    home = reviewer.get("/?lang=en").text
    assert '<a href="/calendar?lang=en">The release calendar</a>' in home
    page = reviewer.get("/calendar")
    assert page.status == 200 and "مواعيد الإصدارات المعلنة" in page.text and 'name="title_ar"' not in page.text
    assert 'name="title_ar"' in signed_in(desk, "huda").get("/calendar").text
    assert desk.get("/calendar/no-such-release").status == 303   # a visitor is not told what exists
    assert reviewer.get("/calendar/no-such-release").status == 404


# --- announce, confirm, move, cancel: the catalogue, git, the build, the feed --------------------

def test_an_announcement_and_its_changes_reach_the_catalogue_git_and_the_feed(desk, setting, candidate_site):
    project, _, _ = setting
    editor = signed_in(desk, "huda")
    before = project.catalogue.read_text(encoding="utf-8")

    answer = post(editor, "/calendar?lang=en", announce_fields("2099-06-01", TITLE))
    assert answer.status == 303, answer.text
    location = answer.headers["Location"]
    name = re.fullmatch(r"/calendar/([a-z0-9_]+)\?(lang=en&)?done=announced(&lang=en)?", location).group(1)
    assert name == "nursery_statistics_first_quarter_2099_2099_06_01"   # its `id`, readable, written into the YAML
    page = editor.get(location).text
    assert TEXTS["cal_announced"][1] in page and "after the next build" in page
    after = project.catalogue.read_text(encoding="utf-8")
    assert after.startswith(before)   # a catalogue with no calendar gets one at its end, nothing else changes
    assert load_catalogue(project.catalogue).calendar == [
        {"id": name, "date": "2099-06-01", "title": TITLE, "indicators": [INDICATOR], "languages": ["ar", "en"]}]
    assert last_commit(project) == (f"{PEOPLE['huda'][0]} <huda@desk.invalid>|Calendar: {TITLE['en']} announced for "
                                    "2099-06-01", ["indicators.yaml"])
    assert any(e["event"] == "desk_calendar" and e["action"] == "announced" and e["calendar_id"] == name
               for e in audit(setting))
    event = built_feed(project, candidate_site)[TITLE["en"]]
    assert (str(event["status"]), event["sequence"], event["dtstart"].dt.isoformat()) == ("TENTATIVE", 0, "2099-06-01")
    uid = str(event["uid"])
    assert uid == f"{name}@social-protection-indicators"

    steps = [(change_fields("confirmed", "2099-06-01", COMPLETE), ("CONFIRMED", 1, "2099-06-01")),
             (change_fields("confirmed", "2099-07-01", LATE), ("CONFIRMED", 2, "2099-07-01")),
             (change_fields("cancelled", "2099-07-01", STOPPED), ("CANCELLED", 3, "2099-07-01"))]
    for fields, expected in steps:
        before = project.catalogue.read_text(encoding="utf-8")
        answer = post(editor, f"/calendar/{name}", fields)
        assert answer.status == 303 and "done=changed" in answer.headers["Location"], answer.text
        after = project.catalogue.read_text(encoding="utf-8")
        assert outside(after) == outside(before) and after != before   # only the calendar section changed
        assert last_commit(project)[0].startswith(f"{PEOPLE['huda'][0]} <huda@desk.invalid>|Calendar: {TITLE['en']} ")
        event = built_feed(project, candidate_site)[TITLE["en"]]
        assert (str(event["status"]), event["sequence"], event["dtstart"].dt.isoformat()) == expected
        assert str(event["uid"]) == uid   # the same event, moved
    entry = load_catalogue(project.catalogue).calendar[0]
    assert entry["id"] == name and entry["state"] == "cancelled" and entry["date"] == "2099-07-01"
    assert [(c["state"], c.get("moved_from"), c["reason"]) for c in entry["changes"]] == [
        ("confirmed", None, COMPLETE), ("confirmed", "2099-06-01", LATE), ("cancelled", None, STOPPED)]
    assert "cancelled on" in str(event["description"]) and STOPPED["en"] in str(event["description"])
    with duckdb.connect(str(project.candidate), read_only=True) as con:
        assert con.execute("SELECT state, sequence, moved_from::VARCHAR, reason_ar FROM calendar").fetchall() == [
            ("cancelled", 3, "2099-06-01", STOPPED["ar"])]
    listed = editor.get("/calendar").text   # the desk's own list, in Arabic
    assert TITLE["ar"] in listed and "ملغى" in listed and STOPPED["ar"] in listed and LATE["ar"] in listed
    assert "نُقل من" in listed and "Nursery" not in listed


# --- refusals: nothing written, why said in both languages ---------------------------------------

@pytest.fixture(scope="module")
def announced(desk, setting):
    """An announcement of its own for the refusals to aim at: its name."""
    answer = post(signed_in(desk, "huda"), "/calendar", announce_fields("2099-09-15", {"ar": "حالات الضمان 2099",
                                                                                     "en": "Social security cases 2099"}))
    assert answer.status == 303, answer.text
    return re.match(r"/calendar/([a-z0-9_]+)", answer.headers["Location"]).group(1)


def _refusals(name: str) -> list[tuple[str, dict, str, int]]:
    """(path, fields, the key of what the desk says, the status)."""
    return [
        ("/calendar", {**announce_fields("2099-10-01", TITLE), "title_en": " "}, "cal_need_title", 422),
        ("/calendar", announce_fields("2026-02-30", TITLE), "cal_not_a_day", 422),
        ("/calendar", announce_fields("1 October 2099", TITLE), "cal_not_a_day", 422),
        ("/calendar", {**announce_fields("2099-10-01", TITLE), "languages": []}, "cal_need_language", 422),
        (f"/calendar/{name}", change_fields("confirmed", "2099-09-15", {"ar": "", "en": "Complete"}), "cal_need_reason", 422),
        (f"/calendar/{name}", change_fields("confirmed", "2099-09-15", {"ar": "اكتملت", "en": ""}), "cal_need_reason", 422),
        (f"/calendar/{name}", change_fields("confirmed", "2099-13-01", COMPLETE), "cal_not_a_day", 422),
        (f"/calendar/{name}", change_fields("provisional", "2099-09-15", COMPLETE), "cal_nothing", 422),
        (f"/calendar/{name}", change_fields("postponed", "2099-09-15", COMPLETE), "cal_need_state", 422),
    ]


@pytest.mark.parametrize("n", range(9))
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_refused_change_writes_nothing_and_says_why(desk, setting, announced, n, lang):
    project = setting[0]
    path, fields, key, status = _refusals(announced)[n]
    before, commit = project.catalogue.read_bytes(), head(project)
    answer = post(signed_in(desk, "huda"), path + ("?lang=en" if lang == "en" else ""), fields)
    assert answer.status == status
    assert TEXTS[key][0 if lang == "ar" else 1] in answer.text
    assert f'lang="{lang}"' in answer.text
    assert project.catalogue.read_bytes() == before and head(project) == commit
    assert not list(project.root.glob(".spi-part-*"))


def test_what_the_catalogue_check_refuses_is_written_nowhere(desk, setting, announced):
    """An indicator the catalogue does not have (a form opened before it was taken out of the
    catalogue): the catalogue's check refuses it (its message in the page's language, as
    `spi build --lang` says it)."""
    project = setting[0]
    before, commit = project.catalogue.read_bytes(), head(project)
    gone = announce_fields("2099-09-15", {"ar": "اسم آخر", "en": "Social security cases 2099"}, ["om_no_such_indicator"])
    for lang, said in (("ar", TEXTS["cal_refused_catalogue"][0]), ("en", TEXTS["cal_refused_catalogue"][1])):
        answer = post(signed_in(desk, "huda"), "/calendar" + ("?lang=en" if lang == "en" else ""), gone)
        assert answer.status == 409 and said in answer.text
        unknown = (r"\u2068indicators.yaml\u2069: \u2068calendar\[\d+\]\.indicators\u2069: «\u2068om_no_such_indicator"
                   r"\u2069» ليست من القيم المعروفة" if lang == "ar" else
                   r"indicators.yaml: calendar\[\d+\]\.indicators: &#x27;om_no_such_indicator&#x27; is not one of ")
        assert re.search(f"{re.escape(said)} {unknown}", answer.text), re.findall(r'desk-error.*?</p>', answer.text)
        assert 'lang="en" dir="ltr">indicators.yaml' not in answer.text
        assert 'value="اسم آخر"' in answer.text   # the form keeps what was typed
    assert project.catalogue.read_bytes() == before and head(project) == commit
    assert not list(project.root.glob(".spi-part-*"))


def test_a_catalogue_the_server_cannot_write_now_is_said_and_nothing_is_written(desk, setting, announced):
    """The desk's lock cannot be opened (a folder where its file should be, as a full disk or a
    folder it may not write would refuse it): a 503 saying so in the page's language, the
    catalogue and git as they were; once it can, the same announcement is written."""
    project = setting[0]
    before, commit = project.catalogue.read_bytes(), head(project)
    lock = project.processed / "desk-calendar.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    try:
        fields = announce_fields("2099-11-03", {"ar": "الإصدار الموقوف", "en": "The held release"})
        for lang, n in (("ar", 0), ("en", 1)):
            answer = post(signed_in(desk, "huda"), "/calendar" + ("?lang=en" if lang == "en" else ""), fields)
            said = TEXTS["cal_unwritable"][n].split(" ({why})")[0]
            assert answer.status == 503 and said in answer.text and "Is a directory" in answer.text, answer.text[-800:]
        assert project.catalogue.read_bytes() == before and head(project) == commit
    finally:
        lock.rmdir()
    assert post(signed_in(desk, "huda"), "/calendar", fields).status == 303
    assert "The held release" in project.catalogue.read_text(encoding="utf-8")


def test_only_an_editor_posts_and_only_with_the_forms_token(desk, setting, announced):
    project = setting[0]
    before, commit = project.catalogue.read_bytes(), head(project)
    for username in ("amal", "salim"):   # a reviewer, an approver: they read, they do not announce
        client = signed_in(desk, username)
        assert client.get(f"/calendar/{announced}").status == 200
        for lang, said in (("ar", TEXTS["error_403"][0]), ("en", TEXTS["error_403"][1])):
            q = "?lang=en" if lang == "en" else ""
            for path, fields in ((f"/calendar{q}", announce_fields("2099-11-01", TITLE)),
                                 (f"/calendar/{announced}{q}", change_fields("confirmed", "2099-09-15", COMPLETE))):
                answer = post(client, path, fields)
                assert answer.status == 403 and said in answer.text
    editor = signed_in(desk, "huda")
    for lang, said in (("ar", TEXTS["error_400"][0]), ("en", TEXTS["error_400"][1])):
        q = "?lang=en" if lang == "en" else ""
        missing = post(editor, f"/calendar{q}", announce_fields("2099-11-01", TITLE), token=None)
        assert missing.status == 400 and said in missing.text
        answer = post(editor, f"/calendar/{announced}{q}", change_fields("confirmed", "2099-09-15", COMPLETE),
                      token="forged")
        assert answer.status == 400 and said in answer.text
    assert project.catalogue.read_bytes() == before and head(project) == commit
    refused = [e for e in audit(setting) if e["event"] == "desk_refused" and e["action"].startswith("desk.")]
    assert {e["username"] for e in refused} >= {"amal", "salim"}


# --- names kept, and saves at the same moment ------------------------------------------------------

def feed_by_uid(project, site) -> dict:
    """`spi build`, then the candidate's /releases.ics in English: its events by UID."""
    assert spi(["build", "--project", str(project.root)]) == 0
    answer = site.get("/releases.ics?lang=en")
    assert answer.status == 200, answer.text[:300]
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(answer.body).walk("VEVENT")}


def test_two_announcements_of_one_title_and_day_get_two_ids_kept_when_retitled(desk, setting, candidate_site):
    """The same title and day announced twice (two releases of one name on one day, or a form
    sent twice): two announcements, the second with `_2` after its id, neither overwriting the
    other; each keeps its UID when its English title is changed by hand in the catalogue."""
    project = setting[0]
    editor = signed_in(desk, "huda")
    bulletin = {"ar": "نشرة الضمان الاجتماعي", "en": "Social security bulletin"}
    names = []
    for _ in range(2):
        answer = post(editor, "/calendar?lang=en", announce_fields("2099-12-01", bulletin))
        assert answer.status == 303, answer.text
        names.append(re.match(r"/calendar/([a-z0-9_]+)\?", answer.headers["Location"]).group(1))
    assert names == ["social_security_bulletin_2099_12_01", "social_security_bulletin_2099_12_01_2"]
    text = project.catalogue.read_text(encoding="utf-8")
    assert all(f"  - id: {n}\n    date: '2099-12-01'\n" in text for n in names)
    ours = [e for e in load_catalogue(project.catalogue).calendar if e.get("id") in names]
    assert [(e["id"], e["title"]) for e in ours] == [(n, bulletin) for n in names]
    assert all(editor.get(f"/calendar/{n}?lang=en").status == 200 for n in names)

    uids = [f"{n}@social-protection-indicators" for n in names]
    events = feed_by_uid(project, candidate_site)
    assert [str(events[u]["summary"]) for u in uids] == [bulletin["en"]] * 2

    def retitle(entries):
        entries[[e.get("id") for e in entries].index(names[1])]["title"]["en"] = "Social security bulletin, second part"

    project.catalogue.write_text(edited(text, retitle), encoding="utf-8")
    events = feed_by_uid(project, candidate_site)
    assert [(str(events[u]["summary"]), events[u]["sequence"]) for u in uids] == [
        (bulletin["en"], 0), ("Social security bulletin, second part", 0)]
    subprocess.run(["git", "-C", str(project.root), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit",
                    "-qm", "retitled by hand", "--", "indicators.yaml"], check=True)


def calendar_at(project, rev: str) -> dict:
    """The catalogue's announcements in git at `rev`, by name."""
    shown = subprocess.run(["git", "-C", str(project.root), "show", f"{rev}:indicators.yaml"], capture_output=True,
                           text=True, check=True).stdout
    return {announcement_id(e): e for e in yaml.safe_load(shown).get("calendar") or []}


def commits_since(project, start: str) -> list[tuple[str, str, str]]:
    """(commit, author, subject) of each commit after `start`, oldest first."""
    log = subprocess.run(["git", "-C", str(project.root), "log", "--reverse", "--format=%H|%an <%ae>|%s",
                          f"{start}..HEAD"], capture_output=True, text=True, check=True).stdout
    return [tuple(line.split("|", 2)) for line in log.splitlines()]


def test_two_editors_saving_at_once_each_commit_their_own_change(desk, setting):
    """Two editors announce at the same moment, then each moves their own at the same moment,
    while git is slow (a pre-commit hook of a second, as a repository's own checks may be):
    four commits, each authored by its editor, with its message, holding exactly its change;
    nothing left uncommitted, and git said nothing went wrong."""
    project = setting[0]
    hook = project.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 1\n")
    hook.chmod(0o755)
    start = head(project)
    titles = {"huda": {"ar": "مستفيدو الإعانات 2099", "en": "Benefit recipients 2099"},
              "noor": {"ar": "دور الرعاية 2099", "en": "Care homes 2099"}}
    clients = {u: signed_in(desk, u) for u in titles}

    def at_once(save) -> dict:
        """`save(username)` for both editors, started together: their answers."""
        ready = threading.Barrier(len(titles))

        def one(username):
            ready.wait()
            return save(username)

        with ThreadPoolExecutor(len(titles)) as pool:
            return dict(zip(titles, pool.map(one, titles)))

    try:
        tokens = {u: c.token("/calendar") for u, c in clients.items()}
        answers = at_once(lambda u: post(clients[u], "/calendar?lang=en", announce_fields("2099-10-20", titles[u]),
                                         token=tokens[u]))
        assert all(a.status == 303 for a in answers.values()), [a.text[-500:] for a in answers.values()]
        names = {u: re.match(r"/calendar/([a-z0-9_]+)\?", a.headers["Location"]).group(1) for u, a in answers.items()}
        tokens = {u: c.token(f"/calendar/{names[u]}") for u, c in clients.items()}
        answers = at_once(lambda u: post(clients[u], f"/calendar/{names[u]}?lang=en",
                                         change_fields("provisional", "2099-10-27", LATE), token=tokens[u]))
        assert all(a.status == 303 for a in answers.values()), [a.text[-500:] for a in answers.values()]
    finally:
        hook.unlink()

    commits = commits_since(project, start)
    assert len(commits) == 4, commits
    by = {u: [c for c in commits if c[1] == f"{PEOPLE[u][0]} <{u}@desk.invalid>"] for u in titles}
    for username, (announced_, moved) in by.items():
        title, name = titles[username]["en"], names[username]
        assert announced_[2] == f"Calendar: {title} announced for 2099-10-20"
        assert moved[2] == f"Calendar: {title} provisional, moved from 2099-10-20 to 2099-10-27"
        for commit, expected in ((announced_[0], None), (moved[0], "2099-10-20")):
            before, after = calendar_at(project, commit + "^"), calendar_at(project, commit)
            changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
            assert changed == {name}, (commit, changed)   # its own change, and no other's
            assert before.get(name, {}).get("date") == expected
    assert calendar_at(project, "HEAD") == {announcement_id(e): e for e in load_catalogue(project.catalogue).calendar}
    status = subprocess.run(["git", "-C", str(project.root), "status", "--porcelain", "--", "indicators.yaml"],
                            capture_output=True, text=True, check=True).stdout
    assert status == ""
    saved = [e for e in audit(setting) if e["event"] == "desk_calendar" and e.get("calendar_id") in names.values()
             and e["action"] in ("announced", "changed")]
    assert len(saved) == 4 and all(e["git_error"] is None for e in saved), saved


# --- the section alone is rewritten ----------------------------------------------------------------

def test_only_the_calendar_section_is_rewritten_with_its_comments(paths):
    """A catalogue whose calendar is written by hand between two sections, with comments and
    quotes: a new entry keeps them, and every byte before and after the section."""
    source = paths.catalogue.read_text(encoding="utf-8")
    section = ("calendar:\n  # written by hand\n  - id: ss_2099   # keep this\n    date: 2099-01-15\n"
               "    title: {ar: \"إحصاءات الضمان\", en: 'Social security: 2099'}\n\n")
    hand = source.replace("\ntopics:\n", "\n" + section + "# the topics\ntopics:\n", 1)

    def add(entries):
        entries.append({"date": "2099-02-01", "title": _flow(ar="جديد، أول", en="New: first")})

    new = edited(hand, add)
    start, end = _section(new)
    assert outside(hand) == (new[:start], new[end:])
    assert new[start:end] == section.rstrip("\n") + "\n  - date: '2099-02-01'\n    title: {ar: جديد، أول, en: 'New: first'}\n"


def test_a_text_that_yaml_1_1_reads_as_another_thing_is_quoted():
    """ruamel writes YAML 1.2, where `yes` and `null` are text; the catalogue's reader (PyYAML)
    reads YAML 1.1, where they are a boolean and nothing: written quoted, they stay text."""
    import yaml
    new = edited("a: 1\n", lambda entries: entries.append(
        {"date": "2099-02-01", "title": _flow(ar="نعم", en="yes"), "indicators": [], "reason": _flow(ar="null", en="On")}))
    entry = yaml.safe_load(new)["calendar"][0]
    assert entry["title"] == {"ar": "نعم", "en": "yes"} and entry["reason"] == {"ar": "null", "en": "On"}


def test_a_change_is_written_as_the_changes_above_it_and_sets_the_state():
    """Below changes written on one line, one line; below none, a block; `state` set where it
    is, or given before `changes`; a move sets the entry's `date`; a reason given twice is
    written twice, not as an anchor and its alias."""
    hand = ("calendar:\n  - date: 2099-01-15\n    title: {ar: أ, en: B}\n    state: confirmed\n    changes:\n"
            "      - {day: 2026-05-01, state: confirmed, reason: {ar: ب, en: C}}\n"
            "  - date: 2099-02-01\n    title: {ar: ج, en: D}\n    changes: []\n")

    def edit(entries):
        why = _flow(ar="س", en="why")
        _record(entries, 0, CommentedMap(day="2026-06-01", state="cancelled", reason=why), "2099-01-15")
        _record(entries, 1, CommentedMap(day="2026-06-01", state="confirmed", moved_from="2099-02-01", reason=why),
                "2099-03-01")

    assert edited(hand, edit) == (
        "calendar:\n  - date: 2099-01-15\n    title: {ar: أ, en: B}\n    state: cancelled\n    changes:\n"
        "      - {day: 2026-05-01, state: confirmed, reason: {ar: ب, en: C}}\n"
        "      - {day: '2026-06-01', state: cancelled, reason: {ar: س, en: why}}\n"
        "  - date: '2099-03-01'\n    title: {ar: ج, en: D}\n    state: confirmed\n    changes:\n"
        "      - day: '2026-06-01'\n        state: confirmed\n        moved_from: '2099-02-01'\n"
        "        reason: {ar: س, en: why}\n")


def test_a_new_id_is_a_catalogue_id_made_of_the_title_and_the_day():
    """The schema's id (a lowercase letter first, then letters, digits and underscores), at most
    the desk's address allows, whatever the English title holds; a name taken gets the next number."""
    made = {title: new_id("2099-06-01", title, set()) for title in
            ("Nursery statistics: Q1", "Dhofar’s data, 2099", "2099 census — Café results", "٢٠٩٩", "x" * 200,
             "The governorates' social protection beneficiaries by programme, sex and wilayat, all of them")}
    assert made == {"Nursery statistics: Q1": "nursery_statistics_q1_2099_06_01",
                    "Dhofar’s data, 2099": "dhofars_data_2099_2099_06_01",
                    "2099 census — Café results": "release_2099_census_cafe_results_2099_06_01",
                    "٢٠٩٩": "release_2099_06_01", "x" * 200: "x" * 60 + "_2099_06_01",
                    "The governorates' social protection beneficiaries by programme, sex and wilayat, all of them":
                        "the_governorates_social_protection_beneficiaries_by_2099_06_01"}
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{0,99}", n) for n in made.values())
    taken = {"nursery_statistics_q1_2099_06_01", "nursery_statistics_q1_2099_06_01_2"}
    assert new_id("2099-06-01", "Nursery statistics: Q1", taken) == "nursery_statistics_q1_2099_06_01_3"
