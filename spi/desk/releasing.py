"""The desk's release path: the candidate and what releasing it would change, then four eyes —
an editor prepares the release (notes in Arabic and English, the public time), an approver
approves it or sends it back with a comment, and only then is it written, as `spi release`
writes it (etl/approval.py). Each step is a line in the audit log and, where the project is a
git repository, the release is a commit by the person who approved it (spi/desk/git.py)."""
from __future__ import annotations

import math
import os
import re
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import flask

from contract.project import default as default_project
from contract.schema import REVISION_KINDS
from etl.approval import (APPROVED, ApprovalError, amend_embargoed, approvable, cancel, embargoed, prepare, records,
                          refusal, send_back, waiting)
from etl.catalogue import CatalogueError, load_catalogue
from etl.release import ReleaseError, change_dimensions, diff
from store.releases import now
from store.texts import t

from . import approving, auth, building, git, revised_chart
from .page import document, field, form, isolate, lang, text, url

SHOWN_CHANGES = 200
REASONED = ("revised", "amended", "withdrawn")   # the changes a release says why it makes


def register(bp: flask.Blueprint) -> None:
    bp.add_url_rule("/", "home", home)
    bp.add_url_rule("/changes", "changes", changes)
    bp.add_url_rule("/build", "build", build_page)
    bp.add_url_rule("/build", "start_build", start_build, methods=["POST"])
    bp.add_url_rule("/prepare", "prepare", prepare_view, methods=["POST"])
    bp.add_url_rule("/approve/<pid>", "approve", approve_view, methods=["POST"])
    bp.add_url_rule("/approval", "approval", approval_page)
    bp.add_url_rule("/send-back/<pid>", "send_back", send_back_view, methods=["POST"])
    bp.add_url_rule("/cancel/<pid>", "cancel", cancel_view, methods=["POST"])
    bp.add_url_rule("/embargoed/<rid>/<action>", "amend", amend_view, methods=["POST"])


def _project():
    return default_project()


# --- pages ------------------------------------------------------------------------------------

@auth.needs("editor", "approver", "reviewer")
def home(problem: ApprovalError | None = None, status: int = 200):
    lang_ = lang()
    project = _project()
    person = auth.user()
    done = _done(lang_)
    parts = [f'<h1>{escape(text("desk", lang_))}</h1>', done]
    if problem:
        parts.append(f'<p class="desk-error" role="alert">{_refusal(lang_, problem)}</p>')
    job = approving.status(project)
    if job is not None and job["state"] == "running":
        parts.append(f'<p><a href="{escape(url("desk.approval", lang_))}">'
                     f'{escape(text("approval_running", lang_, id=isolate(job["pid"]), by=job["by"]))}</a></p>')
    try:
        latest, change = diff(project.processed, project.releases)
    except ReleaseError:
        latest = change = None
    parts.append(_candidate(lang_, latest, change))
    parts.append(f'<p><a href="{escape(url("desk.calendar", lang_))}">{escape(text("cal_link", lang_))}</a></p>')
    if "editor" in person.roles:
        parts.append(f'<p><a href="{escape(url("desk.load", lang_))}">{escape(text("load_link", lang_))}</a></p>')
        parts.append(form("desk.start_build", lang_, "", text("build_button", lang_)))
    held = embargoed(project, now())
    if held is not None:
        parts.append(_embargoed(lang_, held, person))
    pending = waiting(project)
    if pending is not None:
        parts.append(_waiting(lang_, pending, person))
    elif change is not None and "editor" in person.roles:
        parts.append(_prepare_form(lang_, change))
    parts.append(_history(lang_, records(project)))
    return document(lang_, text("desk", lang_), "".join(parts)), status


def _refusal(lang_: str, problem: ApprovalError) -> str:
    """"Refused:" and why, as HTML: in the page's language, or the release engine's English."""
    said = problem.text(lang_)
    words = (escape(said) if said is not None
             else f'{escape(text("refused_en", lang_))} <span lang="en" dir="ltr">{escape(str(problem))}</span>')
    return f'{escape(text("refused", lang_))} {words}'


