"""`spi`: build the database, check a new source file, serve the site (alone, or behind nginx),
publish chart images; start a project (`spi init`).

Every verb that reads or writes statistics works on a project (contract/project.py): --project
DIR, else $SPI_PROJECT, else the first folder from the current one upward that holds an
indicators.yaml; every default path is that project's, never the software's own folder.

build and validate are the ETL's (etl/); serve and publish read the built database through
the read layer (store/) and are imported only when asked for, so a build stays light.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from contract.manifest import MANIFEST
from contract.project import ENV as PROJECT_ENV
from contract.project import NoProject, Project, locate
from contract.schema import LANGS
from etl import revisions
from etl.build import build, validate_files
from etl.catalogue import CatalogueError, load_catalogue
from etl.release import SERVED, ReleaseError, amend, change_dimensions, diff, make_release, write_served
from etl.messages import Text, language, render, said, text
from etl.report import INFO, errors, format_info, format_report

# The verbs that work on a project's statistics; the others (reviewer-hash, signing-key,
# nginx-config, init) need none.
NEEDS_PROJECT = ("build", "validate", "release", "diff", "verify", "serve", "publish", "recipe", "desk",
                 "pre-release-access")
PROJECT_HELP = ("the project folder, which holds indicators.yaml, data/raw/ and data/releases/ (default: $SPI_PROJECT, "
                "else the first folder from this one upward that holds an indicators.yaml)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spi", description="Social protection indicators: build, validate, serve. "
                                     "Paths are the project's (--project, else the folder this runs in or above it).")
    parser.add_argument("--project", type=Path, default=None, metavar="DIR", help=PROJECT_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="start a project in DIR: a catalogue to fill in, data/raw/, data/releases/ and a "
                                    "README for the statistics unit")
    p.add_argument("dir", type=Path, nargs="?", default=Path("."), metavar="DIR", help="the folder (default: this one)")
    p.add_argument("--country", default="OM",
                   help="the country's ISO 3166-1 alpha-2 code, e.g. OM, JO or LB (default: OM); its governorates "
                        "are its ISO 3166-2 subdivisions")
    p = sub.add_parser("build", help="build data/processed/indicators.duckdb from the raw files")
    p.add_argument("--raw", type=Path, default=None, help="folder of source files (default: data/raw)")
    p.add_argument("--catalogue", type=Path, default=None, help="the catalogue (default: indicators.yaml)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: data/processed)")
    p.add_argument("--releases", type=Path, default=None,
                   help="the releases to serve (default: data/releases); their databases go to OUT/releases/")
    p.add_argument("--lang", choices=("ar", "en"), default=None,
                   help="the language of the messages (default: the locale's, LC_ALL / LC_MESSAGES / LANG: Arabic "
                        "when it starts with ar, else English)")
    p = sub.add_parser("release", help="publish the last build (the candidate) as a release, on a date; or cancel "
                                       "or reschedule the latest release while it is under embargo")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--note-en", help="what the release brings, in a sentence in English (with --note-ar)")
    what.add_argument("--note", help="the English note alone, as before notes had both languages: the release is "
                                     "made, and said to have no Arabic note (the Arabic pages show the English one)")
    what.add_argument("--cancel", metavar="ID", help="cancel release ID (the latest, still under embargo)")
    what.add_argument("--reschedule", metavar="ID", help="give release ID (the latest, still under embargo) the time --at")
    p.add_argument("--note-ar", help="what the release brings, in a sentence in Arabic (with --note-en)")
    p.add_argument("--reason", default="", help="why it is cancelled or rescheduled (recorded and shown)")
    p.add_argument("--reasons", type=Path, default=None, metavar="FILE",
                   help="why it revises, amends or withdraws figures: a CSV, a row a figure (indicator_id, geo_code, "
                        "period, its breakdowns, kind: routine|correction|major, reason_ar, reason_en); "
                        "`spi diff --reasons-template` prints one to fill in")
    p.add_argument("--at", default=None, help="when it goes public (ISO 8601, e.g. 2026-12-15T09:00; without an offset, "
                                              "the catalogue's site.timezone); default: now")
    p.add_argument("--out", type=Path, default=None, help="where the candidate was built (default: data/processed)")
    p.add_argument("--releases", type=Path, default=None, help="the releases (default: data/releases)")
    p.add_argument("--catalogue", type=Path, default=None, help="the catalogue (default: indicators.yaml)")
    p.add_argument("--by", default=None, help="who releases it (default: this user)")
    p.add_argument("--approved-by", default=None,
                   help="the second person who approved the release (recorded in its entry; never --by)")
    p.add_argument("--sign-key", type=Path, default=_env_path("SPI_SIGNING_KEY_FILE"),
                   help="the ministry's Ed25519 private key (PEM), when the catalogue has site.signing_key "
                        "(default: $SPI_SIGNING_KEY_FILE)")
    p = sub.add_parser("verify", help="check that the releases are the ones on record: the manifest, its hash chain, "
                                      "every file's hash, the signatures and what the site serves")
    p.add_argument("--releases", type=Path, default=None, help="the releases (default: data/releases)")
    p.add_argument("--out", type=Path, default=None,
                   help="the build's folder, whose releases/ the site serves (default: data/processed)")
    p.add_argument("--catalogue", type=Path, default=None,
                   help="whose site.signing_key checks signatures (default: indicators.yaml)")
    p.add_argument("--key", default=None, help="check signatures with this public key (base64) instead")
    p = sub.add_parser("pre-release-access", help="record, beside each release gone public, who saw it under embargo "
                                                  "(from this machine's audit log; run it where reviewers sign in)")
    p.add_argument("--audit-log", type=Path, default=None,
                   help="the audit log of the server reviewers sign in to (default: $SPI_AUDIT_LOG, else "
                        "data/processed/audit.log)")
    p.add_argument("--releases", type=Path, default=None, help="the releases (default: data/releases)")
    p.add_argument("--out", type=Path, default=None,
                   help="the build's folder, whose releases/ the site serves (default: data/processed)")
    p.add_argument("--catalogue", type=Path, default=None, help="the catalogue (default: indicators.yaml)")
    p.add_argument("--sign-key", type=Path, default=_env_path("SPI_SIGNING_KEY_FILE"),
                   help="the ministry's Ed25519 private key (PEM), to sign each record's entry in the manifest when "
                        "the catalogue has site.signing_key (default: $SPI_SIGNING_KEY_FILE)")
    p = sub.add_parser("signing-key", help="make the ministry's Ed25519 key pair for signing releases")
    p.add_argument("--out", type=Path, required=True, help="where to write the private key (PEM; kept secret)")
    p = sub.add_parser("diff", help="what releasing the candidate would change since the latest release")
    p.add_argument("--out", type=Path, default=None, help="where the candidate was built (default: data/processed)")
    p.add_argument("--releases", type=Path, default=None, help="the releases (default: data/releases)")
    p.add_argument("--all", action="store_true", help="every changed figure, not the first 20 of each kind")
    p.add_argument("--reasons-template", action="store_true",
                   help="print, as CSV, the reasons file for `spi release --reasons`: a row per figure the candidate "
                        "revises, amends or withdraws, its kind and reasons to fill in")
    sub.add_parser("reviewer-hash", help="the argon2 hash of a reviewer's password (read from the terminal), "
                                         "for the file SPI_REVIEWERS_FILE names")
    p = sub.add_parser("validate", help="check source files (with the rest of the raw folder) without touching the database")
    p.add_argument("files", type=Path, nargs="+")
    p.add_argument("--catalogue", type=Path, default=None, help="the catalogue (default: indicators.yaml)")
    p.add_argument("--raw", type=Path, default=None, help="the raw folder the files join (default: data/raw)")
    p.add_argument("--lang", choices=("ar", "en"), default=None,
                   help="the language of the messages (default: the locale's, LC_ALL / LC_MESSAGES / LANG: Arabic "
                        "when it starts with ar, else English)")
    p = sub.add_parser("recipe", help="layout recipes: `spi recipe draft FILE` drafts one for a table as printed")
    verbs = p.add_subparsers(dest="recipe_command", required=True)
    p = verbs.add_parser("draft", help="draft the layout recipe of a table as the ministry printed it, with what it "
                                       "found beside each key, and preview the figures `spi build` would read with it")
    p.add_argument("file", type=Path, metavar="FILE", help="the workbook or CSV (in data/raw/)")
    p.add_argument("--sheet", default=None, metavar="NAME",
                   help="the sheet (default: the only one, else the first not hidden that has figures)")
    p.add_argument("--indicator", default=None, metavar="ID",
                   help="the indicator of every figure (default: the one the catalogue or the title names)")
    p.add_argument("--source", default=None, metavar="ID", help="the source of every figure (default: the only source "
                                                                 "of the indicator's country)")
    p.add_argument("--out", type=Path, default=None, metavar="FILE", dest="draft_out",
                   help="where to write the draft (default: <FILE without its suffix>.layout.yaml beside it; an "
                        "existing recipe is never overwritten)")
    p.add_argument("--catalogue", type=Path, default=None, help="the catalogue (default: indicators.yaml)")
    p.add_argument("--project", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=PROJECT_HELP)
    p.add_argument("--lang", choices=("ar", "en"), default=None,
                   help="the language of the messages (default: the locale's, LC_ALL / LC_MESSAGES / LANG: Arabic "
                        "when it starts with ar, else English)")
    p = sub.add_parser("serve", help="run the dashboard and the open data with gunicorn")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--db", type=Path, default=None,
                   help="a releases folder or a database file (default: data/processed/releases, which `spi build` "
                        "writes from data/releases/; else the candidate, data/processed/indicators.duckdb)")
    p.add_argument("--public-url", default=None,
                   help="the site's public address for absolute links (default: $SPI_PUBLIC_URL, else each request's)")
    proxied = p.add_mutually_exclusive_group()
    proxied.add_argument("--proxy", action="store_true",
                         help="nginx on --host/--port as a caching reverse proxy, in front of gunicorn on a loopback port")
    proxied.add_argument("--behind-proxy", action="store_true",
                         help="an app machine behind a shared nginx: trust its X-Forwarded-For and -Proto")
    proxied.add_argument("--preview", action="store_true",
                         help="the site as releasing the candidate would make it, for the people of SPI_REVIEWERS_FILE "
                              "only (signed in; nothing to anyone else): --db defaults to the candidate, "
                              "data/processed/indicators.duckdb")
    p = sub.add_parser("desk", help="run the statistics unit's desk (sign in with roles, check the candidate, prepare "
                                    "and approve releases) with gunicorn, apart from the public site")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8070)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--desk-url", default=None,
                   help="the desk's own address (default: $SPI_DESK_URL); https makes its cookie Secure")
    p = sub.add_parser("nginx-config", help="print the nginx configuration for a caching proxy in front of app machines "
                                            "(for /etc/nginx/conf.d/)")
    p.add_argument("--upstream", action="append", metavar="HOST:PORT",
                   help="an app machine running `spi serve --behind-proxy` (repeatable; default: 127.0.0.1:8050)")
    p.add_argument("--listen", default="80", help="nginx's [address:]port (default: 80)")
    p.add_argument("--cache-dir", default="/var/cache/nginx/spi", help="where nginx keeps the cache")
    p.add_argument("--public-url", default=None,
                   help="the site's public address, whose host is the server_name (default: $SPI_PUBLIC_URL)")
    p = sub.add_parser("publish", help="write chart images (PNG, SVG, embed HTML) and the whole-dataset files")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--db", type=Path, default=None,
                   help="database (default: $SPI_DB, else data/processed/releases, else data/processed/indicators.duckdb)")
    p.add_argument("--indicator", action="append", help="only this indicator (repeatable)")
    p.add_argument("--lang", default="ar,en", help="languages, comma-separated (default: ar,en)")
    p.add_argument("--no-charts", action="store_true", help="skip the chart images")
    p.add_argument("--no-data", action="store_true", help="skip the whole-dataset files")
    p.add_argument("--base-url", default=None,
                   help="site address used in embed snippets (default: $SPI_PUBLIC_URL, else http://127.0.0.1:8050)")
    for verb in NEEDS_PROJECT:   # after the verb too: `spi build --project DIR`
        sub.choices[verb].add_argument("--project", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                                       help=PROJECT_HELP)
    args = parser.parse_args(argv)
    # `spi diff | head` ends quietly; the handler before is back when main returns (a caller in
    # the same process, a test, keeps Python's own: a closed socket is then an error, not death)
    before = signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGPIPE, before)


def _run(args) -> int:
    run = {"build": _build, "release": _release, "diff": _diff, "validate": _validate, "serve": _serve,
           "nginx-config": _nginx_config, "publish": _publish, "reviewer-hash": _reviewer_hash, "verify": _verify,
           "signing-key": _signing_key, "init": _init, "recipe": _recipe, "desk": _desk,
           "pre-release-access": _pre_release_access}[args.command]
    if args.command not in NEEDS_PROJECT:
        return run(args)
    try:
        project = locate(args.project)
    except NoProject as exc:
        print(f"spi {args.command}: {exc}", file=sys.stderr)
        return 2
    _project_defaults(args, project)
    with _working_on(project):
        return run(args)


def _project_defaults(args, project: Project) -> None:
    """Every path not given on the command line: the project's."""
    for name, path in (("raw", project.raw), ("catalogue", project.catalogue), ("out", project.processed),
                       ("releases", project.releases)):
        if getattr(args, name, False) is None:
            setattr(args, name, path)


