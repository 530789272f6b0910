"""Loading a table in the desk (etl/upload.py): the kind read from the bytes, the limits checked
before anything is expanded, the recipe proposed, the sheet as a grid of what every cell became,
and the file accepted into data/raw/ beside its older versions.

Every workbook is generated in a temp folder; the zip bombs are real zips (a gigabyte of zeros
deflated to a megabyte, a hundred thousand entries, a member that lies about its size), and each
is refused quickly, in little memory, before any reader expands it."""
from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest

from etl import upload_checks
from etl.upload_checks import UploadError, check_upload, sniff


def _xlsx_bytes(rows=(("a", 1),)) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _workbook_zip(members: dict[str, bytes], **kw) -> bytes:
    """A zip with the two parts that make it look like a workbook, and `members`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, **kw) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _refused(data: bytes, *words: str, seconds: float = 2.0, peak_mb: float = 64) -> UploadError:
    """check_upload's refusal, made within `seconds` and `peak_mb` of Python memory, whose
    English and Arabic texts are both given and the English one names `words`."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(UploadError) as caught:
            check_upload(data)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - started < seconds
    assert peak < peak_mb * 1024 * 1024, f"{peak / 1e6:.0f} MB held to refuse it"
    error = caught.value
    assert error.ar and error.en and error.ar != error.en and any("\u0621" <= ch <= "\u064a" for ch in error.ar)
    for word in words:
        assert word in error.en, error.en
    return error


# -- the kind, from the content -------------------------------------------------------------------

def test_the_kind_is_read_from_the_content_not_the_name():
    assert sniff(_xlsx_bytes()) == "xlsx"
    assert sniff("المحافظة,القيمة\nمسقط,1234\n".encode()) == "csv"
    assert sniff(b"\xef\xbb\xbfgeo,value\nMuscat,1\n") == "csv"          # with Excel's byte-order mark
    # A CSV named .xlsx is the CSV it is: the name is never asked.
    assert check_upload("geo,value\nمسقط,1\n".encode()) == "csv"


CASES = "المحافظة,القيمة\nمسقط,1234\n"


@pytest.mark.parametrize("data", [CASES.encode("utf-16"), CASES.encode("utf-16-be").join([b"\xfe\xff", b""]),
                                  CASES.encode("cp1256")], ids=["utf-16-le", "utf-16-be", "cp1256"])
def test_a_csv_in_an_encoding_the_build_reads_is_accepted(data):
    """UTF-16 with its byte-order mark (it holds NUL bytes, and is text) and Windows-1256, the
    "CSV" of an Arabic office's Excel: the upload takes what the build reads."""
    assert check_upload(data) == "csv"


def test_a_text_the_build_cannot_read_is_refused_as_the_build_says():
    error = _refused("Muscat,\xe9t\xe9\n".encode("latin-1"), "not UTF-8 text (byte 7), nor Arabic text in Windows-1256")
    assert "ولا نصًا عربيًا بترميز" in error.ar
    _refused(b"\xff\xfe" + "geo,value\n".encode("utf-16-le") + b"\x01\x00\x02\x00", "control characters")
    _refused(b"\xff\xfe" + "geo".encode("utf-16-le") + b"\x00\xd8", "not readable as UTF-16 text")


def test_an_ods_is_a_zip_whose_mimetype_says_spreadsheet(tmp_path):
    from tests.test_sheets import write_ods
    data = write_ods(tmp_path / "t.ods").read_bytes()
    assert sniff(data) == check_upload(data) == "ods"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<x/>")
    _refused(out.getvalue(), "an OpenDocument file that is not a spreadsheet (application/vnd.oasis.opendocument.text)")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:   # an .ods is a zip: the same limits
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", b" " * (300 << 20))
    _refused(bomb.getvalue(), "expands to 300.0 MB uncompressed")


