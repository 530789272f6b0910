"""Signed-in reviewers: the few people (ministry leadership, the statistics unit) who may see a
release before its embargo ends. Everyone else is the public and signs in to nothing.

`init_app(server)` adds the sign-in to the Flask server: GET/POST /signin, POST /signout, a
session cookie (SESSION_COOKIE; HttpOnly, SameSite=Lax, Secure when SPI_PUBLIC_URL is https)
signed with SPI_SECRET_KEY. `current_reviewer()` says who is signed in to the current request,
`carries_session()` whether the request brought a session cookie at all (then nothing answered
to it is shared: spi/caching.py, and the nginx in front passes it by its cache: deploy/nginx/),
and `audit(event, **fields)` keeps a line per sign-in and per embargoed view in the audit log.

Why it is built this way:
- Reviewers are a JSON file (SPI_REVIEWERS_FILE) of argon2id hashes, not a database: a handful
  of people, managed by whoever deploys the site (`spi reviewer-hash` makes a hash). The file is
  read again when it changes, and a reviewer removed from it, or whose password hash changed,
  is signed out on their next request (the session keeps a fingerprint of the hash).
- Nothing here fails open: no file, a missing file or a malformed one means no reviewers; a
  state file or an audit log that cannot be used is a 503 (`Unavailable`), never a way in and
  never an embargoed answer left unrecorded.
- Sessions are kept on the server (spi/sessions.py: SQLite, SPI_STATE, one file per machine).
  The cookie holds only a random session id, signed by Flask; sign-out revokes the id, so a
  copy of the cookie kept from before is nobody. A session expires SESSION_HOURS after sign-in;
  the cookie is written at sign-in only (a Set-Cookie on a cacheable answer is a leak).
- A session lives on the machine that made it. With several app machines, the nginx in front
  must send every request that carries the session cookie to that machine (deploy/nginx/); a
  reviewer whose machine fails, or is taken out, is nobody on the others (the cookie is cleared
  there) and signs in again: fail closed.
- Only a signed-in reviewer carries the session cookie: the nginx in front bypasses its cache
  for any request with it. The sign-in form's token is bound instead to a nonce in a cookie of
  its own (SIGNIN_COOKIE, sent to /signin only, an hour long). A session cookie that is not a
  live session (forged, expired, revoked, its reviewer gone) gets the public's answer, not kept
  by any cache, and is cleared in it, so the next request is the public's, cacheable again.
  The public's requests bring no session cookie and never open the state file.
- Sign-in attempts are limited to SIGNIN_LIMIT failed attempts a minute per client address,
  counted in the state file, so across every worker of the machine; a successful sign-in does
  not use one up. Behind a proxy, the server must see the client's address (werkzeug's
  ProxyFix, which spi/app.py puts in front when SPI_BEHIND_PROXY is set); across machines,
  the nginx in front limits POST /signin per client itself.
- The audit log cannot be used to fill the disk: an anonymous failed attempt has a line of its
  own only within FAILED_LINES_PER_MINUTE lines a minute per machine, and an attempt refused by
  the limit has none; what was left out is one summary line per minute ("signin_summary":
  how many were refused, from how many addresses and the most refused of them, how many failed
  attempts were not itemised), written by the first attempt after that minute. So anonymous
  attempts add at most FAILED_LINES_PER_MINUTE + 1 lines a minute, a few hundred bytes each.
  Sign-ins, sign-outs and every embargoed view of a reviewer are always written.
- A successful sign-in tells the browser to drop its cached copies of the site's pages
  (Clear-Site-Data): the public's pages may be kept a minute, and a reviewer who has just
  signed in must see the embargoed release at once, not the copy from before.
"""
from __future__ import annotations

import argparse
import fcntl
import functools
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import argon2
import flask
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadData, URLSafeTimedSerializer

from api.http import error as json_error
from contract.project import default as default_project
from store.address import configured
from store.prerelease import audit_log_path
from store.texts import UnknownLanguage, direction, lang_of, other_lang, t