def _done(lang_: str) -> str:
    what, pid = flask.request.args.get("done"), flask.request.args.get("id", "")
    unserved = (f'<p class="desk-error" role="alert">{escape(text("unserved", lang_))}</p>'
                if flask.request.args.get("unserved") else "")
    if what in ("cancel", "reschedule") and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(-[0-9]+)?", pid):
        return f'<p class="desk-done" role="status">{escape(text("done_" + what, lang_, id=isolate(pid)))}</p>{unserved}'
    if what not in ("prepared", "sent_back", "cancelled") or not pid.isalnum():
        return ""
    if not any(r["id"] == pid for r in records(_project())):
        return ""
    return f'<p class="desk-done" role="status">{escape(text(f"done_{what}", lang_, id=isolate(pid)))}</p>{unserved}'


def _candidate(lang_: str, latest: dict | None, change) -> str:
    head = f'<section aria-labelledby="candidate"><h2 id="candidate">{escape(text("candidate", lang_))}</h2>'
    if change is None:
        return head + f'<p>{escape(text("no_candidate", lang_))}</p></section>'
    against = (text("against", lang_, release=isolate(latest["release_id"])) if latest
               else text("against_none", lang_))
    counts = text("counts", lang_, added=change.added, revised=change.revised, amended=change.amended,
                  withdrawn=change.withdrawn)
    link = f'<a href="{escape(url("desk.changes", lang_))}">{escape(text("changes", lang_))}</a>'
    return head + f'<p>{escape(against)} {escape(counts)}</p><p>{link}</p>{_preview_link(lang_)}</section>'


def _preview_link(lang_: str) -> str:
    """The public site as it would look with the candidate: `spi serve --preview`, at
    SPI_PREVIEW_URL (spi/preview.py), when the unit runs one."""
    base = os.environ.get("SPI_PREVIEW_URL", "").strip().rstrip("/")
    if not base:
        return ""
    return f'<p><a href="{escape(base)}/?lang={lang_}">{escape(text("preview_link", lang_))}</a></p>'


def _prepare_form(lang_: str, change) -> str:
    try:
        cat = load_catalogue(_project().catalogue)
        zone, names = cat.site["timezone"], {k: v["name"][lang_] for k, v in cat.indicators.items()}
    except CatalogueError:
        zone, names = "?", {}
    fields = (field("note_ar", text("note_ar", lang_), dir_="rtl", area=True)
              + field("note_en", text("note_en", lang_), dir_="ltr", area=True)
              + field("at", text("public_at", lang_, zone=isolate(zone)), kind="datetime-local", dir_="ltr",
                      required=False)
              + "".join(_reason_fields(lang_, n, row, names) for n, row in enumerate(_reasoned(change))))
    return (f'<section aria-labelledby="prepare"><h2 id="prepare">{escape(text("prepare", lang_))}</h2>'
            + form("desk.prepare", lang_, fields, text("prepare_button", lang_)) + "</section>")


def _reasoned(change) -> list[dict]:
    """The figures a release says why it changes (revised, amended, withdrawn), in the order
    of its changes: the rows of the prepare form's reasons."""
    rows = change.rows[change.rows["change"].isin(REASONED)].head(SHOWN_CHANGES)
    return rows.to_dict("records")


def _reason_fields(lang_: str, n: int, row: dict, names: dict) -> str:
    """The kind of a changed figure's revision and why, in Arabic and English (all three, or none)."""
    label = f'{names.get(row["indicator_id"], row["indicator_id"])} — {_where(row)}: ' \
            f'{_value(row.get("old_value"), row.get("old_status"))} → {_value(row.get("new_value"), row.get("new_status"))}'
    options = f'<option value="">—</option>' + "".join(
        f'<option value="{k}">{escape(t("revision_kind_" + k, lang_))}</option>' for k in REVISION_KINDS)
    return (f'<fieldset class="desk-reason"><legend>{escape(text("change_" + row["change"], lang_))}: {escape(label)}</legend>'
            f'<label for="kind_{n}">{escape(text("revision_kind", lang_))}</label>'
            f'<select id="kind_{n}" name="kind_{n}">{options}</select>'
            + field(f"reason_ar_{n}", text("reason_ar", lang_), dir_="rtl", required=False, area=True)
            + field(f"reason_en_{n}", text("reason_en", lang_), dir_="ltr", required=False, area=True)
            + "</fieldset>")


def _where(row: dict) -> str:
    return " · ".join(isolate(v) for k, v in row.items()
                      if not k.startswith(("old_", "new_")) and k not in ("change", "indicator_id") and _given(v))


