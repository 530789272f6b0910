"""Pre-release access (store/prerelease.py): the reviewers who read a release under embargo are
published with it at its time, never before. Through gunicorn, on the session's release history
(tests/conftest.py: the third release embargoed until 2030-01-01 09:00 Muscat): two reviewers
sign in as a browser does and read the embargoed release, which writes the real audit log; the
public, before the time, sees no list of it (nor the release); a server whose clock is past
the time shows the two names under it on the Releases page (Arabic and English) and in the
API, and says "nobody" for the releases no one read under embargo. A log that cannot be read
is said to be unavailable, not an empty list; the log is read incrementally, a file replaced
or cut read again."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from html import unescape

import pytest

from spi import reviewers
from store import prerelease
from store.formats import LRI, PDI
from tests.conftest import HISTORY_NOW

AFTER = "2030-01-01T05:00:01+00:00"   # a second after 09:00 in Muscat
# after the history was made (a record follows every entry), the third release still under embargo
BETWEEN = "2030-01-01T04:59:30+00:00"   # (the fixture made it a minute before its time)
USERS = {"amal": ("Amal Al-Harthy", "a long reviewers' password"), "badr": ("بدر البلوشي", "another long password")}


@pytest.fixture(scope="module")
def viewed(release_history, tmp_path_factory):
    """The history served before the embargo ends, with a reviewers' file of two; each signs in
    and reads the embargoed release (badr first). The environment, for a server after the time."""
    from tests.servers import gunicorn
    root = tmp_path_factory.mktemp("pre-release")
    users = root / "reviewers.json"
    users.write_text(json.dumps({u: {"name": name, "password_hash": reviewers.hash_password(pw)}
                                 for u, (name, pw) in USERS.items()}, ensure_ascii=False), encoding="utf-8")
    env = {**release_history.env, "SPI_REVIEWERS_FILE": str(users), "SPI_AUDIT_LOG": str(root / "audit.log"),
           "SPI_STATE": str(root / "reviewers.sqlite"), "SPI_NOW": HISTORY_NOW}
    with gunicorn(release_history.copy.served, root / "before.log", env, workers=2) as running:
        for username in ("badr", "amal"):
            client = running.client()
            assert client.sign_in(username, USERS[username][1]).status == 303
            page = client.get("/explorer?indicator=jo_psychosocial_team&lang=en")
            assert "EMBARGOED" in page.text
        public = {lang: running.get(f"/releases?lang={lang}").text for lang in ("ar", "en")}
        api = json.loads(running.get("/api/v1/releases").body)
    yield env, public, api


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(LRI, "").replace(PDI, "").strip()


def _lists(page: str) -> dict[str, str]:
    """Each release on the Releases page, by id, and what its pre-release access line says."""
    out = {}
    for item in re.findall(r'<li class="release[^"]*">(.*?)</li>', page, re.S):
        rid = re.search(r"release=([0-9-]+)", item).group(1)
        found = re.search(r'<p class="pre-release-access[^"]*">(.*?)</p>', item, re.S)
        out[rid] = _words(found.group(1)) if found else None
    return out


def test_the_views_are_in_the_audit_log_with_the_reviewers_names(viewed, release_history):
    env, _, _ = viewed
    lines = [json.loads(line) for line in open(env["SPI_AUDIT_LOG"], encoding="utf-8")]
    views = [(r["reviewer"], r["name"], r["release"]) for r in lines if r["event"] == "embargoed_view"]
    third = release_history.ids[2]
    assert ("badr", USERS["badr"][0], third) in views and ("amal", USERS["amal"][0], third) in views


def test_before_its_time_the_public_sees_no_list_of_the_embargoed_release(viewed, release_history):
    env, public, api = viewed
    first, second, third = release_history.ids
    for lang, page in public.items():
        assert third not in page and "Amal" not in page and USERS["badr"][0] not in page, lang
        said = _lists(page)
        assert set(said) == {first, second}
        assert set(said.values()) == {prerelease.t("pre_release_access_none", lang)}, said
    assert [r["release_id"] for r in api["data"]] == [second, first]
    assert {json.dumps(r["pre_release_access"]) for r in api["data"]} == {'{"available": true, "names": []}'}


@pytest.fixture(scope="module")
def after(viewed, release_history, tmp_path_factory):
    from tests.servers import gunicorn
    env = {**viewed[0], "SPI_NOW": AFTER}
    with gunicorn(release_history.copy.served, tmp_path_factory.mktemp("after") / "gunicorn.log", env,
                  workers=1) as running:
        yield running


@pytest.mark.parametrize("lang, said", [
    ("ar", "اطّلع عليه قبل نشره: بدر البلوشي وAmal Al-Harthy."),   # (the isolates taken out by _words)
    ("en", "Seen before publication by: بدر البلوشي and Amal Al-Harthy."),
])
def test_at_its_time_the_release_is_published_with_who_saw_it(after, release_history, lang, said):
    first, second, third = release_history.ids
    page = after.get(f"/releases?lang={lang}").text
    assert _lists(page) == {third: said, second: prerelease.t("pre_release_access_none", lang),
                            first: prerelease.t("pre_release_access_none", lang)}
    if lang == "ar":
        assert f"{LRI}Amal Al-Harthy{PDI}" in page   # a Latin name isolated inside the Arabic sentence


def test_the_api_gives_the_list_with_the_release(after, release_history):
    first, second, third = release_history.ids
    data = json.loads(after.get("/api/v1/releases").body)["data"]
    assert [(r["release_id"], r["pre_release_access"]) for r in data] == [
        (third, {"available": True, "names": [USERS["badr"][0], USERS["amal"][0]]}),
        (second, {"available": True, "names": []}), (first, {"available": True, "names": []})]
    csv = after.get("/api/v1/releases?format=csv").text
    assert f"{USERS['badr'][0]}|{USERS['amal'][0]}" in csv


# -- the reader, on a log of its own -------------------------------------------------------------

AT = datetime(2030, 1, 1, 5, tzinfo=timezone.utc)


def _line(at: str, release: str = "r1", reviewer: str = "amal", name: str | None = "Amal", event="embargoed_view"):
    return json.dumps({"at": at, "event": event, "reviewer": reviewer, "release": release,
                       **({"name": name} if name else {})}) + "\n"


def test_the_log_is_read_incrementally_and_again_when_replaced(tmp_path, monkeypatch):
    log = tmp_path / "audit.log"
    monkeypatch.setenv("SPI_AUDIT_LOG", str(log))
    now = AT.replace(year=2031)
    assert prerelease.access("r1", AT, now).names == ()            # no log yet: nobody has read anything here
    assert prerelease.access("r1", AT, AT.replace(year=2029)) is None   # before its time: nothing said
    log.write_text(_line("2029-12-31T10:00:00+00:00") + _line("2029-12-31T11:00:00+00:00", reviewer="badr", name=None)
                   + _line("2030-01-01T06:00:00+00:00", reviewer="late") + '{"at": "x", "event": "embargoed_view"')
    assert prerelease.access("r1", AT, now).names == ("Amal", "badr")   # after the time: not a pre-release view
    with open(log, "a") as f:   # the line being written is finished, then another release's view
        f.write(', "reviewer": "cut", "release": "r1"}\n' + _line("2029-12-31T12:00:00+00:00", release="r2"))
    assert prerelease.access("r1", AT, now).names == ("Amal", "badr")   # a line that is not one of ours: skipped
    assert prerelease.access("r2", AT, now).names == ("Amal",)
    log.unlink()
    log.write_text(_line("2029-12-31T09:00:00+00:00", reviewer="carla", name="Carla"))   # a new file
    assert prerelease.access("r1", AT, now).names == ("Carla",)


def test_who_saw_the_release_s_build_as_the_candidate_is_on_its_list(tmp_path, monkeypatch):
    """The desk's page of changes and the preview name the build they showed: its viewers before
    the release's time are on the list of the release made of it, once each, by their first view
    (of the build or of the release); a view of another build, or after the time, is not."""
    log = tmp_path / "audit.log"
    monkeypatch.setenv("SPI_AUDIT_LOG", str(log))

    def seen(at, event, who, name, build):
        return json.dumps({"at": at, "event": event, "username" if event.startswith("desk") else "reviewer": who,
                           "name": name, "build": build}) + "\n"
    log.write_text(seen("2029-12-30T08:00:00+00:00", "desk_candidate_view", "huda", "Huda", "b1")
                   + seen("2029-12-30T09:00:00+00:00", "preview_view", "salim", "سالم", "b1")
                   + seen("2029-12-30T09:30:00+00:00", "preview_view", "other", "Other", "b0")   # another build
                   + _line("2029-12-31T10:00:00+00:00") + _line("2029-12-31T11:00:00+00:00", reviewer="huda", name="Huda")
                   + seen("2030-01-01T06:00:00+00:00", "desk_candidate_view", "late", "Late", "b1"))
    now = AT.replace(year=2031)
    assert prerelease.access("r1", AT, now, build_id="b1").names == ("Huda", "سالم", "Amal")
    assert prerelease.access("r1", AT, now).names == ("Amal", "Huda")          # the embargoed views alone


def test_a_log_that_cannot_be_read_makes_the_list_unavailable_not_empty(tmp_path, monkeypatch, release_history,
                                                                       reading):
    monkeypatch.setenv("SPI_AUDIT_LOG", str(tmp_path))   # a folder: it cannot be read as a file
    assert prerelease.access("r1", AT, AT.replace(year=2031)).names is None
    monkeypatch.setenv("SPI_NOW", AFTER)
    from spi.app import server
    with reading(release_history.copy.served):
        client = server.test_client()
        for lang in ("ar", "en"):
            said = _lists(client.get(f"/releases?lang={lang}").get_data(as_text=True))
            assert set(said.values()) == {prerelease.t("pre_release_access_unavailable", lang)}
        data = client.get("/api/v1/releases").get_json()["data"]
        assert {json.dumps(r["pre_release_access"]) for r in data} == {'{"available": false, "names": null}'}


# -- recorded: `spi pre-release-access` ------------------------------------------------------------

def test_the_list_is_recorded_beside_the_release_and_then_no_longer_needs_the_log(viewed, release_history, tmp_path,
                                                                                 monkeypatch, reading, capsys):
    import shutil
    from etl.release import write_served
    from spi.cli import main as spi
    env = viewed[0]
    first, second, third = release_history.ids
    root = tmp_path / "copy"
    shutil.copytree(release_history.copy.root, root)   # the session's history stays as it is
    releases, out = root / "releases", root / "out"
    args = ["pre-release-access", "--releases", str(releases), "--out", str(out), "--catalogue",
            str(root / "indicators.yaml")]
    monkeypatch.setenv("SPI_NOW", BETWEEN)
    monkeypatch.delenv("SPI_AUDIT_LOG", raising=False)
    assert spi([*args, "--audit-log", env["SPI_AUDIT_LOG"]]) == 0   # the first two: nobody saw them
    assert "SPI_AUDIT_LOG" not in __import__("os").environ   # --audit-log is for the verb only
    assert "recorded who saw release" in capsys.readouterr().out
    assert not (releases / third / "pre_release_access.json").exists()   # still under embargo: not a word of it
    monkeypatch.setenv("SPI_NOW", AFTER)
    assert spi([*args, "--audit-log", str(tmp_path / "no-such.log")]) == 1   # no log here: nothing written
    assert "not recorded: there is no audit log" in capsys.readouterr().err
    assert not (releases / third / "pre_release_access.json").exists()
    assert spi([*args, "--audit-log", env["SPI_AUDIT_LOG"]]) == 0
    record = json.loads((releases / third / "pre_release_access.json").read_text(encoding="utf-8"))
    assert record["names"] == [USERS["badr"][0], USERS["amal"][0]] and record["release_id"] == third
    assert json.loads((releases / first / "pre_release_access.json").read_text())["names"] == []
    written = (releases / third / "pre_release_access.json").read_bytes()
    assert spi([*args, "--audit-log", env["SPI_AUDIT_LOG"]]) == 0 and "nothing to record" in capsys.readouterr().out
    assert (releases / third / "pre_release_access.json").read_bytes() == written   # never rewritten
    (out / "releases" / third / "pre_release_access.json").unlink()   # what the site serves is written from it
    write_served(releases, out, root / "indicators.yaml")
    assert (out / "releases" / third / "pre_release_access.json").read_bytes() == written
    monkeypatch.setenv("SPI_AUDIT_LOG", str(tmp_path / "lost.log"))   # the log gone: the record stays the list
    from spi.app import server
    with reading(out / "releases"):
        said = _lists(server.test_client().get("/releases?lang=en").get_data(as_text=True))
    assert said[third] == f"Seen before publication by: {USERS['badr'][0]} and {USERS['amal'][0]}."


# -- tamper-evident: each recorded list has its entry in the manifest -------------------------------
# Through `spi` as an operator runs it (a process of its own, its clock SPI_NOW), on copies of
# the session's history.

def _spi(*args, now: str, audit: str | None = None) -> "subprocess.CompletedProcess":
    import os
    import subprocess

    from tests.servers import SPI
    env = {**os.environ, "SPI_NOW": now}
    env.pop("SPI_AUDIT_LOG", None)
    return subprocess.run([str(SPI), *args, *(["--audit-log", audit] if audit else [])], capture_output=True,
                          text=True, timeout=300, env=env)


def _where(root) -> list[str]:
    return ["--releases", str(root / "releases"), "--out", str(root / "out"), "--catalogue", str(root / "indicators.yaml")]


def _record(root, now: str, audit: str) -> "subprocess.CompletedProcess":
    done = _spi("pre-release-access", *_where(root), now=now, audit=audit)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return done


def _verify(root, now: str = AFTER) -> "subprocess.CompletedProcess":
    found = _spi("verify", *_where(root), now=now)
    assert "Traceback" not in found.stderr, found.stderr
    return found


def _copy(source, target):
    import shutil
    shutil.copytree(source, target)
    return target


def _manifest(root) -> list[dict]:
    return json.loads((root / "releases" / "releases.json").read_text(encoding="utf-8"))["releases"]


def _sha(path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def between(viewed, release_history, tmp_path_factory):
    """A copy of the session's history whose first two lists were recorded before the third
    release's time (the third still under embargo then), served."""
    root = _copy(release_history.copy.root, tmp_path_factory.mktemp("between") / "copy")
    _record(root, BETWEEN, viewed[0]["SPI_AUDIT_LOG"])
    return root