from . import sessions
from .policy import JSON_PREFIXES
from .sessions import Unavailable

# This machine's own files, never shared with another machine: the audit log and the reviewers'
# state, in the project's data/processed/ (contract/project.py: SPI_PROJECT, which `spi serve`
# gives its workers, else the project found from the current folder), as at import.
MACHINE_FILES = default_project().processed
DEFAULT_STATE = default_project().state
REVIEWER_FIELDS = {"name", "password_hash", "roles"}
# What a person in the reviewers' file may do: read embargoed releases on the public site
# (reviewer), and in the statistics unit's desk (spi/desk/) load tables and prepare releases
# (editor) or approve or send back a release someone else prepared (approver). A person
# without a `roles` list is a reviewer, as everyone in the file was before roles.
ROLES = ("editor", "approver", "reviewer")
PREVIEW_ENV = "SPI_PREVIEW"   # "1" on `spi serve --preview` only (spi/preview.py)
SESSION_HOURS = 8  # a working day: a forgotten browser does not stay signed in for a month
SIGNIN_LIMIT, SIGNIN_WINDOW = 5, 60  # failed attempts per client address, in any 60 seconds
FAILED_LINES_PER_MINUTE = 30  # anonymous failed attempts itemised in the audit log, per machine
FORM_SECONDS = 3600  # how long a sign-in form stays good to send
MIN_PASSWORD = 12
MAX_USERNAME = 100  # longer names are cut in the audit log and the form (no reviewer has one)
NO_STORE = "private, no-store"
SESSION_COOKIE = "session"  # the name the nginx in front looks for (spi/proxy.py) to keep its cache out
SIGNIN_COOKIE = "signin_nonce"  # the sign-in form's nonce: not SESSION_COOKIE, so caching goes on
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_FILES = ("/assets/", "/_dash-component-suites/", "/_favicon")  # cacheable: never a Set-Cookie

TEXTS: dict[str, tuple[str, str]] = {
    "signin_title": ("دخول المراجعين", "Reviewer sign-in"),
    "signin_intro": ("للمراجعين المخوَّلين فقط (قيادة الوزارة ووحدة الإحصاء): الاطلاع على الإصدارات قبل موعد نشرها.",
                     "For authorised reviewers only (ministry leadership and the statistics unit): "
                     "see releases before they are published."),
    "username": ("اسم المستخدم", "Username"),
    "password": ("كلمة المرور", "Password"),
    "signin": ("دخول", "Sign in"),
    "signin_failed": ("اسم المستخدم أو كلمة المرور غير صحيحة.", "The username or password is not correct."),
    "signed_in_as": ("أنت مسجَّل الدخول باسم {name}.", "You are signed in as {name}."),
    "signout": ("خروج", "Sign out"),
    "back": ("العودة إلى الإحصاءات", "Back to the statistics"),
    "too_many": ("محاولات كثيرة. انتظر دقيقة ثم حاول مرة أخرى.", "Too many attempts. Wait a minute, then try again."),
    "unavailable": ("تعذّر الآن التحقق من دخول المراجعين أو تسجيل ما يطّلعون عليه، فلا يُعرض شيء قبل موعد نشره. "
                    "حاول مرة أخرى بعد دقائق.",
                    "Reviewers' sign-in cannot be checked, or what they see recorded, right now, so nothing "
                    "under embargo is shown. Try again in a few minutes."),
}

_hasher = argon2.PasswordHasher()  # argon2id with the library's current recommended parameters


def _text(key: str, lang: str, **fields) -> str:
    text = TEXTS[key][0 if lang == "ar" else 1]
    return text.format(**fields) if fields else text


# --- reviewers --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reviewer:
    username: str
    name: str
    password_hash: str
    roles: tuple[str, ...] = ("reviewer",)