@contextmanager
def _working_on(project: Project):
    """$SPI_PROJECT names the project while a verb runs: the read layer's database, the map
    files and the reviewers' files follow it, in this process and in the servers it starts."""
    before = os.environ.get(PROJECT_ENV)
    os.environ[PROJECT_ENV] = str(project.root)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PROJECT_ENV, None)
        else:
            os.environ[PROJECT_ENV] = before


def _init(args) -> int:
    from .init import InitError, init  # imported here so build/validate stay light
    try:
        written = init(args.dir, args.country)
    except InitError as exc:
        print(f"spi init: {exc}", file=sys.stderr)
        return exc.status
    for line in written:
        _say(line)
    return 0


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


def _say(text: str) -> None:
    print(text, flush=True)


def _build(args) -> int:
    lang = language(args.lang, os.environ)
    say = _speaker(lang)
    say(Text("cli.building", raw=str(args.raw)))
    result = build(args.raw, args.catalogue, args.out, progress=say, releases_dir=args.releases)
    problems = [i for i in result.issues if i.severity != INFO]   # INFO lines are printed apart, and not counted
    if problems:
        print(format_report(problems, lang=lang), file=sys.stderr if not result.ok else sys.stdout)
    if format_info(result.issues):
        _say(format_info(result.issues, lang=lang))
    if result.partial:
        print(render("cli.build_partial", lang, {"n": len(errors(result.issues))}), file=sys.stderr)
        return 1
    if not result.ok:
        served = Text("cli.nor_served") if args.releases is not None else ""
        print(render("cli.build_failed", lang, {"n": len(errors(result.issues)), "served": served}), file=sys.stderr)
        return 1
    warnings = len(result.warnings)   # INFO lines are not warnings
    say(Text("cli.built", database=str(result.database), seconds=result.seconds, files=result.files,
             indicators=int(result.indicators), observations=result.observations, warnings=warnings))
    return 0


