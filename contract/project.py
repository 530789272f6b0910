"""Where a project's files are: the statistics a `spi` command works on, not the software.

A **project** is a folder holding the catalogue, `indicators.yaml`, with its source files in
`data/raw/`, its releases in `data/releases/` and its map boundaries in `data/geo/`; `spi
build` writes into its `data/processed/`. A ministry keeps one in a repository of its own; the
root of the software's repository is one too (the demonstration). `spi` finds it as git finds
`.git`: `--project DIR`, else the environment variable SPI_PROJECT, else the first folder from
the current one upward that holds an `indicators.yaml`.

Everything the software reads of its own (schemas, layout recipes, nginx templates, the
dashboard's assets) is found beside its modules, never here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .schema import DB_NAME

CATALOGUE = "indicators.yaml"
ENV = "SPI_PROJECT"


class NoProject(LookupError):
    """No project where one was looked for; the message says what to do, in one sentence."""


@dataclass(frozen=True)
class Project:
    """A project folder and where each of its files is."""

    root: Path

    @property
    def catalogue(self) -> Path:
        return self.root / CATALOGUE

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        """What `spi build` writes (git-ignored): the candidate, the served databases, and
        this machine's audit log and reviewers' state."""
        return self.root / "data" / "processed"

    @property
    def releases(self) -> Path:
        return self.root / "data" / "releases"

    @property
    def geo(self) -> Path:
        return self.root / "data" / "geo"

    @property
    def served(self) -> Path:
        """The releases folder the site serves, written by `spi build` from data/releases/."""
        return self.processed / "releases"

    @property
    def candidate(self) -> Path:
        """The database of the last build, not yet released."""
        return self.processed / DB_NAME

    @property
    def audit_log(self) -> Path:
        return self.processed / "audit.log"

    @property
    def state(self) -> Path:
        """The reviewers' sessions and sign-in counts on this machine (SQLite)."""
        return self.processed / "reviewers.sqlite"


def _at(folder: str | Path) -> Project:
    return Project(Path(folder).expanduser().resolve())


def find(start: str | Path | None = None) -> Project | None:
    """The first folder from `start` (default: the current folder) upward that holds an
    indicators.yaml, or None."""
    here = _at(start if start is not None else Path.cwd()).root
    for folder in (here, *here.parents):
        if (folder / CATALOGUE).is_file():
            return Project(folder)
    return None


def locate(given: str | Path | None = None, environ: dict | None = None) -> Project:
    """The project a command works on: `given` (--project), else $SPI_PROJECT, else found
    from the current folder upward; NoProject with what to do when there is none."""
    environ = os.environ if environ is None else environ
    named = given if given is not None and str(given).strip() else environ.get(ENV, "").strip() or None
    if named is not None:
        project = _at(named)
        if not project.catalogue.is_file():
            how = "--project" if given is not None and str(given).strip() else ENV
            raise NoProject(f"no {CATALOGUE} in {project.root} (given by {how}); run `spi init {named}` to start a "
                            "project there, or name a project's folder")
        return project
    found = find()
    if found is None:
        raise NoProject(f"no {CATALOGUE} in this folder or above it ({Path.cwd()}); run `spi init DIR` to start a "
                        "project, or pass --project DIR")
    return found


def default() -> Project:
    """The project of the library's defaults (the store's database, the map files, the audit
    log): $SPI_PROJECT, else found from the current folder upward, else the current folder
    itself (whose data/ is then simply missing). Never raises."""
    named = os.environ.get(ENV, "").strip()
    if named:
        return _at(named)
    return find() or _at(Path.cwd())
