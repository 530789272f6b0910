"""Loading a table in the desk: upload a workbook or CSV as the ministry printed it, see the
recipe the desk proposes and the sheet as a grid with every cell coloured by what it became and
each problem beside its cell, edit the recipe and see the grid again, then accept it into
data/raw/ (etl/upload.py: never over a file; what changed is shown) and, in a git repository,
commit it as the person who accepted it.

An upload waits in this machine's scratch folder (data/processed/desk-uploads/<id>/, never
published) under an id the server made: the client names an upload by that id only, checked
against UPLOAD_ID before anything reads the disk, and only its uploader sees it. Uploads are
limited per person (UPLOAD_LIMIT in UPLOAD_WINDOW seconds), counted for every worker of the
machine in the desk's sessions file.
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
from html import escape
from pathlib import Path

import flask

from contract.project import default as default_project
from etl import messages
from etl.catalogue import CatalogueError, load_catalogue
from etl.catalogue_gaps import missing_from_catalogue
from etl.report import ERROR
from etl.upload import accept, propose, stage
from etl.upload_checks import MAX_UPLOAD_BYTES, UploadError
from etl.upload_grid import ROLES, grid
from store.releases import now

from .. import sessions
from . import auth, git
from .page import document, field, form, isolate, lang, text, url

UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{22}")
UPLOAD_LIMIT, UPLOAD_WINDOW = 20, 600
MAX_CELLS_SHOWN = 20_000   # a larger sheet shows its first rows; the whole file is still read and checked
MAX_COLUMNS_SHOWN = 200


def register(bp: flask.Blueprint) -> None:
    bp.add_url_rule("/load", "load", load_form)
    bp.add_url_rule("/load", "upload", upload, methods=["POST"])
    bp.add_url_rule("/load/<uid>", "loaded", loaded)
    bp.add_url_rule("/load/<uid>/recipe", "recipe", recipe, methods=["POST"])
    bp.add_url_rule("/load/<uid>/accept", "accept", accept_view, methods=["POST"])


def _scratch() -> Path:
    return default_project().processed / "desk-uploads"


def _meta(uid: str) -> tuple[Path, dict]:
    """The folder and record of an upload of the signed-in person; 404 for any other id."""
    if not UPLOAD_ID.fullmatch(uid):
        flask.abort(404)
    folder = _scratch() / uid
    try:
        meta = json.loads((folder / "upload.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        flask.abort(404)
    if meta.get("by") != auth.user().username:
        flask.abort(404)
    return folder, meta


def _save(folder: Path, meta: dict) -> None:
    aside = folder / "upload.json.writing"
    aside.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    aside.replace(folder / "upload.json")


# --- pages ------------------------------------------------------------------------------------

@auth.needs("editor")
def load_form(problem: UploadError | None = None, status: int = 200):
    lang_ = lang()
    error = (f'<p class="desk-error" role="alert">{escape(problem.text(lang_))}</p>' if problem else "")
    fields = (f'<label for="file">{escape(text("load_file", lang_))}</label>'
              '<input id="file" name="file" type="file" required '
              'accept=".xlsx,.xls,.ods,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,'
              'application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet,text/csv">'
              + field("sheet", text("load_sheet", lang_), required=False)
              + field("indicator", text("load_indicator", lang_), dir_="ltr", required=False))
    body = (f'<h1>{escape(text("load_title", lang_))}</h1><p>{escape(text("load_intro", lang_))}</p>{error}'
            + form("desk.upload", lang_, fields, text("load_button", lang_), multipart=True))
    return document(lang_, text("load_title", lang_), body), status


@auth.needs("editor")
def upload():
    lang_, person = lang(), auth.user()
    if sessions.take_attempt(auth.state(), f"upload:{person.username}", UPLOAD_LIMIT, UPLOAD_WINDOW,
                             report=auth.limit_summary) is None:
        auth.audit("desk_upload", username=person.username, ok=False, reason="limit", addr=auth.addr())
        return load_form(UploadError(text("upload_limit", "ar"), text("upload_limit", "en")), 429)
    sent = flask.request.files.get("file")
    if sent is None or not sent.filename:
        return load_form(UploadError(text("load_none", "ar"), text("load_none", "en")), 400)
    data = sent.stream.read(MAX_UPLOAD_BYTES + 1)
    uid = secrets.token_urlsafe(16)
    folder = _scratch() / uid
    folder.mkdir(parents=True)
    try:
        path = stage(data, sent.filename, folder)
    except UploadError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        auth.audit("desk_upload", username=person.username, ok=False, reason=exc.en, addr=auth.addr())
        return load_form(exc, 413 if len(data) > MAX_UPLOAD_BYTES else 422)
    form_ = flask.request.form
    sheet, indicator = form_.get("sheet", "").strip() or None, form_.get("indicator", "").strip() or None
    try:
        proposal = propose(path, _catalogue(), sheet, indicator)
    except UploadError as exc:
        return load_form(exc, 409)
    meta = {"by": person.username, "name": sent.filename[:200], "staged": path.name, "recipe": proposal.text or "",
            "proposal": {"refused": proposal.refused, "notes": [str(n) for n in proposal.notes],
                         "unplaced": [str(u) for u in proposal.unplaced], "builtin": proposal.builtin_figures}}
    _save(folder, meta)
    auth.audit("desk_upload", username=person.username, ok=True, file=path.name, bytes=len(data), addr=auth.addr())
    return flask.redirect(url("desk.loaded", lang_, uid=uid), 303)


def _catalogue():
    """The project's catalogue; UploadError saying it cannot be read."""
    try:
        return load_catalogue(default_project().catalogue)
    except CatalogueError as exc:
        raise UploadError(f"لا يُقرأ فهرس المؤشرات: {messages.text(messages.said(exc), 'ar')}",
                          f"the catalogue cannot be read: {exc}") from None