def _speaker(lang: str):
    """_say for the messages of etl/messages.py, in `lang` (any other line as it is)."""
    return lambda line: _say(text(line, lang))


def _pre_release_access(args) -> int:
    """Record who saw each release gone public before its time (spi/access.py), then the
    served databases' copies of the records."""
    from store.releases import now

    from . import access
    before = os.environ.get("SPI_AUDIT_LOG")
    if args.audit_log is not None:
        os.environ["SPI_AUDIT_LOG"] = str(args.audit_log)   # while this verb runs
    try:
        done, problem = access.record(args.releases, now(), args.catalogue, args.sign_key, progress=_say)
        for line in done:
            _say(line)
        if done or _served_behind(args.releases, args.out):   # (a run cut off, finished now)
            write_served(args.releases, args.out, args.catalogue, progress=_say)
    except (ReleaseError, OSError, duckdb.Error) as exc:
        print(f"spi pre-release-access: {_problem(exc)}", file=sys.stderr)
        return 1
    finally:
        if before is None:
            os.environ.pop("SPI_AUDIT_LOG", None)
        else:
            os.environ["SPI_AUDIT_LOG"] = before
    if problem:
        print(f"spi pre-release-access: {problem}", file=sys.stderr)
        return 1
    if not done:
        _say("nothing to record: every release gone public has its record, and the others are still under embargo")
    return 0


