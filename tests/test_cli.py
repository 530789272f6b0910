"""The `spi` command: exit codes, progress and summary, and what it leaves on disk."""
from __future__ import annotations

import re
import shutil
import subprocess

import duckdb
import pytest

import etl.load
from etl.build import build
from spi.cli import main as spi


def run(paths, *args, cwd=None):
    return subprocess.run([str(paths.spi), *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_build_reports_progress_and_a_summary(paths, source_copy):
    done = run(paths, "build", *source_copy.cli_args())
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"building from {source_copy.raw}" in out
    assert re.search(r"read om_mosd_national\.xlsx: \d+ figures", out)
    summary = re.search(r"built (.+) in [\d.]+ s: 3 files, (\d+) indicators, ([\d,]+) observations, (\d+) warning\(s\)", out)
    assert summary, out
    con = duckdb.connect(summary.group(1), read_only=True)
    assert int(summary.group(3).replace(",", "")) == con.execute("SELECT count(*) FROM observations").fetchone()[0]
    assert int(summary.group(2)) == con.execute("SELECT count(DISTINCT indicator_id) FROM observations").fetchone()[0]
    # Indicators declared without figures are warnings, listed, and do not fail the build.
    assert int(summary.group(4)) == out.count("WARNING: ")


def test_validate_a_good_file_touches_nothing(paths, tmp_path, fingerprint):
    db = paths.repo / "data" / "processed" / "indicators.duckdb"
    before = fingerprint(db) if db.exists() else None
    # Run in a folder outside any project: --project names the repository's (tests/test_project.py).
    done = run(paths, "--project", str(paths.repo), "validate", str(paths.raw / "om_spf_south_batinah.csv"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ok: 11 figures pass every check" in done.stdout
    assert list(tmp_path.iterdir()) == []
    assert (fingerprint(db) if db.exists() else None) == before


def test_validate_a_bad_file_reports_it_and_touches_nothing(paths, source_copy, fingerprint, capfd):
    bad = source_copy.raw / "jo_social_protection_2024.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace(",580,", ",٥8٠,"), encoding="utf-8")
    db = paths.repo / "data" / "processed" / "indicators.duckdb"
    before = fingerprint(db) if db.exists() else None
    assert spi(["validate", str(bad), "--catalogue", str(source_copy.catalogue)]) == 1
    err = capfd.readouterr().err
    assert "ERROR: jo_social_protection_2024.csv, row 10, column 'value': value '٥8٠': the figure '٥8٠' mixes Arabic-Indic and Latin digits" in err
    assert "1 error(s)" in err
    assert not source_copy.out.exists()
    assert (fingerprint(db) if db.exists() else None) == before


def test_validate_checks_a_new_file_with_the_rest_of_the_raw_folder(paths, tmp_path, capfd):
    """A new file that gives a figure another file of data/raw already gives is refused by
    `spi validate`, naming the other file, before any build."""
    new = tmp_path / "jo_second_report.csv"
    rows = (paths.raw / "jo_social_protection_2024.csv").read_text(encoding="utf-8").splitlines()
    new.write_text("\n".join([rows[0], next(r for r in rows if r.startswith("jo_child_safe_spaces,"))]) + "\n",
                   encoding="utf-8")
    catalogue = tmp_path / "indicators.yaml"
    catalogue.write_text(paths.catalogue.read_text(encoding="utf-8").replace(
        "files: [jo_social_protection_2024.csv]", "files: [jo_social_protection_2024.csv, jo_second_report.csv]"),
        encoding="utf-8")
    assert spi(["validate", str(new), "--catalogue", str(catalogue)]) == 1
    err = capfd.readouterr().err
    assert ("ERROR: jo_second_report.csv, row 2, column 'value': value '12': duplicate figure: the same indicator, "
            "place, period and breakdown as jo_social_protection_2024.csv row ") in err
    assert spi(["validate", str(new), "--catalogue", str(catalogue), "--raw", str(tmp_path / "empty")]) == 0


def test_validate_several_files_and_a_missing_one(paths, db, capfd):
    files = [str(p) for p in sorted(paths.raw.iterdir())]
    assert spi(["validate", *files]) == 0
    n = db.execute("SELECT count(*) FROM observations").fetchone()[0]
    assert f"ok: {n:,} figures pass every check" in capfd.readouterr().out
    assert spi(["validate", str(paths.raw / "no_such_file.csv")]) == 1
    assert "no such file" in capfd.readouterr().err


def test_build_with_a_broken_catalogue_names_the_entry_and_keeps_the_database(paths, source_copy, fingerprint):
    assert build(source_copy.raw, source_copy.catalogue, source_copy.out).ok
    before = fingerprint(source_copy.out / "indicators.duckdb")
    text = source_copy.catalogue.read_text(encoding="utf-8")
    source_copy.catalogue.write_text(text.replace("OM-WU: {ar: الوسطى", "OM-XX: {ar: الوسطى"), encoding="utf-8")
    done = run(paths, "build", *source_copy.cli_args())
    assert done.returncode == 1
    assert "ERROR: indicators.yaml: geographies.OM.governorates: missing ISO 3166-2 subdivisions ['OM-WU']" in done.stderr
    assert "the database was not changed" in done.stderr
    assert fingerprint(source_copy.out / "indicators.duckdb") == before


def test_build_from_an_empty_folder_fails(tmp_path, paths, capfd):
    (tmp_path / "raw").mkdir()
    assert spi(["build", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 1
    assert "no source files found (.csv, .xlsx, .xls or .ods)" in capfd.readouterr().err
    assert not (tmp_path / "out").exists()


def test_no_subcommand_is_a_usage_error(paths):
    done = run(paths)
    assert done.returncode == 2 and "usage: spi" in done.stderr


def test_a_build_that_fails_while_writing_leaves_the_old_files(source_copy, fingerprint, monkeypatch):
    """Atomicity below validation: an error half-way through writing the new database (real
    write failures and kill -9 are in tests/test_history_faults.py)."""
    assert build(source_copy.raw, source_copy.catalogue, source_copy.out).ok
    names = sorted(p.name for p in source_copy.out.iterdir())
    before = {n: fingerprint(source_copy.out / n) for n in names if not n.endswith(".lock")}   # (a lock names its holder)
    real = etl.load._create_tables

    def crash(con, *args):
        real(con, *args)
        raise OSError("disk full (simulated)")
    monkeypatch.setattr(etl.load, "_create_tables", crash)
    result = build(source_copy.raw, source_copy.catalogue, source_copy.out)
    assert not result.ok and not result.partial
    assert [i.message for i in result.issues if i.severity == "error"] == ["cannot be written: disk full (simulated)"]
    assert sorted(p.name for p in source_copy.out.iterdir()) == names, "temporary files left behind"
    assert {n: fingerprint(source_copy.out / n) for n in names if not n.endswith(".lock")} == before


def test_a_reader_keeps_its_database_while_a_rebuild_swaps_in_a_new_one(source_copy):
    assert build(source_copy.raw, source_copy.catalogue, source_copy.out).ok
    db = source_copy.out / "indicators.duckdb"
    reader = duckdb.connect(str(db), read_only=True)
    old_id = reader.execute("SELECT build_id FROM build_info").fetchone()[0]
    csv = source_copy.raw / "jo_social_protection_2024.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",580,", ",581,"), encoding="utf-8")
    assert build(source_copy.raw, source_copy.catalogue, source_copy.out).ok
    # The open connection still reads the complete old build ...
    assert reader.execute("SELECT build_id FROM build_info").fetchone()[0] == old_id
    assert reader.execute("SELECT value FROM observations WHERE indicator_id = 'jo_residential_care_children'").fetchone() == (580.0,)
    reader.close()
    # ... and a new one reads the new build.
    fresh = duckdb.connect(str(db), read_only=True)
    assert fresh.execute("SELECT build_id FROM build_info").fetchone()[0] != old_id
    assert fresh.execute("SELECT value FROM observations WHERE indicator_id = 'jo_residential_care_children'").fetchone() == (581.0,)
    fresh.close()


def test_the_same_inputs_give_the_same_build_id(source_copy, built):
    shutil.rmtree(source_copy.out, ignore_errors=True)
    assert build(source_copy.raw, source_copy.catalogue, source_copy.out).ok
    ids = [duckdb.connect(str(d / "indicators.duckdb"), read_only=True).execute("SELECT build_id FROM build_info").fetchone()[0]
           for d in (built, source_copy.out)]
    assert ids[0] == ids[1]


def _with_cases(root, source_copy, value: str):
    """A copy of the sources in which social security cases for 2023 are `value`."""
    raw = root / f"raw-{value}"
    shutil.copytree(source_copy.raw, raw)
    from openpyxl import load_workbook
    wb = load_workbook(raw / "om_mosd_national.xlsx")
    ws = wb["data"]
    header = [c.value for c in ws[3]]
    row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[0].value == "om_ss_cases" and not r[header.index("sex")].value)
    ws.cell(row=row, column=header.index("2023") + 1, value=value)
    wb.save(raw / "om_mosd_national.xlsx")
    return raw


def test_two_builds_into_one_folder_take_turns(paths, source_copy, tmp_path):
    """Started together with different figures, each build publishes a database and exports
    that agree with each other (the folder's lock), whichever finishes last."""
    out = tmp_path / "out"
    runs = [subprocess.Popen([str(paths.spi), "build", "--raw", str(_with_cases(tmp_path, source_copy, value)),
                              "--catalogue", str(source_copy.catalogue), "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for value in ("79597", "80001")]
    assert [r.wait(timeout=120) for r in runs] == [0, 0]
    db = duckdb.connect(str(out / "indicators.duckdb"), read_only=True)
    in_db = db.execute("SELECT value FROM observations WHERE indicator_id = 'om_ss_cases' AND period = '2023' "
                       "AND sex IS NULL").fetchone()[0]
    exported = db.execute(f"SELECT value FROM read_csv('{out / 'observations.csv'}') WHERE indicator_id = 'om_ss_cases' "
                          "AND period = '2023' AND sex IS NULL").fetchone()[0]
    db.close()
    assert in_db == exported and in_db in (79597, 80001)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".spi-")) == []


def test_an_output_folder_with_a_quote_in_its_name(paths, source_copy, tmp_path, reading):
    out = tmp_path / "ministry's build"
    assert run(paths, "build", "--raw", str(source_copy.raw), "--catalogue", str(source_copy.catalogue),
               "--out", str(out)).returncode == 0
    from spi.app import server
    with reading(out / "indicators.duckdb"):
        client = server.test_client()
        for address in ("/data/all.csv", "/data/all.parquet", "/data/datapackage.json", "/?lang=en"):
            assert client.get(address).status_code == 200, address
