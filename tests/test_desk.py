"""The statistics unit's desk (`spi desk`), through the real server: signing in with roles,
what a visitor or a forged session gets, the four-eyes release (prepare, send back, cancel,
approve) written as `spi release` writes it, byte for byte, committed to git by its approver,
and served by the public site, which holds none of the desk's routes."""
from __future__ import annotations

import fcntl
import http.client
import json
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest

from etl import approval
from etl.approval import ApprovalError
from spi import reviewers
from spi.cli import main as spi
from spi.desk import approving
from tests.desk_project import NOTE_AR, NOTE_EN, NOW, PEOPLE, REPO, desk_setting, make_project
from tests.servers import Client, gunicorn, raw, spi_desk, split_raw


REASON = {"kind_0": "correction", "reason_ar_0": "صُحِّح خطأ في نقل العدد من التقرير السنوي.",
          "reason_en_0": "A typing error in copying the count from the annual report was corrected."}


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    return desk_setting(tmp_path_factory.mktemp("desk"), SPI_NOW=NOW.isoformat())


@pytest.fixture(scope="module")
def desk(setting):
    project, env, root = setting
    with spi_desk(project.root, root / "desk.log", env) as running:
        yield running


def signed_in(desk, username: str) -> Client:
    client = desk.client()
    answer = client.sign_in(username, PEOPLE[username][2])
    assert answer.status == 303, answer.text
    return client


def post(client: Client, path: str, fields: dict | None = None, page: str = "/"):
    return client.form(path, {"csrf_token": client.token(page), **(fields or {})})


def audit(setting) -> list[dict]:
    return [json.loads(line) for line in (setting[2] / "audit.log").read_text().splitlines()]


# --- a visitor, a forged session, the headers -----------------------------------------------

def test_a_visitor_is_led_to_sign_in_and_sees_nothing(desk):
    for path in ("/", "/changes", "/?lang=en"):
        answer = desk.get(path)
        assert answer.status == 303 and answer.headers["Location"].startswith("/signin?next=")
        assert "private, no-store" in answer.headers["Cache-Control"]
    page = desk.get("/signin")
    assert page.status == 200 and 'lang="ar" dir="rtl"' in page.text and "الدخول إلى المكتب" in page.text
    assert "Sign in to the desk" in desk.get("/signin?lang=en").text
    # an action without a session: no token, so refused before anything runs
    assert desk.client().form("/approve/P1", {}).status == 400
    assert desk.get("/signin?lang=fr").status == 400


def test_every_answer_is_private_with_the_headers_a_site_needs(desk):
    for path in ("/signin", "/", "/nowhere", "/desk.css"):
        h = desk.get(path).headers
        assert h["Cache-Control"] == "private, no-store", path
        assert "default-src 'none'" in h["Content-Security-Policy"] and "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert h["X-Frame-Options"] == "DENY" and h["X-Content-Type-Options"] == "nosniff"
    assert desk.get("/nowhere").status == 404