def _served_behind(releases: Path, out: Path) -> bool:
    """Whether the site serves a copy of the manifest other than the history's."""
    served = out / SERVED / MANIFEST
    return served.exists() and served.read_bytes() != (releases / MANIFEST).read_bytes()


def _notes_problem(args) -> str | None:
    """What is wrong with the notes asked for, or None: a new release says what it brings in
    both languages (--note alone, the form from before, is the English note)."""
    if args.cancel or args.reschedule:
        return "--note-ar is for a new release; say why it is cancelled or moved with --reason" \
            if args.note_ar is not None else None
    if args.note_en is None and args.note is None:
        return ("say what the release brings, in Arabic and in English: --note-ar and --note-en (or --cancel ID, "
                "--reschedule ID)")
    if args.note_en is not None and args.note_ar is None:
        return "the note is needed in Arabic too: --note-ar (and in English with --note-en)"
    return None


def _release(args) -> int:
    problem = _notes_problem(args)
    if problem:
        print(f"release refused: {problem}; nothing was changed", file=sys.stderr)
        return 2
    if (args.cancel or args.reschedule) and not args.reason.strip():
        print("release refused: say why with --reason (it is recorded and shown); nothing was changed", file=sys.stderr)
        return 2
    if args.reschedule and args.at is None:
        print("release refused: --reschedule needs the new time, --at; nothing was changed", file=sys.stderr)
        return 2
    if args.reasons is not None and (args.cancel or args.reschedule):
        print("release refused: --reasons is for a new release (say why it is cancelled or moved with --reason); "
              "nothing was changed", file=sys.stderr)
        return 2
    try:
        if not (args.cancel or args.reschedule):
            reasons = revisions.read_file(args.reasons) if args.reasons is not None else None
            entry = make_release(args.note_en or args.note, args.at, args.out, args.releases, args.catalogue, args.by,
                                 sign_key=args.sign_key, progress=_say, note_ar=args.note_ar,
                                 approved_by=args.approved_by, reasons=reasons)
            done = (f"released {entry['release_id']}: public at {_public_at(entry['public_at'], entry['timezone'])}; "
                    f"{entry['added']} added, {entry['revised']} revised, {entry['amended']} amended, "
                    f"{entry['withdrawn']} withdrawn")
            if "reasons_sha256" in entry:
                done += f"; the reasons of {args.reasons.name} kept with it"
            if not any(entry[k] for k in ("added", "revised", "amended", "withdrawn")):
                done += " (no figure changed: the catalogue did, and the release carries it)"   # else refused
            if "note_ar" not in entry:
                print(f"release {entry['release_id']} has no Arabic note: the Arabic pages show its English note, "
                      "marked as English (give both, --note-ar and --note-en, next time)", file=sys.stderr)
        else:
            action, rid = ("cancel", args.cancel) if args.cancel else ("reschedule", args.reschedule)
            # the zone the new time is said in, read before anything is written (a catalogue that
            # cannot be read now is a refusal, not a traceback after the entry was recorded)
            zone = load_catalogue(args.catalogue).site["timezone"]
            entry = amend(rid, action, args.reason, args.at, args.releases, args.catalogue, args.by,
                          sign_key=args.sign_key, out_dir=args.out, progress=_say)
            done = (f"release {rid} cancelled" if action == "cancel" else
                    f"release {rid} rescheduled: public at "
                    f"{_public_at(entry['public_at'], zone)}") + f" (recorded in {args.releases / 'releases.json'})"
    except (ReleaseError, revisions.ReasonsError, CatalogueError, OSError, duckdb.Error) as exc:
        print(f"release refused: {_problem(exc)}; nothing was changed in {args.releases}", file=sys.stderr)
        return 1
    try:
        write_served(args.releases, args.out, args.catalogue, progress=_say)
    except (ReleaseError, OSError, duckdb.Error) as exc:
        print(f"{done}, but the databases the site serves could not be written: {_problem(exc)}. Run `spi build` to "
              "write them; until then the site serves what it served before", file=sys.stderr)
        return 1
    _say(done)
    return 0


