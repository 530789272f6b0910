"""Load a table from the desk (issue 22): the upload checked, its recipe proposed, the file
accepted into data/raw/ beside its older versions, and what that changes.

The steps, each a function the desk calls (the grid of what every cell became is
etl/upload_grid.py, the catalogue entries a file needs etl/catalogue_gaps.py):

1. `stage(data, original_name, folder)`: the bytes judged before anything reads them
   (etl/upload_checks.py: the kind from the content, the body and zip limits), then written under
   a safe name into a folder of the desk's own (not data/raw/), for the readers.
2. `propose(path, cat)`: the recipe `spi recipe draft` drafts (etl/draft.py), or none when the
   built-in layouts read the file as it is.
3. `accept(project_root, data, original_name, recipe_text, now)`: the file and its recipe written
   into data/raw/. A file is never overwritten: a new version of a file comes beside the old, the
   day in its name, and the build reads only the newest (etl/versions.py says why the new file,
   not the old, takes the date). What changed is the old version's figures against the new's,
   cell by cell.

No path from the client reaches the file system: the client's name is cut to its last component
(after `/` or `\\`), in Unicode's composed form (NFC, so that a name typed twice is one file),
kept only in letters and digits of any script (an Arabic office names its tables in Arabic:
`جدول الحالات.xlsx` stays `جدول_الحالات.xlsx`, a name the catalogue's `files:` can give), `.`, `_`
and `-`; no separator, control or bidirectional override survives, and a mark (a short vowel)
is dropped. Its suffix is the kind its content is, a date it claims removed (only `accept` dates
a version), and a name left empty is a generated one from the file's digest; the folder is always
the server's.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import yaml

from contract.project import Project

from . import messages
from .catalogue import Catalogue, CatalogueError, load_catalogue
from .draft import DraftRefused, builtin_reads, draft
from .extract import extract_file
from .raw_folder import READABLE
from .layouts import SUFFIX, LayoutProblem, read_recipe, recipe_path
from .report import Issue
from .upload_checks import SUFFIXES, UploadError, check_upload
from .validate import validate
from .versions import family, next_name, order

MAX_STEM = 80
_UNSAFE = re.compile(r"[^\w.-]+")     # \w: a letter or digit of any script, or `_`


def safe_name(original_name: str, kind: str, data: bytes) -> str:
    """The file name a client's name becomes (see the module): `C:\\x\\y.xlsx` → `y.xlsx`,
    `../../etc/passwd` (a CSV) → `passwd.csv`, `جدول ٣.xlsx` → `جدول_٣.xlsx`, `؟؟.xlsx` →
    `upload-<digest>.xlsx`."""
    name = unicodedata.normalize("NFC", str(original_name).replace("\x00", ""))
    last = re.split(r"[\\/]", "".join(c for c in name if unicodedata.category(c) != "Mn"))[-1]   # no short vowel
    suffix = next((s for s in SUFFIXES[kind] if last.lower().endswith(s)), SUFFIXES[kind][0])
    claimed = next((s for s in READABLE if last.lower().endswith(s)), "")   # a name's suffix, not the kind
    stem = last[:-len(claimed)] if claimed else last
    stem = _UNSAFE.sub("_", stem).strip("._-")[:MAX_STEM].strip("._-")
    stem = family(stem + suffix)[:-len(suffix)].strip("._-") if stem else stem   # no version claimed
    if stem.lower().endswith(".layout"):             # `x.layout.yaml` is a recipe's name
        stem = stem[:-len(".layout")].strip("._-")
    if not stem:
        stem = "upload-" + hashlib.sha256(data).hexdigest()[:12]
    return stem + suffix


def stage(data: bytes, original_name: str, folder: Path) -> Path:
    """The upload checked (UploadError otherwise) and written into `folder` (the desk's own
    scratch folder: one per upload, so that two clerks' uploads of one name never meet) under
    its safe name, for propose() and the grid; an earlier upload of the same name there is
    replaced (nothing there is published)."""
    kind = check_upload(data)
    path = Path(folder) / safe_name(original_name, kind, data)
    path.write_bytes(data)
    return path


@dataclass
class Proposal:
    """The recipe proposed for an uploaded file: `text` (YAML, with comments saying what each
    key found) and `recipe` (parsed), both None when the built-in layouts read the file as it
    is (`builtin_figures` then says how many figures they read); what the draft could not place
    and its notes for the clerk. `refused`: why nothing could be drafted."""

    text: str | None = None
    recipe: dict | None = None
    builtin_figures: int = 0
    unplaced: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    complete: bool = False
    refused: str | None = None


def propose(path: Path, cat: Catalogue, sheet: str | None = None, indicator: str | None = None,
            source: str | None = None) -> Proposal:
    """What `spi recipe draft` proposes for the file (etl/draft.py, the same drafting); the
    sheet, indicator and source when the clerk names them, as its --sheet, --indicator and
    --source do."""
    found = builtin_reads(path, cat) if sheet is None else 0
    if found:
        return Proposal(builtin_figures=found, complete=True)
    try:
        d = draft(path, cat, sheet, indicator, source)
    except DraftRefused as exc:
        return Proposal(refused=str(exc))
    text = d.text()
    return Proposal(text=text, recipe=yaml.safe_load(text), unplaced=list(d.unplaced), notes=list(d.notes),
                    complete=d.complete)


# -- accepting ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One figure the new version adds, changes or removes: its key (indicator, place, period,
    breakdown members), its value and status before and after, and the cell of each."""

    kind: str                    # "added", "changed" or "removed"
    indicator_id: str
    geo_code: str
    period: str
    breakdown: tuple             # ((dimension, member), …) of the members given
    old_value: float | None = None
    new_value: float | None = None
    old_status: str | None = None
    new_status: str | None = None
    old_cell: str | None = None  # "sheet!B3" (a CSV's cell as "B3")
    new_cell: str | None = None


@dataclass
class Accepted:
    """What accept() wrote and what it changes. `replaces`: the version it supersedes (no longer
    read by a build), or None for a new file; `issues`: what a build would report on the new
    version read alone (its errors stop the build until fixed)."""

    name: str
    path: Path
    recipe_path: Path | None
    replaces: str | None
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def accept(project_root: Path, upload_bytes: bytes, original_name: str, recipe_text: str | None,
           now: datetime) -> Accepted:
    """Write the upload and its recipe (None or "": the built-in layouts read it) into the
    project's data/raw/, never over a file, and say what changed against the version it
    supersedes. UploadError, with nothing written, when the bytes are refused or the recipe
    cannot be read.

    When the file's name is taken, the new version is written beside the old as
    `<stem>.<day of now>[-n]<suffix>` (its recipe `<stem>.<day>[-n].layout.yaml`) and the old
    one stays as it is. The build then reads only the newest version of the file (etl/raw_folder.py
    with etl/versions.py): reading both would give every figure twice, and the old one's figures
    are what the new one replaces. The new file takes the date, not the old: nothing written is
    ever renamed, the catalogue's `files:` (the name without a day) hold for every version, and
    each figure's `source_file` names the version it was read from. A file whose figures fail the
    checks is still written (the issues say why, and the build stops on them until a new version
    or the catalogue fixes them): the desk shows them before the clerk accepts."""
    project = Project(Path(project_root))
    raw = project.raw
    kind = check_upload(upload_bytes)
    wanted = safe_name(original_name, kind, upload_bytes)
    try:
        cat = load_catalogue(project.catalogue)
    except CatalogueError as exc:
        raise UploadError(f"لا يُقرأ فهرس المؤشرات: {messages.text(messages.said(exc), 'ar')}",
                          f"the catalogue cannot be read: {exc}") from None
    given = bool(recipe_text and recipe_text.strip())
    if given:
        _check_recipe(recipe_text, cat)
    raw.mkdir(parents=True, exist_ok=True)
    for _ in range(5):          # another upload of the same file may take the name first: the next one
        existing = sorted(p.name for p in raw.iterdir())
        older = max((n for n in existing if family(n) == wanted), key=order, default=None)
        name = next_name(wanted, existing, now.date())
        path = raw / name
        if path.resolve().parent != raw.resolve():      # never outside data/raw/, whatever the name
            raise UploadError("اسم ملف غير مقبول", "a file name that is not accepted")
        recipe_file = recipe_path(path) if given else None
        if recipe_file is not None and recipe_file.exists():
            raise UploadError(f"توجد وصفة باسم {recipe_file.name} دون ملفها: انقلها أولًا، لم يُكتب شيء",
                              f"a recipe {recipe_file.name} exists without its file: move it aside first; nothing "
                              "written")
        try:
            with open(path, "xb") as f:                  # "x": never over a file, even one just written
                f.write(upload_bytes)
            break
        except FileExistsError:
            continue
    else:
        raise UploadError("تعذرت كتابة الملف: رُفعت نسخ أخرى منه في اللحظة نفسها؛ أعد المحاولة",
                          "the file could not be written: other versions of it were uploaded at the same moment; "
                          "try again")
    if recipe_file is not None:
        try:
            with open(recipe_file, "x", encoding="utf-8") as f:
                f.write(recipe_text)
        except OSError:
            path.unlink()
            raise
    new, issues = _figures(path, cat)
    old, _ = _figures(raw / older, cat) if older else (None, [])
    result = Accepted(name, path, recipe_file, older, issues=issues)
    if old is not None or len(new):
        for change in compare(old, new, cat):
            getattr(result, change.kind).append(change)
    return result


def _check_recipe(text: str, cat: Catalogue) -> None:
    """The recipe read as the build reads it (schema and catalogue), or UploadError."""
    with tempfile.TemporaryDirectory(prefix="spi-recipe-") as tmp:
        where = Path(tmp) / ("recipe" + SUFFIX)
        where.write_text(text, encoding="utf-8")
        try:
            read_recipe(where, cat)
        except LayoutProblem as p:
            en = p.message + (f" (expected {p.expected})" if p.expected else "")
            raise UploadError(f"الوصفة لا تُقرأ: {en}", f"the recipe cannot be read: {en}") from None


def _figures(path: Path, cat: Catalogue) -> tuple[pd.DataFrame, list[Issue]]:
    """The figures a build would take from this one file (with its recipe beside it), and the
    problems it would report on it."""
    records, issues = extract_file(path, cat)
    if records.empty:
        return pd.DataFrame(), issues
    observations, found = validate(records, cat)
    return observations, issues + found


def _cell(rec: dict) -> str:
    sheet = rec.get("source_sheet")
    return f"{sheet}!{rec['source_column']}{rec['source_row']}" if isinstance(sheet, str) else \
        f"{rec['source_column']}{rec['source_row']}"


def compare(old: pd.DataFrame | None, new: pd.DataFrame, cat: Catalogue) -> list[Change]:
    """The figures `new` adds, changes (another value or status) and removes of `old`, keyed
    by indicator, place, period and breakdown; each with its cells."""
    dims = list(cat.dimensions)

    def keyed(frame) -> dict:
        if frame is None or not len(frame):
            return {}
        out = {}
        for rec in frame.to_dict("records"):
            members = tuple((d, rec[d]) for d in dims if d in rec and isinstance(rec[d], str))
            out[(rec["indicator_id"], rec["geo_code"], rec["period"], members)] = rec
        return out
    before, after = keyed(old), keyed(new)
    changes = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(key), after.get(key)
        value = lambda r: None if r is None or pd.isna(r["value"]) else float(r["value"])
        status = lambda r: None if r is None or not isinstance(r["status"], str) else r["status"]
        if a is None:
            kind = "added"
        elif b is None:
            kind = "removed"
        elif value(a) != value(b) or status(a) != status(b):
            kind = "changed"
        else:
            continue
        changes.append(Change(kind, *key, old_value=value(a), new_value=value(b), old_status=status(a),
                              new_status=status(b), old_cell=_cell(a) if a else None, new_cell=_cell(b) if b else None))
    return changes


__all__ = ["Accepted", "Change", "Proposal", "UploadError", "accept", "compare", "propose", "safe_name", "stage"]