def test_the_session_cookie_is_httponly_and_strict(desk):
    client = desk.client()
    answer = client.sign_in("huda", PEOPLE["huda"][2])
    cookie = next(c for c in answer.headers.get_all("Set-Cookie") if c.startswith("spi_desk="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie  # http://127.0.0.1


def test_the_cookie_is_secure_when_the_desk_is_https(setting, tmp_path):
    project, env, _ = setting
    with spi_desk(project.root, tmp_path / "log", {**env, "SPI_DESK_URL": "https://desk.example.org"}) as https:
        client = https.client()
        answer = client.sign_in("huda", PEOPLE["huda"][2])
        cookie = next(c for c in answer.headers.get_all("Set-Cookie") if c.startswith("spi_desk="))
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert https.get("/signin").headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_forged_or_signed_out_session_is_nobody(desk):
    forged = desk.client()
    forged.cookies["spi_desk"] = "eyJzaWQiOiJub3RoaW5nIn0.Z0aaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"
    answer = forged.get("/")
    assert answer.status == 303 and "/signin" in answer.headers["Location"]
    client = signed_in(desk, "salim")
    kept = dict(client.cookies)
    assert client.get("/").status == 200
    assert post(client, "/signout").status == 303
    replay = desk.client()
    replay.cookies.update(kept)   # the cookie copied before signing out
    assert replay.get("/").status == 303


def test_a_wrong_password_is_refused_and_the_attempts_are_limited(desk):
    client = desk.client(source="127.0.0.9")
    statuses = [client.sign_in("huda", "not-her-password").status for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    assert "غير صحيحة" in desk.client(source="127.0.0.10").sign_in("huda", "wrong-password-1").text


def test_a_bad_form_token_is_refused(desk):
    client = signed_in(desk, "huda")
    assert client.form("/prepare", {"csrf_token": "forged", "note_en": "x", "note_ar": "س"}).status == 400
    other = signed_in(desk, "noor")   # another person's token is not this session's
    assert client.form("/prepare", {"csrf_token": other.token("/"), "note_en": "x", "note_ar": "س"}).status == 400


# --- roles and the four eyes -----------------------------------------------------------------

def test_roles_are_enforced_on_the_server(desk, setting):
    reviewer, editor = signed_in(desk, "amal"), signed_in(desk, "huda")
    assert post(reviewer, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR}).status == 403
    assert post(editor, "/approve/P1").status == 403
    assert post(editor, "/send-back/P1", {"comment": "no"}).status == 403
    refused = [e for e in audit(setting) if e["event"] == "desk_refused"]
    assert {e["username"] for e in refused} >= {"amal", "huda"}


def test_the_candidate_and_its_changes_are_shown(desk):
    editor = signed_in(desk, "huda")
    home = editor.get("/?lang=en").text
    assert "0 added, 1 revised, 0 amended, 0 withdrawn." in home and "Against release" in home
    changes = editor.get("/changes?lang=en").text
    row = re.search(r"<tr><td>revised</td><td>([^<]*)</td><td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>",
                    changes)
    assert row and row.group(2) == "44" and row.group(3) == "45", changes[-2000:]
    assert "منقَّح" in editor.get("/changes").text
    # the revised series drawn old (dashed) against new: one point each, the revised period marked
    chart = re.search(r'<svg class="desk-chart".*?</svg>', changes, re.S).group(0)
    old = re.findall(r'<circle class="old" cx="([\d.]+)" cy="([\d.]+)"', chart)
    new = re.findall(r'<circle class="new" cx="([\d.]+)" cy="([\d.]+)"', chart)
    assert len(old) == len(new) == 1 and old[0][0] == new[0][0] and float(old[0][1]) > float(new[0][1])  # 44 below 45
    assert '<line class="mark"' in chart and ">2024<" in chart and "The revised series, old against new" in changes


def test_the_four_eyes_path_releases_what_the_cli_would(desk, setting, tmp_path):
    project, env, root = setting
    editor, both, approver = signed_in(desk, "huda"), signed_in(desk, "noor"), signed_in(desk, "salim")
    # prepared, then sent back with a comment
    # the engine's refusal, in the desk's language, naming the desk's fields (not the command's options)
    no_arabic = post(editor, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_EN})
    assert no_arabic.status == 409
    assert (f"رُفض الطلب: ملاحظة الإصدار بالعربية «\u2068{NOTE_EN}\u2069» ليس فيها حرف عربي: اكتب الملاحظة فيها "
            "بالعربية، واكتبها بالإنجليزية في ملاحظة الإصدار بالإنجليزية</p>") in no_arabic.text
    assert "كما يقولها محرّك الإصدار" not in no_arabic.text and "--note" not in no_arabic.text
    in_english = post(editor, "/prepare?lang=en", {"note_en": NOTE_EN, "note_ar": NOTE_EN}, page="/?lang=en")
    assert in_english.status == 409 and "as the release engine says it" not in in_english.text
    assert ("Refused: the Arabic note (the Arabic note) &#x27;Jordan: the psychosocial support team of 2024 "
            "revised.&#x27; has no Arabic letter: give the note in Arabic there, and in English with the English "
            "note</p>") in in_english.text
    answer = post(editor, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR})
    assert answer.status == 303 and "done=prepared" in answer.headers["Location"]
    assert post(editor, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR}).status == 409   # one waits already
    assert post(approver, "/send-back/P1", {"comment": "Say which report."}).status == 303
    assert "Say which report." in editor.get("/?lang=en").text
    # prepared again, by someone who is also an approver: they cannot approve it themselves
    half = post(both, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR, "kind_0": "correction", "reason_en_0": "x"})
    assert half.status == 409 and "reason_ar\u2069 فارغ: اذكر سبب تغيّر الرقم بالعربية" in half.text   # in one language
    assert post(both, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR, **REASON}).status == 303
    assert "someone else approves it" in both.get("/?lang=en").text
    own = post(both, "/approve/P2")
    assert own.status == 409 and "يعتمده شخص آخر" in own.text   # the desk's own refusals are in Arabic too
    assert "a second person approves it" in both.form("/approve/P2?lang=en", {"csrf_token": both.token("/")}).text
    before = project.releases.joinpath("releases.json").read_bytes()
    assert before == (REPO / "data" / "releases" / "releases.json").read_bytes()
    # the CLI's release of the same candidate at the same moment, in a copy of the project
    twin = tmp_path / "twin"
    shutil.copytree(project.root, twin, ignore=shutil.ignore_patterns(".git"))
    # approved by the other approver
    done = post(approver, "/approve/P2")
    assert done.status == 303 and done.headers["Location"] == "/approval"   # the approval runs in the background
    page = _ended(approver, "/approval?lang=en")
    entry = json.loads(project.releases.joinpath("releases.json").read_text())["releases"][-1]
    assert entry["released_by"] == "noor" and entry["approved_by"] == "salim" and entry["revised"] == 1
    assert entry["note"] == NOTE_EN and entry["note_ar"] == NOTE_AR and entry["created_at"] == NOW.isoformat()
    rid = entry["release_id"]
    assert f"Release \u2068P2\u2069 was approved: it is release \u2068{rid}\u2069." in page
    assert post(approver, "/approve/P2").status == 409   # approved once, never twice
    import etl.release as release
    original = release._clock
    release._clock = lambda now: NOW
    try:
        reasons = tmp_path / "reasons.csv"
        reasons.write_text("indicator_id,geo_code,period,kind,reason_ar,reason_en\n"
                           f"jo_psychosocial_team,JO,2024,correction,{REASON['reason_ar_0']},{REASON['reason_en_0']}\n",
                           encoding="utf-8")
        assert spi(["release", "--project", str(twin), "--note-en", NOTE_EN, "--note-ar", NOTE_AR,
                    "--by", "noor", "--approved-by", "salim", "--reasons", str(reasons)]) == 0
    finally:
        release._clock = original
    for name in ("releases.json", f"{rid}/observations.parquet", f"{rid}/indicators.yaml", f"{rid}/reasons.json"):
        assert (twin / "data" / "releases" / name).read_bytes() == project.releases.joinpath(name).read_bytes(), name
    # the desk's record and the audit log
    record = approval.find(project, "P2")
    assert record["state"] == "approved" and record["release_id"] == rid
    assert [e["action"] for e in approval.find(project, "P1")["events"]] == ["prepared", "sent_back"]
    events = [(e["event"], e.get("username")) for e in audit(setting)]
    assert ("desk_prepared", "huda") in events and ("desk_sent_back", "salim") in events
    assert ("desk_approved", "salim") in events
    # a commit authored by the approver, with the note, of exactly the release's files
    log = subprocess.run(["git", "-C", str(project.root), "log", "-1", "--format=%an%n%B", "--name-only"],
                         capture_output=True, text=True, check=True).stdout
    assert log.startswith("Salim Al-Harthy\nRelease " + rid + ": " + NOTE_EN) and NOTE_AR in log
    assert "data/releases/releases.json" in log and "data/desk/prepared.json" in log
    assert "data/raw/" not in log
    # the public site serves the revised figure, and has none of the desk's routes
    with gunicorn(project.served, root / "public.log", {**env, "SPI_NOW": (NOW + timedelta(minutes=1)).isoformat(),
                                                         "SPI_PROJECT": str(project.root)}) as public:
        data = json.loads(public.get("/api/v1/observations?indicator=jo_psychosocial_team").text)
        assert [(o["period"], o["value"]) for o in data["data"]] == [("2024", 45)], data
        assert REASON["reason_en_0"] in json.dumps(data) and "correction" in json.dumps(data)
        releases_page = public.get("/releases?lang=en").text
        assert REASON["reason_en_0"] in releases_page and REASON["reason_ar_0"] in public.get("/releases").text
        for path in ("/prepare", "/approve/P2", "/changes", "/desk.css"):
            assert public.get(path).status == 404, path
        # an editor of the desk is not a reviewer of the public site
        assert public.client().sign_in("huda", PEOPLE["huda"][2]).status == 401
        assert public.client().sign_in("amal", PEOPLE["amal"][2]).status == 303


