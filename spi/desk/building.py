"""A build of the candidate started from the desk: `spi build` (etl/build.py build), run in
the background (spi/desk/jobs.py) so that the page answers at once, one at a time on the
machine: two would swap the candidate under each other. A build whose process died is
"stopped": the candidate is the one before."""
from __future__ import annotations

from contract.project import Project
from etl.build import build
from etl import messages
from etl.messages import LANGS, isolate, said
from etl.raw_folder import READABLE
from etl.report import ERROR, INFO

from .jobs import Job, add_line
from .page import text


def _failed(state: dict, exc: Exception) -> None:
    """The build itself stopped on a fault (a disk full, a file it may not read): said in each
    language, the fault as the server says it (a message of the catalogue in the page's language)."""
    fault = said(exc)
    line = {lang: text("build_fault", lang, fault=(isolate if lang == "ar" else str)(
                f"{type(exc).__name__}: {messages.text(fault, lang)}")) for lang in LANGS}
    state.update(ok=False, problems=[line], errors=1, done_steps=state["steps"])


JOB = Job("desk-build", _failed)


def status(project: Project) -> dict | None:
    """The last build's status: state (running, done, stopped), who started it, its progress
    lines and fraction; when done, whether it passed and its problems (a line or a problem is
    {lang: text} in each language, or English alone: a failure of the build itself). None before any."""
    return JOB.status(project)


def start(project: Project, by: str) -> bool:
    """Start a build in the background; False when one is running already."""
    files = sum(1 for p in project.raw.rglob("*") if p.is_file() and p.suffix.lower() in READABLE)
    state = {"by": by, "lines": [], "steps": files + 3, "done_steps": 0}
    return JOB.start(project, state, lambda state, save: _build(project, state, save))


def _build(project: Project, state: dict, save) -> None:
    def progress(line: str) -> None:
        add_line(state, line)
        state["done_steps"] = min(state["steps"] - 1, state["done_steps"] + 1)
        save()

    result = build(project.raw, project.catalogue, project.processed, progress=progress, releases_dir=project.releases)
    problems = [i for i in result.issues if i.severity != INFO]
    state.update(ok=result.ok, errors=sum(i.severity == ERROR for i in problems),
                 problems=[{lang: i.text(lang) for lang in LANGS} for i in problems[:50]],
                 observations=result.observations, done_steps=state["steps"])
