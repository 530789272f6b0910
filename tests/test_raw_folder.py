"""The raw folder is read whole and only itself (etl/raw_folder.py): every entry of data/raw/
is read or named in the report, and nothing outside it is read."""
from __future__ import annotations

import shutil
from pathlib import Path

from etl.build import build, validate_files
from etl.catalogue import load_catalogue
from etl.raw_folder import source_files
from etl.report import ERROR, WARNING
from spi.cli import main as spi

JO = "jo_social_protection_2024.csv"


def _by_file(issues):
    return {i.file: i for i in issues}


def test_what_is_read_and_what_is_said(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("b.xlsx", "a.csv", "c.xls", "d.ods", "e.xlsm", "F.CSV", "a.layout.yaml", "orphan.layout.yaml",
                 "notes.pdf", "README.md", "~$b.xlsx", ".~lock.b.xlsx#", ".gitkeep", ".DS_Store"):
        (raw / name).write_text("x", encoding="utf-8")
    (raw / "old").mkdir()
    (raw / "old" / "2019.csv").write_text("x", encoding="utf-8")
    (raw / "inside.csv").symlink_to(raw / "a.csv")              # a link to a file of the folder: allowed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.csv").write_text("x", encoding="utf-8")
    (raw / "outside.csv").symlink_to(elsewhere / "x.csv")       # refused
    (raw / "up.csv").symlink_to(Path("..") / "elsewhere" / "x.csv")   # relative, still outside: refused

    files, issues = source_files(raw)

    assert [p.name for p in files] == ["F.CSV", "a.csv", "b.xlsx", "c.xls", "d.ods", "e.xlsm", "inside.csv"]
    assert source_files(raw)[0] == files                          # a stable order
    found = _by_file(issues)
    assert set(found) == {"README.md", "notes.pdf", "old", "orphan.layout.yaml", "outside.csv", "up.csv"}, issues
    for name in ("README.md", "notes.pdf"):
        assert found[name].severity == WARNING
        assert found[name].message.startswith("not read: only .csv, .xlsx, .xlsm, .xls and .ods files and their recipes")
    assert found["old"].severity == WARNING and found["old"].message.startswith("is a folder: not read")
    assert found["orphan.layout.yaml"].severity == WARNING
    assert "no data file orphan.* beside it" in found["orphan.layout.yaml"].message
    for name in ("outside.csv", "up.csv"):
        assert found[name].severity == ERROR
        assert f"is a symbolic link to {(elsewhere / 'x.csv').resolve()}, outside the raw folder: refused" \
            in found[name].message
    print("\n".join(map(str, issues)))


def test_the_shipped_raw_folder_reads_every_file_and_says_nothing(paths):
    files, issues = source_files(paths.raw)
    assert issues == [] and {p.name for p in files} == {p.name for p in paths.raw.iterdir()}


def test_a_link_to_a_file_outside_is_refused_and_the_database_kept(source_copy, fingerprint, capfd):
    assert build(source_copy.raw, source_copy.catalogue, source_copy.out).ok
    outputs = sorted(p.name for p in source_copy.out.iterdir())
    before = {name: fingerprint(source_copy.out / name) for name in outputs if (source_copy.out / name).is_file()}
    # The Jordanian file moved out of the folder, a figure in it broken, and linked back in.
    elsewhere = source_copy.root / "elsewhere"
    elsewhere.mkdir()
    moved = elsewhere / JO
    shutil.move(source_copy.raw / JO, moved)
    moved.write_text(moved.read_text(encoding="utf-8").replace(",580,", ",five hundred,", 1), encoding="utf-8")
    assert "five hundred" in moved.read_text(encoding="utf-8")
    (source_copy.raw / JO).symlink_to(moved)
    capfd.readouterr()

    assert spi(["build", *source_copy.cli_args()]) == 1
    report = capfd.readouterr()
    text = report.out + report.err
    print(text)
    assert f"ERROR: {JO}: is a symbolic link to {moved.resolve()}, outside the raw folder: refused" in text
    assert "the database was not changed" in text
    assert f"read {JO}" not in text                       # the figure is not read…
    assert "five hundred" not in text                     # …so its broken figure is not judged
    assert "not in the raw folder" not in text            # refused, not also "missing"
    assert sorted(p.name for p in source_copy.out.iterdir()) == outputs
    assert {name: fingerprint(source_copy.out / name) for name in before} == before


def test_a_link_inside_the_folder_is_read(source_copy):
    """A link to another file of the folder is allowed: here the Jordanian file under a new
    name, given only under it."""
    (source_copy.raw / "jo_2024_copy.csv").symlink_to(source_copy.raw / JO)
    result = build(source_copy.raw, source_copy.catalogue, source_copy.out)
    assert not any("symbolic link" in i.message for i in result.issues)
    assert any(i.file == "jo_2024_copy.csv" for i in result.issues)   # read: its figures judged (not expected there)


def test_a_stray_pdf_and_a_folder_are_warnings(source_copy, capfd):
    (source_copy.raw / "yearbook_2023.pdf").write_bytes(b"%PDF-1.7\n")
    (source_copy.raw / "archive").mkdir()
    (source_copy.raw / "archive" / "old.csv").write_text("indicator_id\n", encoding="utf-8")
    (source_copy.raw / "~$om_mosd_national.xlsx").write_bytes(b"lock")      # Excel's lock file: silent
    capfd.readouterr()
    assert spi(["build", *source_copy.cli_args()]) == 0
    report = capfd.readouterr()
    text = report.out + report.err
    print(text)
    assert ("WARNING: yearbook_2023.pdf: not read: only .csv, .xlsx, .xlsm, .xls and .ods files and their recipes "
            "(<name>.layout.yaml) are") in text
    assert "WARNING: archive: is a folder: not read" in text
    assert "~$" not in text and "2 warning(s)" in text      # these 2: the shipped build has none (announced: INFO)


def test_a_recipe_without_its_data_file_is_a_warning(source_copy):
    (source_copy.raw / "om_yearbook_2023.layout.yaml").write_text("sheet: data\n", encoding="utf-8")
    result = build(source_copy.raw, source_copy.catalogue, source_copy.out)
    assert result.ok
    found = [i for i in result.issues if i.file == "om_yearbook_2023.layout.yaml"]
    assert len(found) == 1 and found[0].severity == WARNING, result.issues
    assert "a layout recipe with no data file om_yearbook_2023.* beside it: not used" in found[0].message
    print(found[0])


def test_an_xls_is_not_skipped_silently(source_copy):
    """Reading it right is etl/extract.py's; here only that the report names it."""
    (source_copy.raw / "om_old_yearbook.xls").write_bytes(b"\xd0\xcf\x11\xe0 not much of a workbook")
    result = build(source_copy.raw, source_copy.catalogue, source_copy.out)
    found = [i for i in result.issues if i.file == "om_old_yearbook.xls"]
    assert found, result.issues
    print("\n".join(map(str, found)))


def test_validate_says_what_the_folder_holds_too(source_copy, paths):
    cat = load_catalogue(source_copy.catalogue)
    elsewhere = source_copy.root / "elsewhere.csv"
    elsewhere.write_text("indicator_id\n", encoding="utf-8")
    (source_copy.raw / "linked.csv").symlink_to(elsewhere)
    (source_copy.raw / "notes.docx").write_bytes(b"PK")
    passed, issues = validate_files([source_copy.raw / "om_spf_south_batinah.csv"], cat, source_copy.raw)
    found = _by_file(issues)
    assert found["linked.csv"].severity == ERROR and "outside the raw folder: refused" in found["linked.csv"].message
    assert found["notes.docx"].severity == WARNING
    assert passed > 0
