"""The build: read every source file, check it against the catalogue, publish.

Three steps, as in Our World in Data's ETL: load inputs (catalogue and raw files),
process (normalise and validate), save outputs (database and exports). Nothing is
written unless every check passes.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from contract.manifest import CATALOGUE
from contract.project import default as default_project

from . import announcements
from .catalogue import Catalogue, CatalogueError, load_catalogue
from .extract import extract_file
from .layouts import recipe_path
from .load import write_outputs
from .messages import Text, said
from .raw_folder import source_files
from .release import SERVED, ReleaseError, build_served, check_served, checked_history
from .report import ERROR, WARNING, Issue, errors
from .transaction import Transaction, checkpoint
from .validate import as_categories, concat_records, coverage_warnings, plausibility_warnings, validate
from .versions import family

# The library's defaults: the project's (contract/project.py: $SPI_PROJECT, else the first folder
# from the current one upward with an indicators.yaml), as it is when this module is imported.
# `spi` passes every path itself, from --project or the folder it runs in.
PROJECT = default_project()
DEFAULT_RAW = PROJECT.raw
DEFAULT_CATALOGUE = PROJECT.catalogue
DEFAULT_OUT = PROJECT.processed
CODE = Path(__file__).resolve().parent.parent   # the folder of the packages etl/ and contract/ (a checkout, or site-packages)


@dataclass
class BuildResult:
    issues: list[Issue] = field(default_factory=list)
    files: int = 0
    indicators: int = 0
    observations: int = 0
    database: Path | None = None
    released: list[str] = field(default_factory=list)   # the served databases (re)written
    seconds: float = 0.0
    partial: bool = False    # failed after the change was decided: the next build completes it

    @property
    def ok(self) -> bool:
        return not errors(self.issues)

    @property
    def warnings(self) -> list[Issue]:
        """The issues that ask for a check: not the errors, nor the INFO lines (what the
        catalogue declares, such as an indicator announced with no figures yet)."""
        return [i for i in self.issues if i.severity == WARNING]


def check_files(paths: list[Path], cat: Catalogue, progress: Callable[[str], None] = lambda _: None):
    """Extract and validate files; return (observations, issues)."""
    frames, issues = [], []
    for path in paths:
        records, found = extract_file(path, cat)
        progress(Text("build.read", file=path.name, n=len(records),
                      problems=Text("build.read_problems", n=len(found)) if found else ""))
        frames.append(as_categories(records))   # a million rows of few distinct texts: small codes
        issues += found
    records = concat_records(frames) if frames else pd.DataFrame()
    del frames
    observations, found = validate(records, cat) if not records.empty else (pd.DataFrame(), [])
    return observations, issues + found + plausibility_warnings(observations, cat)


def validate_files(files: list[Path], cat: Catalogue, raw_dir: Path = DEFAULT_RAW,
                   progress: Callable[[str], None] = lambda _: None) -> tuple[int, list[Issue]]:
    """Check new files as the build would, together with the rest of the raw folder (the
    files of the same names replaced by them): a figure another file already gives is a
    duplicate now, not at the next build. Returns the number of the files' figures that pass
    and the problems found in the files (the other files' own problems are the build's)."""
    given = {Path(f).name: Path(f) for f in files}
    present, folder = source_files(raw_dir) if Path(raw_dir).is_dir() else ([], [])
    replaced = {family(name) for name in given}       # a new version replaces the newest of its file
    others = [p for p in present if family(p.name) not in replaced]
    observations, issues = check_files([*others, *given.values()], cat, progress)
    passed = int(observations["source_file"].isin(list(given)).sum()) if len(observations) else 0
    # What the raw folder holds that is not read (etl/raw_folder.py) is said too, as the build
    # will say it (a warning that a file given here is not read is its own error below).
    folder = [i for i in folder if i.severity == ERROR or i.file not in given]
    return passed, folder + [i for i in issues if i.file in given]


def _calendar_changes(cat: Catalogue, releases_dir: Path, hist) -> list[Issue]:
    """The calendar's changes since the latest release that are not recorded (etl/announcements.py):
    what the public saw announced is never changed unseen."""
    latest = hist.latest()
    if latest is None:
        return []
    try:
        released = load_catalogue(Path(releases_dir) / latest.release_id / CATALOGUE).calendar
    except CatalogueError as exc:   # a release's catalogue checked by the rules of today (it was, when made)
        return [Issue(cat.path.name, Text("build.calendar_uncompared", release=latest.release_id, why=said(exc)),
                      severity=WARNING)]
    today = datetime.now(ZoneInfo(cat.site["timezone"])).date()
    return [Issue(cat.path.name, Text("build.catalogue", message=message), Text("build.calendar_expected"))
            for message in announcements.unrecorded(released, cat.calendar, latest.release_id, today)]


def build(raw_dir: Path = DEFAULT_RAW, catalogue: Path = DEFAULT_CATALOGUE, out_dir: Path = DEFAULT_OUT,
          progress: Callable[[str], None] = lambda _: None, releases_dir: Path | None = None) -> BuildResult:
    """Build the candidate database from a raw folder and, with `releases_dir` (`spi build`
    gives data/releases/), the database the site serves for each release (etl/release.py).
    One transaction (etl/transaction.py): every input and the whole history are checked before
    anything is written, and the outputs are swapped in together; on any error nothing changes."""
    started = time.perf_counter()
    result = BuildResult()
    # Load inputs.
    try:
        cat = load_catalogue(catalogue)
    except CatalogueError as exc:
        # The message already starts with the file's name; the report line adds it too.
        message = said(exc)
        message = (message.fields["problem"] if isinstance(message, Text) else
                   message.removeprefix(f"{Path(catalogue).name}: "))
        result.issues.append(Issue(Path(catalogue).name, Text("build.catalogue", message=message)))
        return result
    progress(Text("build.catalogue_read", file=Path(catalogue).name, indicators=len(cat.indicators),
                  sources=len(cat.sources)))
    raw_dir = Path(raw_dir)
    # The raw folder read whole and only itself (etl/raw_folder.py): what is not read is said,
    # and a link to a file outside it is an error, which stops the build below as any error does.
    paths, folder = source_files(raw_dir) if raw_dir.is_dir() else ([], [])
    result.issues += folder
    if not paths:
        result.issues.append(Issue(str(raw_dir), Text("build.no_files"), Text("build.raw_folder")))
        return result
    result.files = len(paths)
    refused = {i.file for i in errors(folder)}   # in the folder, but refused: not "missing" too
    result.issues += missing_files(cat, paths, refused)
    # Process.
    observations, issues = check_files(paths, cat, progress)
    result.issues += issues
    if not result.ok:
        return result
    result.issues += coverage_warnings(observations, cat)
    result.observations = len(observations)
    result.indicators = observations["indicator_id"].nunique()
    hist = None
    if releases_dir is not None:
        try:
            if Path(releases_dir).is_dir():   # a release interrupted after it was decided is completed first
                with Transaction(releases_dir, "release", progress):
                    pass
            hist = checked_history(releases_dir, cat)
            check_served(hist, Path(out_dir) / SERVED)
        except ReleaseError as exc:
            result.issues.append(Issue(str(releases_dir), Text("build.releases", why=said(exc)),
                                       Text("build.as_release_wrote")))
            return result
        result.issues += _calendar_changes(cat, releases_dir, hist)
        if not result.ok:
            return result
    # Save outputs.
    tx = None
    try:
        with Transaction(out_dir, "build", progress) as tx:
            progress(Text("build.writing", n=result.observations))
            result.database = write_outputs(observations, cat, out_dir, _build_info(paths, Path(catalogue)), tx)
            checkpoint("build:candidate")
            if hist is not None:
                result.released = build_served(releases_dir, out_dir, tx, hist, progress)
            tx.commit()
    except (OSError, duckdb.Error, ReleaseError, CatalogueError) as exc:
        result.partial = tx is not None and tx.committed
        result.issues.append(Issue(*failure(exc, out_dir)))
        result.database = None
    result.seconds = time.perf_counter() - started
    return result


def failure(exc: BaseException, where: Path) -> tuple[str, Text]:
    """A write that failed, as a report line: (the path, what happened). An operating system's
    error names its file; DuckDB's says what it could not do."""
    if isinstance(exc, OSError) and exc.filename:
        return str(exc.filename), Text("build.cannot_write", why=str(exc.strerror or exc))
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return str(where), Text("build.cannot_write", why=text[:300])