@auth.needs("editor")
def loaded(uid: str):
    lang_ = lang()
    folder, meta = _meta(uid)
    try:
        cat = _catalogue()
    except UploadError as exc:
        return load_form(exc, 409)
    seen = grid(folder / meta["staged"], meta["recipe"] or None, cat)
    problems = [i for i in seen.issues if i.severity == ERROR]
    parts = [f'<h1>{escape(text("grid_title", lang_, name=isolate(meta["name"])))}</h1>',
             _proposal(lang_, meta), _legend(lang_)]
    listed = seen.issues   # every issue once (those that name no cell, `loose`, are among them)
    numbers = {id(i): n for n, i in enumerate(listed, start=1)}
    parts += [_sheet(lang_, sheet, n, numbers) for n, sheet in enumerate(seen.sheets)]
    parts.append(_issues(lang_, listed))
    gaps = missing_from_catalogue(seen.records, cat)
    if gaps:
        items = "".join(f'<li>{escape(text("gap_" + g.kind, lang_))} {escape(isolate(g.name))} '
                        f'({escape(", ".join(map(str, g.cells)))})<pre dir="ltr" lang="en">{escape(g.section)}:\n{escape(g.yaml)}</pre></li>'
                        for g in gaps)
        parts.append(f'<section aria-labelledby="gaps"><h2 id="gaps">{escape(text("gaps", lang_))}</h2><ul>{items}</ul></section>')
    recipe_field = (f'<label for="recipe">{escape(text("recipe", lang_))}</label>'
                    f'<textarea id="recipe" name="recipe" dir="ltr" lang="en" rows="14" spellcheck="false">'
                    f'{escape(meta["recipe"])}</textarea>')
    parts.append(form("desk.recipe", lang_, recipe_field, text("recipe_button", lang_), uid=uid))
    if problems:
        parts.append(f'<p class="desk-error">{escape(text("fix_first", lang_, n=len(problems)))}</p>')
    else:
        parts.append(form("desk.accept", lang_, "", text("accept_button", lang_), uid=uid))
    return document(lang_, text("grid_title", lang_, name=meta["name"]), "".join(parts))


def _proposal(lang_: str, meta: dict) -> str:
    p = meta["proposal"]
    if p["refused"]:
        said = text("proposal_refused", lang_)
        return f'<p class="desk-error">{escape(said)} <span lang="en" dir="ltr">{escape(p["refused"])}</span></p>'
    if not meta["recipe"]:
        return f'<p>{escape(text("proposal_builtin", lang_, n=p["builtin"]))}</p>'
    notes = "".join(f'<li lang="en" dir="ltr">{escape(n)}</li>' for n in [*p["notes"], *p["unplaced"]])
    return f'<p>{escape(text("proposal_drafted", lang_))}</p>' + (f"<ul>{notes}</ul>" if notes else "")


def _legend(lang_: str) -> str:
    items = "".join(f'<li><span class="cell role-{r}">{escape(text("role_cell_" + r, lang_))}</span></li>' for r in ROLES)
    return f'<ul class="desk-legend" aria-label="{escape(text("legend", lang_))}">{items}</ul>'