def test_an_xls_is_an_ole_file_with_a_workbook_stream(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    book.add_sheet("جدول").write(0, 0, "مسقط")
    book.save(str(tmp_path / "t.xls"))
    assert sniff((tmp_path / "t.xls").read_bytes()) == "xls"


@pytest.mark.parametrize("data, found", [
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(100), "Windows program"),   # an .exe named .xlsx
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(10), "PDF"),
    (b"\x89PNG\r\n\x1a\n" + bytes(20), "PNG"),
    (b"", "empty"),
    (b"geo,value\nx,\x001\n", "NUL"),
])
def test_anything_else_is_refused_naming_what_was_found(data, found):
    error = _refused(data, found, "accepted: an Excel workbook (.xlsx or .xls), an OpenDocument spreadsheet (.ods) "
                                  "or a CSV file (in UTF-8, UTF-16 or Windows-1256)")
    assert "المقبول" in error.ar


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    _refused(out.getvalue(), "not an Excel workbook")


# -- limits, before anything is expanded ----------------------------------------------------------

def test_a_body_beyond_the_limit_is_refused_unread():
    _refused(b"a" * (upload_checks.MAX_UPLOAD_BYTES + 1), "above the limit of 20.0 MB")


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> bytes:
    """A real zip bomb: a 'sheet' of 1 GiB of zeros, deflated to about a megabyte."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = bytes(1 << 24)
            for _ in range(64):
                f.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_central_directory(gigabyte_of_zeros):
    assert len(gigabyte_of_zeros) < 8 * 1024 * 1024
    _refused(gigabyte_of_zeros, "expands to 1,024.0 MB uncompressed", seconds=0.5, peak_mb=16)


def test_a_member_of_absurd_ratio_is_refused():
    bomb = _workbook_zip({"xl/worksheets/sheet1.xml": bytes(50 * 1024 * 1024)})   # ~1000:1, within the total
    _refused(bomb, "xl/worksheets/sheet1.xml expands", "zip bomb", seconds=0.5)


def test_a_hundred_thousand_entries_are_refused_before_they_are_listed():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(100_000):
            z.writestr(f"x/{n}", b"")
    _refused(out.getvalue(), "100,002 entries", seconds=0.2, peak_mb=4)


def test_a_member_that_expands_beyond_its_declared_size_is_stopped():
    """The central directory and the local header both say 1,000 bytes; the member inflates to
    50 MB. zipfile's reading stops at the declared size and the CRC check refuses it."""
    name = b"xl/worksheets/sheet1.xml"
    data = bytearray(_workbook_zip({name.decode(): bytes(50 * 1024 * 1024)}))
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (1000).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode()).file_size == 1000
    _refused(bytes(data), "does not match its declared size", seconds=0.5, peak_mb=8)


def test_a_real_workbook_passes_every_limit():
    assert check_upload(_xlsx_bytes([("مسقط", 1234)] * 1000)) == "xlsx"


# -- a project, a table ---------------------------------------------------------------------------

import shutil
from datetime import datetime
from pathlib import Path

import yaml

from etl.build import build
from etl.catalogue import load_catalogue
from etl.catalogue_gaps import missing_from_catalogue
from etl.raw_folder import source_files
from etl.report import INFO
from etl.upload import accept, propose, safe_name, stage
from etl.upload_grid import grid
from etl.versions import family, next_name
from tests.tables import INDICATOR, NOTE, RECIPE, TITLE
from tests.tables import yearbook as _table

NOW = datetime(2026, 12, 4, 9, 30)


@pytest.fixture
def project(tmp_path, paths) -> Path:
    """A project: the shipped sources in data/raw/ and the catalogue with one test indicator,
    carried by table.xlsx and cases.csv."""
    root = tmp_path / "project"
    shutil.copytree(paths.raw, root / "data" / "raw")
    text = paths.catalogue.read_text(encoding="utf-8")
    (root / "indicators.yaml").write_text(text.replace("indicators:\n", "indicators:\n" + INDICATOR, 1), encoding="utf-8")
    return root


BODY = [["مسقط", 1234, 1250], ["ظفار", 400, 410], ["الداخلية", 7, 8], ["مدينة الخيال", 10, 20]]