@pytest.fixture(scope="module")
def recorded(viewed, between, tmp_path_factory):
    """`between`, then the third's list recorded after its time: every list recorded, served."""
    root = _copy(between, tmp_path_factory.mktemp("recorded") / "copy")
    _record(root, AFTER, viewed[0]["SPI_AUDIT_LOG"])
    return root


def test_each_list_is_recorded_with_an_entry_of_the_chain_that_commits_to_its_bytes(recorded, release_history):
    from contract.manifest import read
    entries = _manifest(recorded)
    access = [e for e in entries if "access_of" in e]
    assert [e["access_of"] for e in access] == list(release_history.ids)
    assert entries[3:] == access   # appended after the releases, the history unchanged before them
    for e in access:
        path = recorded / "releases" / e["access_of"] / "pre_release_access.json"
        assert e["pre_release_access_sha256"] == _sha(path) and e["created_at"] >= BETWEEN[:19]
        served = recorded / "out" / "releases" / e["access_of"] / "pre_release_access.json"
        assert served.read_bytes() == path.read_bytes()
    hist = read(recorded / "releases")   # chained: each commits to the entry before it
    assert hist.access()[release_history.ids[2]] == access[-1]
    assert (recorded / "out" / "releases" / "releases.json").read_bytes() == \
        (recorded / "releases" / "releases.json").read_bytes()
    found = _verify(recorded)
    assert found.returncode == 0, found.stderr
    assert found.stdout.count("its pre-release access recorded") == 3 and "note:" not in found.stdout


