"""Signed-in reviewers: the few people (ministry leadership, the statistics unit) who may see a
release before its embargo ends. Everyone else is the public and signs in to nothing.

`init_app(server)` adds the sign-in to the Flask server: GET/POST /signin, POST /signout, a
session cookie (SESSION_COOKIE; HttpOnly, SameSite=Lax, Secure when SPI_PUBLIC_URL is https)
signed with SPI_SECRET_KEY. `current_reviewer()` says who is signed in to the current request,
`carries_session()` whether the request brought a session at all (then nothing answered to it
is shared: spi/caching.py, and the nginx in front passes it by its cache: deploy/nginx/), and
`audit(event, **fields)` keeps a line per sign-in and per embargoed view in the audit log.

Why it is built this way:
- Reviewers are a JSON file (SPI_REVIEWERS_FILE) of argon2id hashes, not a database: a handful
  of people, managed by whoever deploys the site (`spi reviewer-hash` makes a hash). The file is
  read again when it changes, and a reviewer removed from it, or whose password hash changed,
  is signed out on their next request (the session holds a fingerprint of the hash).
- Nothing here fails open: no file, a missing file or a malformed one means no reviewers.
- The session is Flask's signed cookie. It expires SESSION_HOURS after it was last written (at
  sign-in) and is not rewritten on every answer (a Set-Cookie on a cacheable file is a leak).
- Sign-in attempts are limited per client address (Flask-Limiter, in memory, so per worker
  process); behind a proxy, the server must see the client's address (werkzeug's ProxyFix,
  which spi/app.py puts in front when SPI_BEHIND_PROXY is set).
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
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import argon2
import flask
import flask_login
from argon2.exceptions import InvalidHashError, VerificationError
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask.sessions import SecureCookieSessionInterface

from store.address import configured
from store.texts import UnknownLanguage, direction, lang_of, other_lang, t

DEFAULT_AUDIT_LOG = Path(__file__).resolve().parent.parent / "data" / "processed" / "audit.log"
SESSION_HOURS = 8  # a working day: a forgotten browser does not stay signed in for a month
SIGNIN_LIMIT = "5 per minute"
MIN_PASSWORD = 12
MAX_USERNAME = 100  # longer names are cut in the audit log and the form (no reviewer has one)
NO_STORE = "private, no-store"
SESSION_COOKIE = "session"  # the name the nginx in front looks for (spi/proxy.py) to keep its cache out

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
}

_hasher = argon2.PasswordHasher()  # argon2id with the library's current recommended parameters


def _text(key: str, lang: str, **fields) -> str:
    text = TEXTS[key][0 if lang == "ar" else 1]
    return text.format(**fields) if fields else text


# --- reviewers --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reviewer(flask_login.UserMixin):
    username: str
    name: str
    password_hash: str

    def get_id(self) -> str:
        """What the session keeps: the username behind a fingerprint of the password hash, so a
        new password (a new hash in the file) ends every session opened with the old one."""
        return f"{_fingerprint(self.password_hash)}:{self.username}"


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


_cache: tuple[tuple, dict[str, Reviewer]] = ((), {})


def _reviewers() -> dict[str, Reviewer]:
    """The reviewers file as it is now: read again only when its path, mtime, size or inode
    changed (a stat per request, not a parse)."""
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


def _read(path: Path) -> dict[str, Reviewer]:
    """The file's reviewers, or none with a message on stderr when it cannot be read or is not
    exactly the documented shape (a half-understood file must not let anyone in)."""
    try:
        return _parse(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        print(f"SPI_REVIEWERS_FILE={path}: {exc}; no reviewer can sign in until it is fixed", file=sys.stderr)
        return {}


def _parse(data: object) -> dict[str, Reviewer]:
    """{"username": {"name": "Display name", "password_hash": "$argon2id$..."}} to reviewers;
    ValueError naming the first entry that is not of that shape."""
    if not isinstance(data, dict):
        raise ValueError('expected an object {"username": {"name": ..., "password_hash": ...}}')
    reviewers = {}
    for username, entry in data.items():
        if not username or not isinstance(entry, dict) or not isinstance(entry.get("name"), str) \
                or not isinstance(entry.get("password_hash"), str):
            raise ValueError(f"reviewer {username!r} needs a name and a password_hash (both strings)")
        try:
            argon2.extract_parameters(entry["password_hash"])
        except InvalidHashError:
            raise ValueError(f"the password_hash of {username!r} is not an argon2 hash "
                             "(make one with `spi reviewer-hash`)") from None
        reviewers[username] = Reviewer(username, entry["name"], entry["password_hash"])
    return reviewers


def _load_reviewer(user_id: str) -> Reviewer | None:
    """Flask-Login's user loader: the session's reviewer if still in the file with the same hash."""
    fingerprint, _, username = user_id.partition(":")
    reviewer = _reviewers().get(username)
    if reviewer and hmac.compare_digest(_fingerprint(reviewer.password_hash), fingerprint):
        return reviewer
    return None


@functools.cache
def _decoy_hash() -> str:
    """A hash of a random password, checked when the username is unknown so that a wrong
    username takes as long as a wrong password (the time must not tell which one was wrong)."""
    return _hasher.hash(secrets.token_urlsafe(32))


def _verify(username: str, password: str) -> Reviewer | None:
    reviewer = _reviewers().get(username)
    try:
        _hasher.verify(reviewer.password_hash if reviewer else _decoy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return reviewer


def hash_password(password: str) -> str:
    """The argon2id hash of a password, as the reviewers file keeps it."""
    return _hasher.hash(password)


def _signed_in() -> Reviewer | None:
    if not flask.has_request_context() or not hasattr(flask.current_app, "login_manager"):
        return None
    user = flask_login.current_user
    return user if isinstance(user, Reviewer) else None


def current_reviewer() -> str | None:
    """The signed-in reviewer's username for the current request; None for the public, outside
    a request, and for a cookie that is forged, expired or names a reviewer no longer in the file."""
    reviewer = _signed_in()
    return reviewer.username if reviewer else None


# --- audit log --------------------------------------------------------------------------------

def audit(event: str, **fields) -> None:
    """Append {"at": UTC time, "event": event, **fields} as one JSON line to the audit log
    (SPI_AUDIT_LOG, else data/processed/audit.log). The file is locked while the line is written
    so that the workers of the server never interleave their lines. An audit log that cannot
    be written raises: what must be recorded is not shown unrecorded."""
    path = Path(os.environ.get("SPI_AUDIT_LOG", "").strip() or DEFAULT_AUDIT_LOG)
    record = {"at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "event": event, **fields}
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.write(line)
        f.flush()  # before the lock goes with the file's closing


# --- the server -------------------------------------------------------------------------------

def init_app(server: flask.Flask) -> None:
    """Sign-in for reviewers on `server`: the session cookie, Flask-Login, the rate limit on
    POST /signin and the routes /signin and /signout."""
    server.secret_key = os.environ.get("SPI_SECRET_KEY", "").strip() or _process_key()
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=(configured() or "").startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS), SESSION_REFRESH_EACH_REQUEST=False)
    server.session_interface = _PublicStaysPublic()
    manager = flask_login.LoginManager(server)
    manager.user_loader(_load_reviewer)
    limiter = Limiter(get_remote_address, app=server, storage_uri="memory://", strategy="moving-window")
    signin = limiter.limit(SIGNIN_LIMIT, methods=["POST"])(_signin)
    server.add_url_rule("/signin", "signin", signin, methods=["GET", "POST"])
    server.add_url_rule("/signout", "signout", _signout, methods=["POST"])
    server.register_error_handler(RateLimitExceeded, _too_many)
    server.after_request(_no_store)


class _PublicStaysPublic(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that an answer to a request that brought no
    session cookie and left the session empty does not say `Vary: Cookie`. Flask-Login looks
    at the session on every request, and Flask then marks every answer as varying by cookie,
    which a shared cache (a CDN, the nginx in front) cannot key on: public answers would
    never be cached."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        if not session and self.get_cookie_name(app) not in flask.request.cookies:
            kept = [v for v in response.vary if v.lower() != "cookie"]
            if kept:
                response.headers["Vary"] = ", ".join(kept)
            else:
                response.headers.pop("Vary", None)


@functools.cache
def _process_key() -> str:
    """A secret key for this process when SPI_SECRET_KEY is not set: made once, so the workers
    forked from a preloaded server share it; gone at the next start, with every session."""
    print("SPI_SECRET_KEY is not set: reviewers' sessions end when the server restarts "
          "(set it to a long random value, e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)",
          file=sys.stderr)
    return secrets.token_hex(32)


def carries_session() -> bool:
    """Whether the current request brought a session cookie (a reviewer's, or the sign-in
    form's token): its answers are that person's, never a shared cache's."""
    return SESSION_COOKIE in flask.request.cookies


def _no_store(response: flask.Response) -> flask.Response:
    """Sign-in pages carry a per-session token and answers about a person: never cached."""
    if flask.request.path in ("/signin", "/signout"):
        response.headers["Cache-Control"] = NO_STORE
    return response


def _lang() -> str:
    try:
        return lang_of(flask.request.args.get("lang"))
    except UnknownLanguage:
        flask.abort(400)


def _csrf_token() -> str:
    return flask.session.setdefault("csrf", secrets.token_urlsafe(32))


def _csrf_ok() -> bool:
    sent = flask.request.form.get("csrf_token", "").encode()
    kept = flask.session.get("csrf", "").encode()
    return bool(kept) and hmac.compare_digest(sent, kept)


def _safe_next(value: str | None) -> str:
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
    if flask.request.method == "GET":
        return _signin_page(lang)
    username = flask.request.form.get("username", "")[:MAX_USERNAME]
    if not _csrf_ok():
        audit("signin", ok=False, reason="bad_csrf", username=username, addr=get_remote_address())
        flask.abort(400)
    reviewer = _verify(username, flask.request.form.get("password", ""))
    if reviewer is None:
        reason = "wrong_password" if username in _reviewers() else "unknown_user"
        audit("signin", ok=False, reason=reason, username=username, addr=get_remote_address())
        return _signin_page(lang, failed=True, username=username), 401
    flask.session.clear()  # a new session: nothing from before the sign-in carries over
    flask_login.login_user(reviewer)
    flask.session.permanent = True
    audit("signin", ok=True, username=username, addr=get_remote_address())
    response = flask.redirect(_safe_next(flask.request.form.get("next")), 303)
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


def _signout():
    if not _csrf_ok():
        flask.abort(400)
    reviewer = current_reviewer()
    flask_login.logout_user()
    flask.session.clear()
    if reviewer:
        audit("signout", reviewer=reviewer, addr=get_remote_address())
    return flask.redirect("/", 303)


def _too_many(exc: RateLimitExceeded):
    """429 for the sign-in limit, in both languages (the attempt is not checked, but recorded)."""
    audit("signin", ok=False, reason="rate_limited",
          username=flask.request.form.get("username", "")[:MAX_USERNAME], addr=get_remote_address())
    lang = "en" if flask.request.args.get("lang") == "en" else "ar"
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
    next_ = _safe_next(flask.request.values.get("next"))
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
            f'<input type="hidden" name="csrf_token" value="{escape(_csrf_token())}">'
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
            f'<input type="hidden" name="csrf_token" value="{escape(_csrf_token())}">'
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