def test_the_recipe_proposed_is_the_draft(project, tmp_path):
    cat = load_catalogue(project / "indicators.yaml")
    path = _table(tmp_path / "table.xlsx", BODY, hidden_rows=[5])
    proposal = propose(path, cat)
    assert proposal.recipe["indicator"] == "om_upload_cases"             # the catalogue's `files:` name it
    assert proposal.recipe["header_rows"] == [2] and proposal.recipe["rows"] == "geo"
    assert proposal.recipe["hidden"] == "skip" and proposal.recipe["skip"] == ["^المصدر"]
    assert yaml.safe_load(proposal.text) == proposal.recipe and "spi recipe draft" in proposal.text
    assert any("مدينة الخيال" in u and "A6" in u for u in proposal.unplaced)
    assert proposal.recipe["source"] == "REPLACE_ME" and not proposal.complete


def test_a_long_csv_needs_no_recipe(project, tmp_path):
    cat = load_catalogue(project / "indicators.yaml")
    path = tmp_path / "cases.csv"
    path.write_text("indicator_id,geo,period,value,source_id\nom_upload_cases,مسقط,2024,1234,om_mosd_welfare_2021\n",
                    encoding="utf-8")
    proposal = propose(path, cat)
    assert proposal.text is None and proposal.recipe is None and proposal.builtin_figures == 1


def test_the_grid_says_what_every_cell_became(project, tmp_path):
    cat = load_catalogue(project / "indicators.yaml")
    path = _table(tmp_path / "table.xlsx", BODY, hidden_rows=[5])
    g = grid(path, RECIPE, cat)
    s = g.sheet("جدول 1")
    role = lambda ref: s.cell(ref).role
    assert (role("B3"), s.cell("B3").value, s.cell("B3").text) == ("value", 1234.0, "1234")
    assert s.at(3, 2) is s.cell("B3") and s.at(1, 3) is None and (s.n_rows, s.n_cols) == (7, 3)
    assert (role("A3"), s.cell("A3").text, s.cell("A3").gives) == ("place", "مسقط", "geo")
    assert (role("B2"), role("C2")) == ("period", "period")
    assert role("A1") == "note" and role("A2") == "note" and role("A7") == "note"    # title, heading, note
    # The hidden row is marked, and never read.
    assert s.hidden_rows == {5}
    assert all(s.cell(f"{c}5").hidden and s.cell(f"{c}5").role == "ignored" for c in "ABC")
    assert 5 not in set(g.records["source_row"]) and len(g.records) == 6
    # The unknown governorate's cell carries the validator's issue, and its figures are read but refused.
    (issue,) = s.cell("A6").issues
    assert issue.message.startswith("unknown governorate or country for OM") and issue.column == "geo"
    assert role("B6") == "value" and s.cell("B6").value is None
    assert not s.cell("A3").issues and not g.loose
    assert sorted(f"{r.source_column}{r.source_row}" for r in g.observations.itertuples()) == ["B3", "B4", "C3", "C4"]


def test_every_cell_of_an_issue_is_marked_not_only_the_few_its_line_shows(project, tmp_path):
    cat = load_catalogue(project / "indicators.yaml")
    body = [["مسقط", 1, 2]] + [[f"مدينة {n}", n, n] for n in range(10)]
    g = grid(_table(tmp_path / "table.xlsx", body), RECIPE, cat)
    marked = [c.ref for c in g.sheet().cells.values() if c.issues]
    assert sorted(marked, key=lambda r: int(r[1:])) == [f"A{r}" for r in range(4, 14)]
    assert all(len(c.issues) == 1 for c in g.sheet().cells.values() if c.issues)


def test_a_hidden_row_with_figures_is_refused_on_its_row_by_default(project, tmp_path):
    cat = load_catalogue(project / "indicators.yaml")
    g = grid(_table(tmp_path / "table.xlsx", BODY, hidden_rows=[5]), RECIPE.replace("hidden: skip\n", ""), cat)
    (issue,) = g.sheet().cell("A5").issues
    assert "a hidden row holds figures" in issue.message and g.records.empty
    assert g.sheet().cell("B3").role == "unplaced"          # the build reads nothing of the file


