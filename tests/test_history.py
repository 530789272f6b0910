"""History only grows, forward, and cannot be rewritten unseen (contract/manifest.py,
etl/release.py, etl/verify.py): a release's time is refused in the past, too far ahead, or in a
zone's gap or overlap; an embargoed release can be cancelled or rescheduled, on record; the
manifest is checked on every read (its shape, its order, its hash chain, its signatures), and a
changed figure, entry or order is refused by `spi build`, `spi release`, `spi verify` and the
server, each with a line naming the release and the file, leaving every file as it was.
Synthetic edits of the shipped sources, in temp dirs."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from contract.manifest import entry_sha256
from etl.build import build
from etl.release import ReleaseError, amend, make_release, write_served
from spi.cli import main as spi

MUSCAT = "+04:00"
NOW = datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)     # 10:00 in Muscat


def _digest(*folders: Path) -> dict:
    """Every file's bytes under the folders (the lock files and an interrupted run's hidden leftovers aside)."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for folder in folders if folder.exists()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _entries(copy) -> list[dict]:
    return json.loads((copy.releases / "releases.json").read_text(encoding="utf-8"))["releases"]


def _write_entries(copy, entries) -> None:
    (copy.releases / "releases.json").write_text(json.dumps({"releases": entries}, indent=2), encoding="utf-8")


def _build(copy) -> None:
    result = build(copy.raw, copy.catalogue, copy.out, releases_dir=copy.releases)
    assert result.ok, "\n".join(map(str, result.issues))


def _release(copy, at: str | None, now: datetime = NOW, note: str = "n") -> dict:
    return make_release(note, at, copy.out, copy.releases, copy.catalogue, by="test", now=now)


@pytest.fixture
def two(source_copy):
    """Two releases (44 then 45 for jo_psychosocial_team), served; the candidate revised to 46."""
    for value, at in (("44", "2025-01-01T09:00"), ("45", "2025-03-01T09:00")):
        source_copy.revise("jo_psychosocial_team", value)
        source_copy.release(value, at)
    source_copy.revise("jo_psychosocial_team", "46")
    _build(source_copy)
    return source_copy


def _everything(copy) -> dict:
    return _digest(copy.releases, copy.out)


# -- when a release may go public ------------------------------------------------------------------

@pytest.mark.parametrize("at, words", [
    ("2026-11-26T09:00", "is in the past (it is now 2026-12-02 10:00 Asia/Muscat): a release cannot go public on a day "
                         "gone by"),
    ("2026-12-02T09:55", "is in the past"),
    ("9999-12-31T23:59", "is more than 92 days ahead (site.max_embargo_days in indicators.yaml)"),
    ("2027-03-05T09:00", "is more than 92 days ahead"),
    ("next tuesday", "is not a date and time such as 2026-12-15T09:00"),
])
def test_a_release_time_in_the_past_or_too_far_ahead_is_refused_and_nothing_changes(two, at, words, capsys):
    before = _everything(two)
    with pytest.raises(ReleaseError, match="") as refused:
        _release(two, at)
    assert words in str(refused.value)
    assert _everything(two) == before


def test_a_release_a_minute_late_is_within_the_clock_skew(two):
    entry = _release(two, "2026-12-02T09:59")
    assert entry["public_at"] == "2026-12-02T05:59:00+00:00" and entry["created_at"] == NOW.isoformat()


def test_the_embargo_horizon_is_a_site_setting(two):
    two.catalogue.write_text(two.catalogue.read_text(encoding="utf-8").replace(
        "site:\n", "site:\n  max_embargo_days: 400\n", 1), encoding="utf-8")
    _build(two)
    assert _release(two, "2027-12-01T09:00")["release_id"] == "2027-12-01"


