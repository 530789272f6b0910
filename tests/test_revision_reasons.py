"""Why a figure was revised (etl/revisions.py): a release made with `spi release --reasons FILE`
(the file `spi diff --reasons-template` prints, filled in) keeps its reasons in reasons.json,
under its entry's hash; the served database carries each revision's kind and reason; the
Releases page, the explorer, the CSV download and the API show them, through the real server,
in Arabic and in English. Bad reasons (a figure the release does not revise, a kind that is
not routine/correction/major, none where the catalogue requires them) are refused with nothing
written; `spi verify` passes a history whose older release has no reasons and catches an edited
reasons file; the CLI and make_release(reasons=…) (the desk's way) keep the same bytes.
Synthetic edits of the shipped sources, in temp dirs."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from contextlib import redirect_stdout
from datetime import datetime, timezone

import duckdb
import pytest
from openpyxl import load_workbook

from etl import revisions
from etl.release import ReleaseError, check_reasons, make_release
from spi.cli import main as spi

FIGURE = {"indicator_id": "jo_psychosocial_team", "geo_code": "JO", "period": "2024"}
REASON_AR, REASON_EN = "تصحيح خطأ في إدخال عدد الفرق", "a typing error in the count of teams corrected"
NOW = datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)


def _digest(*folders) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for folder in folders if folder.exists()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _template(copy) -> list[dict]:
    """`spi diff --reasons-template`'s rows."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert spi(["diff", "--out", str(copy.out), "--releases", str(copy.releases), "--reasons-template"]) == 0
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _write(path, rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _release_args(copy, reasons=None) -> list[str]:
    return ["release", "--note-ar", "تصحيح", "--note-en", "a correction", "--out", str(copy.out),
            "--releases", str(copy.releases), "--catalogue", str(copy.catalogue),
            *(["--reasons", str(reasons)] if reasons else [])]


def _candidate(copy) -> None:
    """A first release (44, without reasons, as releases were made before them), then the
    candidate revised to 45."""
    copy.revise("jo_psychosocial_team", "44")
    copy.release("first", "2025-01-01T09:00", note_ar="الأول")
    copy.revise("jo_psychosocial_team", "45")
    assert spi(["build", *copy.cli_args(), "--releases", str(copy.releases)]) == 0


@pytest.fixture(scope="module")
def reasoned(shipped_copy):
    """The history: the first release, then one made by `spi release --reasons` (public now)
    that revises 44 to 45 as a correction, served."""
    copy = shipped_copy("reasons")
    _candidate(copy)
    rows = _template(copy)
    assert [(r["indicator_id"], r["geo_code"], r["period"], r["change"], r["old_value"], r["new_value"], r["kind"])
            for r in rows] == [("jo_psychosocial_team", "JO", "2024", "revised", "44", "45", "")]
    rows[0].update(kind="correction", reason_ar=REASON_AR, reason_en=REASON_EN)
    _write(copy.root / "reasons.csv", rows)
    assert spi(_release_args(copy, copy.root / "reasons.csv")) == 0
    entries = json.loads((copy.releases / "releases.json").read_text(encoding="utf-8"))["releases"]
    return copy, entries


@pytest.fixture(scope="module")
def site(reasoned, tmp_path_factory):
    from tests.servers import gunicorn
    copy, entries = reasoned
    with gunicorn(copy.served, tmp_path_factory.mktemp("reasons-site") / "gunicorn.log", workers=2) as running:
        yield running, entries


def test_the_reasons_are_kept_under_the_entrys_hash(reasoned):
    copy, (first, second) = reasoned
    assert "reasons_sha256" not in first
    kept = copy.releases / second["release_id"] / "reasons.json"
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == second["reasons_sha256"]
    assert json.loads(kept.read_text(encoding="utf-8")) == {"reasons": [
        {**FIGURE, "breakdown": {}, "change": "revised", "kind": "correction", "reason_ar": REASON_AR,
         "reason_en": REASON_EN}]}


def test_the_served_database_carries_the_revisions_kind_and_reason(reasoned):
    copy, (first, second) = reasoned
    con = duckdb.connect(str(copy.served / second["release_id"] / "indicators.duckdb"), read_only=True)
    try:
        observed = con.execute("SELECT value, previous_value, revised_in, revision_kind, revision_reason_ar, "
                               "revision_reason_en FROM observations WHERE indicator_id = ? AND revised_in IS NOT NULL",
                               [FIGURE["indicator_id"]]).fetchall()
        changed = con.execute("SELECT change, revision_kind, revision_reason_ar, revision_reason_en FROM changes "
                              "WHERE release_id = ? AND change <> 'added'", [second["release_id"]]).fetchall()
        others = con.execute("SELECT count(*) FROM observations WHERE revision_kind IS NOT NULL").fetchone()[0]
    finally:
        con.close()
    assert observed == [(45.0, 44.0, second["release_id"], "correction", REASON_AR, REASON_EN)]
    assert changed == [("revised", "correction", REASON_AR, REASON_EN)]
    assert others == 1


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_releases_page_and_the_explorer_say_why_in_both_languages(site):
    server, (first, second) = site
    rid = second["release_id"]
    for lang, kind, reason in (("ar", "تصحيح — السبب", REASON_AR), ("en", "correction", REASON_EN)):
        page = server.get(f"/releases?lang={lang}&release={rid}")
        assert page.status == 200
        words = _text(page.text)
        assert f"{kind}: {reason}" in words, lang
        assert ("44" in words and "45" in words)
        explorer = _text(server.get(f"/explorer?indicator=jo_psychosocial_team&tab=table&lang={lang}").text)
        revised = "عُدِّل في" if lang == "ar" else "revised on"
        # the table's mark: "45 (revised on 2026-12-04, previously 44 · correction: …)" (the date isolated in Arabic)
        assert re.search(f"45 \\({revised}[^·]*{rid[:10]}[^·]*44 · {kind}: {re.escape(reason)}\\)", explorer), lang


def test_the_csv_download_and_the_api_carry_the_reason(site):
    server, (first, second) = site
    rid = second["release_id"]
    answer = server.get("/data/jo_psychosocial_team.csv?labels=codes&bom=false")
    assert answer.status == 200
    rows = list(csv.DictReader(io.StringIO(answer.body.decode("utf-8"))))
    row = next(r for r in rows if r["period"] == "2024" and r["geo_code"] == "JO")
    assert (row["value"], row["previous_value"], row["revised_in"], row["revision_kind"], row["revision_reason_ar"],
            row["revision_reason_en"]) == ("45", "44", rid, "correction", REASON_AR, REASON_EN)
    named = server.get("/data/jo_psychosocial_team.csv?labels=names&lang=ar&bom=false").body.decode("utf-8")
    assert "نوع التعديل" in named.splitlines()[0] and f"تصحيح,{REASON_AR}" in named
    book = load_workbook(io.BytesIO(server.get("/data/jo_psychosocial_team.xlsx?lang=en").body), read_only=True)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Kind of revision" in cells and "correction" in cells and REASON_EN in cells and REASON_AR in cells
    observations = json.loads(server.get("/api/v1/observations?indicator=jo_psychosocial_team&geo=JO").body)["data"]
    figure = next(r for r in observations if r["period"] == "2024")
    assert (figure["revision_kind"], figure["revision_reason_ar"], figure["revision_reason_en"]) == \
        ("correction", REASON_AR, REASON_EN)
    changes = json.loads(server.get(f"/api/v1/releases/{rid}/changes").body)["data"]
    assert changes == [{"change": "revised", **FIGURE, "breakdown": {},
                        "old": {"value": 44, "status": None, "source_id": "jo_emv_annual_2024"},
                        "new": {"value": 45, "status": None, "source_id": "jo_emv_annual_2024"},
                        "reason": {"kind": "correction", "ar": REASON_AR, "en": REASON_EN}}]
    kept = server.get(f"/data/releases/{rid}/reasons.json")
    assert kept.status == 200 and hashlib.sha256(kept.body).hexdigest() == second["reasons_sha256"]
    listed = {r["release_id"]: r for r in json.loads(server.get("/api/v1/releases").body)["data"]}
    assert listed[rid]["reasons_sha256"] == second["reasons_sha256"] and listed[first["release_id"]]["reasons_sha256"] is None
    assert listed[rid]["links"]["reasons"] == f"/data/releases/{rid}/reasons.json"
    assert "reasons" not in listed[first["release_id"]]["links"]
    none = server.get(f"/data/releases/{first['release_id']}/reasons.json")
    assert none.status == 404 and json.loads(none.body)["error"]["code"] == "no_reasons"
    api = json.loads(server.get("/api/v1/openapi.json").body)
    assert api["components"]["schemas"]["Change"]["properties"]["reason"]["properties"]["kind"]["enum"] == \
        ["routine", "correction", "major"]


# -- refused, with nothing written -----------------------------------------------------------------

@pytest.fixture
def candidate(source_copy):
    _candidate(source_copy)
    return source_copy


def _reasons(copy, **row) -> object:
    rows = _template(copy)
    rows[0].update({"kind": "routine", "reason_ar": REASON_AR, "reason_en": REASON_EN, **row})
    path = copy.root / "reasons.csv"
    _write(path, rows)
    return path


@pytest.mark.parametrize("row, words", [
    ({"indicator_id": "jo_child_safe_spaces"}, "reasons.csv row 2: jo_child_safe_spaces JO 2024 is not a figure this "
                                               "release revises, amends or withdraws"),
    ({"period": "2019"}, "reasons.csv row 2: jo_psychosocial_team JO 2019 is not a figure this release revises"),
    ({"kind": "minor"}, "reasons.csv row 2: kind 'minor' is not one of routine, correction, major"),
    ({"reason_ar": "typo"}, "reasons.csv row 2: reason_ar 'typo' has no Arabic letter"),
    ({"reason_en": ""}, "reasons.csv row 2: reason_en is empty"),
    ({"sex": "female"}, "reasons.csv row 2: jo_psychosocial_team JO 2024 (sex female) is not a figure this release"),
])
def test_a_bad_reason_is_refused_naming_its_row_and_nothing_is_written(candidate, row, words, capsys):
    path = _reasons(candidate, **row)
    before = _digest(candidate.releases, candidate.out)
    capsys.readouterr()
    assert spi(_release_args(candidate, path)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"release refused: {words}") and "nothing was changed" in err and "Traceback" not in err, err
    assert _digest(candidate.releases, candidate.out) == before


def test_reasons_the_catalogue_requires_are_refused_when_missing_and_taken_when_given(candidate, capsys):
    candidate.catalogue.write_text(candidate.catalogue.read_text(encoding="utf-8").replace(
        "site:\n", "site:\n  revision_reasons: required\n", 1), encoding="utf-8")
    assert spi(["build", *candidate.cli_args(), "--releases", str(candidate.releases)]) == 0
    before = _digest(candidate.releases, candidate.out)
    capsys.readouterr()
    assert spi(_release_args(candidate)) == 1
    err = capsys.readouterr().err
    assert err.startswith("release refused: the catalogue says every revision says why (site.revision_reasons: "
                          "required), and 1 figure(s) this release changes have no reason: jo_psychosocial_team JO 2024")
    assert _digest(candidate.releases, candidate.out) == before
    assert spi(_release_args(candidate, _reasons(candidate))) == 0


def test_reasons_given_as_the_desk_gives_them_are_checked_alike(candidate):
    """check_reasons (the desk, when a release is prepared) and make_release refuse the same
    reason, and take a good one as the CLI's file gives it."""
    before = _digest(candidate.releases, candidate.out)
    bad = [{**FIGURE, "kind": "big", "reason_ar": REASON_AR, "reason_en": REASON_EN}]
    for check in (lambda: check_reasons(bad, candidate.out, candidate.releases, candidate.catalogue),
                  lambda: make_release("n", None, candidate.out, candidate.releases, candidate.catalogue, by="t",
                                       now=NOW, reasons=bad)):
        with pytest.raises(ReleaseError, match="reason 1: kind 'big' is not one of routine, correction, major"):
            check()
    assert _digest(candidate.releases, candidate.out) == before
    good = [{**FIGURE, "kind": "routine", "reason_ar": REASON_AR, "reason_en": REASON_EN}]
    assert check_reasons(good, candidate.out, candidate.releases, candidate.catalogue) == \
        check_reasons(revisions.read_file(_reasons(candidate)), candidate.out, candidate.releases, candidate.catalogue) == \
        [{**FIGURE, "breakdown": {}, "change": "revised", "kind": "routine", "reason_ar": REASON_AR,
          "reason_en": REASON_EN}]


# -- the record ----------------------------------------------------------------------------------

def test_verify_passes_an_old_release_without_reasons_and_catches_an_edited_or_added_reasons_file(reasoned, tmp_path,
                                                                                                  capsys):
    copy, (first, second) = reasoned
    capsys.readouterr()
    assert spi(["verify", "--releases", str(copy.releases), "--out", str(copy.out),
                "--catalogue", str(copy.catalogue)]) == 0
    assert "every file is the one released" in capsys.readouterr().out
    import shutil
    releases = tmp_path / "releases"
    shutil.copytree(copy.releases, releases)
    kept = releases / second["release_id"] / "reasons.json"
    kept.write_bytes(kept.read_bytes().replace("correction".encode(), b"routine"))
    (releases / first["release_id"] / "reasons.json").write_bytes(kept.read_bytes())
    assert spi(["verify", "--releases", str(releases), "--catalogue", str(copy.catalogue)]) == 1
    err = capsys.readouterr().err
    assert f"{kept} is not the file released on {second['public_at']}" in err
    assert f"{releases / first['release_id'] / 'reasons.json'} is not release {first['release_id']}'s: the release " \
           "gave no reasons" in err


def test_the_cli_and_make_release_keep_the_same_bytes(reasoned, shipped_copy):
    copy, (first, second) = reasoned
    desk = shipped_copy("desk")
    _candidate(desk)
    made = datetime.fromisoformat(second["created_at"])
    entry = make_release("a correction", None, desk.out, desk.releases, desk.catalogue, by="desk", now=made,
                         note_ar="تصحيح", reasons=[{**FIGURE, "breakdown": {}, "kind": "correction",
                                                    "reason_ar": f" {REASON_AR}", "reason_en": REASON_EN}])
    for name in ("reasons.json", "observations.parquet", "indicators.yaml"):
        assert (desk.releases / entry["release_id"] / name).read_bytes() == \
            (copy.releases / second["release_id"] / name).read_bytes(), name
    assert entry["reasons_sha256"] == second["reasons_sha256"]


def test_a_withdrawn_figure_says_why_too(candidate):
    """A figure no longer in the sources is withdrawn: its reason is taken and served with the
    release's changes (it has no observation left to carry it)."""
    path = candidate.raw / "jo_social_protection_2024.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("jo_child_safe_spaces,")), encoding="utf-8")
    assert spi(["build", *candidate.cli_args(), "--releases", str(candidate.releases)]) == 0
    rows = _template(candidate)
    assert [(r["indicator_id"], r["change"], r["old_value"], r["new_value"]) for r in rows] == \
        [("jo_psychosocial_team", "revised", "44", "45"), ("jo_child_safe_spaces", "withdrawn", "12", "")]
    rows[1].update(kind="major", reason_ar="لم يعد المصدر ينشر هذا الرقم", reason_en="the source no longer publishes it")
    _write(candidate.root / "reasons.csv", rows)
    assert spi(_release_args(candidate, candidate.root / "reasons.csv")) == 0
    rid = json.loads((candidate.releases / "releases.json").read_text(encoding="utf-8"))["releases"][-1]["release_id"]
    con = duckdb.connect(str(candidate.served / rid / "indicators.duckdb"), read_only=True)
    try:
        changed = con.execute("SELECT indicator_id, change, revision_kind, revision_reason_en FROM changes "
                              "WHERE release_id = ? AND change <> 'added' ORDER BY change", [rid]).fetchall()
        revised = con.execute("SELECT revised_in, revision_kind FROM observations WHERE indicator_id = ?",
                              ["jo_psychosocial_team"]).fetchall()
    finally:
        con.close()
    assert changed == [("jo_psychosocial_team", "revised", None, None),
                       ("jo_child_safe_spaces", "withdrawn", "major", "the source no longer publishes it")]
    assert revised == [(rid, None)]   # revised without a reason: none, not another release's


def test_sdmx_says_the_revisions_kind_read_back_with_sdmx1(site):
    """SDMX-CSV through the server, read by sdmx1 with the served structures: REVISION_KIND is
    the kind's code in CL_REVISION_KIND, named in both languages."""
    import sdmx
    from sdmx.reader.csv import Reader
    server, (first, second) = site
    flow = sdmx.read_sdmx(io.BytesIO(server.get("/sdmx/dataflow/all/all/latest?references=all").body)) \
        .dataflow["SOCIAL_PROTECTION"]
    got = server.get("/sdmx/data/SOCIAL_PROTECTION/jo_psychosocial_team.JO._T._T._T._T._T")
    assert got.status == 200
    (obs,) = [o for ds in Reader().convert(io.BytesIO(got.body), structure=flow).data for o in ds.obs]
    assert {k: v.value for k, v in obs.attached_attribute.items()}["REVISION_KIND"] == "correction"
    kinds = flow.structure.attributes.get("REVISION_KIND").local_representation.enumerated
    assert kinds["correction"].name.localizations == {"ar": "تصحيح", "en": "correction"}