def test_a_long_csv_grid_names_its_columns(project, tmp_path):
    cat = load_catalogue(project / "indicators.yaml")
    path = tmp_path / "cases.csv"
    path.write_text("indicator_id,geo,period,value,source_id,extra\n"
                    "om_upload_cases,مسقط,2024,1234,om_mosd_welfare_2021,\n"
                    "om_upload_cases,مدينة الخيال,2024,5,om_mosd_welfare_2021,\n", encoding="utf-8")
    g = grid(path, None, cat)
    s = g.sheet()
    assert s.name is None and g.records.empty                 # an unknown column: the file is refused
    (issue,) = s.cell("F1").issues
    assert issue.message == "unknown column"
    path.write_text(path.read_text(encoding="utf-8").replace(",extra", "").replace(",\n", "\n"), encoding="utf-8")
    g = grid(path, None, cat)
    s = g.sheet()
    assert [s.cell(f"{c}2").role for c in "ABCDE"] == ["indicator", "place", "period", "value", "source"]
    assert s.cell("D2").value == 1234.0 and s.cell("A1").role == "indicator" and s.cell("D1").role == "note"
    (issue,) = s.cell("B3").issues
    assert "unknown governorate" in issue.message and not s.cell("D3").issues


# -- accepting ------------------------------------------------------------------------------------