def test_the_public_server_holds_no_route_of_the_desk():
    from spi.app import server
    from spi.desk.app import desk
    assert not [r for r in server.url_map.iter_rules() if r.endpoint.startswith("desk.")]
    assert "desk" not in server.blueprints and desk.name == "desk"


# --- the record of prepared releases, without the server ----------------------------------------

def test_a_prepared_release_of_a_rebuilt_candidate_is_refused(tmp_path):
    project = make_project(tmp_path / "p")
    record = approval.prepare(project, "huda", NOTE_EN, NOTE_AR, None, datetime.now(timezone.utc))
    (project.raw / "jo_social_protection_2024.csv").write_text(
        (project.raw / "jo_social_protection_2024.csv").read_text(encoding="utf-8").replace(",45,", ",46,", 1),
        encoding="utf-8")
    assert spi(["build", "--project", str(project.root)]) == 0
    with pytest.raises(ApprovalError, match="built again since release P1 was prepared"):
        approval.approve(project, record["id"], "salim", datetime.now(timezone.utc))
    with pytest.raises(ApprovalError, match="the comment is empty"):
        approval.send_back(project, "P1", "salim", "  ", datetime.now(timezone.utc))
    approval.cancel(project, "P1", "huda", "The figure changed again.", datetime.now(timezone.utc))
    assert approval.find(project, "P1")["state"] == "cancelled"
    with pytest.raises(ApprovalError, match="cancelled, not waiting"):
        approval.approve(project, "P1", "salim", datetime.now(timezone.utc))


def test_a_release_written_before_its_record_is_read_as_approved(tmp_path):
    """kill -9 between the release and the record: the manifest says it was approved, and it is
    never released twice."""
    from etl.release import make_release
    project = make_project(tmp_path / "p")
    now = datetime.now(timezone.utc)
    record = approval.prepare(project, "huda", NOTE_EN, NOTE_AR, None, now)
    make_release(NOTE_EN, None, project.processed, project.releases, project.catalogue, by="huda",
                 now=now + timedelta(seconds=1), note_ar=NOTE_AR, approved_by="salim")
    assert approval.find(project, record["id"])["state"] == "approved"
    assert approval.waiting(project) is None
    with pytest.raises(ApprovalError, match="approved, not waiting"):
        approval.approve(project, record["id"], "salim", now + timedelta(seconds=2))


def test_the_cli_refuses_an_approver_who_releases(tmp_path, capsys):
    project = make_project(tmp_path / "p")
    assert spi(["release", "--project", str(project.root), "--note-en", NOTE_EN, "--note-ar", NOTE_AR,
                "--by", "noor", "--approved-by", "noor"]) == 1
    assert "cannot approve a release they make themselves" in capsys.readouterr().err
    assert (project.releases / "releases.json").read_bytes() == (REPO / "data" / "releases" / "releases.json").read_bytes()


def test_roles_in_the_reviewers_file_are_checked(tmp_path):
    path = tmp_path / "people.json"
    hashed = reviewers.hash_password("a-long-password")
    for roles, problem in ((["boss"], "must be a list of one or more of editor, approver, reviewer"),
                           ([], "must be a list"), (["editor", "editor"], "each once"), ("editor", "must be a list")):
        path.write_text(json.dumps({"x": {"name": "X", "password_hash": hashed, "roles": roles}}))
        with pytest.raises(ValueError, match=problem):
            reviewers.read_file(path)
    path.write_text(json.dumps({"x": {"name": "X", "password_hash": hashed}}))
    assert reviewers.read_file(path)["x"].roles == ("reviewer",)