def _reasons_given(change, form_) -> list[dict]:
    """The reasons the prepare form gives, figure by figure (a figure left blank has none)."""
    dims = change_dimensions(change)
    out = []
    for n, row in enumerate(_reasoned(change)):
        kind, ar, en = (form_.get(f"{k}_{n}", "").strip() for k in ("kind", "reason_ar", "reason_en"))
        if kind or ar or en:
            out.append({"indicator_id": row["indicator_id"], "geo_code": row["geo_code"], "period": row["period"],
                        "breakdown": {d: row[d] for d in dims if _given(row.get(d))}, "kind": kind,
                        "reason_ar": ar, "reason_en": en, "where": f"{row['indicator_id']} {_where(row)}"})
    return out


def _waiting(lang_: str, record: dict, person) -> str:
    rid = record["id"]
    note = record["note_ar"] if lang_ == "ar" else record["note_en"]
    when = (text("public_when", lang_, at=isolate(record["at"])) if record["at"]
            else text("public_on_approval", lang_))
    c = record["change"]
    parts = [f'<section aria-labelledby="waiting"><h2 id="waiting">{escape(text("waiting", lang_))} '
             f'{escape(isolate(rid))}</h2>',
             f'<p>{escape(text("prepared_by", lang_, name=record["prepared_by"], at=isolate(record["prepared_at"][:16])))}</p>',
             f'<blockquote lang="{lang_}">{escape(note)}</blockquote>',
             f'<p>{escape(when)}</p>',
             f'<p>{escape(text("counts", lang_, **c))}</p>']
    if record.get("reasons"):
        items = "".join(f'<li>{escape(isolate(r["indicator_id"]))} {escape(isolate(r["geo_code"]))} '
                        f'{escape(isolate(r["period"]))}: {escape(t("revision_kind_" + r["kind"], lang_))} — '
                        f'{escape(r["reason_" + lang_])}</li>' for r in record["reasons"])
        parts.append(f'<ul class="desk-reasons">{items}</ul>')
    if "approver" in person.roles:
        if person.username == record["prepared_by"]:
            parts.append(f'<p class="desk-note">{escape(text("own_release", lang_))}</p>')
        else:
            parts.append(form("desk.approve", lang_, "", text("approve", lang_), pid=rid))
            parts.append(form("desk.send_back", lang_, field("comment", text("comment", lang_), area=True),
                              text("send_back", lang_), pid=rid))
    if "editor" in person.roles:
        parts.append(form("desk.cancel", lang_, field("reason", text("reason", lang_), area=True),
                          text("cancel", lang_), pid=rid))
    return "".join(parts) + "</section>"


def _embargoed(lang_: str, release, person) -> str:
    """The latest release while under embargo: when it goes public, and for editors and
    approvers the forms that move or cancel it, each with its reason."""
    zone = release.timezone
    when = release.public_at.astimezone(ZoneInfo(zone))
    parts = [f'<section aria-labelledby="embargoed"><h2 id="embargoed">{escape(text("embargoed", lang_))} '
             f'{escape(isolate(release.release_id))}</h2>',
             f'<p>{escape(text("public_when", lang_, at=isolate(f"{when:%Y-%m-%d %H:%M} {zone}")))}</p>']
    if {"editor", "approver"} & set(person.roles):
        rid = release.release_id
        parts.append(form("desk.amend", lang_, field("at", text("new_time", lang_, zone=isolate(zone)),
                                                     kind="datetime-local", dir_="ltr")
                          + field("reason", text("move_reason", lang_), area=True),
                          text("reschedule", lang_), rid=rid, action="reschedule"))
        parts.append(form("desk.amend", lang_, field("reason", text("cancel_reason", lang_), area=True),
                          text("cancel_release", lang_), rid=rid, action="cancel"))
    return "".join(parts) + "</section>"


def _history(lang_: str, found: list[dict]) -> str:
    if not found:
        return ""
    items = []
    for r in reversed(found):
        events = "; ".join(f'{text("event_" + e["action"], lang_)} {e["by"]} {isolate(e["at"][:16])}'
                           + (f' — {e.get("comment") or e.get("reason")}' if e.get("comment") or e.get("reason") else "")
                           for e in r["events"])
        became = f' — {text("became", lang_, release=isolate(r["release_id"]))}' if r["state"] == APPROVED else ""
        items.append(f'<li><strong>{escape(isolate(r["id"]))}</strong> {escape(text("state_" + r["state"], lang_))}'
                     f'{escape(became)}: {escape(events)}</li>')
    return (f'<section aria-labelledby="history"><h2 id="history">{escape(text("history", lang_))}</h2>'
            f'<ul class="desk-history">{"".join(items)}</ul></section>')


