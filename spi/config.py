"""The site's settings, checked before it serves: a bad value stops `spi serve` with a
sentence and exit status 1, never a server that answers 500 to every page.

- SPI_NOW (the clock, to rehearse a release day): an ISO 8601 date and time;
- SPI_REVIEWERS_FILE: when set, a file that exists and is exactly the documented shape
  (spi/reviewers.py: a malformed file, a hash that is not argon2, an unknown field);
- SPI_SECRET_KEY: when the site is reached from other machines (it, or the nginx in front of it,
  listens on more than the loopback), set and long enough to sign sessions with (MIN_SECRET characters): a key made per
  start would sign every reviewer out at each restart and differ between workers of two machines;
- SPI_PUBLIC_URL: an http(s) address; SPI_CACHE_SECONDS: a number of seconds;
- SPI_AUDIT_LOG: a file that can be appended to (what must be recorded is not shown unrecorded).
"""
from __future__ import annotations

import ipaddress
import os
from datetime import datetime
from pathlib import Path

MIN_SECRET = 32


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def problems(env: dict[str, str], host: str) -> list[str]:
    """What is wrong with the settings in `env` for a site listening on `host`, a sentence each."""
    from store.address import checked
    from .caching import cache_seconds
    from contract.project import ENV, Project, default
    from .reviewers import read_file
    out = []
    now = env.get("SPI_NOW", "").strip()
    if now:
        try:
            datetime.fromisoformat(now)
        except ValueError:
            out.append(f"SPI_NOW={now[:60]!r} is not a date and time such as 2026-12-15T09:00 (ISO 8601; without "
                       "an offset, UTC); it sets the server's clock to rehearse a release day, unset it otherwise")
    for check in (lambda: checked(env.get("SPI_PUBLIC_URL")), lambda: cache_seconds(env.get("SPI_CACHE_SECONDS"))):
        try:
            check()
        except ValueError as exc:
            out.append(str(exc))
    users = env.get("SPI_REVIEWERS_FILE", "").strip()
    if users:
        try:
            read_file(Path(users))
        except FileNotFoundError:
            out.append(f"SPI_REVIEWERS_FILE={users}: there is no such file")
        except (OSError, ValueError) as exc:
            out.append(f"SPI_REVIEWERS_FILE={users}: {exc}")
    secret = env.get("SPI_SECRET_KEY", "").strip()
    if not _loopback(host) and len(secret) < MIN_SECRET:
        out.append(f"SPI_SECRET_KEY is {'too short' if secret else 'not set'}: a site reached from other machines "
                   f"signs reviewers' sessions with it; set it to at least {MIN_SECRET} random characters, the same "
                   "on every machine (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)")
    project = Project(Path(env[ENV])) if env.get(ENV, "").strip() else default()   # the project the site serves
    audit = Path(env.get("SPI_AUDIT_LOG", "").strip() or project.audit_log)
    try:
        audit.parent.mkdir(parents=True, exist_ok=True)
        with open(audit, "ab"):
            pass
    except OSError as exc:
        out.append(f"SPI_AUDIT_LOG={audit}: it cannot be written ({exc.strerror or exc}); reviewers' views of "
                   "embargoed releases are recorded there")
    return out


def check(env: dict[str, str] | None = None, host: str = "127.0.0.1") -> None:
    """ValueError with every problem, one a line (`spi serve` prints it and exits 1)."""
    found = problems(dict(os.environ) if env is None else env, host)
    if found:
        raise ValueError("the site cannot start:\n" + "\n".join(f"  {line}" for line in found))