def _public_at(public_at: str, zone: str) -> str:
    """A release's public time as the statistics unit reads it: the manifest keeps it in UTC,
    said here in the zone it is named with (2026-12-15T09:00:00+04:00 (Asia/Muscat))."""
    when = datetime.fromisoformat(public_at).astimezone(ZoneInfo(zone))
    return f"{when.isoformat(timespec='seconds')} ({zone})"


def _problem(exc: BaseException) -> str:
    """An error in a sentence: an operating system's names its file."""
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _verify(args) -> int:
    from etl.verify import verify
    key = args.key
    if key is None:
        try:
            key = load_catalogue(args.catalogue).site.get("signing_key")
        except CatalogueError as exc:
            print(f"verify failed: {exc}", file=sys.stderr)
            return 1
    try:
        found = verify(args.releases, args.out, key)
    except (OSError, ValueError) as exc:
        print(f"verify failed: {_problem(exc)}", file=sys.stderr)
        return 1
    for line in found.lines:
        _say(f"  {line}")
    for line in found.notes:
        _say(f"note: {line}")
    for line in found.problems:
        print(f"PROBLEM: {line}", file=sys.stderr)
    if not found.ok:
        print(f"verify failed: {len(found.problems)} problem(s): the history in {args.releases} is not the one on "
              "record", file=sys.stderr)
        return 1
    _say(f"verified {args.releases} in {found.seconds:.2f} s: every entry follows the one before it and every file is "
         "the one released")
    return 0


