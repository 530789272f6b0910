"""An uploaded file judged by its bytes before anything reads it: its kind and its size.

A file's name is the client's word; its content is the fact. So the kind is read from the bytes
(`sniff`): an .xlsx is a zip that holds `[Content_Types].xml` and `xl/workbook.xml`, an .ods a
zip whose `mimetype` is an OpenDocument spreadsheet's, an .xls an OLE2 compound file with a
`Workbook` stream, a CSV text the build reads (etl/extract.py decode_csv: UTF-8, UTF-16 with its
byte-order mark, or Arabic text in Windows-1256, the "CSV" of an Arabic office's Excel) with no
control character a text holds none of. The upload accepts exactly what the build reads, no
more and no less. A CSV named .xlsx is read as the CSV it is; a program named .xlsx is refused.
Everything else is refused with a sentence in Arabic and in English saying what was found and
what is accepted.

A workbook is a zip, and a zip may expand a thousandfold (a "zip bomb"): 1 MB of deflated zeros
is 1 GB of XML for the readers. So the limits are checked before anything is expanded: the body's
size (MAX_UPLOAD_BYTES); then, from the zip's central directory alone (its entry count from the
end record, then zipfile's infolist, which decompresses nothing), the number of entries
(MAX_ENTRIES), the total size the entries declare (MAX_UNCOMPRESSED) and each large member's
ratio of declared to compressed size (MAX_RATIO: deflate cannot exceed about 1032:1, and a
sheet's XML is rarely above 100:1). A declared size can lie, so each member is then read once in
chunks through zipfile, which never gives more than the declared size and checks the CRC at its
end: a member that expands beyond what it declares is stopped there, and refused. Only then do
the spreadsheet readers (calamine, openpyxl) see the file.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import xlrd

from .extract import FileProblem, decode_csv

MAX_UPLOAD_BYTES = 20 * 1024 * 1024          # the body of one upload
MAX_ENTRIES = 2_000                          # a workbook holds tens of parts, a large one hundreds
MAX_UNCOMPRESSED = 200 * 1024 * 1024         # what the entries declare, together
MAX_RATIO = 200                              # declared / compressed, for a member over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024                    # a small member's ratio is harmless
ACCEPTED = {"ar": "مصنف Excel ‏(.xlsx أو .xls) أو جدول OpenDocument ‏(.ods) أو ملف CSV "
                  "(بترميز UTF-8 أو UTF-16 أو Windows-1256)",
            "en": "an Excel workbook (.xlsx or .xls), an OpenDocument spreadsheet (.ods) or a CSV file "
                  "(in UTF-8, UTF-16 or Windows-1256)"}
SUFFIXES = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",), "csv": (".csv",)}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR, _ZIP64_EOCD = b"PK\x06\x07", b"PK\x06\x06"
_CHUNK = 1 << 20
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")   # no text holds these; tab, line ends and form feed aside


class UploadError(ValueError):
    """An upload refused, said in Arabic (`ar`) and English (`en`); str() is the English."""

    def __init__(self, ar: str, en: str):
        super().__init__(en)
        self.ar, self.en = ar, en

    def text(self, lang: str) -> str:
        return self.ar if lang == "ar" else self.en


def _refused(found_ar: str, found_en: str) -> UploadError:
    return UploadError(f"رُفض الملف: {found_ar}؛ المقبول {ACCEPTED['ar']}",
                       f"file refused: {found_en}; accepted: {ACCEPTED['en']}")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def check_upload(data: bytes) -> str:
    """The kind of an uploaded file ("xlsx", "xls", "ods" or "csv") once every limit is checked;
    UploadError when it is too large, of another kind, or a zip beyond the limits."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"رُفض الملف: حجمه {_size(len(data))}، والحد {_size(MAX_UPLOAD_BYTES)}",
                          f"file refused: it is {_size(len(data))}, above the limit of {_size(MAX_UPLOAD_BYTES)}")
    kind = sniff(data)
    if kind in ("xlsx", "ods"):
        check_zip(data)
    return kind


def sniff(data: bytes) -> str:
    """The file's kind read from its content, not its name: "xlsx", "xls", "ods" or "csv";
    UploadError naming what was found otherwise. A zip's names are read from its central
    directory only."""
    if not data:
        raise _refused("الملف فارغ (0 بايت)", "the file is empty (0 bytes)")
    if data.startswith(b"PK"):
        return _zip_kind(data)
    if data.startswith(_OLE):
        return _ole_kind(data)
    if b"\x00" in data and not data.startswith(_UTF16):
        raise _refused(_what_ar(data), _what_en(data))
    try:
        text, _ = decode_csv(data)
    except FileProblem as exc:
        raise _refused(exc.message.render("ar"), str(exc.message)) from None
    if _CONTROL.search(text):
        raise _refused("ملف ثنائي (فيه رموز تحكم لا يحملها نص)، لا مصنف ولا نص",
                       "a binary file (it holds control characters no text holds), neither a workbook nor text")
    return "csv"


def _what_en(data: bytes) -> str:
    """What a refused binary file appears to be, in English."""
    for magic, name in ((b"MZ", "a Windows program (.exe)"), (b"%PDF", "a PDF document"), (b"\x7fELF", "a program"),
                        (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"\x1f\x8b", "a gzip file")):
        if data.startswith(magic):
            return name
    return "a binary file (it holds NUL bytes), neither a workbook nor text"


