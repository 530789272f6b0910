"""Arabic that reads in order (store/texts.py, store/formats.py): every ISO date, time, release
id, code or address inside Arabic text is isolated left to right where the text is made (LRI …
PDI), so that 2026-11-24 never reads 24-11-2026; a time zone is named in the page's language
(babel); a count is said with its unit in the form its number takes (CLDR plural categories,
the catalogue's words); and the framework's figure and its period are two words, not one.
The reading order in a real browser: tests/browser/test_arabic_order_browser.py."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from store.formats import LRI, PDI, fmt_day, fmt_time, fmt_value, plural_category, unit_label, zone_name
from store.texts import STRINGS, is_ltr_run, ltr, parts, t

ISOLATE = re.compile("[\u2066-\u2069]")


def _isolated(text: str, run: str) -> bool:
    return f"{LRI}{run}{PDI}" in text


# -- isolation marks ------------------------------------------------------------------------------

@pytest.mark.parametrize("key, fields, runs", [
    ("releases_changes", {"release": "2026-11-24"}, ["2026-11-24"]),                    # the Releases heading
    ("releases_changes", {"release": "2026-11-24-2"}, ["2026-11-24-2"]),                # a second release that day
    ("cite_release", {"id": "2026-11-24"}, ["2026-11-24"]),                             # the About citation
    ("cite_build", {"id": "ab74d442-bc32"}, ["ab74d442-bc32"]),
    ("next_expected", {"when": "2099-01-15", "what": "إحصاءات الضمان الاجتماعي"}, ["2099-01-15"]),
    ("revised_mark", {"when": "2025-03-01", "previous": "79,597"}, ["2025-03-01"]),       # tooltips and table cells
    ("release_read", {"release": "2025-03-01", "when": "2025-03-01"}, ["2025-03-01"]),    # the footer
    ("release_rescheduled", {"release": "2026-12-15", "when": "2026-12-20 09:00", "reason": "مؤتمر صحفي"},
     ["2026-12-15", "2026-12-20 09:00"]),
    ("release_cancelled", {"release": "2026-12-15", "reason": "a wrong figure in table 3"},
     ["2026-12-15", "a wrong figure in table 3"]),                                        # an English text too
    ("bad_as_of", {"value": "2024-12-31", "releases": "2025-01-01, 2025-03-01"}, ["2024-12-31", "2025-01-01, 2025-03-01"]),
    ("fw_linked", {"code": "om_ss_cases"}, ["om_ss_cases"]),                              # an indicator code
    ("image_credit", {"site": "إحصاءات", "address": "https://stats.example.gov.om/explorer?indicator=om_ss_cases",
                      "licence": "CC BY 4.0"}, ["https://stats.example.gov.om/explorer?indicator=om_ss_cases", "CC BY 4.0"]),
    ("data_whole_note", {"n": "74", "build": "ab74d442bc32edad-2"}, ["ab74d442bc32edad-2"]),
])
def test_every_date_time_id_code_and_address_inside_arabic_text_is_isolated(key, fields, runs):
    ar, en = t(key, "ar", **fields), t(key, "en", **fields)
    for run in runs:
        assert _isolated(ar, run), (key, ar)
        assert ar.count(LRI) == ar.count(PDI)
    assert not ISOLATE.search(en), en                # English reads left to right: nothing to isolate


def test_the_isolate_would_be_missed_without_it():
    """The rule fails where it should: the same texts with the fields filled in by hand hold no isolate."""
    ar = STRINGS["releases_changes"][0].format(release="2026-11-24")
    assert not _isolated(ar, "2026-11-24") and _isolated(t("releases_changes", "ar", release="2026-11-24"), "2026-11-24")


@pytest.mark.parametrize("value, isolated", [
    ("2026-11-24", True), ("09:00", True), ("2026-11-24 09:00", True), ("2025-H1", True), ("om_ss_cases", True),
    ("/api/v1/releases", True), ("First release: the figures", True), ("OM-BJ", True),
    ("6,073", False), ("2021", False), ("1.5", False), ("geo", False), ("nope", False),   # read in order as they are
    ("نهاية 2021", False), ("24 نوفمبر 2026", False), ("", False), (f"{LRI}+5%{PDI}", False), (7, False),
])
def test_what_is_a_left_to_right_run(value, isolated):
    assert is_ltr_run(value) is isolated
    if isolated:
        assert ltr(value, "ar") == f"{LRI}{value}{PDI}" and ltr(value, "en") == value


def test_an_element_takes_the_place_of_a_field_and_the_text_fields_are_isolated_as_t_does():
    marked = object()   # a page's element: a text marked with its language
    assert parts("release_cancelled", "ar", release="2026-12-15", reason=marked) == \
        ["أُلغي الإصدار ", f"{LRI}2026-12-15{PDI}", " قبل نشره: ", marked]
    assert parts("release_cancelled", "en", release="2026-12-15", reason="x") == \
        ["Release ", "2026-12-15", " was cancelled before it was published: ", "x"]


# -- dates, times and zones -----------------------------------------------------------------------

def test_a_day_and_a_time_read_in_order_with_the_zone_named_in_the_pages_language():
    at = datetime(2030, 1, 1, 5, 0, tzinfo=timezone.utc)
    assert fmt_day(at.date(), "ar") == f"{LRI}2030-01-01{PDI}" and fmt_day("2030-01-01", "en") == "2030-01-01"
    assert fmt_time(at, "Asia/Muscat", "ar") == f"{LRI}2030-01-01 09:00{PDI} (توقيت عُمان)"
    assert fmt_time(at, "Asia/Muscat", "en") == "2030-01-01 09:00 (Oman Time)"
    assert fmt_time(at.replace(tzinfo=None), "Asia/Muscat", "en") == "2030-01-01 09:00 (Oman Time)"  # naive: UTC
    summer = datetime(2027, 7, 1, 6, 0, tzinfo=timezone.utc)
    assert fmt_time(summer, "Asia/Beirut", "en") == "2027-07-01 09:00 (Lebanon Time)"   # UTC+3 in summer


@pytest.mark.parametrize("zone, ar, en", [
    ("Asia/Muscat", "توقيت عُمان", "Oman Time"),
    ("Asia/Amman", "توقيت الأردن", "Jordan Time"),
    ("Asia/Beirut", "توقيت لبنان", "Lebanon Time"),
    ("UTC", "UTC", "UTC"),
    ("Etc/GMT-4", f"{LRI}Etc/GMT-4{PDI}", "Etc/GMT-4"),   # no place to name: its IANA name, isolated
])
def test_zone_names_come_from_babel_in_both_languages(zone, ar, en):
    assert (zone_name(zone, "ar"), zone_name(zone, "en")) == (ar, en)


def test_the_embargo_notice_reads_in_order_and_names_the_zone_and_the_header_keeps_its_iana_name(tmp_path):
    from store import releases
    release = releases.Release("2030-01-01", 3, datetime(2030, 1, 1, 5, tzinfo=timezone.utc), "Asia/Muscat",
                               "embargoed", tmp_path / "x.duckdb")
    token = releases.reading(releases.Choice(release, embargoed=True, reviewer="amal"))
    try:
        assert releases.embargo_notice("ar") == f"محظور النشر حتى {LRI}2030-01-01 09:00{PDI} (توقيت عُمان) — ليس للنشر"
        assert releases.embargo_notice("en") == "EMBARGOED until 2030-01-01 09:00 (Oman Time) — not for publication"
        assert releases.embargo_header() == \
            "EMBARGOED until 2030-01-01T09:00+04:00 (Asia/Muscat); not for publication"   # ASCII, for machines
        assert releases.edition("ar", "b") == f"الإصدار {LRI}2030-01-01{PDI}"              # the citation
    finally:
        releases.done(token)


# -- counts with their units ----------------------------------------------------------------------

FACILITIES = {"kind": "count", "name_ar": "مرفق", "name_en": "facilities",
              "name_ar_two": "مرفقان", "name_ar_few": "مرافق", "name_ar_many": "مرفقًا", "name_en_one": "facility"}


@pytest.mark.parametrize("n, category, ar", [
    (0, "zero", "0 مرفق"), (1, "one", "1 مرفق"), (2, "two", "2 مرفقان"), (3, "few", "3 مرافق"),
    (10, "few", "10 مرافق"), (11, "many", "11 مرفقًا"), (99, "many", "99 مرفقًا"), (100, "other", "100 مرفق"),
    (101, "other", "101 مرفق"), (1000, "other", "1,000 مرفق"),
    (103, "few", "103 مرافق"), (111, "many", "111 مرفقًا"),
])
def test_a_count_takes_the_arabic_form_of_its_number(n, category, ar):
    assert plural_category(n, "ar") == category
    assert fmt_value(n, FACILITIES, "ar") == ar


def test_english_singular_for_one_plural_otherwise_and_the_name_alone_for_a_heading():
    assert fmt_value(1, FACILITIES, "en") == "1 facility" and fmt_value(2, FACILITIES, "en") == "2 facilities"
    assert fmt_value(0, FACILITIES, "en") == "0 facilities"
    assert unit_label(FACILITIES, "ar") == "مرفق" and unit_label(FACILITIES, "en") == "facilities"
    assert unit_label(FACILITIES, "ar", count=7) == "مرافق" and unit_label(FACILITIES, "en", count=1) == "facility"
    assert fmt_value(7, FACILITIES, "ar", qualifier="more_than") == "أكثر من 7 مرافق"
    assert fmt_value(2.4, FACILITIES, "ar") == "2 مرفقان"     # the form of the number as it is written
    assert fmt_value(None, FACILITIES, "ar") == "– مرفق"


def test_a_unit_without_forms_and_a_currency_keep_their_names():
    plain = {"kind": "count", "name_ar": "مرفق", "name_en": "facilities"}
    assert fmt_value(7, plain, "ar") == "7 مرفق" and fmt_value(1, plain, "en") == "1 facilities"
    omr = {"kind": "currency", "name_ar": "ر.ع.", "name_en": "OMR", "name_ar_few": None}
    assert fmt_value(7, omr, "ar") == "7 ر.ع." and fmt_value(1, omr, "en") == "OMR 1"


# -- the framework's figure and its period ----------------------------------------------------------

@pytest.fixture(scope="module")
def client(served):
    from spi.app import server
    return server.test_client()


def _text(client, url: str) -> str:
    return re.sub(r"<[^>]+>", "", client.get(url).get_data(as_text=True))


def test_the_frameworks_figure_and_its_period_are_two_words(client):
    assert "124 staff during 2023" in _text(client, "/framework?country=OM&lang=en")
    assert "staffduring" not in _text(client, "/framework?country=OM&lang=en")
    ar = _text(client, "/framework?country=OM&lang=ar")
    assert re.search(r"124 موظف\S* خلال 2023", ar) and "خلال" in ar