@pytest.mark.parametrize("at, words", [
    ("2027-03-28T00:30", "2027-03-28T00:30: that time does not exist in Asia/Beirut: the clocks go forward that night, "
                         "from UTC+02:00 to UTC+03:00. Give a time outside the gap, or with its offset "
                         "(e.g. 2027-03-28T00:30+03:00)"),
    ("2027-10-30T23:30", "2027-10-30T23:30: that time happens twice in Asia/Beirut: the clocks go back that night, "
                         "from UTC+03:00 to UTC+02:00. Say which with its offset: 2027-10-30T23:30+03:00 (the first) "
                         "or 2027-10-30T23:30+02:00 (the second)"),
])
def test_a_local_time_the_zone_skips_or_repeats_is_refused_with_the_zones_explanation(two, at, words):
    two.catalogue.write_text(two.catalogue.read_text(encoding="utf-8").replace(
        "site:\n", "site:\n  timezone: Asia/Beirut\n  max_embargo_days: 400\n", 1), encoding="utf-8")
    _build(two)
    before = _everything(two)
    with pytest.raises(ReleaseError) as refused:
        _release(two, at)
    assert words in str(refused.value)
    assert _everything(two) == before
    with_offset = _release(two, at + "+03:00")   # said plainly, it is a time like any other
    assert with_offset["public_at"] == (datetime.fromisoformat(at + "+03:00")).astimezone(timezone.utc).isoformat()


