"""The release calendar in the desk: the releases announced in the catalogue's `calendar:`
(the Releases page, each indicator's page and /releases.ics are made from it), a form that
announces a new one, and, for each, a form that records a change of its state (confirmed,
cancelled, provisional again) or of its day, with its reason in Arabic and English, as the
catalogue's `changes:` take it (etl/catalogue.py _check_changes).

Why it writes the way it does:
- Only the `calendar:` section of indicators.yaml is rewritten (ruamel.yaml's round trip of
  that section alone, its comments and quoting kept); every byte outside it stays as it was,
  since the rest of the catalogue is written by hand and reviewed in git diffs. A catalogue
  without the section gets one at its end.
- The new catalogue is written beside the old one and checked by the check the build uses
  (load_catalogue) before it replaces it (os.replace): what the build would refuse is refused
  here, and nothing is written.
- In a git repository the catalogue is committed as the editor (spi/desk/git.py); each change
  is a line in the audit log. Editors write one at a time: the write, its check and its commit
  are done under one lock (in data/processed/), so that each commit holds its own change alone,
  under its editor's name, and none finds git busy with another's. The candidate's `calendar`
  table has it after the next build, and the public site with the next release, as with any
  change to the catalogue.
- A new announcement is given its `id` (etl/announcements.py new_id), its name in the desk's
  addresses and the feed's UID, so that moving or retitling it never changes it.
"""
from __future__ import annotations

import fcntl
import io
import os
import re
import secrets
import shutil
from datetime import date, datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import flask
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from contract.project import CATALOGUE, default as default_project
from contract.schema import CALENDAR_STATES
from etl.announcements import DEFAULT_STATE, announcement_id, new_id
from etl.catalogue import CatalogueError, load_catalogue
from etl.messages import Text, said
from store.texts import t

from . import auth, git
from .page import document, field, form, isolate, lang, text, url

LANGUAGES = ("ar", "en")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
_TOP_KEY = re.compile(r"[^\s#-]|-[^\s]")   # a line that starts a top-level key (not an item, a comment, a blank)
_RESOLVER = yaml.resolver.Resolver()
_SECTION_HEAD = ("# Releases announced: the day, what, in which languages, and the state, with every change of its state\n"
                 "# or of its day and why (the Releases page, each indicator's page, /releases.ics).\n")


def register(bp: flask.Blueprint) -> None:
    bp.add_url_rule("/calendar", "calendar", calendar_page)
    bp.add_url_rule("/calendar", "announce", announce_view, methods=["POST"])
    bp.add_url_rule("/calendar/<name>", "announcement", announcement_page)
    bp.add_url_rule("/calendar/<name>", "change_announcement", change_view, methods=["POST"])


class Refused(ValueError):
    """A change the desk or the catalogue check refuses: in Arabic and English, or the
    catalogue's own message (`catalogue`): a Text of etl/messages.py said in the page's
    language, or English as it is (the schema's problems)."""

    def __init__(self, key: str | None = None, catalogue: str | None = None, **fields):
        super().__init__(key or catalogue)
        self.key, self.catalogue, self.fields = key, catalogue, fields

    @property
    def status(self) -> int:
        """422 for the form's values, 409 for what the catalogue check refuses, 503 for a
        catalogue the server cannot read or write now (a full disk, its permissions)."""
        return 409 if self.catalogue else 503 if self.key == "cal_unwritable" else 422

    def html(self, lang_: str) -> str:
        if self.key:
            return f'<p class="desk-error" role="alert">{escape(text(self.key, lang_, **self.fields))}</p>'
        words = (escape(self.catalogue.render(lang_)) if isinstance(self.catalogue, Text)
                 else f'<span lang="en" dir="ltr">{escape(self.catalogue)}</span>')
        return f'<p class="desk-error" role="alert">{escape(text("cal_refused_catalogue", lang_))} {words}</p>'


# --- the catalogue's calendar section, rewritten alone ---------------------------------------