def fingerprint(password_hash: str) -> str:
    """What a session keeps of its reviewer's password hash: a new password (a new hash in the
    file) ends every session opened with the old one."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


_cache: tuple[tuple, dict[str, Reviewer]] = ((), {})


def _reviewers() -> dict[str, Reviewer]:
    """The people of the file who may read embargoed releases on the public site (the role
    `reviewer`): an editor or approver without it signs in to the desk only. On the preview of
    the candidate (spi/preview.py, which only people of the file can read) everyone of the file
    signs in: the candidate is the editors' work, and what the approvers approve."""
    if os.environ.get(PREVIEW_ENV) == "1":
        return people()
    return {u: r for u, r in people().items() if "reviewer" in r.roles}


def people() -> dict[str, Reviewer]:
    """Everyone in the reviewers file as it is now, whatever their roles: read again only when
    its path, mtime, size or inode changed (a stat per request, not a parse)."""
    global _cache
    name = os.environ.get("SPI_REVIEWERS_FILE", "").strip()
    if not name:
        return {}
    path = Path(name)
    try:
        st = path.stat()
        stamp = (name, st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = (name,)
    if _cache[0] != stamp:
        _cache = (stamp, _read(path))
    return _cache[1]


def read_file(path: Path) -> dict[str, Reviewer]:
    """The file's reviewers; OSError when it cannot be read, ValueError naming what is not
    exactly the documented shape (`spi serve` refuses to start on either: spi/config.py)."""
    return _parse(json.loads(path.read_text(encoding="utf-8")))


def _read(path: Path) -> dict[str, Reviewer]:
    """The file's reviewers, or none with a message on stderr when it cannot be read or is not
    exactly the documented shape (a half-understood file must not let anyone in)."""
    try:
        return read_file(path)
    except (OSError, ValueError) as exc:
        print(f"SPI_REVIEWERS_FILE={path}: {exc}; no reviewer can sign in until it is fixed", file=sys.stderr)
        return {}


def _parse(data: object) -> dict[str, Reviewer]:
    """{"username": {"name": "Display name", "password_hash": "$argon2id$...", "roles": [...]}}
    to reviewers (`roles` is optional: ROLES, at least one, each once); ValueError naming the
    first entry that is not of that shape."""
    if not isinstance(data, dict):
        raise ValueError('expected an object {"username": {"name": ..., "password_hash": ..., "roles": [...]}}')
    reviewers = {}
    for username, entry in data.items():
        if not username or not isinstance(entry, dict) or not isinstance(entry.get("name"), str) \
                or not isinstance(entry.get("password_hash"), str):
            raise ValueError(f"reviewer {username!r} needs a name and a password_hash (both strings)")
        unknown = sorted(set(entry) - REVIEWER_FIELDS)
        if unknown:
            raise ValueError(f"reviewer {username!r} has the unknown field(s) {', '.join(map(repr, unknown))} "
                             f"(a reviewer has {', '.join(sorted(REVIEWER_FIELDS))})")
        try:
            argon2.extract_parameters(entry["password_hash"])
        except InvalidHashError:
            raise ValueError(f"the password_hash of {username!r} is not an argon2 hash "
                             "(make one with `spi reviewer-hash`)") from None
        reviewers[username] = Reviewer(username, entry["name"], entry["password_hash"], _roles(username, entry))
    return reviewers


def _roles(username: str, entry: dict) -> tuple[str, ...]:
    roles = entry.get("roles", ["reviewer"])
    if (not isinstance(roles, list) or not roles or not all(isinstance(r, str) and r in ROLES for r in roles)
            or len(set(roles)) != len(roles)):
        raise ValueError(f"the roles of {username!r} must be a list of one or more of {', '.join(ROLES)}, "
                         f"each once (found {roles!r})")
    return tuple(r for r in ROLES if r in roles)


@functools.cache
def _decoy_hash() -> str:
    """A hash of a random password, checked when the username is unknown so that a wrong
    username takes as long as a wrong password (the time must not tell which one was wrong)."""
    return _hasher.hash(secrets.token_urlsafe(32))


def verify(users: dict[str, Reviewer], username: str, password: str) -> Reviewer | None:
    """The person of `users` with this username and password, else None, in the same time
    whichever of the two was wrong."""
    reviewer = users.get(username)
    try:
        _hasher.verify(reviewer.password_hash if reviewer else _decoy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return reviewer


def hash_password(password: str) -> str:
    """The argon2id hash of a password, as the reviewers file keeps it."""
    return _hasher.hash(password)


# --- sessions ---------------------------------------------------------------------------------

def _state() -> Path:
    """The reviewers' state file of this machine: SPI_STATE, else DEFAULT_STATE."""
    return Path(os.environ.get("SPI_STATE", "").strip() or DEFAULT_STATE)


def carries_session() -> bool:
    """Whether the current request brought the session cookie, live or not: its answer is that
    person's, never a shared cache's (and a cookie that is not a live session is cleared in it)."""
    return SESSION_COOKIE in flask.request.cookies


def _signed_in() -> Reviewer | None:
    """The reviewer of the live session the request's cookie names, looked up once a request
    (the only look-up that opens the state file: a request without the cookie never does).
    Raises Unavailable when the state file cannot be read."""
    if not flask.has_request_context() or "spi.reviewers" not in flask.current_app.extensions \
            or not carries_session():
        return None
    if "spi_reviewer" not in flask.g:
        flask.g.spi_reviewer = _look_up()
    return flask.g.spi_reviewer


def _look_up() -> Reviewer | None:
    sid = flask.session.get("sid")
    found = sessions.find(_state(), sid) if isinstance(sid, str) else None
    reviewer = _reviewers().get(found.reviewer) if found else None
    if reviewer is None or not hmac.compare_digest(fingerprint(reviewer.password_hash), found.fingerprint):
        flask.g.spi_dead_cookie = True   # forged, expired, revoked, made elsewhere, or its reviewer gone
        return None
    return reviewer


def current_reviewer() -> str | None:
    """The signed-in reviewer's username for the current request; None for the public, outside
    a request, and for a cookie that is forged, expired, revoked, made on another machine, or
    names a reviewer no longer in the file (or whose password changed). Raises Unavailable when
    the state file cannot be read: nobody is let in unchecked."""
    reviewer = _signed_in()
    return reviewer.username if reviewer else None


def current_name() -> str | None:
    """The signed-in reviewer's name as the reviewers' file gives it (what the pre-release
    access list publishes: store/prerelease.py); None for the public."""
    reviewer = _signed_in()
    return reviewer.name if reviewer else None


# --- audit log --------------------------------------------------------------------------------

def audit(event: str, **fields) -> None:
    """Append {"at": UTC time, "event": event, **fields} as one JSON line to the audit log
    (store/prerelease.py audit_log_path: SPI_AUDIT_LOG, else the project's). The file is locked while the line is written so
    that the workers of the server never interleave their lines. An audit log that cannot be
    written raises Unavailable: what must be recorded is not shown unrecorded (a 503)."""
    path = audit_log_path()
    record = {"at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "event": event, **fields}
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write(line)
            f.flush()  # before the lock goes with the file's closing
    except OSError as exc:
        raise Unavailable("the audit log (SPI_AUDIT_LOG)", path, exc) from exc


def _failed(reason: str, username: str) -> None:
    """The audit line of an anonymous failed attempt, while this minute's budget lasts
    (FAILED_LINES_PER_MINUTE); beyond it, the attempt is counted for the minute's summary."""
    if sessions.may_itemise(_state(), FAILED_LINES_PER_MINUTE):
        audit("signin", ok=False, reason=reason, username=username, addr=addr())


def addr() -> str:
    return flask.request.remote_addr or "-"


# --- the server -------------------------------------------------------------------------------

def init_app(server: flask.Flask) -> None:
    """Sign-in for reviewers on `server`: the session cookie, the routes /signin and /signout,
    the 503 for a state file or audit log that cannot be used."""
    server.secret_key = os.environ.get("SPI_SECRET_KEY", "").strip() or _process_key()
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=(configured() or "").startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS), SESSION_REFRESH_EACH_REQUEST=False)
    server.extensions["spi.reviewers"] = True
    server.add_url_rule("/signin", "signin", _signin, methods=["GET", "POST"])
    server.add_url_rule("/signout", "signout", _signout, methods=["POST"])
    server.register_error_handler(Unavailable, _unavailable)
    server.after_request(_after)


@functools.cache
def _process_key() -> str:
    """A secret key for this process when SPI_SECRET_KEY is not set: made once, so the workers
    forked from a preloaded server share it; gone at the next start, with every session."""
    print("SPI_SECRET_KEY is not set: reviewers' sessions end when the server restarts "
          "(set it to a long random value, e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)",
          file=sys.stderr)
    return secrets.token_hex(32)


def _after(response: flask.Response) -> flask.Response:
    """Sign-in pages are never cached (a form token, answers about a person) and carry the form's
    nonce cookie; a session cookie that is not a live session is cleared (not on static files,
    which caches keep: a Set-Cookie there would be replayed to others)."""
    path = flask.request.path
    if path in ("/signin", "/signout"):
        response.headers["Cache-Control"] = NO_STORE
        nonce = flask.g.pop("spi_signin_nonce", None)
        if nonce:
            response.set_cookie(SIGNIN_COOKIE, nonce, max_age=FORM_SECONDS, path="/signin", httponly=True,
                                samesite="Lax", secure=flask.current_app.config["SESSION_COOKIE_SECURE"])
    if carries_session() and not path.startswith(_FILES):
        try:
            _signed_in()
        except Unavailable:
            return response   # it may be live: the 503 says so, the cookie stays
        if flask.g.get("spi_dead_cookie"):
            flask.session.clear()   # Flask then sends the cookie expired
            response.headers["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
    return response


def _unavailable(exc: Unavailable) -> flask.Response:
    """A state file or audit log that cannot be used: a 503 in the form the address speaks (JSON
    for the data addresses, else a page in both languages), and one line in the server's log
    naming the file. Nobody is let in and nothing under embargo is shown."""
    request = flask.request
    print(f"spi: {exc}; {request.method} {request.path} refused with 503", file=sys.stderr, flush=True)
    headers = {"Cache-Control": "no-store", "Retry-After": "60"}
    if request.path.startswith(JSON_PREFIXES):
        return json_error(503, "reviewers_unavailable", _text("unavailable", "en"), headers=headers)
    lang = "en" if request.args.get("lang") == "en" else "ar"
    body = "".join(f'<p lang="{x}" dir="{direction(x)}">{escape(_text("unavailable", x))}</p>'
                   for x in (lang, other_lang(lang)))
    page = _document(lang, _text("signin_title", lang), body)
    return flask.Response(page, status=503, mimetype="text/html", headers=headers)


def _lang() -> str:
    try:
        return lang_of(flask.request.args.get("lang"))
    except UnknownLanguage:
        flask.abort(400)


def _serializer(form: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(flask.current_app.secret_key, salt=f"spi-{form}-form")


def nonce_token(serializer: URLSafeTimedSerializer, cookie: str) -> tuple[str, str]:
    """A sign-in form's token and its nonce: the nonce of the browser's `cookie` (a new one if it
    has none), signed with the time. The cookie is sent again with the form, good for another
    FORM_SECONDS. (Before sign-in there is no session to bind the form to; the public site's and
    the desk's sign-ins both bind it so, each with its own cookie and salt.)"""
    nonce = flask.request.cookies.get(cookie, "")
    if not _NONCE.fullmatch(nonce):
        nonce = secrets.token_urlsafe(32)
    return serializer.dumps(nonce), nonce


def nonce_token_ok(serializer: URLSafeTimedSerializer, cookie: str) -> bool:
    """Whether the form sent a token made here in the last FORM_SECONDS for the nonce in the
    browser's `cookie`: another site can make the browser post, not read the token."""
    nonce = flask.request.cookies.get(cookie, "")
    try:
        sent = serializer.loads(flask.request.form.get("csrf_token", ""), max_age=FORM_SECONDS)
    except BadData:
        return False
    return bool(_NONCE.fullmatch(nonce)) and isinstance(sent, str) and hmac.compare_digest(sent.encode(), nonce.encode())


def _signin_token() -> str:
    token, flask.g.spi_signin_nonce = nonce_token(_serializer("signin"), SIGNIN_COOKIE)
    return token


def _signin_token_ok() -> bool:
    return nonce_token_ok(_serializer("signin"), SIGNIN_COOKIE)


def _signout_token() -> str:
    """The sign-out form's token: the session's id, signed (no cookie besides the session's)."""
    return _serializer("signout").dumps(flask.session["sid"])


def _signout_token_ok() -> bool:
    try:
        sent = _serializer("signout").loads(flask.request.form.get("csrf_token", ""))
    except BadData:
        return False
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), flask.session["sid"].encode())


def safe_next(value: str | None) -> str:
    """`next` when it is a path on this site, else "/". Not "//host" (another site), and no
    backslash or control character: browsers read a backslash as a slash and drop tabs and
    newlines, which would turn "/" followed by one of them and "/host" into "//host"."""
    value = value or ""
    if (not value.startswith("/") or value.startswith("//") or "\\" in value
            or any(ord(c) < 0x21 or ord(c) == 0x7F for c in value)):
        return "/"
    return value


def _signin():
    lang = _lang()
    if flask.request.method in ("GET", "HEAD"):
        return _signin_page(lang)
    state = _state()
    attempt = sessions.take_attempt(state, addr(), SIGNIN_LIMIT, SIGNIN_WINDOW,
                                    report=lambda summary: audit("signin_summary", **summary))
    if attempt is None:
        return _too_many(lang)
    username = flask.request.form.get("username", "")[:MAX_USERNAME]
    if not _signin_token_ok():
        _failed("bad_csrf", username)
        flask.abort(400)
    reviewer = verify(_reviewers(), username, flask.request.form.get("password", ""))
    if reviewer is None:
        _failed("wrong_password" if username in _reviewers() else "unknown_user", username)
        return _signin_page(lang, failed=True, username=username), 401
    sessions.refund(state, attempt)
    old = flask.session.get("sid") if carries_session() else None
    if isinstance(old, str):
        sessions.revoke(state, old)   # a new session: nothing from before the sign-in carries over
    sid = sessions.open_session(state, reviewer.username, fingerprint(reviewer.password_hash), SESSION_HOURS * 3600)
    try:
        audit("signin", ok=True, username=username, addr=addr())
    except Unavailable:
        sessions.revoke(state, sid)   # a sign-in not recorded is no sign-in
        raise
    flask.session.clear()
    flask.session["sid"] = sid
    flask.session.permanent = True
    flask.g.spi_reviewer, flask.g.spi_dead_cookie = reviewer, False
    response = flask.redirect(safe_next(flask.request.form.get("next")), 303)
    response.headers["Clear-Site-Data"] = '"cache"'
    response.delete_cookie(SIGNIN_COOKIE, path="/signin", httponly=True, samesite="Lax",
                           secure=flask.current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _signout():
    reviewer = _signed_in()
    if reviewer is None:
        return flask.redirect("/", 303)   # no session to end (a dead cookie is cleared on the way)
    if not _signout_token_ok():
        flask.abort(400)
    sessions.revoke(_state(), flask.session["sid"])
    flask.session.clear()
    audit("signout", reviewer=reviewer.username, addr=addr())
    return flask.redirect("/", 303)


def _too_many(lang: str) -> flask.Response:
    """429 for the sign-in limit, in both languages. The attempt is not checked and has no line
    of its own: it is counted in its minute's summary."""
    body = "".join(f'<p lang="{x}" dir="{direction(x)}">{escape(_text("too_many", x))}</p>'
                   for x in (lang, other_lang(lang)))
    page = _document(lang, _text("signin_title", lang), body)
    return flask.Response(page, status=429, mimetype="text/html", headers={"Retry-After": "60"})


# --- pages ------------------------------------------------------------------------------------

def _document(lang: str, title: str, body: str) -> str:
    """A whole page in `lang`, styled by the site's stylesheets only (the site's
    Content-Security-Policy refuses inline styles and scripts)."""
    return (f'<!DOCTYPE html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)} — {escape(t("site_title", lang))}</title>'
            '<link rel="stylesheet" href="/assets/style.css"><link rel="stylesheet" href="/assets/signin.css">'
            f'</head><body><main id="main" class="signin">{body}</main></body></html>')


def _signin_page(lang: str, failed: bool = False, username: str = "") -> str:
    next_ = safe_next(flask.request.values.get("next"))
    reviewer = _signed_in()
    title = _text("signin_title", lang)
    body = (f"<h1>{escape(title)}</h1><p>{escape(_text('signin_intro', lang))}</p>"
            + (_signout_form(lang, reviewer) if reviewer and not failed else _signin_form(lang, next_, failed, username))
            + _links(lang, next_))
    return _document(lang, title, body)


def _signin_form(lang: str, next_: str, failed: bool, username: str) -> str:
    """The form: labelled inputs; after a failure, a message read out at once (role=alert) that
    each input points to, and which does not say whether the username or the password was wrong."""
    error = (f'<p id="signin-error" class="signin-error" role="alert">{escape(_text("signin_failed", lang))}</p>'
             if failed else "")
    invalid = ' aria-invalid="true" aria-describedby="signin-error"' if failed else ""
    action = "/signin" + ("?lang=en" if lang == "en" else "")
    return (f'{error}<form method="post" action="{action}" class="signin-form">'
            f'<input type="hidden" name="csrf_token" value="{escape(_signin_token())}">'
            f'<input type="hidden" name="next" value="{escape(next_)}">'
            f'<label for="username">{escape(_text("username", lang))}</label>'
            f'<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" '
            f'spellcheck="false" dir="auto" required value="{escape(username)}"{invalid}>'
            f'<label for="password">{escape(_text("password", lang))}</label>'
            f'<input id="password" name="password" type="password" autocomplete="current-password" required{invalid}>'
            f'<button type="submit" class="button">{escape(_text("signin", lang))}</button></form>')


def _signout_form(lang: str, reviewer: Reviewer) -> str:
    return (f'<p>{escape(_text("signed_in_as", lang, name=reviewer.name))}</p>'
            '<form method="post" action="/signout" class="signin-form">'
            f'<input type="hidden" name="csrf_token" value="{escape(_signout_token())}">'
            f'<button type="submit" class="button">{escape(_text("signout", lang))}</button></form>')


def _links(lang: str, next_: str) -> str:
    other = other_lang(lang)
    query = urlencode({"lang": other, **({"next": next_} if next_ != "/" else {})})
    return (f'<p class="signin-links"><a href="/signin?{escape(query)}" lang="{other}" '
            f'aria-label="{escape(t("switch_lang_label", lang))}">{escape(t("switch_lang", lang))}</a> · '
            f'<a href="/?lang={lang}">{escape(_text("back", lang))}</a></p>')


# --- `spi reviewer-hash` ----------------------------------------------------------------------

def main_hash(argv: list[str] | None = None) -> int:
    """`spi reviewer-hash`: read a new password twice (hidden when typed at a terminal, else two
    lines of stdin) and print its argon2id hash for the reviewers file."""
    argparse.ArgumentParser(
        prog="spi reviewer-hash",
        description="Print the argon2id hash of a reviewer's password for SPI_REVIEWERS_FILE. "
                    "The password is read twice from stdin (hidden at a terminal).").parse_args(argv)
    first, second = _read_password("Password: "), _read_password("Again: ")
    if first != second:
        print("the two passwords differ; nothing printed", file=sys.stderr)
        return 1
    if len(first) < MIN_PASSWORD:
        print(f"a reviewer's password needs at least {MIN_PASSWORD} characters", file=sys.stderr)
        return 1
    print(hash_password(first))
    return 0


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")
