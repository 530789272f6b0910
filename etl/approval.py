"""Four eyes on a release: one person prepares it, another approves it, and only then is it
written as `spi release` writes it (etl/release.py make_release, with `approved_by`).

The statistics unit's desk (spi/desk/) calls these; so can anything else. A prepared release
is a record in the project's data/desk/prepared.json (committed with data/releases/, so the
workflow's history survives a machine), each with its events (prepared, sent back, cancelled,
approved: who, when, why). The record names the candidate it was prepared from (its build id):
a candidate rebuilt since is not the one the approver would approve, so it is refused.

Why it is built this way:
- Everything make_release would refuse (no candidate, nothing to release, a note without
  Arabic, a public time in the past or beyond the embargo limit) is refused when the release is
  prepared, so an approver is never asked to approve what cannot be released; it is checked
  again at approval, when the clock has moved on.
- One release waits for approval at a time: two prepared from one candidate would be two
  versions of one truth.
- The approver is never the one who prepared it, checked here and again by make_release.
- If the process dies between the release being written and the record saying so, the record
  is read as approved from the manifest (a release entry of its build, approved, made after it
  was prepared): approving twice never releases twice. One that died once the release was
  decided but before its files were all in place (etl/transaction.py) is completed first when
  it is approved again, so that it reads as approved rather than being refused as a candidate
  that changes nothing.
- The file is written whole beside itself and swapped in (os.replace) under a lock, so that
  two requests of the desk never interleave and a full disk leaves the old file as it was.
"""
from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from contract.project import Project

from .catalogue import CatalogueError, load_catalogue
from .messages import Both, Text, said
from .release import (ReleaseError, amend, candidate_figures, check_reasons, checked_history, compare, history,
                      make_release, public_time, release_figures, release_notes, write_served)
from .transaction import Transaction

RECORDS = "prepared.json"
WAITING, SENT_BACK, CANCELLED, APPROVED = "prepared", "sent_back", "cancelled", "approved"
STATE_AR = {SENT_BACK: "أُعيد إلى المحرِّر", CANCELLED: "أُلغي", APPROVED: "اعتُمد"}
MAX_TEXT = 2000   # a note, comment or reason longer than this is a paste gone wrong


class ApprovalError(Exception):
    """A step of the four-eyes path refused, with what to do, in a sentence: in English (its
    str) and in Arabic (`ar`; None for a refusal said in English only: the desk shows it as
    English)."""

    def __init__(self, en: str, ar: str | None = None):
        super().__init__(en)
        self.ar = ar

    def text(self, lang: str) -> str | None:
        """The sentence in `lang`, or None when there is none in Arabic."""
        return str(self) if lang == "en" else self.ar


def _folder(project: Project) -> Path:
    return project.root / "data" / "desk"


def records(project: Project) -> list[dict]:
    """Every prepared release, oldest first, each with its state as the manifest confirms it."""
    found = _read(_folder(project) / RECORDS)
    return [_confirmed(project, r) for r in found]


def waiting(project: Project) -> dict | None:
    """The prepared release waiting for approval, if one is."""
    return next((r for r in records(project) if r["state"] == WAITING), None)


def find(project: Project, pid: str) -> dict:
    for record in records(project):
        if record["id"] == pid:
            return record
    raise _no_such(pid)


def _no_such(pid: str) -> ApprovalError:
    return ApprovalError(f"there is no prepared release {pid[:40]!r}", f"لا يوجد إصدار مُعَدّ بالرمز \u2068{pid[:40]}\u2069")