def _yaml() -> YAML:
    """Round trip as the catalogue is written: lists of entries indented under their key, no
    line folded (an Arabic reason is one line), quotes kept as they were, and no anchor and
    alias for a value written twice (each is written out)."""
    y = YAML()
    y.representer.ignore_aliases = lambda _data: True
    y.preserve_quotes = True
    y.width = 100_000
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _section(source: str) -> tuple[int, int]:
    """Where the top-level `calendar:` section is in `source`, as (start, end) offsets: from
    its key's line to the next top-level key, less the comments and blank lines just above
    that key (they are the next section's); (len, len) when there is none."""
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    start = next((n for n, line in enumerate(lines) if re.match(r"calendar\s*:(\s|$)", line)), None)
    if start is None:
        return len(source), len(source)
    end = next((n for n in range(start + 1, len(lines)) if _TOP_KEY.match(lines[n])), len(lines))
    while end > start + 1 and (lines[end - 1].startswith("#") or not lines[end - 1].strip()):
        end -= 1
    return offsets[start], offsets[end]


def edited(source: str, edit) -> str:
    """`source` (indicators.yaml's text) with its calendar section's entries (a list of
    ruamel maps, in the catalogue's order) given to `edit` to change in place; the text
    outside the section is kept as it is, byte for byte."""
    start, end = _section(source)
    y = _yaml()
    if start == end:
        head, data = ("" if not source or source.endswith("\n") else "\n") + "\n" + _SECTION_HEAD, CommentedMap()
    else:
        head = ""
        try:
            data = y.load(source[start:end])
        except YAMLError as exc:
            raise Refused(catalogue=f"{CATALOGUE}: the calendar section cannot be read: {exc}") from None
        if not isinstance(data, CommentedMap) or list(data) != ["calendar"]:
            raise Refused(catalogue=f"{CATALOGUE}: the calendar section cannot be told apart from the next one")
    entries = data.get("calendar")
    if not isinstance(entries, CommentedSeq) or not entries:
        entries = data["calendar"] = CommentedSeq(entries or [])
    entries.fa.set_block_style()
    edit(entries)
    out = io.StringIO()
    y.dump(data, out)
    return source[:start] + head + out.getvalue() + source[end:]


def _text(value: str) -> str:
    """`value`, quoted where the catalogue's reader (PyYAML, YAML 1.1) would read it as other
    than text, which ruamel (YAML 1.2) writes plain: `yes`, `on`, `No` are booleans to it."""
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
        return SingleQuotedScalarString(value)
    return value


def _flow(**values) -> CommentedMap:
    """A small map of texts written on one line, as the catalogue writes `{ar: …, en: …}`."""
    m = CommentedMap({k: _text(v) for k, v in values.items()})
    m.fa.set_flow_style()
    return m


def _flow_list(items: list) -> CommentedSeq:
    s = CommentedSeq(items)
    s.fa.set_flow_style()
    return s