def test_spi_release_refuses_a_backdated_time_in_a_sentence(two, capsys):
    before = _everything(two)
    assert spi(["release", "--note", "late", "--at", "2026-11-26T09:00", "--out", str(two.out), "--releases",
                str(two.releases), "--catalogue", str(two.catalogue)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("release refused: --at 2026-11-26T09:00: 2026-11-26 09:00 Asia/Muscat is in the past")
    assert f"nothing was changed in {two.releases}" in err and "Traceback" not in err
    assert _everything(two) == before


# -- cancelled and rescheduled, on record -------------------------------------------------------

def test_an_embargoed_release_can_be_cancelled_on_record_and_the_next_release_follows_the_one_before(two, reading,
                                                                                                  monkeypatch):
    embargoed = _release(two, "2026-12-15T09:00")
    write_served(two.releases, two.out, two.catalogue)
    later = NOW + timedelta(days=1)
    with pytest.raises(ReleaseError, match="needs a reason"):
        amend(embargoed["release_id"], "cancel", " ", releases_dir=two.releases, catalogue=two.catalogue, now=later,
              out_dir=two.out)
    entry = amend(embargoed["release_id"], "cancel", "a wrong figure in table 3", releases_dir=two.releases,
                  catalogue=two.catalogue, by="test", now=later, out_dir=two.out)
    assert entry["previous_sha256"] == entry_sha256(_entries(two)[-2])
    assert [e.get("release_id") or e["action"] for e in _entries(two)] == ["2025-01-01", "2025-03-01", "2026-12-15",
                                                                          "cancel"]
    assert (two.releases / "2026-12-15" / "observations.parquet").exists()   # kept: it is on record
    write_served(two.releases, two.out, two.catalogue)
    from store import database
    with reading(two.served):
        assert [r.release_id for r in database.releases().all()] == ["2025-01-01", "2025-03-01"]
    # the next release is compared with the last one that was not cancelled, and takes another id
    again = _release(two, "2026-12-15T09:00", now=later)
    assert (again["release_id"], again["revised"]) == ("2026-12-15-2", 1)
    write_served(two.releases, two.out, two.catalogue)
    con = duckdb.connect(str(two.served / "2026-12-15-2" / "indicators.duckdb"), read_only=True)
    assert con.execute("SELECT release_id, action, reason FROM amendments").fetchall() == \
        [("2026-12-15", "cancel", "a wrong figure in table 3")]
    assert con.execute("SELECT release_id FROM releases ORDER BY seq").fetchall() == \
        [("2025-01-01",), ("2025-03-01",), ("2026-12-15-2",)]
    con.close()
    from spi.app import server
    with reading(two.served):   # once the next release is public, the cancellation is on its Releases page
        monkeypatch.setenv("SPI_NOW", "2026-12-16T00:00:00+00:00")
        page = server.test_client().get("/releases?lang=en").get_data(as_text=True)
        assert "Release 2026-12-15 was cancelled before it was published: a wrong figure in table 3" in \
            re.sub(r"<[^>]+>", "", page)
        # the reason as written, marked with its language
        assert '<span class="amendment-reason" dir="auto" lang="en">a wrong figure in table 3</span>' in page
        chain = server.test_client().get("/data/releases.json").get_json()["releases"]
        assert [e.get("release_id") or e["action"] for e in chain] == ["2025-01-01", "2025-03-01", "2026-12-15",
                                                                     "cancel", "2026-12-15-2"]
        monkeypatch.setenv("SPI_NOW", "2026-12-14T00:00:00+00:00")   # before: none of it is public
        assert "cancelled" not in server.test_client().get("/releases?lang=en").get_data(as_text=True)
        assert len(server.test_client().get("/data/releases.json").get_json()["releases"]) == 2


def test_an_embargoed_release_can_be_rescheduled_but_not_into_the_past_and_a_public_one_not_at_all(two, capsys):
    embargoed = _release(two, "2026-12-15T09:00")
    rid = embargoed["release_id"]
    with pytest.raises(ReleaseError, match="is in the past"):
        amend(rid, "reschedule", "moved", "2026-12-01T09:00", two.releases, two.catalogue, now=NOW, out_dir=two.out)
    moved = amend(rid, "reschedule", "the minister's press conference moved", "2026-12-20T09:00", two.releases,
                  two.catalogue, by="test", now=NOW, out_dir=two.out)
    assert moved["public_at"] == "2026-12-20T05:00:00+00:00"
    write_served(two.releases, two.out, two.catalogue)
    con = duckdb.connect(str(two.served / rid / "indicators.duckdb"), read_only=True)
    assert con.execute("SELECT public_at, scheduled_at FROM releases WHERE release_id = ?", [rid]).fetchone() == \
        (datetime(2026, 12, 20, 5), datetime(2026, 12, 15, 5))
    con.close()
    with pytest.raises(ReleaseError, match="is public since 2026-12-20T05:00:00\\+00:00: what the public has seen"):
        amend(rid, "cancel", "too late", releases_dir=two.releases, catalogue=two.catalogue,
              now=datetime(2026, 12, 21, tzinfo=timezone.utc), out_dir=two.out)
    with pytest.raises(ReleaseError, match="only the latest release can be"):
        amend("2025-03-01", "cancel", "old", releases_dir=two.releases, catalogue=two.catalogue, now=NOW, out_dir=two.out)
    before = _everything(two)
    assert spi(["release", "--cancel", rid, "--out", str(two.out), "--releases", str(two.releases),
                "--catalogue", str(two.catalogue)]) == 2
    assert "say why with --reason" in capsys.readouterr().err and _everything(two) == before


# -- the manifest checked on every read -------------------------------------------------------------

def _refused_everywhere(copy, words: str, capsys) -> None:
    """`spi build`, `spi release` and `spi verify` each refuse with `words`, and every file is as it was."""
    before = _everything(copy)
    assert spi(["build", *copy.cli_args(), "--releases", str(copy.releases)]) == 1
    err = capsys.readouterr().err
    assert words in err and "the database was not changed, nor the databases the site serves" in err, err
    with pytest.raises(ReleaseError) as refused:
        _release(copy, None)
    assert words in str(refused.value)
    assert spi(["verify", "--releases", str(copy.releases), "--out", str(copy.out), "--catalogue",
                str(copy.catalogue)]) == 1
    err = capsys.readouterr().err
    assert words in err and "verify failed" in err and "Traceback" not in err
    assert _everything(copy) == before


def _edit_with_its_hash(copy, n: int, value: float) -> None:
    """Release n's figure edited in its Parquet file, and its entry's hash made to match (what
    someone who wants to rewrite history unseen would do)."""
    entries = _entries(copy)
    path = copy.releases / entries[n]["release_id"] / "observations.parquet"
    figures = pd.read_parquet(path)
    figures.loc[figures["indicator_id"] == "jo_psychosocial_team", "value"] = value
    figures.to_parquet(path, index=False)
    entries[n]["figures_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    _write_entries(copy, entries)


def test_a_released_figure_edited_with_its_hash_updated_is_refused_by_the_chain(two, capsys):
    _edit_with_its_hash(two, 0, 4400.0)
    _refused_everywhere(two, "entry 2 (release 2025-03-01) does not follow entry 1 (release 2025-01-01)", capsys)


def test_the_latest_release_edited_with_its_hash_updated_is_refused_against_what_the_site_served(two, capsys):
    _edit_with_its_hash(two, -1, 4500.0)
    _refused_everywhere(two, "entry 2 (release 2025-03-01) differs from the entry the site served", capsys)


def test_a_figure_edited_without_its_hash_is_refused_naming_the_file(two, capsys):
    latest = two.releases / "2025-03-01" / "observations.parquet"
    latest.write_bytes(latest.read_bytes()[:-1] + b"\0")
    _refused_everywhere(two, f"{latest} is not the file released on 2025-03-01T05:00:00+00:00", capsys)


def test_a_release_whose_files_are_gone_is_refused_naming_them(two, capsys):
    gone = two.releases / "2025-01-01" / "observations.parquet"
    gone.unlink()
    _refused_everywhere(two, f"{gone} is missing: it is release 2025-01-01's, on record in releases.json", capsys)


@pytest.mark.parametrize("tamper, words", [
    (lambda e: [e[1], e[0]], "entry 1 (release 2025-03-01) names a previous entry"),
    (lambda e: [e[0], e[0], e[1]], "entry 2 (release 2025-01-01) does not follow entry 1"),
    (lambda e: [e[1]], "entry 1 (release 2025-03-01) names a previous entry"),
    (lambda e: [e[0]], "entry 2 (release 2025-03-01) was served"),
    (lambda e: [e[0], {**e[1], "note": "another note"}], "entry 2 (release 2025-03-01) differs from the entry the site served"),
    (lambda e: [e[0], {k: v for k, v in e[1].items() if k != "timezone"}], "entry 2 (release 2025-03-01): 'timezone' is a required property"),
    (lambda e: [e[0], {**e[1], "added": "74"}], "entry 2 (release 2025-03-01): added: '74' is not of type 'integer'"),
    (lambda e: [e[0], {**e[1], "checked_by": "x"}], "Additional properties are not allowed ('checked_by' was unexpected)"),
    (lambda e: {"0": e[0]}, 'expected an object {"releases": [ … ]}'),
])
def test_a_manifest_reordered_duplicated_cut_or_malformed_is_refused(two, tamper, words, capsys):
    entries = _entries(two)
    changed = tamper(entries)
    if isinstance(changed, dict):
        (two.releases / "releases.json").write_text(json.dumps({"releases": changed}), encoding="utf-8")
    else:
        _write_entries(two, changed)
    _refused_everywhere(two, words, capsys)


def test_a_manifest_that_is_not_json_is_refused(two, capsys):
    (two.releases / "releases.json").write_text('{"releases": [', encoding="utf-8")
    _refused_everywhere(two, "releases.json cannot be trusted: it is not JSON", capsys)


# -- signatures ----------------------------------------------------------------------------------

@pytest.fixture
def signed(two, tmp_path, capsys):
    """`spi signing-key`, its public half in the catalogue, then two signed releases after the two unsigned ones."""
    key = tmp_path / "ministry.pem"
    assert spi(["signing-key", "--out", str(key)]) == 0
    public = capsys.readouterr().out.split("signing_key: ")[1].strip()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    two.catalogue.write_text(two.catalogue.read_text(encoding="utf-8").replace(
        "site:\n", f"site:\n  signing_key: {public}\n", 1), encoding="utf-8")
    _build(two)
    with pytest.raises(ReleaseError, match="give the ministry's private key with --sign-key"):
        _release(two, None)
    for value, days in (("47", 1), ("48", 2)):
        two.revise("jo_psychosocial_team", value)
        _build(two)
        make_release(value, None, two.out, two.releases, two.catalogue, now=NOW + timedelta(days=days), sign_key=key)
    write_served(two.releases, two.out, two.catalogue)
    return two, key, public


def test_signed_entries_verify_and_an_edited_or_unsigned_one_is_refused(signed, tmp_path, capsys):
    copy, key, public = signed
    assert spi(["verify", "--releases", str(copy.releases), "--out", str(copy.out), "--catalogue",
                str(copy.catalogue)]) == 0
    out = capsys.readouterr().out
    assert out.count(", signed, entry") == 2 and out.count(", unsigned, entry") == 2
    entries = _entries(copy)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from contract.manifest import signed_bytes
    Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(base64.b64decode(entries[-1]["signature"]),
                                                                        signed_bytes(entries[-1]))
    shutil.rmtree(copy.out)   # no served copy to compare with: the signature alone must catch it
    _write_entries(copy, [*entries[:-1], {**entries[-1], "note": "another note"}])
    assert spi(["verify", "--releases", str(copy.releases), "--out", str(copy.out), "--catalogue",
                str(copy.catalogue)]) == 1
    assert "entry 4 (release 2026-12-04): its signature does not verify with site.signing_key" in capsys.readouterr().err
    _write_entries(copy, [*entries[:-1], {k: v for k, v in entries[-1].items() if k != "signature"}])
    assert spi(["verify", "--releases", str(copy.releases), "--out", str(copy.out), "--catalogue",
                str(copy.catalogue)]) == 1
    assert "entry 4 (release 2026-12-04) is not signed, though the entries before it are" in capsys.readouterr().err
    other = tmp_path / "other.pem"
    assert spi(["signing-key", "--out", str(other)]) == 0
    assert spi(["signing-key", "--out", str(other)]) == 1   # an existing key is never overwritten
    assert "an existing key is never overwritten" in capsys.readouterr().err


def test_records_of_pre_release_access_are_signed_like_the_releases(signed, tmp_path, monkeypatch, capsys):
    """Once entries are signed, a record's entry needs the key too (refused without it, nothing
    written); signed, an edited list is caught even with its hash changed to match in the last
    entry, as the signature no longer verifies."""
    copy, key, public = signed
    audit = tmp_path / "audit.log"
    audit.write_text("")   # nobody read them under embargo here
    monkeypatch.setenv("SPI_NOW", (NOW + timedelta(days=3)).isoformat())
    args = ["pre-release-access", "--releases", str(copy.releases), "--out", str(copy.out), "--catalogue",
            str(copy.catalogue), "--audit-log", str(audit)]
    before = _everything(copy)
    assert spi(args) == 1
    assert "give the ministry's private key with --sign-key" in capsys.readouterr().err
    assert _everything(copy) == before and not list(copy.releases.rglob(".spi-part-*"))
    assert spi([*args, "--sign-key", str(key)]) == 0
    entries = _entries(copy)
    access = [e for e in entries if "access_of" in e]
    assert len(access) == 4 and all("signature" in e for e in access)
    verify = ["verify", "--releases", str(copy.releases), "--out", str(copy.out), "--catalogue", str(copy.catalogue)]
    capsys.readouterr()
    assert spi(verify) == 0
    last = copy.releases / access[-1]["access_of"] / "pre_release_access.json"
    last.write_text(last.read_text(encoding="utf-8").replace('"names": []', '"names": ["x"]'), encoding="utf-8")
    _write_entries(copy, [*entries[:-1], {**entries[-1],
                                          "pre_release_access_sha256": hashlib.sha256(last.read_bytes()).hexdigest()}])
    shutil.rmtree(copy.out)   # no served copy to compare with: the signature alone must catch it
    assert spi(verify) == 1
    assert (f"entry 8 (pre-release access of release {access[-1]['access_of']}): its signature does not verify with "
            "site.signing_key") in capsys.readouterr().err


def test_a_key_other_than_the_catalogues_is_refused(signed, tmp_path, capsys):
    copy, key, public = signed
    other = tmp_path / "other.pem"
    assert spi(["signing-key", "--out", str(other)]) == 0
    copy.revise("jo_psychosocial_team", "49")
    _build(copy)
    with pytest.raises(ReleaseError, match="is not the one whose public half is site.signing_key"):
        make_release("x", None, copy.out, copy.releases, copy.catalogue, now=NOW + timedelta(days=3), sign_key=other)


# -- what is published of the chain -------------------------------------------------------------

def test_spi_verify_passes_the_shipped_history(paths, tmp_path, capsys):
    assert spi(["verify", "--releases", str(paths.repo / "data" / "releases"), "--out", str(tmp_path),
                "--catalogue", str(paths.catalogue)]) == 0
    out = capsys.readouterr().out
    assert "release 2026-11-24: public 2026-11-24T05:00:00+00:00, unsigned" in out
    assert "every entry follows the one before it and every file is the one released" in out


def test_the_site_refuses_a_served_history_changed_under_it(two, reading):
    from spi.app import server
    with reading(two.served):
        client = server.test_client()
        assert client.get("/api/v1/observations?indicator=jo_psychosocial_team").status_code == 200
        entries = json.loads((two.served / "releases.json").read_text(encoding="utf-8"))["releases"]
        entries[0]["note"] = "rewritten"
        (two.served / "releases.json").write_text(json.dumps({"releases": entries}), encoding="utf-8")
        api = client.get("/api/v1/observations?indicator=jo_psychosocial_team")
        page = client.get("/?lang=en")
        assert api.status_code == 503 and page.status_code == 503
        assert "The record of published releases does not match what was recorded" in page.get_data(as_text=True)


def test_spi_release_says_the_public_time_in_the_zone_it_names(two, capsys):
    """The manifest keeps UTC; the clerk is told the local time with its offset, never a UTC
    time labelled with the publisher's zone."""
    from datetime import timedelta
    day = (datetime.now(timezone.utc) + timedelta(days=10)).date()
    where = ["--out", str(two.out), "--releases", str(two.releases), "--catalogue", str(two.catalogue)]
    assert spi(["release", "--note-en", "n", "--note-ar", "ملاحظة", "--at", f"{day}T09:00", *where]) == 0
    assert f"public at {day}T09:00:00+04:00 (Asia/Muscat);" in capsys.readouterr().out
    assert spi(["release", "--reschedule", str(day), "--at", f"{day}T10:30", "--reason", "moved", *where]) == 0
    assert f"rescheduled: public at {day}T10:30:00+04:00 (Asia/Muscat) (recorded" in capsys.readouterr().out


def test_a_release_of_the_catalogue_alone_says_so(two, capsys):
    """A release that changes no figure is refused unless the catalogue changed: then the
    clerk is told that is what it carries, not only "0 added, 0 revised…"."""
    from datetime import timedelta
    where = ["--out", str(two.out), "--releases", str(two.releases), "--catalogue", str(two.catalogue)]
    two.revise("jo_psychosocial_team", "45")   # the candidate as the latest release has it
    _build(two)
    assert spi(["release", "--note-en", "n", "--note-ar", "ملاحظة", *where]) == 1
    assert "changes nothing" in capsys.readouterr().err
    text = two.catalogue.read_text(encoding="utf-8")
    two.catalogue.write_text(text.replace("\nsources:", "\n# a comment the statistics unit added\nsources:", 1),
                             encoding="utf-8")
    _build(two)
    day = (datetime.now(timezone.utc) + timedelta(days=3)).date()
    assert spi(["release", "--note-en", "n", "--note-ar", "ملاحظة", "--at", f"{day}T09:00", *where]) == 0
    assert "0 added, 0 revised, 0 amended, 0 withdrawn (no figure changed: the catalogue did" in capsys.readouterr().out


def test_a_reschedule_with_a_catalogue_it_cannot_read_is_refused_in_a_sentence(two, capsys):
    from datetime import timedelta
    day = (datetime.now(timezone.utc) + timedelta(days=10)).date()
    where = ["--out", str(two.out), "--releases", str(two.releases), "--catalogue", str(two.catalogue)]
    assert spi(["release", "--note-en", "n", "--note-ar", "ملاحظة", "--at", f"{day}T09:00", *where]) == 0
    capsys.readouterr()
    two.catalogue.write_text("site: [not, a, mapping\n", encoding="utf-8")
    before = _everything(two)
    assert spi(["release", "--reschedule", str(day), "--at", f"{day}T10:30", "--reason", "moved", *where]) == 1
    err = capsys.readouterr().err
    assert err.startswith("release refused: ") and "nothing was changed" in err and "Traceback" not in err
    assert _everything(two) == before