def _signing_key(args) -> int:
    import base64
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        print(f"no key written: {_problem(exc)} (an existing key is never overwritten)", file=sys.stderr)
        return 1
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public = base64.b64encode(key.public_key().public_bytes(serialization.Encoding.Raw,
                                                            serialization.PublicFormat.Raw)).decode()
    _say(f"wrote the private key to {args.out} (keep it secret and safe: whoever holds it can sign releases)")
    _say("put its public half in indicators.yaml, under site:")
    _say(f"  signing_key: {public}")
    return 0


def _diff(args) -> int:
    try:
        last, change = diff(args.out, args.releases)
    except ReleaseError as exc:
        print(f"diff failed: {exc}", file=sys.stderr)
        return 1
    if args.reasons_template:
        sys.stdout.write(revisions.template(change.rows, change_dimensions(change)))
        return 0
    since = f"release {last['release_id']}" if last else "no release yet"
    _say(f"the candidate against {since}: {change.added} added, {change.revised} revised, {change.amended} amended, "
         f"{change.withdrawn} withdrawn")
    for kind in ("added", "revised", "amended", "withdrawn"):
        rows = change.rows[change.rows["change"] == kind]
        for row in (rows if args.all else rows.head(20)).itertuples(index=False):
            figure = " ".join(str(v) for k, v in row._asdict().items()
                              if v is not None and v == v and not k.startswith(("old_", "new_", "change")))
            _say(f"  {kind:9} {figure}: {_was(row.old_value, row.old_status)} -> {_was(row.new_value, row.new_status)}")
        if not args.all and len(rows) > 20:
            _say(f"  … and {len(rows) - 20} more {kind} (--all lists them)")
    revised = change.rows[change.rows["change"] == "revised"]
    same_source = int((revised["old_source_id"] == revised["new_source_id"]).sum())
    if same_source:
        _say(f"note: {same_source} revised figure(s) keep the source of their old value; check that this source "
             "published the new value, or declare the document that did under `sources:` and cite it")
    return 0


def _was(value, status) -> str:
    if value is None or value != value:
        return status if isinstance(status, str) else "-"
    return f"{value:,.10g}" + (f" ({status})" if isinstance(status, str) else "")


def _validate(args) -> int:
    lang = language(args.lang, os.environ)
    try:
        cat = load_catalogue(args.catalogue)
    except CatalogueError as exc:
        print(text(said(exc), lang), file=sys.stderr)
        return 1
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        print(render("cli.no_such_file", lang, {"files": list(map(str, missing))}), file=sys.stderr)
        return 1
    passed, issues = validate_files(args.files, cat, args.raw, progress=_speaker(lang))
    if issues:
        print(format_report(issues, lang=lang), file=sys.stderr)
    if errors(issues):
        print(render("cli.errors", lang, {"n": len(errors(issues))}), file=sys.stderr)
        return 1
    _say(render("cli.ok", lang, {"n": passed, "raw": str(args.raw)}))
    return 0