def write_calendar(project, edit, person) -> str | None:
    """Edit the catalogue's calendar (`edit(entries, cat)`, which returns the commit's message),
    check the whole new catalogue as the build does, put it in place and commit it as `person`
    (spi/desk/git.py), all under the desk's lock: another editor's save waits for the commit,
    so that it neither changes the file before it is committed (its change under this
    editor's name, and its own commit then empty) nor finds git's index locked. Refused, with
    nothing written, when the check refuses. Returns what git said went wrong, or None."""
    path = project.catalogue
    try:
        project.processed.mkdir(parents=True, exist_ok=True)
        with open(project.processed / "desk-calendar.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            cat = _checked(path, path)
            source = path.read_bytes().decode("utf-8")
            messages = []
            new = edited(source, lambda entries: messages.append(edit(entries, cat)))
            aside = path.with_name(f".spi-part-{secrets.token_hex(6)}-{path.name}")
            try:
                aside.write_bytes(new.encode("utf-8"))
                shutil.copymode(path, aside)
                _checked(aside, path)
                os.replace(aside, path)
            finally:
                aside.unlink(missing_ok=True)
            return git.commit(project.root, [str(path.relative_to(project.root))],
                              messages[0] + f"\n\nRecorded in the desk by {person.name}.\n", person)
    except OSError as exc:   # a full disk, a folder it may not write: said, the catalogue as it was
        raise Refused("cal_unwritable", why=isolate(exc.strerror or type(exc).__name__)) from None


def _checked(path: Path, named: Path):
    """load_catalogue(path), its refusal naming `named` (the catalogue, not the copy checked)."""
    try:
        return load_catalogue(path)
    except CatalogueError as exc:
        message = said(exc)
        if isinstance(message, Text):   # the catalogue's own check, naming the catalogue's file
            raise Refused(catalogue=Text(message.key, **{**message.fields, "file": named.name})) from None
        raise Refused(catalogue=str(exc).replace(path.name, named.name)) from None


# --- the form's values, checked --------------------------------------------------------------

def _today(cat) -> date:
    """The publisher's day, by the clock the catalogue check reads (a change dated later is refused)."""
    return datetime.now(ZoneInfo(cat.site["timezone"])).date()


def _day(value: str) -> str:
    value = value.strip()
    try:
        if _DAY.fullmatch(value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise Refused("cal_not_a_day")


def _both(form_, prefix: str, missing: str) -> CommentedMap:
    ar, en = (form_.get(f"{prefix}_{k}", "").strip() for k in LANGUAGES)
    if not ar or not en:
        raise Refused(missing)
    return _flow(ar=ar, en=en)


def _announcement(form_) -> CommentedMap:
    """The new entry the announce form gives: its day, title, indicators (none: left out) and languages."""
    day = _day(form_.get("date", ""))
    title = _both(form_, "title", "cal_need_title")
    languages = [k for k in LANGUAGES if k in form_.getlist("languages")]
    if not languages:
        raise Refused("cal_need_language")
    entry = CommentedMap(date=day, title=title)
    indicators = [k for k in form_.getlist("indicators") if k]
    if indicators:
        entry["indicators"] = _flow_list(list(dict.fromkeys(indicators)))
    entry["languages"] = _flow_list(languages)
    return entry


def _change(form_, entry: dict, today: date) -> tuple[CommentedMap, str]:
    """The change the change form gives to `entry` (the state after it, the day it moves to,
    the same for no move, and its reason) and the entry's day after it; refused when it
    changes nothing."""
    state = form_.get("state", "")
    if state not in CALENDAR_STATES:
        raise Refused("cal_need_state")
    day = _day(form_.get("date", ""))
    reason = _both(form_, "reason", "cal_need_reason")
    moved = day != entry["date"]
    if not moved and state == entry.get("state", DEFAULT_STATE):
        raise Refused("cal_nothing")
    change = CommentedMap(day=today.isoformat(), state=state)
    if moved:
        change["moved_from"] = entry["date"]
    change["reason"] = reason
    return change, day


def _record(entries: CommentedSeq, n: int, change: CommentedMap, day: str) -> None:
    """`change` below entry n's others (on one line if the one above it is), its `state` set
    to the change's (written before `changes` when it was not given) and, for a move, its
    `date` to `day`."""
    entry = entries[n]
    if "moved_from" in change:
        entry["date"] = day
    changes = entry.setdefault("changes", CommentedSeq())
    if changes and isinstance(changes[-1], CommentedMap) and changes[-1].fa.flow_style():
        change.fa.set_flow_style()
    changes.fa.set_block_style()
    changes.append(change)
    if "state" in entry:
        entry["state"] = change["state"]
    else:
        entry.insert(list(entry).index("changes"), "state", change["state"])


# --- pages ------------------------------------------------------------------------------------

def _project():
    return default_project()


def _catalogue():
    """The project's catalogue as checked (None and the refusal when it is refused)."""
    try:
        return _checked(_project().catalogue, _project().catalogue), None
    except Refused as exc:
        return None, exc


def _state(entry: dict, lang_: str) -> str:
    return t("calendar_state_" + entry.get("state", DEFAULT_STATE), lang_)


def _change_line(change: dict, lang_: str) -> str:
    """One change as the public pages say it: its day, the state after it, a move, and why."""
    reason = change["reason"][lang_]
    said = (t("calendar_moved", lang_, date=change["moved_from"], reason=reason) if "moved_from" in change
            else reason)
    return f'{isolate(change["day"])} · {t("calendar_state_" + change["state"], lang_)} · {said}'


def _changes(entry: dict, lang_: str) -> str:
    found = entry.get("changes", [])
    if not found:
        return ""
    return '<ul class="desk-history">' + "".join(f"<li>{escape(_change_line(c, lang_))}</li>" for c in found) + "</ul>"


def _saved(lang_: str) -> str:
    """After a change is written: where it shows, and when."""
    if flask.request.args.get("done") not in ("announced", "changed"):
        return ""
    parts = [f'<p class="desk-done" role="status">{escape(text("cal_" + flask.request.args["done"], lang_))} '
             f'{escape(text("cal_next_build", lang_))}</p>']
    if "editor" in auth.user().roles:
        parts.append(form("desk.start_build", lang_, "", text("build_button", lang_)))
    return "".join(parts)


@auth.needs("editor", "approver", "reviewer")
def calendar_page(problem: Refused | None = None, status: int = 200):
    lang_ = lang()
    cat, broken = _catalogue()
    parts = [f'<h1>{escape(text("cal_title", lang_))}</h1><p>{escape(text("cal_intro", lang_))}</p>', _saved(lang_)]
    for refusal in (problem, broken):
        if refusal is not None:
            parts.append(refusal.html(lang_))
    if cat is not None:
        parts.append(_table(cat, lang_))
        if "editor" in auth.user().roles:
            parts.append(_announce_form(cat, lang_, flask.request.form if problem else {}))
    return document(lang_, text("cal_title", lang_), "".join(parts)), status


def _table(cat, lang_: str) -> str:
    if not cat.calendar:
        return f'<p>{escape(text("cal_none", lang_))}</p>'
    head = "".join(f'<th scope="col">{escape(text(k, lang_))}</th>'
                   for k in ("cal_col_date", "cal_col_title", "cal_col_state", "cal_col_changes"))
    rows = "".join(f'<tr><td class="num">{escape(isolate(e["date"]))}</td>'
                   f'<td><a href="{escape(url("desk.announcement", lang_, name=announcement_id(e)))}">'
                   f'{escape(e["title"][lang_])}</a></td><td>{escape(_state(e, lang_))}</td>'
                   f'<td>{_changes(e, lang_)}</td></tr>' for e in cat.calendar)
    return f'<table class="desk-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _announce_form(cat, lang_: str, values) -> str:
    chosen = set(values.getlist("indicators")) if values else set()
    languages = set(values.getlist("languages")) if values else set(LANGUAGES)
    options = "".join(f'<option value="{escape(k)}"{" selected" if k in chosen else ""}>'
                      f'{escape(ind["name"][lang_])} ({escape(isolate(k))})</option>' for k, ind in cat.indicators.items())
    boxes = "".join(f'<label class="desk-choice"><input type="checkbox" name="languages" value="{k}"'
                    f'{" checked" if k in languages else ""}> {escape(text("cal_lang_" + k, lang_))}</label>'
                    for k in LANGUAGES)
    fields = (field("date", text("cal_date", lang_), kind="date", dir_="ltr", value=values.get("date", "") if values else "")
              + field("title_ar", text("cal_title_ar", lang_), dir_="rtl", value=values.get("title_ar", "") if values else "")
              + field("title_en", text("cal_title_en", lang_), dir_="ltr", value=values.get("title_en", "") if values else "")
              + f'<label for="indicators">{escape(text("cal_indicators", lang_))}</label>'
                f'<select id="indicators" name="indicators" multiple size="8">{options}</select>'
              + f'<fieldset class="desk-choices"><legend>{escape(text("cal_languages", lang_))}</legend>{boxes}</fieldset>')
    return (f'<section aria-labelledby="announce"><h2 id="announce">{escape(text("cal_new", lang_))}</h2>'
            + form("desk.announce", lang_, fields, text("cal_announce_button", lang_)) + "</section>")


def _found(cat, name: str) -> int:
    """The index of the announcement named `name` in the calendar; 404 when there is none."""
    if not _NAME.fullmatch(name):
        flask.abort(404)
    n = next((n for n, e in enumerate(cat.calendar) if announcement_id(e) == name), None)
    if n is None:
        flask.abort(404)
    return n


@auth.needs("editor", "approver", "reviewer")
def announcement_page(name: str, problem: Refused | None = None, status: int = 200):
    lang_ = lang()
    cat, broken = _catalogue()
    if cat is None:
        return calendar_page()
    entry = cat.calendar[_found(cat, name)]
    names = [cat.indicators[k]["name"][lang_] for k in entry.get("indicators", [])]
    languages = text("list_sep", lang_).join(text("cal_lang_" + k, lang_) for k in entry.get("languages", LANGUAGES))
    facts = [("cal_col_date", isolate(entry["date"])), ("cal_col_state", _state(entry, lang_)),
             ("cal_languages", languages), ("cal_col_indicators", text("list_sep", lang_).join(names) or "—")]
    parts = [f'<h1>{escape(entry["title"][lang_])}</h1>', _saved(lang_),
             problem.html(lang_) if problem else "",
             "<dl>" + "".join(f"<dt>{escape(text(k, lang_))}</dt><dd>{escape(v)}</dd>" for k, v in facts) + "</dl>",
             _changes(entry, lang_)]
    if "editor" in auth.user().roles:
        parts.append(_change_form(entry, name, lang_, flask.request.form if problem else {}))
    parts.append(f'<p><a href="{escape(url("desk.calendar", lang_))}">{escape(text("cal_title", lang_))}</a></p>')
    return document(lang_, entry["title"][lang_], "".join(parts)), status


def _change_form(entry: dict, name: str, lang_: str, values) -> str:
    state = values.get("state") if values else entry.get("state", DEFAULT_STATE)
    options = "".join(f'<option value="{s}"{" selected" if s == state else ""}>{escape(t("calendar_state_" + s, lang_))}'
                      "</option>" for s in CALENDAR_STATES)
    fields = (f'<label for="state">{escape(text("cal_new_state", lang_))}</label>'
              f'<select id="state" name="state">{options}</select>'
              + field("date", text("cal_new_date", lang_), kind="date", dir_="ltr",
                      value=values.get("date", "") if values else entry["date"])
              + field("reason_ar", text("reason_ar", lang_), dir_="rtl", area=True,
                      value=values.get("reason_ar", "") if values else "")
              + field("reason_en", text("reason_en", lang_), dir_="ltr", area=True,
                      value=values.get("reason_en", "") if values else ""))
    return (f'<section aria-labelledby="change"><h2 id="change">{escape(text("cal_change", lang_))}</h2>'
            f'<p>{escape(text("cal_change_intro", lang_))}</p>'
            + form("desk.change_announcement", lang_, fields, text("cal_change_button", lang_), name=name) + "</section>")


# --- actions ----------------------------------------------------------------------------------

def _written(failed: str | None, name: str, done: str, **fields):
    """After the catalogue is written and committed: the audit line (with what git said went
    wrong, if anything), the announcement's page saying it is done."""
    auth.audit("desk_calendar", username=auth.user().username, action=done, calendar_id=name, git_error=failed,
               addr=auth.addr(), **fields)
    return flask.redirect(url("desk.announcement", lang(), name=name, done=done), 303)


@auth.needs("editor")
def announce_view():
    def edit(entries, cat):
        """The new entry, first its `id`, one no announcement of the calendar has (read under the lock)."""
        taken = {announcement_id(e) for e in cat.calendar}
        entry.insert(0, "id", _text(new_id(entry["date"], entry["title"]["en"], taken)))
        entries.append(entry)
        return f"Calendar: {entry['title']['en']} announced for {entry['date']}\n\n{entry['title']['ar']}"

    try:
        entry = _announcement(flask.request.form)
        failed = write_calendar(_project(), edit, auth.user())
    except Refused as exc:
        auth.audit("desk_calendar", username=auth.user().username, action="announce", refused=str(exc),
                   addr=auth.addr())
        return calendar_page(problem=exc, status=exc.status)
    return _written(failed, entry["id"], "announced", date=entry["date"])


@auth.needs("editor")
def change_view(name: str):
    made = {}

    def edit(entries, cat):
        n = _found(cat, name)
        change, day = _change(flask.request.form, cat.calendar[n], _today(cat))
        _record(entries, n, change, day)
        made.update(change=change, day=day)
        moved = f", moved from {change['moved_from']} to {day}" if "moved_from" in change else ""
        return (f"Calendar: {cat.calendar[n]['title']['en']} {change['state']}{moved}\n\n{change['reason']['en']}"
                f"\n\n{change['reason']['ar']}")

    try:
        failed = write_calendar(_project(), edit, auth.user())
    except Refused as exc:
        auth.audit("desk_calendar", username=auth.user().username, action="change", calendar_id=name,
                   refused=str(exc), addr=auth.addr())
        return announcement_page(name, problem=exc, status=exc.status)
    change = made["change"]
    return _written(failed, name, "changed", state=change["state"], date=made["day"],
                    moved_from=change.get("moved_from"))