@auth.needs("editor", "approver", "reviewer")
def changes():
    lang_ = lang()
    project = _project()
    try:
        latest, change = diff(project.processed, project.releases)
        names = {k: v["name"][lang_] for k, v in load_catalogue(project.catalogue).indicators.items()}
    except (ReleaseError, CatalogueError):
        return document(lang_, text("changes", lang_), f'<p>{escape(text("no_candidate", lang_))}</p>')
    _seen(change.build_id)
    rows = change.rows
    if rows.empty:
        body = f'<p>{escape(text("nothing_changes", lang_))}</p>'
    else:
        body = _change_table(lang_, rows.head(SHOWN_CHANGES), names)
        if len(rows) > SHOWN_CHANGES:
            body += f'<p>{escape(text("more_rows", lang_, n=len(rows) - SHOWN_CHANGES))}</p>'
    head = text("counts", lang_, added=change.added, revised=change.revised, amended=change.amended,
                withdrawn=change.withdrawn)
    body += _revised_charts(lang_, change, names, latest)
    return document(lang_, text("changes", lang_), f'<h1>{escape(text("changes", lang_))}</h1><p>{escape(head)}</p>{body}')


def _seen(build_id: str) -> None:
    """The candidate's figures were shown to this person before any release: a line of the audit
    log naming the build they were read from (never the candidate as it is a moment later,
    rebuilt meanwhile), for the list of pre-release access of the release made of it
    (store/prerelease.py)."""
    person = auth.user()
    auth.audit("desk_candidate_view", username=person.username, name=person.name, build=build_id, addr=auth.addr())


def _revised_charts(lang_: str, change, names: dict, latest: dict | None) -> str:
    """Each revised series, old against new."""
    found = revised_chart.revised_series(change.joined, change.kinds)
    if not found:
        return ""
    old_name = text("old_series", lang_, release=isolate(latest["release_id"])) if latest else ""
    new_name = text("new_series", lang_)
    figures = []
    for key, series in found:
        where = " · ".join(str(v) for k, v in key.items() if k != "indicator_id" and not revised_chart.missing(v))
        label = f'{names.get(key["indicator_id"], key["indicator_id"])} — {where}'
        figures.append(f'<figure>{revised_chart.svg(series, label, old_name, new_name)}'
                       f'<figcaption>{escape(label)}</figcaption></figure>')
    return (f'<section aria-labelledby="revised"><h2 id="revised">{escape(text("revised_series", lang_))}</h2>'
            + "".join(figures) + "</section>")


def _change_table(lang_: str, rows, names: dict) -> str:
    out = []
    for row in rows.to_dict("records"):
        where = _where(row)
        out.append(f'<tr><td>{escape(text("change_" + row["change"], lang_))}</td>'
                   f'<td>{escape(names.get(row["indicator_id"], row["indicator_id"]))} — {escape(where)}</td>'
                   f'<td class="num">{escape(_value(row.get("old_value"), row.get("old_status")))}</td>'
                   f'<td class="num">{escape(_value(row.get("new_value"), row.get("new_status")))}</td></tr>')
    head = "".join(f'<th scope="col">{escape(text(k, lang_))}</th>' for k in ("col_change", "col_figure", "col_old", "col_new"))
    return f'<table class="desk-table"><thead><tr>{head}</tr></thead><tbody>{"".join(out)}</tbody></table>'


