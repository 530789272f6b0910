"""The raw folder, read whole and only itself.

Every file a ministry's statistics unit puts in data/raw/ either is read (a data file, or the
layout recipe of one) or is named in the report: nothing there is skipped without a word, and
nothing outside it is read. So:
- a data file (.csv, .xlsx, .xlsm, .xls, .ods) is read, in a stable order (by name); so is
  anything else of such a name (a folder x.csv, a link to nothing), which the reader refuses;
- its recipe, `<stem>.layout.yaml`, is not a data file; a recipe with no data file of its stem
  is a warning (it is not used: a file renamed, or a recipe misspelt);
- any other file (a .pdf, a .docx, notes) and any sub-folder is a warning: not read;
- a symbolic link whose target lies outside data/raw/ is an error: a build reads the folder that
  is committed, never a file elsewhere on one machine (a link to another file of the folder is
  allowed, and judged as that file is);
- of the versions of a file (`x.xlsx`, `x.2026-12-04.xlsx`: a file is never overwritten, a new
  version comes beside it, etl/versions.py), only the newest is read; each older one is kept and
  named in an INFO line (nothing to act on), its recipe with it;
- what editors leave while a file is open (`~$x.xlsx`, LibreOffice's `.~lock.x#`) and dot-files
  (`.gitkeep`, `.DS_Store`) are skipped silently.
"""
from __future__ import annotations

import os
from pathlib import Path

from .layouts import SUFFIX as RECIPE_SUFFIX
from .messages import Both, Text, isolate
from .report import INFO, WARNING, Issue
from .versions import newest

READABLE = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")


def _listing(readable) -> str:
    """'.csv, .xlsx, .xls and .ods'."""
    names = list(dict.fromkeys(s.lower() for s in readable))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _ignored(name: str) -> bool:
    """Editors' lock files and dot-files, never a ministry's figures."""
    return name.startswith((".", "~$"))


def _outside(link: Path, root: Path) -> Path | None:
    """Where a symbolic link points when that is outside `root` (resolved), else None."""
    target = Path(os.path.realpath(link))
    try:
        target.relative_to(root)
    except ValueError:
        return target
    return None


def source_files(raw_dir: Path, readable=READABLE) -> tuple[list[Path], list[Issue]]:
    """The data files of the raw folder to read (sorted by name; of a file's versions, the
    newest), and a report line for every other entry of the folder that is not read: an older
    version of a file (INFO), a file of another kind or a sub-folder (a warning), a recipe
    without its data file (a warning), a link to outside the folder (an error: refused). Lock
    files and dot-files are skipped silently."""
    raw_dir = Path(raw_dir)
    root = Path(os.path.realpath(raw_dir))
    suffixes = {s.lower() for s in readable}
    kinds = list(dict.fromkeys(s.lower() for s in readable))
    what_is_read = Text("raw.what_is_read", kinds=Both(" و".join(map(isolate, kinds)), _listing(readable)),
                        suffix=RECIPE_SUFFIX)
    files: list[Path] = []
    recipes: list[Path] = []
    issues: list[Issue] = []
    for entry in sorted(raw_dir.iterdir(), key=lambda p: p.name):
        name = entry.name
        if _ignored(name):
            continue
        if entry.is_symlink():
            target = _outside(entry, root)
            if target is not None:
                issues.append(Issue(name, Text("raw.outside_link", target=str(target)), Text("raw.copy_in")))
                continue
        if name.endswith(RECIPE_SUFFIX):
            recipes.append(entry)
        elif entry.suffix.lower() in suffixes:
            # Read as its name says: a folder named x.csv, a link to nothing, is the reader's
            # error about that file, not a name passed over.
            files.append(entry)
        elif entry.is_dir():
            issues.append(Issue(name, Text("raw.folder", what=what_is_read), Text("raw.folder_expected"),
                                severity=WARNING))
        else:
            issues.append(Issue(name, Text("raw.not_read", what=what_is_read), Text("raw.not_read_expected"),
                                severity=WARNING))
    stems = {f.stem for f in files}
    files, older = newest(files)
    for old, new in older:
        issues.append(Issue(old.name, Text("raw.older_version", newer=new.name), severity=INFO))
    for recipe in recipes:
        stem = recipe.name[:-len(RECIPE_SUFFIX)]
        if stem not in stems:
            issues.append(Issue(recipe.name, Text("raw.lone_recipe", stem=stem),
                                Text("raw.lone_recipe_expected", stem=stem, kinds=Both(
                                    " أو ".join(map(isolate, kinds)), _listing(readable).replace(' and ', ' or '))),
                                severity=WARNING))
    return files, issues