def _sheet(lang_: str, sheet, n: int, numbers: dict[int, int]) -> str:
    """One sheet as printed: its rows and columns, each cell coloured by its role (named in its
    title too), hidden ones marked, a cell with a problem numbered to the list below."""
    name = sheet.name or "CSV"
    state = text("sheet_read" if sheet.read else ("sheet_hidden" if sheet.hidden else "sheet_unread"), lang_)
    cols = min(sheet.n_cols, MAX_COLUMNS_SHOWN)
    rows = min(sheet.n_rows, MAX_CELLS_SHOWN // max(1, cols))
    letters = [_letter(c) for c in range(1, cols + 1)]
    head = "<td></td>" + "".join(f'<th scope="col">{c}</th>' for c in letters)
    body = []
    for r in range(1, rows + 1):
        tds = []
        for c, letter in enumerate(letters, start=1):
            cell = sheet.cells.get(f"{letter}{r}")
            if cell is None:
                tds.append("<td></td>")
                continue
            css = f"cell role-{cell.role}" + (" hidden" if cell.hidden else "") + (" issue" if cell.issues else "")
            tip = text("role_cell_" + cell.role, lang_) + (f" · {cell.gives}" if cell.gives else "")
            mark = "".join(f'<a href="#issue-{numbers[id(i)]}" class="issue-mark">{numbers[id(i)]}</a>'
                           for i in cell.issues if id(i) in numbers)
            tds.append(f'<td class="{css}" title="{escape(tip)}" id="s{n}-{cell.ref}">{escape(cell.text)}{mark}</td>')
        hidden = " hidden-row" if r in sheet.hidden_rows else ""
        body.append(f'<tr class="{hidden.strip()}"><th scope="row">{r}</th>{"".join(tds)}</tr>')
    more = (f'<p>{escape(text("more_rows_sheet", lang_, n=sheet.n_rows - rows))}</p>' if rows < sheet.n_rows else "")
    return (f'<section class="desk-sheet"><h2>{escape(isolate(name))} — {escape(state)}</h2>'
            f'<div class="grid-scroll" tabindex="0" role="region" aria-label="{escape(isolate(name))}">'
            f'<table class="desk-grid" dir="ltr"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>{more}</section>')


def _number(value) -> str:
    return "—" if value is None else f"{value:,.10g}"


def _letter(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _issues(lang_: str, issues: list) -> str:
    if not issues:
        return f'<p class="desk-done">{escape(text("no_issues", lang_))}</p>'
    items = "".join(f'<li id="issue-{n}" class="severity-{i.severity}">{escape(i.text(lang_))}</li>'
                    for n, i in enumerate(issues, start=1))
    return (f'<section aria-labelledby="issues"><h2 id="issues">{escape(text("issues", lang_, n=len(issues)))}</h2>'
            f'<ol class="desk-problems">{items}</ol></section>')


# --- actions ----------------------------------------------------------------------------------

@auth.needs("editor")
def recipe(uid: str):
    folder, meta = _meta(uid)
    meta["recipe"] = flask.request.form.get("recipe", "")[:100_000]
    _save(folder, meta)
    return flask.redirect(url("desk.loaded", lang(), uid=uid), 303)


@auth.needs("editor")
def accept_view(uid: str):
    lang_, person = lang(), auth.user()
    folder, meta = _meta(uid)
    data = (folder / meta["staged"]).read_bytes()
    try:
        done = accept(default_project().root, data, meta["staged"], meta["recipe"] or None, now())
    except UploadError as exc:
        return load_form(exc, 409)
    project = default_project()
    written = [str(p.relative_to(project.root)) for p in (done.path, done.recipe_path) if p is not None]
    message = f"Load {done.name}" + (f" (new version of {done.replaces})" if done.replaces else "") + \
        f"\n\nAccepted in the desk by {person.name}.\n"
    failed = git.commit(project.root, written, message, person)
    auth.audit("desk_accept", username=person.username, file=done.name, replaces=done.replaces,
               added=len(done.added), changed=len(done.changed), removed=len(done.removed), git_error=failed,
               addr=auth.addr())
    shutil.rmtree(folder, ignore_errors=True)
    counts = text("accepted_counts", lang_, added=len(done.added), changed=len(done.changed), removed=len(done.removed))
    rows = "".join(f'<tr><td>{escape(text("upload_change_" + c.kind, lang_))}</td><td>{escape(isolate(c.indicator_id))} '
                   f'{escape(isolate(c.geo_code))} {escape(isolate(c.period))}</td>'
                   f'<td class="num">{_number(c.old_value)}</td><td class="num">{_number(c.new_value)}</td>'
                   f'<td>{escape(c.new_cell or c.old_cell or "")}</td></tr>'
                   for c in [*done.added, *done.changed, *done.removed][:200])
    table = (f'<table class="desk-table"><tbody>{rows}</tbody></table>' if rows else "")
    body = (f'<h1>{escape(text("accepted", lang_, name=isolate(done.name)))}</h1><p>{escape(counts)}</p>{table}'
            f'<p>{form("desk.start_build", lang_, "", text("build_button", lang_))}</p>')
    return document(lang_, text("accepted", lang_, name=done.name), body)