def _given(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def _value(value, status) -> str:
    if not _given(value):
        return "—"
    number = f"{value:,.10g}" if isinstance(value, float) else str(value)
    return number + (f" ({status})" if _given(status) and status not in ("", "final") else "")


@auth.needs("editor", "approver", "reviewer")
def build_page():
    """The build's progress (the page refreshes itself each second while it runs), then its
    outcome: the problems the validator found, or a link to what releasing it would change."""
    lang_ = lang()
    found = building.status(_project())
    head = f'<h1>{escape(text("build_title", lang_))}</h1>'
    if found is None:
        return document(lang_, text("build_title", lang_), head + f'<p>{escape(text("build_none", lang_))}</p>')
    running = found["state"] == "running"
    parts = [head, f'<p role="status">{escape(text("build_" + found["state"], lang_, by=found["by"]))}</p>',
             _progress(lang_, "build_title", found["done_steps"], found["steps"])]
    if found["state"] == "done":
        outcome = (text("build_ok", lang_, n=found.get("observations", 0), seconds=found.get("seconds", 0))
                   if found.get("ok") else text("build_failed", lang_, n=found.get("errors", 0)))
        parts.append(f'<p class="{"desk-done" if found.get("ok") else "desk-error"}">{escape(outcome)}</p>')
        if found.get("problems"):
            items = "".join(_status_line(p, lang_) for p in found["problems"])
            parts.append(f'<ul class="desk-problems">{items}</ul>')
        if found.get("ok"):
            parts.append(f'<p><a href="{escape(url("desk.changes", lang_))}">{escape(text("changes", lang_))}</a></p>')
    parts.append(_lines(lang_, "build_lines", found["lines"], running))
    return document(lang_, text("build_title", lang_), "".join(parts), refresh=1 if running else None)


def _progress(lang_: str, title: str, value: int, maximum: int) -> str:
    """A background job's progress bar, named by its page's title."""
    return (f'<progress max="{maximum}" value="{value}" aria-label="{escape(text(title, lang_))}">'
            f'{value / max(1, maximum):.0%}</progress>')


def _lines(lang_: str, summary: str, lines: list[dict | str], running: bool) -> str:
    """A background job's progress lines in the page's language, open while it runs."""
    items = "".join(_status_line(line, lang_) for line in lines)
    return (f'<details{" open" if running else ""}><summary>{escape(text(summary, lang_))}</summary>'
            f'<ol class="desk-lines">{items}</ol></details>')


def _status_line(said: dict | str, lang_: str) -> str:
    """A line or a problem of a background job's status in the page's language; one said in
    English alone (the work itself failed, or a status written before it kept both) is marked so."""
    if isinstance(said, dict):
        return f"<li>{escape(said[lang_])}</li>"
    return f'<li dir="ltr" lang="en">{escape(said)}</li>'


@auth.needs("editor", "approver", "reviewer")
def approval_page():
    """The last approval's progress, step by step (the page refreshes itself each second while
    it runs), then its outcome: the release it became, or why it was refused; when it stopped
    (its process died) or failed, where the history stands, as its files say."""
    lang_ = lang()
    project = _project()
    found = approving.status(project)
    head = f'<h1>{escape(text("approval_title", lang_))}</h1>'
    if found is None:
        return document(lang_, text("approval_title", lang_), head + f'<p>{escape(text("approval_none", lang_))}</p>')
    state, pid, running = found["state"], isolate(found["pid"]), found["state"] == "running"
    if running or state == "stopped":
        said, css = escape(text("approval_" + state, lang_, id=pid, by=found["by"])), ""
    elif found.get("ok"):
        said, css = escape(text("done_approved", lang_, id=pid, release=isolate(found["release_id"]))), "desk-done"
    elif found.get("refused"):
        said, css = _refusal(lang_, ApprovalError(found["refused"]["en"], found["refused"]["ar"])), "desk-error"
    else:
        said = (f'{escape(text("approval_failed", lang_, id=pid))} '
                f'<span lang="en" dir="ltr">{escape(found.get("fault", ""))}</span>')
        css = "desk-error"
    parts = [head, f'<p role="status" class="{css}">{said}</p>',
             _progress(lang_, "approval_title", found["step"], len(approving.STEPS)),
             _steps(lang_, found["step"], running)]
    if found.get("unserved"):
        parts.append(f'<p class="desk-error">{escape(text("unserved", lang_))}</p>')
    if state == "stopped" or found.get("fault"):
        kind, rid = approving.where_it_stands(project, found["pid"])
        parts.append(f'<p>{escape(text("stands_" + kind, lang_, id=pid, release=isolate(rid)))}</p>')
    parts.append(f'<p><a href="{escape(url("desk.home", lang_))}">{escape(text("desk", lang_))}</a></p>')
    parts.append(_lines(lang_, "approval_lines", found["lines"], running))
    return document(lang_, text("approval_title", lang_), "".join(parts), refresh=1 if running else None)


def _steps(lang_: str, at: int, running: bool) -> str:
    """The approval's steps, each said done, under way (while it runs) or where it stopped
    (refused, failed, its process killed), or to come."""
    items = []
    for n, key in enumerate(approving.STEPS):
        mark = "done" if n < at else "todo" if n > at else "now" if running else "cut"
        current = ' aria-current="step"' if mark == "now" else ""
        items.append(f'<li class="desk-step-{mark}"{current}>{escape(text("step_" + key, lang_))} — '
                     f'{escape(text("step_" + mark, lang_))}</li>')
    return f'<ol class="desk-steps">{"".join(items)}</ol>'


@auth.needs("editor")
def start_build():
    person, project = auth.user(), _project()
    started = building.start(project, person.username)
    auth.audit("desk_build", username=person.username, started=started, addr=auth.addr())
    if not started and not _running(building.status(project)):   # an approval holds the candidate
        return _refused(ApprovalError(*(text("build_busy_approval", k) for k in ("en", "ar"))))
    return flask.redirect(url("desk.build", lang()), 303)


def _running(status: dict | None) -> bool:
    return bool(status) and status.get("state") == "running"


# --- actions ----------------------------------------------------------------------------------

def _after(action: str, record: dict):
    """The step in the audit log, then the home page saying it was done."""
    auth.audit(f"desk_{action}", username=auth.user().username, prepared=record["id"], addr=auth.addr())
    return flask.redirect(url("desk.home", lang(), done=action, id=record["id"]), 303)


def _refused(exc: ApprovalError):
    return home(problem=exc, status=409)


@auth.needs("editor")
def prepare_view():
    f, project = flask.request.form, _project()
    try:
        _, change = diff(project.processed, project.releases)
        record = prepare(project, auth.user().username, f.get("note_en", ""), f.get("note_ar", ""),
                         f.get("at", "").strip() or None, now(), reasons=_reasons_given(change, f))
    except ReleaseError as exc:
        return _refused(refusal(exc))
    except ApprovalError as exc:
        return _refused(exc)
    return _after("prepared", record)


@auth.needs("approver")
def approve_view(pid: str):
    """The approval, started in the background (spi/desk/approving.py), and its progress page;
    refused at once what it would refuse anyway (not waiting, the approver's own), and while
    another approval runs."""
    project, person = _project(), auth.user()
    try:
        approvable(project, pid, person.username)
    except ApprovalError as exc:
        return _refused(exc)
    if not approving.start(project, pid, person, auth.addr(), now(), _sign_key()):
        built = building.status(project)
        if _running(built):   # the candidate is being rebuilt: the approval waits for it
            busy = {k: text("approval_busy_build", k, by=built.get("by", "?")) for k in ("ar", "en")}
        else:
            running = approving.status(project) or {"pid": "?", "by": "?"}
            busy = {k: text("approval_busy", k, id=isolate(running["pid"]), by=running["by"]) for k in ("ar", "en")}
        return _refused(ApprovalError(busy["en"], busy["ar"]))
    return flask.redirect(url("desk.approval", lang()), 303)


@auth.needs("approver")
def send_back_view(pid: str):
    return _closing(send_back, pid, "comment", "sent_back")


@auth.needs("editor")
def cancel_view(pid: str):
    return _closing(cancel, pid, "reason", "cancelled")


def _closing(step, pid: str, why: str, done: str):
    """A waiting release sent back or cancelled (`step`), with the form's `why`."""
    try:
        record = step(_project(), pid, auth.user().username, flask.request.form.get(why, ""), now())
    except ApprovalError as exc:
        return _refused(exc)
    return _after(done, record)


@auth.needs("editor", "approver")
def amend_view(rid: str, action: str):
    if action not in ("cancel", "reschedule"):
        flask.abort(404)
    project, person, f = _project(), auth.user(), flask.request.form
    try:
        entry = amend_embargoed(project, rid, action, person.username, f.get("reason", ""),
                        f.get("at", "").strip() or None if action == "reschedule" else None, now(),
                        sign_key=_sign_key())
    except ApprovalError as exc:
        return _refused(exc)
    message = f"Release {rid}: {'cancelled' if action == 'cancel' else 'rescheduled'}\n\n{f.get('reason', '').strip()}\n"
    failed = git.commit(project.root, ["data/releases"], message, person)
    auth.audit(f"desk_{action}_release", username=person.username, release_id=rid, git_error=failed,
               served_error=entry["served_error"], addr=auth.addr())
    return flask.redirect(url("desk.home", lang(), done=action, id=rid,
                              **({"unserved": 1} if entry["served_error"] else {})), 303)


def _sign_key() -> Path | None:
    """The ministry's signing key, when its releases are signed (site.signing_key)."""
    value = os.environ.get("SPI_SIGNING_KEY_FILE", "").strip()
    return Path(value) if value else None