def test_spi_desk_refuses_to_start_without_its_settings(setting, tmp_path):
    project, env, _ = setting
    for drop, says in (("SPI_SECRET_KEY", "SPI_SECRET_KEY is not set"), ("SPI_REVIEWERS_FILE", "nobody to sign in")):
        run = subprocess.run([str(REPO / ".venv" / "bin" / "spi"), "desk", "--project", str(project.root)],
                             env={**os.environ, **env, drop: ""},
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 1 and says in run.stderr and "Traceback" not in run.stderr, run.stderr


# --- the build, from the desk ---------------------------------------------------------------------

def test_a_build_runs_in_the_background_and_its_problems_are_shown(setting, tmp_path):
    project, env, _ = setting
    bad = make_project(tmp_path / "p")
    with spi_desk(bad.root, tmp_path / "desk.log", env) as desk:
        editor, reviewer = signed_in(desk, "huda"), signed_in(desk, "amal")
        assert post(reviewer, "/build").status == 403
        assert "No build was started" in editor.get("/build?lang=en").text
        started = post(editor, "/build")
        assert started.status == 303 and started.headers["Location"] == "/build"
        page = _ended(editor)
        assert "has ended" in page and "The build passed: 74 figures" in page and "/changes" in page
        # a clerk's mistake: a figure that is not a number; the candidate stays the one before
        path = bad.raw / "jo_social_protection_2024.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",45,", ",4five,", 1), encoding="utf-8")
        before = (bad.processed / "indicators.duckdb").stat().st_ino
        post(editor, "/build")
        page = _ended(editor)
        assert "The build failed: 1 error(s)" in page and "jo_social_protection_2024.csv" in page and "4five" in page
        arabic = editor.get("/build").text    # the clerk reads the problem, and the build's steps, in Arabic
        assert ("<li>خطأ: الملف \u2068jo_social_protection_2024.csv\u2069، الصف" in arabic
                and "القيمة «\u20684five\u2069»: الرقم «\u20684five\u2069»: ليست عددًا" in arabic), arabic
        steps = re.search(r'<ol class="desk-lines">(.*?)</ol>', arabic).group(1)
        assert "<li>قُرئ \u2068jo_social_protection_2024.csv\u2069: " in steps, steps
        assert '<li dir="ltr" lang="en">' not in arabic
        assert (bad.processed / "indicators.duckdb").stat().st_ino == before
        assert 'http-equiv="refresh"' not in page


def test_a_build_stopped_by_a_fault_says_so_in_each_language(tmp_path, monkeypatch):
    """Not the clerk's mistake but the server's (a full disk): the build's status says it in
    Arabic and English, the fault as the server gives it, isolated inside the Arabic sentence."""
    from spi.desk import building
    from spi.desk.releasing import _status_line
    project = make_project(tmp_path / "p")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(building, "build", full)
    assert building.start(project, "huda")
    deadline = time.monotonic() + 60
    while building.status(project)["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    found = building.status(project)
    assert found["state"] == "done" and found["ok"] is False and found["errors"] == 1
    (line,) = found["problems"]
    assert line["en"] == "the build failed: OSError: [Errno 28] No space left on device"
    assert line["ar"] == ("توقّف البناء على عطل في الخادم، والمرشَّح لم يتغيَّر: "
                          "\u2068OSError: [Errno 28] No space left on device\u2069")
    assert _status_line(line, "ar").startswith("<li>توقّف البناء") and 'lang="en"' not in _status_line(line, "ar")


def _ended(client: Client, path: str = "/build?lang=en", timeout: float = 60) -> str:
    """The page of a job of the desk (a build, an approval) once it no longer refreshes itself:
    while it runs it does, each second, with its progress bar. A connection the server's worker
    dropped (a test kills it) is asked again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            page = client.get(path).text
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        if 'http-equiv="refresh"' not in page:
            return page
        assert 'http-equiv="refresh" content="1"' in page and "<progress" in page
        time.sleep(0.2)
    raise AssertionError(f"{path} did not end")


def test_an_embargoed_release_is_moved_then_cancelled_with_its_reasons(setting, tmp_path):
    from zoneinfo import ZoneInfo
    project, env, _ = setting
    held = make_project(tmp_path / "p")
    local = (NOW + timedelta(hours=3)).astimezone(ZoneInfo("Asia/Muscat"))
    with spi_desk(held.root, tmp_path / "desk.log", env) as desk:
        editor, approver, reviewer = signed_in(desk, "huda"), signed_in(desk, "salim"), signed_in(desk, "amal")
        assert post(editor, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR,
                                         "at": f"{local:%Y-%m-%dT%H:%M}"}).status == 303
        assert post(approver, "/approve/P1").status == 303
        _ended(approver, "/approval?lang=en")
        rid = json.loads((held.releases / "releases.json").read_text())["releases"][-1]["release_id"]
        page = approver.get("/?lang=en").text
        assert f"A release under embargo until its time: \u2068{rid}\u2069" in page
        assert f"{local:%Y-%m-%d %H:%M} Asia/Muscat" in page
        assert "Move the public time" not in reviewer.get("/?lang=en").text
        assert post(reviewer, f"/embargoed/{rid}/cancel", {"reason": "x"}).status == 403
        later = local + timedelta(hours=1)
        assert post(editor, f"/embargoed/{rid}/reschedule", {"at": f"{later:%Y-%m-%dT%H:%M}", "reason": ""}).status == 409
        moved = post(editor, f"/embargoed/{rid}/reschedule", {"at": f"{later:%Y-%m-%dT%H:%M}",
                                                              "reason": "The minister asked for the afternoon."})
        assert moved.status == 303
        assert f"{later:%Y-%m-%d %H:%M} Asia/Muscat" in editor.get("/?lang=en").text
        assert post(approver, f"/embargoed/{rid}/cancel", {"reason": "A figure was found wrong."}).status == 303
        entries = json.loads((held.releases / "releases.json").read_text())["releases"]
        assert [(e["action"], e["reason"], e["by"]) for e in entries[-2:]] == [
            ("reschedule", "The minister asked for the afternoon.", "huda"), ("cancel", "A figure was found wrong.", "salim")]
        assert "A release under embargo" not in editor.get("/?lang=en").text
        assert post(editor, f"/embargoed/{rid}/delete", {"reason": "x"}).status == 404


# --- the approval, in the background ---------------------------------------------------------

@contextmanager
def _records_locked(project):
    """The lock of the prepared releases' records (etl/approval.py), held by the test: an
    approval started meanwhile waits at its first step, running."""
    with open(project.root / "data" / "desk" / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def test_no_approval_starts_while_a_build_runs(setting, tmp_path):
    """A build holds the candidate (its job's lock and the candidate's, as spi/desk/jobs.py takes
    them, held here by the test with the build's status running): an approval is refused, with
    who builds, and nothing is released."""
    project, env, _ = setting
    held = make_project(tmp_path / "p")
    before = (held.releases / "releases.json").read_bytes()
    with spi_desk(held.root, tmp_path / "desk.log", env) as desk:
        editor, approver = signed_in(desk, "huda"), signed_in(desk, "salim")
        assert post(editor, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR}).status == 303
        (held.processed / "desk-build.json").write_text(json.dumps({"state": "running", "by": "huda", "lines": [],
                                                                    "steps": 5, "done_steps": 1, "started": 0}))
        with open(held.processed / "desk-build.lock", "a") as job, open(held.processed / "desk-candidate.lock", "a") as cand:
            fcntl.flock(job, fcntl.LOCK_EX)
            fcntl.flock(cand, fcntl.LOCK_EX)
            refused = approver.form("/approve/P1?lang=en", {"csrf_token": approver.token("/")})
            assert refused.status == 409 and "A build is running (started by huda): approve once it has ended" in refused.text
            assert "البناء جارٍ (بدأه huda)" in post(approver, "/approve/P1").text
        assert (held.releases / "releases.json").read_bytes() == before
        assert approval.find(held, "P1")["state"] == "prepared"


def test_an_approval_runs_in_the_background_and_a_second_one_is_refused(setting, tmp_path):
    project, env, _ = setting
    held = make_project(tmp_path / "p")
    before = json.loads((held.releases / "releases.json").read_text())["releases"]
    with spi_desk(held.root, tmp_path / "desk.log", env) as desk:
        editor, approver, other = signed_in(desk, "huda"), signed_in(desk, "salim"), signed_in(desk, "noor")
        assert "No release was approved from the desk yet" in approver.get("/approval?lang=en").text
        assert post(editor, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR}).status == 303
        with _records_locked(held):
            started = post(approver, "/approve/P1")
            assert started.status == 303 and started.headers["Location"] == "/approval"
            page = approver.get("/approval?lang=en").text
            assert "Release \u2068P1\u2069 is being approved, by salim" in page
            assert 'http-equiv="refresh" content="1"' in page and '<progress max="4" value="0"' in page
            assert '<li class="desk-step-now" aria-current="step">Checking the prepared release and the candidate' in page
            assert approving.status(held)["state"] == "running"   # its lock, seen from another process
            for client in (approver, other):   # a double click, another approver: never a second release
                again = post(client, "/approve/P1")
                assert again.status == 409 and "يجري الآن اعتماد الإصدار \u2068P1\u2069 (بدأه salim)" in again.text
            assert "is being approved now (by salim)" in approver.form(
                "/approve/P1?lang=en", {"csrf_token": approver.token("/")}).text
            assert 'href="/approval?lang=en"' in other.get("/?lang=en").text
            # no build while a release is being approved: it would swap the candidate being released
            built_before = (held.processed / "indicators.duckdb").stat().st_mtime_ns
            refused = editor.form("/build?lang=en", {"csrf_token": editor.token("/")})
            assert refused.status == 409 and "A release is being approved: start the build once it is done" in refused.text
            assert "يجري الآن اعتماد إصدار" in post(editor, "/build").text
            assert (held.processed / "indicators.duckdb").stat().st_mtime_ns == built_before
            assert json.loads((held.releases / "releases.json").read_text())["releases"] == before
        page = _ended(approver, "/approval?lang=en")
        entries = json.loads((held.releases / "releases.json").read_text())["releases"]
        assert len(entries) == len(before) + 1 and entries[-1]["approved_by"] == "salim"
        rid = entries[-1]["release_id"]
        assert f'<p role="status" class="desk-done">Release \u2068P1\u2069 was approved: it is release \u2068{rid}\u2069.' in page
        assert page.count('class="desk-step-done"') == 4 and '<progress max="4" value="4"' in page
        assert f"اعتُمد الإصدار \u2068P1\u2069 ونُشر بوصفه الإصدار \u2068{rid}\u2069." in approver.get("/approval").text
        assert approval.find(held, "P1")["release_id"] == rid
        log = subprocess.run(["git", "-C", str(held.root), "log", "-1", "--format=%an %s"],
                             capture_output=True, text=True, check=True).stdout
        assert log.startswith(f"Salim Al-Harthy Release {rid}: ")
        assert post(other, "/approve/P1").status == 409   # approved: not waiting any more
        # refused in the background, with the reason: the candidate was built again since it was prepared
        path = held.raw / "jo_social_protection_2024.csv"
        shipped = path.read_text(encoding="utf-8")
        for new in (",46,", ",47,"):
            path.write_text(shipped.replace(",45,", new, 1), encoding="utf-8")
            assert spi(["build", "--project", str(held.root)]) == 0
            if new == ",46,":
                assert post(editor, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR}).status == 303
        assert post(approver, "/approve/P2").status == 303
        page = _ended(approver, "/approval?lang=en")
        assert ('<p role="status" class="desk-error">Refused: the candidate was built again since release P2 was '
                "prepared") in page and '<li class="desk-step-cut">Checking the prepared release' in page
        assert "رُفض الطلب: أُعيد بناء المرشَّح منذ إعداد الإصدار \u2068P2\u2069" in approver.get("/approval").text
        assert json.loads((held.releases / "releases.json").read_text())["releases"] == entries
        assert approval.find(held, "P2")["state"] == approval.WAITING


@pytest.mark.parametrize("crash", ["release:manifest", "release:decided", "build:served"])
def test_an_approval_whose_process_died_says_it_stopped_and_where_the_history_stands(setting, tmp_path, crash):
    """The desk's worker killed (SIGKILL, as a power cut would) while the release is written, the
    instant it is decided, or while the site's databases are written: the page stops refreshing
    and says which it was, from the files."""
    project, env, _ = setting
    held = make_project(tmp_path / "p")
    before = (held.releases / "releases.json").read_bytes()
    with spi_desk(held.root, tmp_path / "desk.log", {**env, "SPI_CRASH_AT": crash}) as desk:
        editor, approver = signed_in(desk, "huda"), signed_in(desk, "salim")
        assert post(editor, "/prepare", {"note_en": NOTE_EN, "note_ar": NOTE_AR}).status == 303
        with _records_locked(held):   # the answer is sent before the worker dies
            assert post(approver, "/approve/P1").status == 303
        page = _ended(approver, "/approval?lang=en")
        assert "The approval of release \u2068P1\u2069 by salim stopped before it ended." in page
        if crash == "release:manifest":
            assert (held.releases / "releases.json").read_bytes() == before
            assert approval.find(held, "P1")["state"] == approval.WAITING
            assert ("The history is as it was: no release was written, and release \u2068P1\u2069 still waits for "
                    "approval. Approve it again.") in page
            assert '<li class="desk-step-cut">Writing the release into the history — stopped here' in page
            assert "تاريخ الإصدارات كما كان: لم يُكتب أي إصدار" in approver.get("/approval").text
        elif crash == "release:decided":
            assert (held.releases / "releases.json").read_bytes() == before   # decided, not yet in place
            assert ("The history: the release was decided when the approval stopped, but its files were not all put "
                    "in place. Approve release \u2068P1\u2069 again") in page
            assert post(approver, "/approve/P1").status == 303   # completes it, then finds it approved
            page = _ended(approver, "/approval?lang=en")
            assert "Refused: release P1 is approved, not waiting for approval" in page
            entries = json.loads((held.releases / "releases.json").read_text())["releases"]
            assert entries[-1]["approved_by"] == "salim" and len(entries) == len(json.loads(before)["releases"]) + 1
            assert approval.find(held, "P1")["release_id"] == entries[-1]["release_id"]
        else:
            entry = json.loads((held.releases / "releases.json").read_text())["releases"][-1]
            assert entry["approved_by"] == "salim" and approval.find(held, "P1")["release_id"] == entry["release_id"]
            served = json.loads((held.served / "releases.json").read_text())["releases"]
            assert entry["release_id"] not in [e["release_id"] for e in served]
            assert (f"The history: release \u2068{entry['release_id']}\u2069 is written and recorded, but the site&#x27;s "
                    "databases were not written again after it") in page
            assert "<li class=\"desk-step-cut\">Writing the site&#x27;s databases — stopped here" in page


def test_an_approval_that_fails_after_the_release_says_where_the_history_stands(tmp_path, monkeypatch):
    """A fault past the release engine (the audit log cannot be written): the job ends, its
    status says why, and the history is read as it is: released and served."""
    project = make_project(tmp_path / "p")
    approval.prepare(project, "huda", NOTE_EN, NOTE_AR, None, datetime.now(timezone.utc))

    def unwritable(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(approving, "audit", unwritable)
    salim = reviewers.Reviewer("salim", PEOPLE["salim"][0], "-", ("approver",))
    assert approving.start(project, "P1", salim, "127.0.0.1", datetime.now(timezone.utc) + timedelta(seconds=1), None)
    deadline = time.monotonic() + 60
    while approving.status(project)["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    found = approving.status(project)
    rid = json.loads((project.releases / "releases.json").read_text())["releases"][-1]["release_id"]
    assert found["state"] == "done" and found["ok"] is False and "No space left on device" in found["fault"]
    assert found["step"] == approving.STEPS.index("record")
    assert approving.where_it_stands(project, "P1") == ("served", rid)


# --- loading a table ---------------------------------------------------------------------------

def multipart(client: Client, path: str, page: str, name: str, data: bytes, **fields):
    """A file sent as a browser's form sends it (multipart/form-data), with the page's token."""
    boundary = "----spi-test-boundary"
    parts = [(k, v) for k, v in {"csrf_token": client.token(page), **fields}.items()]
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in parts)
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
             "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.request(path, "POST", {"Content-Type": f"multipart/form-data; boundary={boundary}"}, body)


def _cell(page: str, ref: str) -> str:
    found = re.search(rf'<td class="([^"]*)" title="[^"]*" id="s0-{ref}">', page)
    assert found, ref
    return found.group(1)


def test_a_table_is_uploaded_gridded_fixed_and_accepted_into_git(setting, tmp_path):
    from tests.tables import yearbook
    project, env, root = setting
    loaded = make_project(tmp_path / "p", table=True)
    table = yearbook(tmp_path / "table.xlsx", [["مسقط", 1234, 1250], ["ظفار", 400, 410], ["مدينة الخيال", 10, 20]])
    with spi_desk(loaded.root, tmp_path / "desk.log", env) as desk:
        editor, reviewer, other = signed_in(desk, "huda"), signed_in(desk, "amal"), signed_in(desk, "noor")
        assert reviewer.get("/load").status == 403
        assert multipart(reviewer, "/load", "/", "table.xlsx", table.read_bytes()).status == 403
        sent = multipart(editor, "/load", "/load", "table.xlsx", table.read_bytes())
        assert sent.status == 303 and sent.headers["Location"].startswith("/load/")
        where = sent.headers["Location"]
        assert other.get(where).status == 404   # an upload is its uploader's
        page = editor.get(where + "?lang=en").text
        # the recipe proposed leaves the source to the clerk: said, and nothing can be accepted yet
        assert "source: REPLACE_ME" in page and "Fix the errors first" in page and "/accept" not in page
        def recipe_with(source):
            return re.sub(r"^source: REPLACE_ME", f"source: {source}", recipe_text, count=1, flags=re.M)
        # a wrong source: the recipe's error, named; then the right one: the grid tells every cell's role
        recipe_text = re.search(r'<textarea id="recipe"[^>]*>(.*?)</textarea>', page, re.S).group(1)
        import html as html_module
        recipe_text = html_module.unescape(recipe_text)
        assert editor.form(where + "/recipe", {"csrf_token": editor.token(where),
                                               "recipe": recipe_with("om_mosd_welfare_2012")}).status == 303
        assert "did you mean" in editor.get(where + "?lang=en").text
        editor.form(where + "/recipe", {"csrf_token": editor.token(where),
                                        "recipe": recipe_with("om_mosd_welfare_2021")})
        page = editor.get(where + "?lang=en").text
        assert "role-value" in _cell(page, "B3") and "role-place" in _cell(page, "A3") and "role-period" in _cell(page, "B2")
        assert "role-note" in _cell(page, "A1")
        # the unknown governorate: the validator's message beside its cell, in Arabic on the Arabic page
        assert "issue" in _cell(page, "A5") and 'class="issue-mark">1</a>' in page
        assert "unknown governorate" in page
        arabic = editor.get(where).text
        assert "مدينة الخيال" in arabic and "unknown governorate" not in arabic
        # fixed in the table (a new upload): accepted, written into data/raw/ and committed by the editor
        fixed = yearbook(tmp_path / "fixed.xlsx", [["مسقط", 1234, 1250], ["ظفار", 400, 410]])
        sent = multipart(editor, "/load", "/load", "table.xlsx", fixed.read_bytes())
        where = sent.headers["Location"]
        editor.form(where + "/recipe", {"csrf_token": editor.token(where),
                                        "recipe": recipe_with("om_mosd_welfare_2021")})
        first = (loaded.raw / "table.xlsx").read_bytes()
        done = editor.form(where + "/accept?lang=en", {"csrf_token": editor.token(where)})
        day = NOW.date().isoformat()
        assert done.status == 200 and f"table.{day}.xlsx was accepted into the raw data" in done.text, done.text[-800:]
        assert "0 added, 3 changed, 0 removed" in done.text   # against the version before, cell by cell
        assert (loaded.raw / "table.xlsx").read_bytes() == first   # never overwritten: the new one beside it
        assert (loaded.raw / f"table.{day}.xlsx").read_bytes() == fixed.read_bytes()
        assert (loaded.raw / f"table.{day}.layout.yaml").read_text(encoding="utf-8") == recipe_with("om_mosd_welfare_2021")
        log = subprocess.run(["git", "-C", str(loaded.root), "log", "-1", "--format=%an%n%s", "--name-only"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        assert log[:2] == ["Huda Al-Balushi", "Load table.xlsx (new version of table.xlsx)"] or log[:2] == [
            "Huda Al-Balushi", f"Load table.{day}.xlsx (new version of table.xlsx)"], log
        assert sorted(log[3:]) == [f"data/raw/table.{day}.layout.yaml", f"data/raw/table.{day}.xlsx"], log
        assert editor.get(where).status == 404   # the staged upload is gone once accepted


def test_a_csv_as_an_arabic_office_saves_it_is_loaded_under_its_arabic_name(setting, tmp_path):
    """Windows-1256, named in Arabic, through the real server: gridded, its encoding said in
    Arabic, accepted under the Arabic name the catalogue gives, committed by the editor."""
    project, env, _ = setting
    loaded = make_project(tmp_path / "p", table=True)
    catalogue = loaded.root / "indicators.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("files: [table.xlsx]",
                                                                       "files: [table.xlsx, حالات_الضمان.csv]"),
                         encoding="utf-8")
    data = ("indicator_id,geo,period,value,source_id\n"
            "om_upload_cases,الداخلية,2024,71,om_mosd_welfare_2021\n").encode("cp1256")
    with spi_desk(loaded.root, tmp_path / "desk.log", env) as desk:
        editor = signed_in(desk, "huda")
        sent = multipart(editor, "/load", "/load", "حالات الضمان.csv", data)
        assert sent.status == 303, sent.text[-600:]
        where = sent.headers["Location"]
        page = editor.get(where).text
        assert "role-value" in _cell(page, "D2") and "قُرئ بترميز \u2068Windows-1256\u2069" in page
        done = editor.form(where + "/accept", {"csrf_token": editor.token(where)})
        assert done.status == 200 and "حالات_الضمان.csv" in done.text, done.text[-800:]
        assert (loaded.raw / "حالات_الضمان.csv").read_bytes() == data
        log = subprocess.run(["git", "-C", str(loaded.root), "-c", "core.quotepath=false", "log", "-1",
                              "--format=%an", "--name-only"], capture_output=True, text=True, check=True).stdout.split()
        assert log == ["Huda", "Al-Balushi", "data/raw/حالات_الضمان.csv"], log


def test_uploads_are_refused_by_their_content_and_their_size(setting, tmp_path):
    import io
    import zipfile
    project, env, _ = setting
    with spi_desk(project.root, tmp_path / "desk.log", env) as desk:
        editor = signed_in(desk, "huda")
        exe = multipart(editor, "/load?lang=en", "/load", "table.xlsx", b"MZ\x90\x00" + b"\x00" * 200)
        assert exe.status == 422 and "refused" in exe.text.lower()
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (300 << 20))
        answer = multipart(editor, "/load?lang=en", "/load", "table.xlsx", bomb.getvalue())
        assert answer.status == 422 and "expands to 300.0 MB uncompressed" in answer.text   # read from its directory only
        assert "يتمدد" in multipart(editor, "/load", "/load", "table.xlsx", bomb.getvalue()).text
        # a body beyond the limit: refused from its Content-Length, before a byte of it is read
        token = editor.token("/load")
        cookie = "; ".join(f"{k}={v}" for k, v in editor.cookies.items())
        head = (f"POST /load HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nConnection: close\r\n"
                f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {30 << 20}\r\n\r\n").encode()
        status, headers, _ = split_raw(raw(desk.port, head + f"--x\r\ncsrf_token={token}".encode(), timeout=5))
        assert status == 413 and headers["cache-control"] == ["private, no-store"]
        assert not list((project.processed / "desk-uploads").glob("*/table.xlsx"))
        for bad in ("../../etc/passwd", "A" * 22 + "/../x", "nothing"):
            assert editor.get(f"/load/{bad}").status == 404


def test_uploads_are_limited_per_person(setting, tmp_path):
    from spi.desk import loading
    project, env, _ = setting
    with spi_desk(project.root, tmp_path / "desk.log", env) as desk:
        editor = signed_in(desk, "noor")
        statuses = [multipart(editor, "/load", "/load", "x.csv", b"not,a\ntable,1\n").status
                    for _ in range(loading.UPLOAD_LIMIT + 1)]
        assert statuses[-1] == 429 and 429 not in statuses[:-1]


def test_a_release_whose_site_databases_cannot_be_written_is_still_said_to_be_made(tmp_path, monkeypatch):
    """A full disk after the release: the release is made and recorded, and the step says the
    site's databases were not written again, rather than failing as though nothing happened."""
    project = make_project(tmp_path / "p")
    now = datetime.now(timezone.utc)
    record = approval.prepare(project, "huda", NOTE_EN, NOTE_AR, None, now)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(approval, "write_served", full_disk)
    done = approval.approve(project, record["id"], "salim", now + timedelta(seconds=1))
    assert done["state"] == "approved" and "No space left on device" in done["served_error"]
    assert approval.find(project, record["id"])["release_id"] == done["release_id"]
    assert json.loads((project.releases / "releases.json").read_text())["releases"][-1]["approved_by"] == "salim"


# --- history in git ----------------------------------------------------------------------------

def test_commits_from_two_pages_at_once_both_land(tmp_path):
    """An upload and a release (any two of the desk's commits) at the same moment, from two
    workers, while git is slow (a pre-commit hook of a second): git holds its index for one at
    a time, so without the desk's own lock one of them fails on index.lock. Both land, each
    with exactly its own file, by its own author."""
    from concurrent.futures import ProcessPoolExecutor
    from spi.desk import git
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    for args in (["init", "-q"], ["config", "user.email", "t@t"], ["config", "user.name", "t"],
                 ["commit", "-q", "--allow-empty", "-m", "start"]):
        subprocess.run(["git", "-C", str(root), *args], check=True)
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 1\n")
    hook.chmod(0o755)
    people = {name: reviewers.Reviewer(name, PEOPLE[name][0], "-", ("editor",)) for name in ("huda", "noor")}
    for name in people:
        (root / "data" / f"{name}.csv").write_text(name)
    with ProcessPoolExecutor(2) as pool:
        failed = list(pool.map(git.commit, [root] * 2, [[f"data/{n}.csv"] for n in people], list(people),
                               people.values()))
    assert failed == [None, None]
    log = subprocess.run(["git", "-C", str(root), "log", "--format=%x00%an|%s", "--name-only", "-2"],
                         capture_output=True, text=True, check=True).stdout
    blocks = [[line for line in block.splitlines() if line] for block in log.split("\0") if block.strip()]
    commits = {lines[0]: lines[1:] for lines in blocks}
    assert commits == {f"{PEOPLE[n][0]}|{n}": [f"data/{n}.csv"] for n in people}, log
