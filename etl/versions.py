"""Versions of a data file in data/raw/: a file is never overwritten, and a build reads the newest.

When a table comes again (next month's yearbook sheet, a corrected file), the new version is
written beside the old under the old name with the day it was accepted: `om_mosd_national.xlsx`,
then `om_mosd_national.2026-12-04.xlsx`, then `om_mosd_national.2026-12-04-2.xlsx` if another
comes the same day; its recipe is beside it as every recipe is (`<stem>.layout.yaml`). Why the new
name for the new file, rather than the old file moved aside: nothing already written is ever
renamed or changed, so data/raw/ only grows, each version's bytes stay at the name under which
they were first read (what a git history and the published provenance `source_file` name), and a
reader never finds a file half replaced.

All versions of a file are one *family*, named by the file without its date: the catalogue's
`files:` name the family (`om_mosd_national.xlsx`), so the catalogue does not change when a
version comes. The raw folder (etl/raw_folder.py) reads only the newest of each family: the
latest date, the highest number on a day, a name without a date being the oldest. The others
are kept, and said in the build's report as not read; two versions are never read together,
which would give every figure twice.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

_TAG = re.compile(r"^(?P<stem>.+)\.(?P<day>\d{4}-\d{2}-\d{2})(?:-(?P<n>[2-9]|[1-9]\d+))?$")


def _parts(name: str) -> tuple[str, date | None, int]:
    """(the family's stem, the version's day or None, its number that day) of a file name."""
    path = Path(name)
    stem, suffix = (path.name[:-len(path.suffix)] if path.suffix else path.name), path.suffix
    m = _TAG.match(stem)
    if m:
        try:
            return m["stem"] + suffix, date.fromisoformat(m["day"]), int(m["n"] or 1)
        except ValueError:          # 2026-13-45 is no day: a name like any other
            pass
    return path.name, None, 0


def family(name: str) -> str:
    """The name the versions of a file share: `x.2026-12-04-2.xlsx` → `x.xlsx`."""
    return _parts(name)[0]


def order(name: str) -> tuple:
    """A key sorting a family's versions oldest first (the undated name before any dated one)."""
    _, day, n = _parts(name)
    return (day is not None, day or date.min, n)


def newest(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """The newest version of each family among `paths`, in their order, and each older one with
    the version that supersedes it."""
    latest: dict[str, Path] = {}
    for p in paths:
        key = family(p.name)
        if key not in latest or order(p.name) > order(latest[key].name):
            latest[key] = p
    kept = [p for p in paths if latest[family(p.name)] is p]
    older = [(p, latest[family(p.name)]) for p in paths if latest[family(p.name)] is not p]
    return kept, older


def next_name(name: str, existing: list[str], today: date) -> str:
    """The name under which a new version of `name` (a family name, never dated by the client)
    is written: `name` itself if no version of it exists, else `<stem>.<today>[-n]<suffix>`,
    always newer than every existing version (a clock set back still gives the newest)."""
    versions = [e for e in existing if family(e) == name]
    if not versions:
        return name
    _, day, n = _parts(max(versions, key=order))
    stem, suffix = name[:-len(Path(name).suffix)] if Path(name).suffix else name, Path(name).suffix
    if day is None or today > day:
        return f"{stem}.{today.isoformat()}{suffix}"
    return f"{stem}.{day.isoformat()}-{n + 1}{suffix}"
