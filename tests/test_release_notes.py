"""A release's note in both languages, and times and zones on pages (etl/release.py, spi/cli.py,
contract/manifest.py, the releases table, /api/v1/releases, the Releases page, the footer).

`spi release --note-ar … --note-en …` records both (manifest `note_ar` and `note`); either one
alone is refused, naming the one missing; `--note` alone, the form from before, is the English
note and the command says the Arabic one is missing. A page shows the note in its language, and
an entry that has only English (as every entry written before note_ar) shows it marked as
English. A cancellation's or reschedule's reason is marked with the language it is written in.
Pages say a time in the publisher's zone named in their language, isolated inside Arabic;
what machines read (JSON, iCalendar, the manifest) keeps ISO 8601 and the IANA name."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from contract.manifest import read, written_in
from etl.release import ReleaseError, release_notes
from spi.cli import main as spi
from tests.conftest import REVIEWER, REVIEWER_PASSWORD

LRI, PDI = "\u2066", "\u2069"
NOTE_AR, NOTE_EN = "أرقام 2023 المعدَّلة للضمان الاجتماعي", "Revised 2023 social security figures"
REASON = "تأخر اعتماد الأرقام من الوزارة"


# -- the notes a release takes ----------------------------------------------------------------------

def test_a_release_takes_its_note_in_both_languages_or_in_english_the_old_way():
    assert release_notes(f" {NOTE_EN} ", f" {NOTE_AR} ") == {"note": NOTE_EN, "note_ar": NOTE_AR}
    assert release_notes(NOTE_EN, None) == {"note": NOTE_EN}   # an entry as written before notes had both


@pytest.mark.parametrize("note, note_ar, words", [
    ("", NOTE_AR, "a release needs a note saying what it brings (--note-en, and --note-ar in Arabic)"),
    (NOTE_EN, "  ", "the Arabic note (--note-ar) is empty"),
    (NOTE_EN, NOTE_EN, f"the Arabic note (--note-ar) {NOTE_EN!r} has no Arabic letter"),   # given twice, or swapped
])
def test_a_blank_or_misplaced_note_is_refused(note, note_ar, words):
    with pytest.raises(ReleaseError) as refused:
        release_notes(note, note_ar)
    assert words in str(refused.value)


@pytest.mark.parametrize("argv, words", [
    (["--note-en", NOTE_EN], "the note is needed in Arabic too: --note-ar (and in English with --note-en)"),
    (["--note-ar", NOTE_AR], "say what the release brings, in Arabic and in English: --note-ar and --note-en"),
    ([], "say what the release brings, in Arabic and in English: --note-ar and --note-en"),
    (["--cancel", "2030-01-01", "--reason", "x", "--note-ar", NOTE_AR], "--note-ar is for a new release"),
])
def test_spi_release_refuses_a_note_in_one_language_saying_which_is_missing(source_copy, capsys, argv, words):
    assert spi(["release", *argv, "--out", str(source_copy.out), "--releases", str(source_copy.releases),
                "--catalogue", str(source_copy.catalogue)]) == 2
    said = capsys.readouterr().err
    assert f"release refused: {words}" in said and "nothing was changed" in said
    assert not source_copy.releases.exists()


def test_a_reason_is_marked_with_the_language_it_is_written_in():
    assert (written_in(REASON), written_in("a wrong figure in table 3"), written_in("")) == ("ar", "en", "en")


# -- made with the command, served --------------------------------------------------------------------

@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """With the real command and the real clock: a release made the old way (--note, English
    only), then one with both notes, embargoed a day and moved to the day after with an Arabic
    reason; the served folder, the ids, and a clock after both are public."""
    from tests.conftest import SourceCopy
    copy = SourceCopy.of_shipped(tmp_path_factory.mktemp("notes"))
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    where = ["--out", str(copy.out), "--releases", str(copy.releases), "--catalogue", str(copy.catalogue)]
    for value, notes, at in (("44", ["--note", "first figures"], now + timedelta(hours=1)),
                             ("45", ["--note-ar", NOTE_AR, "--note-en", NOTE_EN], now + timedelta(days=1))):
        copy.revise("jo_psychosocial_team", value)
        assert spi(["build", *copy.cli_args(), "--releases", str(copy.releases)]) == 0
        assert spi(["release", *notes, "--at", at.isoformat(timespec="minutes"), "--by", "test", *where]) == 0
    second = read(copy.releases).entries[-1]["release_id"]
    moved = now + timedelta(days=2)
    assert spi(["release", "--reschedule", second, "--at", moved.isoformat(timespec="minutes"),
                "--reason", REASON, "--by", "test", *where]) == 0
    return copy, [r.release_id for r in read(copy.releases).releases], (now + timedelta(days=3)).isoformat()


def test_the_manifest_and_the_database_keep_both_notes_and_an_old_entry_as_it_was(mixed):
    copy, (first, second), _ = mixed
    entries = read(copy.releases).entries   # checked against contract/releases.schema.json and the chain
    assert (entries[0]["note"], "note_ar" in entries[0]) == ("first figures", False)
    assert (entries[1]["note"], entries[1]["note_ar"]) == (NOTE_EN, NOTE_AR)
    assert (entries[2]["action"], entries[2]["reason"]) == ("reschedule", REASON)
    con = duckdb.connect(str(copy.served / second / "indicators.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT release_id, note, note_ar FROM releases ORDER BY seq").fetchall()
    finally:
        con.close()
    assert rows == [(first, "first figures", None), (second, NOTE_EN, NOTE_AR)]


def test_spi_release_with_the_english_note_alone_says_the_arabic_one_is_missing(source_copy, capsys):
    assert spi(["build", *source_copy.cli_args(), "--releases", str(source_copy.releases)]) == 0
    at = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat(timespec="minutes")
    assert spi(["release", "--note", "first figures", "--at", at, "--out", str(source_copy.out), "--releases",
                str(source_copy.releases), "--catalogue", str(source_copy.catalogue)]) == 0
    said = capsys.readouterr().err
    assert "has no Arabic note: the Arabic pages show its English note, marked as English" in said
    assert "--note-ar and --note-en" in said


@pytest.fixture
def mixed_site(mixed, reading, monkeypatch):
    copy, ids, later = mixed
    from spi.app import server
    monkeypatch.setenv("SPI_NOW", later)
    with reading(copy.served):
        yield server.test_client(), ids


def _page(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.data[:300])
    return answer.get_data(as_text=True)


def test_the_releases_page_shows_each_note_in_its_language_and_an_old_one_marked_english(mixed_site):
    client, (first, second) = mixed_site
    ar, en = _page(client, "/releases?lang=ar"), _page(client, "/releases?lang=en")
    assert f'<span class="release-note" dir="rtl" lang="ar">{NOTE_AR}</span>' in ar and NOTE_EN not in ar
    assert '<span class="release-note" dir="ltr" lang="en">first figures</span>' in ar   # the old entry
    assert f'<span class="release-note" dir="ltr" lang="en">{NOTE_EN}</span>' in en and NOTE_AR not in en
    assert '<span class="release-note" dir="ltr" lang="en">first figures</span>' in en
    # the reschedule's reason, marked Arabic on both pages; its time named in each page's language
    assert f'<span class="amendment-reason" dir="auto" lang="ar">{REASON}</span>' in ar
    assert f'<span class="amendment-reason" dir="auto" lang="ar">{REASON}</span>' in en
    assert "(توقيت عُمان)" in ar and "(Oman Time)" in en and "Asia/Muscat" not in ar + en


def test_a_time_on_the_releases_page_is_the_publishers_isolated_and_named(mixed_site):
    client, (first, second) = mixed_site
    public = read_public_at(client, second)
    ar, en = _page(client, "/releases?lang=ar"), _page(client, "/releases?lang=en")
    assert f"{LRI}{public}{PDI} (توقيت عُمان)" in ar and f"{public} (Oman Time)" in en
    assert f">{LRI}{second}{PDI}</a>" in ar and f">{second}</a>" in en          # the release's link
    assert re.search(f"ما غيّره الإصدار {LRI}{second}{PDI}", ar)                  # the heading


def read_public_at(client, release_id: str) -> str:
    """The release's public time as the API says it in the publisher's time, as a page writes it."""
    listed = client.get("/api/v1/releases").get_json()["data"]
    local = next(r["public_at_local"] for r in listed if r["release_id"] == release_id)
    return datetime.fromisoformat(local).strftime("%Y-%m-%d %H:%M")


def test_the_api_gives_the_note_in_both_languages_and_keeps_iso_and_the_iana_zone(mixed_site):
    client, (first, second) = mixed_site
    answer = client.get("/api/v1/releases").get_json()
    notes = {r["release_id"]: r["note"] for r in answer["data"]}
    assert notes == {first: {"ar": None, "en": "first figures"}, second: {"ar": NOTE_AR, "en": NOTE_EN}}
    assert {r["timezone"] for r in answer["data"]} == {"Asia/Muscat"}
    assert all(datetime.fromisoformat(r["public_at_local"]).utcoffset() == timedelta(hours=4) for r in answer["data"])
    assert answer["amendments"][0]["reason"] == REASON
    csv = client.get("/api/v1/releases?format=csv").get_data(as_text=True)
    assert csv.lstrip("\ufeff").splitlines()[0].count("note_ar") == 1 and NOTE_AR in csv
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Release"]["properties"]["note"]
    assert schema["required"] == ["ar", "en"]
    ics = client.get("/releases.ics?lang=ar").get_data(as_text=True)
    assert "X-WR-TIMEZONE:Asia/Muscat" in ics and "توقيت" not in ics and LRI not in ics


def test_the_footer_says_the_build_time_in_the_publishers_zone_named_in_the_pages_language(built, reading):
    from spi.app import server
    from store.catalogue import meta
    with reading(built / "indicators.duckdb"):
        client = server.test_client()
        footers = {lang: re.search(r'<p class="build-info">(.*?)</p>', _page(client, f"/about?lang={lang}"), re.S)
                   .group(1) for lang in ("ar", "en")}
        local = meta().built_at.replace(tzinfo=timezone.utc).astimezone(timezone(timedelta(hours=4)))
    for lang, zone in (("ar", "توقيت عُمان"), ("en", "Oman Time")):
        assert f'<span class="nowrap" dir="ltr">{local:%Y-%m-%d %H:%M}</span> ({zone})' in footers[lang]


# -- the session's served history (gunicorn) -------------------------------------------------------

def test_the_served_history_shows_each_note_in_the_pages_language_and_hides_the_embargoed_one(release_site):
    server, history = release_site
    first, second, third = history.ids
    ar = server.get("/releases?lang=ar").text
    assert '<span class="release-note" dir="rtl" lang="ar">الإصدار الأول</span>' in ar
    assert '<span class="release-note" dir="ltr" lang="en">revised</span>' in ar    # English only: marked so
    listed = {r["release_id"]: r["note"] for r in json.loads(server.get("/api/v1/releases").body)["data"]}
    assert listed == {first: {"ar": "الإصدار الأول", "en": "first"}, second: {"ar": None, "en": "revised"}}
    for path in ("/releases?lang=ar", "/api/v1/releases", "/data/releases.json", "/about?lang=ar"):
        assert "إصدار محظور النشر" not in server.get(path).text, path      # the embargoed note, in Arabic
    client = server.client("127.0.0.31")
    assert client.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303
    assert '<span class="release-note" dir="rtl" lang="ar">إصدار محظور النشر</span>' in client.get("/releases?lang=ar").text
    client.sign_out()