def test_recording_again_writes_no_second_entry(recorded, viewed, tmp_path):
    root = _copy(recorded, tmp_path / "copy")
    before = (root / "releases" / "releases.json").read_bytes()
    again = _record(root, AFTER, viewed[0]["SPI_AUDIT_LOG"])
    assert "nothing to record" in again.stdout
    assert (root / "releases" / "releases.json").read_bytes() == before


def test_a_list_is_not_recorded_before_its_release_s_time_nor_may_an_entry_say_so(between, release_history):
    from contract.manifest import ManifestError, parse
    from etl.release import access_entry
    third = release_history.ids[2]
    assert [e["access_of"] for e in _manifest(between) if "access_of" in e] == list(release_history.ids[:2])
    assert not (between / "releases" / third / "pre_release_access.json").exists()
    assert _verify(between, BETWEEN).returncode == 0
    entries = _manifest(between)   # an entry written by hand, a second before the third's time
    early = access_entry(third, "0" * 64, "someone", datetime(2030, 1, 1, 4, 59, 59, tzinfo=timezone.utc),
                         __import__("contract.manifest").manifest.entry_sha256(entries[-1]), None)
    with pytest.raises(ManifestError) as refused:
        parse({"releases": [*entries, early]}, between / "releases" / "releases.json")
    assert f"before release {third} went public" in str(refused.value)
    with pytest.raises(ManifestError) as twice:   # and one record a release
        parse({"releases": [*entries, {**early, "access_of": release_history.ids[0],
                                       "created_at": "2030-01-01T05:00:00+00:00"}]}, between / "x")
    assert f"release {release_history.ids[0]}'s pre-release access is recorded twice" in str(twice.value)