def _recipe(args) -> int:
    """`spi recipe draft FILE`: the recipe drafted (etl/draft.py) and written, never over an
    existing one; then the figures the build would read with it, and its problems."""
    from etl.draft import DraftRefused, builtin_reads, draft, preview, preview_lines, recipe_target
    name = "spi recipe draft"
    try:
        cat = load_catalogue(args.catalogue)
    except CatalogueError as exc:
        print(text(said(exc), language(args.lang, os.environ)), file=sys.stderr)
        return 1
    if not args.file.is_file():
        print(f"{name}: no such file: {args.file}", file=sys.stderr)
        return 1
    target = recipe_target(args.file, args.draft_out)
    if target.exists():
        print(f"{name}: {target} exists: an existing recipe is never overwritten; nothing written (move it aside, or "
              "write the draft elsewhere with --out FILE)", file=sys.stderr)
        return 1
    found = builtin_reads(args.file, cat) if args.sheet is None else 0
    if found:
        _say(f"{args.file.name} needs no recipe: the built-in layouts (the long one, with a `value` column, or the wide "
             f"one, etl/recipes/) read its {found:,} figure(s) as it is; nothing written (`spi validate {args.file}` "
             "checks them)")
        return 0
    try:
        drafted = draft(args.file, cat, args.sheet, args.indicator, args.source)
    except DraftRefused as exc:
        why = exc.args[0] if exc.args else str(exc)
        print(render("cli.nothing_written", language(args.lang, os.environ), {"command": name, "why": why}),
              file=sys.stderr)
        return 1
    text = drafted.text()
    try:
        with open(target, "x", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        print(f"{name}: {_problem(exc)}; nothing written", file=sys.stderr)
        return 1
    _say(f"wrote {target}: a draft to check against the table, key by key")
    shown = preview(args.file, text, cat)
    figures = shown.observations
    if len(figures):
        _say(f"the figures `spi build` would read with it (the first {min(len(figures), 20)} of {len(figures):,}):")
        for line in preview_lines(cat, figures):
            _say(f"  {line}")
    _say(f"{shown.records:,} figure(s) read, {len(figures):,} pass every check")
    if shown.issues:
        _say("what `spi build` would report:")
        _say(format_report(shown.issues, lang=language(args.lang, os.environ)))
    if drafted.unplaced:
        _say("could not place:")
        for line in drafted.unplaced:
            _say(f"  {line}")
    for line in drafted.notes:
        print(f"note: {line}", file=sys.stderr)
    if shown.ok and drafted.complete and not drafted.unplaced:
        _say(f"the draft loads: check each key against the table (its comments say what was found), then run "
             f"`spi validate {args.file}` and `spi build`")
        return 0
    print(f"the draft does not load yet: fix what is listed above in {target} (or give --indicator, --source, "
          "--sheet), then run `spi validate` on the file", file=sys.stderr)
    return 1


def _publish(args) -> int:
    from .publish import DEFAULT_BASE_URL, publish  # imported here so build/validate stay light
    from store.address import checked
    langs = tuple(x for x in args.lang.split(",") if x)
    if not langs or any(x not in LANGS for x in langs):
        print(f"--lang takes {', '.join(LANGS)} or {','.join(LANGS)}", file=sys.stderr)
        return 2
    try:
        base_url = checked(args.base_url) or checked(os.environ.get("SPI_PUBLIC_URL")) or DEFAULT_BASE_URL
        result = publish(args.out, args.db, charts=not args.no_charts, data=not args.no_data, langs=langs,
                         indicators=args.indicator, base_url=base_url, progress=_say)
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"publish failed: {exc}", file=sys.stderr)
        return 1
    _say(f"published {len(result.files)} files to {args.out}: {result.charts} chart(s) in {result.seconds_charts:.1f} s"
         f" ({result.renderer or 'no charts'}), dataset files in {result.seconds_data:.1f} s")
    return 0


def _reviewer_hash(args) -> int:
    from .reviewers import main_hash  # imported here so build/validate stay light
    return main_hash([])


def _serve(args) -> int:
    if args.proxy:
        from .proxy import run  # imported here so build/validate stay light
        return run(args.host, args.port, args.workers, args.db, args.public_url)
    from .serve import serve
    return serve(args.host, args.port, args.workers, args.db, args.public_url, args.behind_proxy, args.preview)


def _desk(args) -> int:
    from .serve import desk
    return desk(args.host, args.port, args.workers, args.desk_url)


def _nginx_config(args) -> int:
    from .proxy import site_config
    from store.address import checked
    try:
        public_url = checked(args.public_url or os.environ.get("SPI_PUBLIC_URL"))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(site_config(args.listen, args.upstream or ["127.0.0.1:8050"], args.cache_dir, public_url=public_url), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