def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_accept_writes_beside_the_old_and_the_build_reads_the_newest(project, tmp_path):
    raw = project / "data" / "raw"
    good = [row for row in BODY if row[0] != "مدينة الخيال"]
    first = _bytes(_table(tmp_path / "v1.xlsx", good))
    done = accept(project, first, "table.xlsx", RECIPE, NOW)
    assert (done.name, done.replaces) == ("table.xlsx", None)
    assert (raw / "table.xlsx").read_bytes() == first and (raw / "table.layout.yaml").read_text(encoding="utf-8") == RECIPE
    assert sorted(c.new_cell for c in done.added) == ["جدول 1!B3", "جدول 1!B4", "جدول 1!B5",
                                                      "جدول 1!C3", "جدول 1!C4", "جدول 1!C5"]
    assert not done.changed and not done.removed and not done.issues

    second = _bytes(_table(tmp_path / "v2.xlsx", [["مسقط", 1240, 1250], ["ظفار", 400, 410]]))
    done = accept(project, second, "C:\\Users\\clerk\\table.xlsx", RECIPE, NOW)
    assert (done.name, done.replaces) == ("table.2026-12-04.xlsx", "table.xlsx")
    assert (raw / "table.xlsx").read_bytes() == first                   # the old one kept, untouched
    assert (raw / "table.2026-12-04.xlsx").read_bytes() == second
    assert (raw / "table.2026-12-04.layout.yaml").is_file()
    (changed,) = done.changed
    assert (changed.old_value, changed.new_value, changed.old_cell, changed.new_cell, changed.period) == \
        (1234.0, 1240.0, "جدول 1!B3", "جدول 1!B3", "2023")
    assert sorted((c.geo_code, c.period, c.old_value) for c in done.removed) == [("OM-DA", "2023", 7.0),
                                                                                  ("OM-DA", "2024", 8.0)]
    assert not done.added
    # A third the same day is newer still; and the build reads only the newest.
    done = accept(project, second, "table.xlsx", RECIPE, NOW)
    assert done.name == "table.2026-12-04-2.xlsx" and not (done.added or done.changed or done.removed)
    files, notes = source_files(raw)
    assert "table.2026-12-04-2.xlsx" in [f.name for f in files]
    assert not {"table.xlsx", "table.2026-12-04.xlsx"} & {f.name for f in files}
    assert {(i.file, i.severity) for i in notes} == {("table.xlsx", INFO), ("table.2026-12-04.xlsx", INFO)}
    accept(project, "indicator_id,geo,period,value,source_id\nom_upload_cases,الداخلية,2020,3,om_mosd_welfare_2021\n"
           .encode(), "cases.csv", None, NOW)    # the catalogue's other file of the indicator
    result = build(raw, project / "indicators.yaml", tmp_path / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    import duckdb
    con = duckdb.connect(str(tmp_path / "out" / "indicators.duckdb"), read_only=True)
    rows = con.execute("SELECT geo_code, period, value, source_file, source_column || source_row FROM observations "
                       "WHERE indicator_id = 'om_upload_cases' ORDER BY 1, 2").fetchall()
    con.close()
    assert rows == [("OM-DA", "2020", 3.0, "cases.csv", "value2"),
                    ("OM-MA", "2023", 1240.0, "table.2026-12-04-2.xlsx", "B3"),
                    ("OM-MA", "2024", 1250.0, "table.2026-12-04-2.xlsx", "C3"),
                    ("OM-ZU", "2023", 400.0, "table.2026-12-04-2.xlsx", "B4"),
                    ("OM-ZU", "2024", 410.0, "table.2026-12-04-2.xlsx", "C4")]


LONG = "indicator_id,geo,period,value,source_id\n" + "".join(
    f"om_upload_cases,{geo},2024,{value},om_mosd_welfare_2021\n" for geo, value in (("مسقط", 1234), ("ظفار", 400)))


def test_what_an_arabic_office_saves_is_accepted_gridded_and_built(project, tmp_path):
    """A CSV in Windows-1256 named in Arabic, one in UTF-16 and an .ods: each accepted under the
    name the catalogue's `files:` give it, its grid read, and its figures in the database the
    build writes, with the encoding it was read in said."""
    from tests.test_sheets import write_ods
    catalogue = project / "indicators.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        "files: [table.xlsx, cases.csv]", "files: [حالات_الضمان.csv, cases16.csv, table.ods]"), encoding="utf-8")
    cat = load_catalogue(catalogue)
    ods = write_ods(tmp_path / "t.ods", {"جدول 1": ({(1, 1): TITLE, (2, 1): "المحافظة", (2, 2): 2023, (2, 3): 2024,
                                                    (3, 1): "الداخلية", (3, 2): 7, (3, 3): 8, (4, 1): NOTE},
                                                   "visible", [], [], [])}).read_bytes()
    cp1256 = "not UTF-8 text: read as Windows-1256 (Arabic Windows), the encoding it appears to use"
    uploads = [(LONG.encode("cp1256"), "حالات الضمان.csv", None, [cp1256]),
               (LONG.replace("2024", "2023").encode("utf-16"), "cases16.csv", None, []), (ods, "table.ods", RECIPE, [])]
    (tmp_path / "staged").mkdir()
    for data, name, recipe, said in uploads:
        staged = stage(data, name, tmp_path / "staged")
        assert grid(staged, recipe, cat).observations.shape[0] == 2, name
        done = accept(project, data, name, recipe, NOW)
        assert len(done.added) == 2 and [i.message for i in done.issues if i.severity != INFO] == said, done.issues
        assert (project / "data" / "raw" / done.name).read_bytes() == data
    assert {d.name for d in (project / "data" / "raw").iterdir()} >= {"حالات_الضمان.csv", "cases16.csv", "table.ods"}
    result = build(project / "data" / "raw", catalogue, tmp_path / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    assert any(i.file == "حالات_الضمان.csv" and "Windows-1256" in i.message for i in result.issues)
    import duckdb
    con = duckdb.connect(str(tmp_path / "out" / "indicators.duckdb"), read_only=True)
    rows = con.execute("SELECT source_file, geo_code, period, value FROM observations "
                       "WHERE indicator_id = 'om_upload_cases' ORDER BY 1, 2, 3").fetchall()
    con.close()
    assert rows == [("cases16.csv", "OM-MA", "2023", 1234.0), ("cases16.csv", "OM-ZU", "2023", 400.0),
                    ("table.ods", "OM-DA", "2023", 7.0), ("table.ods", "OM-DA", "2024", 8.0),
                    ("حالات_الضمان.csv", "OM-MA", "2024", 1234.0), ("حالات_الضمان.csv", "OM-ZU", "2024", 400.0)]


def test_a_csv_named_xlsx_is_accepted_as_the_csv_it_is(project):
    data = "indicator_id,geo,period,value,source_id\nom_upload_cases,مسقط,2024,1234,om_mosd_welfare_2021\n".encode()
    done = accept(project, data, "cases.xlsx", None, NOW)
    assert done.name == "cases.csv" and done.recipe_path is None and len(done.added) == 1 and not done.issues


@pytest.mark.parametrize("name, written", [
    ("../../etc/passwd", "passwd.csv"),
    ("/etc/cron.d/job", "job.csv"),
    ("C:\\x\\y.xlsx", "y.csv"),
    ("..\\..\\boot.ini", "boot.ini.csv"),
    ("evil.py\x00.csv", "evil.py.csv"),
    ("جدول الحالات.csv", "جدول_الحالات.csv"),             # an Arabic name stays Arabic
    ("مُسقط\u202e.csv", "مسقط.csv"),                       # no short vowel, no bidirectional override
    ("؟؟.csv", None),
    ("..", None),
    (".bashrc", "bashrc.csv"),
    ("cases.2099-01-01.csv", "cases.csv"),     # a client never dates its own version
])
def test_no_path_from_the_client_reaches_the_file_system(project, name, written):
    raw = project / "data" / "raw"
    before = {p for p in project.rglob("*")}
    data = "indicator_id,geo,period,value,source_id\n".encode()
    done = accept(project, data, name, None, NOW)
    assert done.path.parent == raw and done.path.name == done.name
    assert re.fullmatch(r"[^\W_][\w.-]*", done.name) and done.name.isprintable()
    if written:
        assert done.name == written
    else:
        assert re.fullmatch(r"upload-[0-9a-f]{12}\.csv", done.name)
    assert {p for p in project.rglob("*")} - before == {done.path}


def test_safe_names_of_workbooks():
    assert safe_name("om mosd (2024).XLSX", "xlsx", b"") == "om_mosd_2024.xlsx"
    assert safe_name("macro.xlsm", "xlsx", b"") == "macro.xlsm"
    assert safe_name("t.layout.xlsx", "xlsx", b"") == "t.xlsx"            # never a recipe's name
    assert safe_name("a.csv", "xls", b"") == "a.xls"


def test_a_refused_upload_writes_nothing(project):
    before = sorted((project / "data" / "raw").iterdir())
    with pytest.raises(UploadError):
        accept(project, b"MZ" + bytes(100), "table.xlsx", None, NOW)
    with pytest.raises(UploadError) as caught:
        accept(project, "a,b\n1,2\n".encode(), "table.csv", "sheet: x\nindicator: nope\n", NOW)
    assert "the recipe cannot be read" in caught.value.en and caught.value.ar.startswith("الوصفة")
    assert sorted((project / "data" / "raw").iterdir()) == before


def test_stage_writes_only_into_its_own_folder(tmp_path):
    folder = tmp_path / "staged"
    folder.mkdir()
    path = stage("geo,value\n".encode(), "../../x.xlsx", folder)
    assert path == folder / "x.csv" and path.read_bytes() == b"geo,value\n"
    with pytest.raises(UploadError):
        stage(b"\x7fELF" + bytes(30), "x.csv", folder)


def test_versions():
    assert family("table.2026-12-04-2.xlsx") == "table.xlsx" and family("table.2026-13-45.xlsx") == "table.2026-13-45.xlsx"
    day = datetime(2026, 12, 4).date()
    assert next_name("t.xlsx", [], day) == "t.xlsx"
    assert next_name("t.xlsx", ["t.xlsx"], day) == "t.2026-12-04.xlsx"
    assert next_name("t.xlsx", ["t.xlsx", "t.2026-12-04.xlsx"], day) == "t.2026-12-04-2.xlsx"
    assert next_name("t.xlsx", ["t.xlsx", "t.2027-01-01.xlsx"], day) == "t.2027-01-01-2.xlsx"   # a clock set back
    assert next_name("t.xlsx", ["t.csv", "u.xlsx"], day) == "t.xlsx"


# -- what the catalogue lacks ---------------------------------------------------------------------

def test_missing_from_catalogue_names_each_with_its_entry(project, tmp_path):
    cat = load_catalogue(project / "indicators.yaml")
    path = tmp_path / "cases.csv"
    path.write_text("indicator_id,geo,period,sex,unit,value,source_id\n"
                    "om_new_thing,مسقط,2024,,حالة,5,om_mosd_welfare_2021\n"
                    "om_new_thing,مسقط,2024,ذكور,حالة,3,om_mosd_welfare_2021\n"
                    "om_upload_cases,مسقطط,2024,,,9,om_new_source\n"
                    "om_upload_cases,ظفار,2024,خنثى,,9,om_mosd_welfare_2021\n", encoding="utf-8")
    g = grid(path, None, cat)
    gaps = {(x.kind, x.name): x for x in missing_from_catalogue(g.records, cat)}
    assert set(gaps) == {("indicator", "om_new_thing"), ("source", "om_new_source"), ("place", "مسقطط"),
                         ("member", "خنثى")}
    entry = yaml.safe_load(gaps["indicator", "om_new_thing"].yaml)["om_new_thing"]
    assert (entry["country"], entry["files"], entry["unit"], entry["breakdowns"], entry["topic"]) == \
        ("OM", ["cases.csv"], "cases", ["sex"], "REPLACE_ME")
    assert gaps["indicator", "om_new_thing"].cells == ("row 2", "row 3")
    source = yaml.safe_load(gaps["source", "om_new_source"].yaml)["om_new_source"]
    assert source["country"] == "OM" and source["publisher"] == {"ar": "REPLACE_ME", "en": "REPLACE_ME"}
    place = gaps["place", "مسقطط"]
    assert place.section == "geographies.OM.governorates" and yaml.safe_load(place.yaml) == \
        {"REPLACE_ME": {"ar": "مسقطط", "en": "REPLACE_ME"}}
    assert "OM-MA" in place.yaml and "aliases" in place.yaml                  # a spelling of Muscat, perhaps
    assert gaps["member", "خنثى"].section == "dimensions.sex.members"
    assert not missing_from_catalogue(grid(_table(tmp_path / "table.xlsx", BODY[:2]), RECIPE, cat).records, cat)


def test_an_xls_upload_is_staged_and_gridded_as_an_xlsx_is(project, tmp_path):
    """An Excel 97-2003 workbook (written by xlwt), its hidden row marked and left out."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    ws = book.add_sheet("جدول 1")
    for r, row in enumerate([[TITLE], ["المحافظة", 2023, 2024], *BODY[:3], [NOTE]]):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.row(4).hidden = True                  # row 5: الداخلية
    out = io.BytesIO()
    book.save(out)
    folder = tmp_path / "staged"
    folder.mkdir()
    path = stage(out.getvalue(), "جدول.xlsx", folder)          # named .xlsx, an .xls by its content
    assert path.name == "جدول.xls"
    cat = load_catalogue(project / "indicators.yaml")
    s = grid(path, RECIPE, cat).sheet("جدول 1")
    assert (s.cell("B3").role, s.cell("B3").text, s.cell("A4").role) == ("value", "1234", "place")
    assert s.hidden_rows == {5} and s.cell("B5").hidden and s.cell("B5").role == "ignored"
    # Read, but refused: the catalogue's `files:` do not name the file (جدول.xls). The
    # indicator is the recipe's, in no cell, so each figure's cell carries the issue.
    assert s.cell("B3").value is None
    assert [i.message for i in s.cell("C4").issues] == ["indicator is not expected in this file"]


def test_spi_validate_takes_a_new_version_for_the_old(project, tmp_path):
    """A new version checked before it is accepted replaces the old one in the check: its figures
    are not duplicates of the version they supersede."""
    from etl.build import validate_files
    raw = project / "data" / "raw"
    accept(project, _bytes(_table(tmp_path / "v1.xlsx", BODY[:2])), "table.xlsx", RECIPE, NOW)
    (tmp_path / "new").mkdir()
    new = _table(tmp_path / "new" / "table.2026-12-05.xlsx", [["مسقط", 1240, 1250], ["ظفار", 400, 410]])
    shutil.copyfile(raw / "table.layout.yaml", tmp_path / "new" / "table.2026-12-05.layout.yaml")
    cat = load_catalogue(project / "indicators.yaml")
    passed, issues = validate_files([new], cat, raw)
    assert passed == 4 and not [i for i in issues if i.severity != INFO], "\n".join(map(str, issues))


def test_a_hidden_sheet_is_marked_and_never_read(project, tmp_path):
    path = _table(tmp_path / "table.xlsx", BODY[:2])
    wb = openpyxl.load_workbook(path)
    secret = wb.create_sheet("جدول 2")
    secret["B2"], secret["A3"], secret["B3"] = 2022, "مسقط", 999
    secret.sheet_state = "hidden"
    other = wb.create_sheet("فهرس")
    other["A1"] = "فهرس الجداول"
    wb.save(path)
    cat = load_catalogue(project / "indicators.yaml")
    g = grid(path, RECIPE.replace('"جدول 1"', '"جدول *"'), cat)
    hidden, index = g.sheet("جدول 2"), g.sheet("فهرس")
    assert hidden.hidden and not hidden.read and not hidden.cells        # not even shown
    assert not index.read and index.cell("A1").role == "ignored"
    assert g.sheet().name == "جدول 1" and g.sheet().cell("B3").value == 1234.0
    g = grid(path, RECIPE.replace('"جدول 1"', '"جدول *"').replace("hidden: skip", "hidden: read\nevery_sheet: true"), cat)
    assert g.sheet("جدول 2").read and g.sheet("جدول 2").cell("B3").role == "value"
    assert g.sheet("جدول 2").cell("B3").value == 999.0


def test_a_hidden_column_is_marked_and_left_out(project, tmp_path):
    path = _table(tmp_path / "table.xlsx", BODY[:2])
    wb = openpyxl.load_workbook(path)
    wb.active.column_dimensions["C"].hidden = True                 # the year 2024
    wb.save(path)
    g = grid(path, RECIPE, load_catalogue(project / "indicators.yaml"))
    s = g.sheet()
    assert s.hidden_cols == {3} and all(s.cell(f"C{r}").hidden and s.cell(f"C{r}").role == "ignored" for r in (2, 3, 4))
    assert set(g.records["source_column"]) == {"B"} and s.cell("B4").value == 400.0


def test_a_columns_recipe_with_arabic_headings_is_placed_by_its_renames(project, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "الجدول"
    for row in [["جدول الحالات"], [], ["المحافظة", "السنة", "القيمة", "الحالة"], ["مسقط", 2024, 1234, "نهائي"],
                ["مسقطط", 2024, 5, "أولي"]]:
        ws.append(row)
    wb.save(tmp_path / "table.xlsx")
    recipe = ("layout: columns\nsheet: الجدول\nheader_row_has: المحافظة\nheader_within_rows: 5\nfigures: value\n"
              "indicator: om_upload_cases\nsource: om_mosd_welfare_2021\n"
              "rename: {المحافظة: geo, السنة: period, القيمة: value, الحالة: status}\n"
              "statuses: {نهائي: final, أولي: provisional}\n")
    s = grid(tmp_path / "table.xlsx", recipe, load_catalogue(project / "indicators.yaml")).sheet()
    assert [s.cell(f"{c}4").role for c in "ABCD"] == ["place", "period", "value", "status"]
    assert (s.cell("C4").value, s.cell("A1").role, s.cell("C3").role, s.cell("A3").role) == (1234.0, "note", "note",
                                                                                              "place")
    (issue,) = s.cell("A5").issues
    assert "did you mean 'مسقط'" in issue.message and not s.cell("C5").issues and s.cell("C5").value is None