@pytest.mark.parametrize("how", ["edited", "deleted", "put there without its entry"])
def test_verify_fails_on_a_list_changed_after_it_was_recorded(how, recorded, between, release_history, tmp_path):
    third = release_history.ids[2]
    root = _copy(between if how.startswith("put") else recorded, tmp_path / "copy")
    path = root / "releases" / third / "pre_release_access.json"
    if how == "edited":   # a name removed, the file otherwise as written
        record = json.loads(path.read_text(encoding="utf-8"))
        was = _sha(path)
        record["names"] = [n for n in record["names"] if n != USERS["amal"][0]]
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        expected = [f"PROBLEM: {path} is not the list of who saw release {third} before publication that releases.json "
                    f"records (its SHA-256 is {_sha(path)[:12]}…, the record's {was[:12]}…): it was edited after it "
                    "was recorded; restore it from version control"]
    elif how == "deleted":
        path.unlink()
        expected = [f"PROBLEM: {path} is missing: it is the list of who saw release {third} before publication, on "
                    "record in releases.json; restore it from version control"]
    else:
        path.write_text(json.dumps({"release_id": third, "names": []}), encoding="utf-8")
        expected = [f"PROBLEM: {path} is a list of who saw release {third} before publication that releases.json has "
                    "no record of: it was put there by hand; remove it, then `spi pre-release-access` records the "
                    "list from the audit log"]
    found = _verify(root)
    assert found.returncode == 1
    assert [line for line in found.stderr.splitlines() if line.startswith("PROBLEM")] == expected
    built = _spi("build", "--raw", str(root / "raw"), "--catalogue", str(root / "indicators.yaml"), "--out",
                 str(root / "out"), "--releases", str(root / "releases"), now=AFTER)
    assert built.returncode == 1 and str(path) in built.stderr   # nor is it served