def missing_files(cat: Catalogue, paths: list[Path], refused: set[str] = frozenset()) -> list[Issue]:
    """A data file the catalogue names that is not in the raw folder: an error, since every
    figure of it would vanish from the build without a word. `refused`: names the raw folder
    holds but does not read (a link to outside it), reported already."""
    present = {family(p.name) for p in paths} | {family(name) for name in refused}
    named: dict[str, list[str]] = {}
    for key, ind in cat.indicators.items():
        for name in ind["files"]:
            named.setdefault(name, []).append(key)
    return [Issue(cat.path.name, Text("build.missing_file", indicators=keys[:3], more=" …" if len(keys) > 3 else ""),
                  Text("build.file_expected"),
                  column="files", value=name)
            for name, keys in named.items() if name not in present]


def _build_info(paths: list[Path], catalogue: Path) -> dict:
    """Identify the build by the bytes that went into it: catalogue, source files and their
    layout recipes, and the code that read and wrote them (etl/ with its recipes and schemas,
    and contract/). Readers key caches and ETags on it, so equal inputs may share cached
    answers while any change to inputs or code invalidates them (a recipe read otherwise gives
    other figures from the same file)."""
    digest = hashlib.sha256(catalogue.read_bytes())
    software = [*Path(__file__).parent.glob("*.py"), *Path(__file__).parent.glob("*/*.yaml"),
                *Path(__file__).parent.glob("*/*.json"), *(CODE / "contract").glob("*.py")]
    for code in sorted(software):
        digest.update(code.read_bytes())
    files = {}
    for path in [*paths, *(r for r in map(recipe_path, paths) if r.is_file())]:
        data = path.read_bytes()
        files[path.name] = hashlib.sha256(data).hexdigest()
        digest.update(path.name.encode() + data)
    return {"build_id": digest.hexdigest()[:16], "built_at": datetime.now(timezone.utc).replace(tzinfo=None),
            "catalogue_sha256": hashlib.sha256(catalogue.read_bytes()).hexdigest(), "files": files}