def _read(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise ApprovalError(f"{path} cannot be read ({exc}): restore it from version control",
                            f"تعذّرت قراءة \u2068{path}\u2069: استعِده من نظام إدارة النسخ") from None
    if not isinstance(data, dict) or not isinstance(data.get("prepared"), list):
        raise ApprovalError(f"{path} is not a list of prepared releases: restore it from version control",
                            f"الملف \u2068{path}\u2069 ليس قائمة إصدارات مُعَدّة: استعِده من نظام إدارة النسخ")
    return data["prepared"]


@contextmanager
def _changing(project: Project):
    """The records to change, under the folder's lock; written back whole when the block ends
    without an error, else left as they were."""
    folder = _folder(project)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = _read(folder / RECORDS)
        yield found
        text = json.dumps({"prepared": found}, ensure_ascii=False, indent=1) + "\n"
        aside = folder / (RECORDS + ".writing")
        with open(aside, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(aside, folder / RECORDS)


WHAT = {"comment": ("the comment", "سبب الإعادة"), "reason": ("the reason", "السبب")}


def _text(value: str, what: str) -> str:
    en, ar = WHAT[what]
    value = (value or "").strip()
    if not value:
        raise ApprovalError(f"{en} is empty: say it in a sentence", f"{ar} فارغ: اكتبه في جملة")
    if len(value) > MAX_TEXT:
        raise ApprovalError(f"{en} is {len(value):,} characters long: keep it under {MAX_TEXT:,}",
                            f"{ar} أطول من {MAX_TEXT} حرف: اختصره")
    return value


# What the release engine's refusals name by the command line's options, as the desk's form names it.
DESK_WORDS = {"at_option": Both("موعد النشر", "the public time"),
              "note_ar_option": Both("ملاحظة الإصدار بالعربية", "the Arabic note"),
              "note_en_option": Both("ملاحظة الإصدار بالإنجليزية", "the English note")}


def refusal(exc: ReleaseError | CatalogueError) -> ApprovalError:
    """A refusal of the release engine (or the catalogue's) as the desk says it: in both
    languages when it is a message of etl/messages.py, naming the desk's fields, not options."""
    message = said(exc)
    if not isinstance(message, Text):
        return ApprovalError(message)
    message = Text(message.key, **{**message.fields, **{k: v for k, v in DESK_WORDS.items() if k in message.fields}})
    return ApprovalError(message, message.render("ar"))


def _event(action: str, by: str, now: datetime, **fields) -> dict:
    return {"action": action, "by": by, "at": now.isoformat(), **fields}


def prepare(project: Project, by: str, note_en: str, note_ar: str, at: str | None, now: datetime,
            reasons: list[dict] | None = None) -> dict:
    """Prepare the candidate for release: the record, waiting for a second person's approval.
    `reasons`: why it revises, amends or withdraws figures, as make_release takes them (their
    kind and the reason in Arabic and English). Refused (ApprovalError, nothing written) when a
    release already waits, or when make_release would refuse it now."""
    try:
        notes = release_notes(note_en or "", note_ar or "")
        figures, info = candidate_figures(project.processed)
        cat = load_catalogue(project.catalogue)
        hist = checked_history(project.releases, cat)
        latest = hist.latest()
        change = compare(release_figures(project.releases, latest.release_id) if latest else None, figures)
        if latest is not None and change.total == 0 and latest.entry["catalogue_sha256"] == info["catalogue_sha256"]:
            raise ReleaseError(Text("release.nothing", release=latest.release_id))
        public_at = public_time(at or None, cat, now, latest)
        kept = check_reasons(reasons, project.processed, project.releases, project.catalogue)
    except (ReleaseError, CatalogueError) as exc:
        raise refusal(exc) from None
    with _changing(project) as found:
        pending = next((r for r in found if _confirmed(project, r)["state"] == WAITING), None)
        if pending is not None:
            raise ApprovalError(f"release {pending['id']} prepared by {pending['prepared_by']} is waiting for approval: "
                                "it is approved, sent back or cancelled first",
                                f"الإصدار \u2068{pending['id']}\u2069 الذي أعدّه \u2068{pending['prepared_by']}\u2069 "
                                "بانتظار الاعتماد: يُعتمَد أو يُعاد أو يُلغى أولًا")
        record = {"id": f"P{len(found) + 1}", "state": WAITING, "prepared_by": by, "prepared_at": now.isoformat(),
                  "note_en": notes["note"], "note_ar": notes["note_ar"], "at": at or None,
                  "public_at": public_at.isoformat(), "build_id": info["build_id"],
                  "catalogue_sha256": info["catalogue_sha256"],
                  "change": {"added": change.added, "revised": change.revised, "amended": change.amended,
                             "withdrawn": change.withdrawn},
                  "reasons": kept, "events": [_event("prepared", by, now)], "release_id": None}
        found.append(record)
    return record


def _waiting_one(found: list[dict], pid: str, project: Project) -> dict:
    for record in found:
        if record["id"] == pid:
            state = _confirmed(project, record)["state"]
            if state != WAITING:
                raise ApprovalError(f"release {pid} is {state.replace('_', ' ')}, not waiting for approval",
                                    f"الإصدار \u2068{pid}\u2069 {STATE_AR[state]}، وليس بانتظار الاعتماد")
            return record
    raise _no_such(pid)


def send_back(project: Project, pid: str, by: str, comment: str, now: datetime) -> dict:
    """An approver sends a prepared release back to be prepared again, saying why."""
    return _close(project, pid, by, now, SENT_BACK, comment=_text(comment, "comment"))


def cancel(project: Project, pid: str, by: str, reason: str, now: datetime) -> dict:
    """Withdraw a prepared release before it is approved, with the reason."""
    return _close(project, pid, by, now, CANCELLED, reason=_text(reason, "reason"))


def _close(project: Project, pid: str, by: str, now: datetime, state: str, **why: str) -> dict:
    """A waiting release ends in `state` (sent back, cancelled), with who, when and why."""
    with _changing(project) as found:
        record = _waiting_one(found, pid, project)
        record["state"] = state
        record["events"].append(_event(state, by, now, **why))
    return record


def approvable(project: Project, pid: str, by: str) -> dict:
    """The record `by` may approve: waiting, and prepared by someone else; else ApprovalError.
    Read without the lock, for a caller to refuse at once what approve would refuse anyway."""
    return _by_another(_waiting_one(_read(_folder(project) / RECORDS), pid, project), by)


def _by_another(record: dict, by: str) -> dict:
    if by == record["prepared_by"]:
        raise ApprovalError(f"{by} prepared release {record['id']}: a second person approves it",
                            f"أعدَّ \u2068{by}\u2069 الإصدار \u2068{record['id']}\u2069: يعتمده شخص آخر")
    return record


def approve(project: Project, pid: str, by: str, now: datetime, sign_key: Path | None = None,
            progress=lambda _: None, step=lambda _: None) -> dict:
    """The second person approves: the release is written (make_release, released by its
    preparer, approved by `by`), the site's databases rebuilt as `spi release` does, and the
    record says which release it became. Refused when `by` prepared it, when it is not waiting,
    when the candidate was rebuilt since, or when make_release refuses. `step` is told each
    step as it begins: "check", "release", "serve" (the desk shows them)."""
    step("check")
    with Transaction(project.releases, "release", progress):   # an interrupted release completed, if any
        pass
    with _changing(project) as found:
        record = _by_another(_waiting_one(found, pid, project), by)
        try:
            _, info = candidate_figures(project.processed)
        except ReleaseError as exc:
            raise refusal(exc) from None
        if info["build_id"] != record["build_id"]:
            raise ApprovalError(f"the candidate was built again since release {pid} was prepared (build "
                                f"{record['build_id']}, now {info['build_id']}): send it back, and prepare the new one",
                                f"أُعيد بناء المرشَّح منذ إعداد الإصدار \u2068{pid}\u2069 (البناء \u2068{record['build_id']}\u2069، "
                                f"والآن \u2068{info['build_id']}\u2069): أعِده إلى المحرِّر، وأعِدّ الجديد")
        step("release")
        try:
            entry = make_release(record["note_en"], record["at"], project.processed, project.releases,
                                 project.catalogue, by=record["prepared_by"], now=now, sign_key=sign_key,
                                 progress=progress, note_ar=record["note_ar"], approved_by=by,
                                 reasons=record.get("reasons") or None)
        except (ReleaseError, CatalogueError) as exc:
            raise refusal(exc) from None
        record["state"], record["release_id"] = APPROVED, entry["release_id"]
        record["events"].append(_event("approved", by, now, release_id=entry["release_id"]))
    step("serve")
    return {**record, "served_error": _serve_again(project, progress)}


def embargoed(project: Project, now: datetime):
    """The latest release while it is still under embargo (it can be cancelled or moved), else None."""
    latest = history(project.releases).latest()
    return latest if latest is not None and latest.public_at > now else None


def amend_embargoed(project: Project, release_id: str, action: str, by: str, reason: str, at: str | None,
                    now: datetime, sign_key: Path | None = None) -> dict:
    """Cancel the embargoed release, or give it another public time, with the reason, as
    `spi release --cancel/--reschedule` does (an entry of its own in the manifest); the site's
    databases are then rebuilt."""
    reason = _text(reason, "reason")
    try:
        entry = amend(release_id, action, reason, at or None, project.releases, project.catalogue, by=by, now=now,
                      sign_key=sign_key, out_dir=project.processed)
    except (ReleaseError, CatalogueError) as exc:
        raise refusal(exc) from None
    return {**entry, "served_error": _serve_again(project)}


def _serve_again(project: Project, progress=lambda _: None) -> str | None:
    """The site's databases written again from the history, as `spi release` does after a
    release; what went wrong, in a sentence, when they could not be (the release is made and
    kept: the next `spi build` writes them), else None."""
    try:
        write_served(project.releases, project.processed, project.catalogue, progress=progress)
    except (ReleaseError, CatalogueError, OSError, duckdb.Error) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _confirmed(project: Project, record: dict) -> dict:
    """The record, approved if the manifest holds its release though the record was not
    written (the process stopped in between): the entry of its build, approved, made after it
    was prepared."""
    if record["state"] != WAITING:
        return record
    try:
        entries = json.loads((project.releases / "releases.json").read_text(encoding="utf-8"))["releases"]
    except (OSError, ValueError, KeyError, TypeError):
        return record
    for entry in entries:
        if (isinstance(entry, dict) and entry.get("build_id") == record["build_id"] and entry.get("approved_by")
                and str(entry.get("created_at", "")) >= record["prepared_at"]):
            return {**record, "state": APPROVED, "release_id": entry.get("release_id")}
    return record