def test_a_history_recorded_before_lists_had_entries_verifies_with_a_note_then_is_sealed(
        viewed, release_history, tmp_path, monkeypatch, reading):
    """Lists as the command wrote them before (beside the releases, no entry): `spi verify`
    passes and names each in a note; the site does not publish them (nothing vouches for them);
    the next `spi pre-release-access` seals each as it is, byte for byte, and records the third."""
    from etl.release import write_served
    first, second, third = release_history.ids
    root = _copy(release_history.copy.root, tmp_path / "copy")
    old = {}
    for rid in (first, second):
        path = root / "releases" / rid / "pre_release_access.json"
        path.write_text(json.dumps({"release_id": rid, "public_at": "x", "names": [],
                                    "recorded_at": "2025-06-01T00:00:00+00:00"}, indent=2) + "\n", encoding="utf-8")
        old[rid] = path.read_bytes()
    write_served(root / "releases", root / "out", root / "indicators.yaml")
    found = _verify(root)
    assert found.returncode == 0, found.stderr
    notes = [line for line in found.stdout.splitlines() if line.startswith("note:")]
    assert notes == [f"note: {root / 'releases' / rid / 'pre_release_access.json'} is not in the history's chain (it "
                     "was recorded before lists of pre-release access had entries of their own): the site does not "
                     "publish it until `spi pre-release-access` records it as it is now" for rid in (first, second)]
    monkeypatch.setenv("SPI_NOW", AFTER)
    from spi.app import server
    with reading(root / "out" / "releases"):
        said = _lists(server.test_client().get("/releases?lang=en").get_data(as_text=True))
    assert said[first] == said[second] == prerelease.t("pre_release_access_unverified", "en")
    done = _record(root, AFTER, viewed[0]["SPI_AUDIT_LOG"])
    assert done.stdout.count("sealed the list of who saw release") == 2 and "recorded who saw release" in done.stdout
    sealed = {e["access_of"]: e["pre_release_access_sha256"] for e in _manifest(root) if "access_of" in e}
    for rid in (first, second):
        assert (root / "releases" / rid / "pre_release_access.json").read_bytes() == old[rid]
        assert sealed[rid] == _sha(root / "releases" / rid / "pre_release_access.json")
    assert set(sealed) == {first, second, third}
    found = _verify(root)
    assert found.returncode == 0 and "note:" not in found.stdout, found.stdout + found.stderr