def _what_ar(data: bytes) -> str:
    names = {"a Windows program (.exe)": "برنامج ويندوز (.exe)", "a PDF document": "مستند PDF", "a program": "برنامج",
             "a PNG image": "صورة PNG", "a JPEG image": "صورة JPEG", "a gzip file": "ملف gzip مضغوط"}
    return names.get(_what_en(data), "ملف ثنائي (فيه بايتات صفرية)، لا مصنف ولا نص")


def _zip_kind(data: bytes) -> str:
    count = _declared_entries(data)
    if count is not None and count > MAX_ENTRIES:
        raise _too_many(count)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as exc:
        raise _refused(f"ملف zip تالف ({type(exc).__name__})", f"a damaged zip file ({type(exc).__name__})") from None
    if len(names) > MAX_ENTRIES:
        raise _too_many(len(names))
    if {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return _ods_kind(data)
    raise _refused("ملف zip ليس مصنف Excel (لا [Content_Types].xml ولا xl/workbook.xml فيه)",
                   "a zip file that is not an Excel workbook (no [Content_Types].xml and xl/workbook.xml in it)")


def _ods_kind(data: bytes) -> str:
    """An OpenDocument file is a spreadsheet when its `mimetype` says so; a text document or a
    presentation (the same zip) is refused naming what it is."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("mimetype")
        if info.file_size > 200:
            raise _refused("ملف OpenDocument نوعه غير مقروء", "an OpenDocument file whose mimetype cannot be read")
        mimetype = z.read(info).strip()
    if mimetype == ODS_MIMETYPE:
        return "ods"
    shown = mimetype.decode("ascii", "replace")[:80]
    raise _refused(f"ملف OpenDocument ليس جدولًا ({shown})", f"an OpenDocument file that is not a spreadsheet ({shown})")


def _declared_entries(data: bytes) -> int | None:
    """The entry count the zip's end record declares (read before the central directory is
    parsed, so that 100,000 entries cost nothing), or zip64's when it is beyond 65,535; None
    when there is none."""
    at = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    total = struct.unpack_from("<H", data, at + 10)[0]
    if total != 0xFFFF:
        return total
    locator = at - 20
    if locator < 0 or data[locator:locator + 4] != _ZIP64_LOCATOR:
        return None
    record = struct.unpack_from("<Q", data, locator + 8)[0]
    if data[record:record + 4] != _ZIP64_EOCD or record + 40 > len(data):
        return None
    return struct.unpack_from("<Q", data, record + 32)[0]


def _too_many(count: int) -> UploadError:
    return UploadError(f"رُفض الملف: فيه {count:,} جزءًا مضغوطًا، والحد {MAX_ENTRIES:,} (مصنف حقيقي فيه عشرات)",
                       f"file refused: the zip holds {count:,} entries, above the limit of {MAX_ENTRIES:,} "
                       "(a real workbook holds tens)")


def _ole_kind(data: bytes) -> str:
    try:
        streams = {d.name for d in xlrd.compdoc.CompDoc(data, logfile=io.StringIO()).dirlist}
    except Exception as exc:                              # noqa: BLE001 - any fault: not a compound file we read
        raise _refused(f"ملف OLE تالف ({type(exc).__name__})", f"a damaged OLE compound file ({type(exc).__name__})") \
            from None
    if {"EncryptionInfo", "EncryptedPackage"} & streams:
        raise _refused("مصنف محمي بكلمة مرور؛ احفظه دون كلمة مرور", "a workbook with a password to open; save it without one")
    if "Workbook" in streams:
        return "xls"
    if "Book" in streams:
        raise _refused("مصنف Excel 5.0/95 أو أقدم؛ احفظه بصيغة .xlsx", "an Excel 5.0/95 (or older) workbook; save it as .xlsx")
    raise _refused("ملف OLE (مثل مستند Word قديم) لا مصنف فيه", "an OLE compound file (such as an old Word document) with "
                   "no workbook in it")


def check_zip(data: bytes) -> None:
    """The limits of a workbook's zip, from its central directory (nothing expanded); then each
    member read in chunks, never beyond its declared size, its CRC checked (see the module)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _refused(f"ملف zip تالف ({type(exc).__name__})", f"a damaged zip file ({type(exc).__name__})") from None
    with z:
        infos = z.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _too_many(len(infos))
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise UploadError(f"رُفض الملف: يتمدد إلى {_size(total)} عند فك ضغطه، والحد {_size(MAX_UNCOMPRESSED)}",
                              f"file refused: it expands to {_size(total)} uncompressed, above the limit of "
                              f"{_size(MAX_UNCOMPRESSED)}")
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise UploadError(f"رُفض الملف: الجزء {info.filename} يتمدد {ratio:,.0f} ضعفًا، والحد {MAX_RATIO}",
                                  f"file refused: its part {info.filename} expands {ratio:,.0f} times, above the limit "
                                  f"of {MAX_RATIO} (a zip bomb, not a workbook)")
        for info in infos:
            _read_bounded(z, info)


def _read_bounded(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read one member through zipfile, which stops at its declared size and checks its CRC."""
    try:
        with z.open(info) as f:
            while f.read(_CHUNK):
                pass
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise UploadError(f"رُفض الملف: الجزء {info.filename} لا يطابق حجمه المعلن أو تالف ({exc})",
                          f"file refused: its part {info.filename} does not match its declared size or is damaged "
                          f"({exc})") from None
