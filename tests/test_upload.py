"""Loading a table in the desk (etl/upload.py): the kind read from the bytes, the limits checked
before anything is expanded, the recipe proposed, the sheet as a grid of what every cell became,
and the file accepted into data/raw/ beside its older versions.

Every workbook is generated in a temp folder; the zip bombs are real zips (a gigabyte of zeros
deflated to a megabyte, a hundred thousand entries, a member that lies about its size), and each
is refused quickly, in little memory, before any reader expands it."""
from __future__ import annotations

import io
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
    ("المحافظة,القيمة\nمسقط,1\n".encode("cp1256"), "not UTF-8"),
    (b"geo,value\nx,\x001\n", "NUL"),
])
def test_anything_else_is_refused_naming_what_was_found(data, found):
    error = _refused(data, found, "accepted: an Excel workbook (.xlsx or .xls) or a CSV file in UTF-8")
    assert "المقبول" in error.ar


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    _refused(out.getvalue(), "OpenDocument")
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