def test_the_real_server_does_not_publish_a_list_that_is_not_the_recorded_one(recorded, release_history, tmp_path):
    """`spi serve` on a copy whose served lists were tampered with: the third's edited (a name
    removed), the second's deleted. Each is said to be unavailable, in both languages and in the
    API, not the edited list nor the log's; the first still published. `spi build` (here
    write_served) puts the recorded lists back, and the server publishes them again."""
    from etl.release import write_served
    from tests.servers import spi_serve
    first, second, third = release_history.ids
    root = _copy(recorded, tmp_path / "copy")
    served = root / "out" / "releases"
    edited = served / third / "pre_release_access.json"
    record = json.loads(edited.read_text(encoding="utf-8"))
    record["names"] = [USERS["badr"][0]]
    edited.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (served / second / "pre_release_access.json").unlink()
    env = {**release_history.env, "SPI_NOW": AFTER, "SPI_AUDIT_LOG": str(tmp_path / "audit.log")}
    (tmp_path / "audit.log").write_text("")   # a log saying nobody: never published in place of a record
    with spi_serve(["--db", str(served), "--workers", "1"], tmp_path / "serve.log", env) as running:
        for lang in ("ar", "en"):
            page = running.get(f"/releases?lang={lang}")
            assert page.status == 200
            unverified = prerelease.t("pre_release_access_unverified", lang)
            assert _lists(page.text) == {third: unverified, second: unverified,
                                         first: prerelease.t("pre_release_access_none", lang)}
            assert USERS["badr"][0] not in page.text
        api = running.get("/api/v1/releases")
        assert api.status == 200
        assert [(r["release_id"], r["pre_release_access"]) for r in json.loads(api.body)["data"]] == [
            (third, {"available": False, "names": None}), (second, {"available": False, "names": None}),
            (first, {"available": True, "names": []})]
        chain = json.loads(running.get("/data/releases.json").body)["releases"]
        assert chain == _manifest(root) and chain[-1]["access_of"] == third   # the records, for anyone to check
        found = _verify(root)   # what the site serves is not what the history records: said, with the remedy
        assert found.returncode == 1 and found.stderr.count("(the site says it is unavailable): run `spi build`") == 2
        write_served(root / "releases", root / "out", root / "indicators.yaml")
        assert edited.read_bytes() == (root / "releases" / third / "pre_release_access.json").read_bytes()
        said = _lists(running.get("/releases?lang=en").text)
        assert said[third] == f"Seen before publication by: {USERS['badr'][0]} and {USERS['amal'][0]}."
        assert said[second] == prerelease.t("pre_release_access_none", "en")
