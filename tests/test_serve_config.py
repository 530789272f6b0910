"""`spi serve` checks its settings and what it serves before it starts (spi/config.py,
spi/serve.py): a bad clock, reviewers' file, secret key, public address or audit log, a
manifest entry without its time zone or a served history that does not check, each stops it
with a sentence and exit status 1 before any port is opened, never a server answering 500."""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.servers import free_port, request

GOOD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo0NTY3ODk"


def _serve(paths, served, env: dict, host: str = "127.0.0.1") -> tuple[subprocess.CompletedProcess, int]:
    port = free_port()
    done = subprocess.run([str(paths.spi), "serve", "--db", str(served), "--host", host, "--port", str(port)],
                          capture_output=True, text=True, timeout=120, env=env)
    return done, port


@pytest.fixture(scope="module")
def history(release_history):
    return release_history


def _users(tmp_path, content) -> str:
    path = tmp_path / "reviewers.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("setting, words", [
    ({"SPI_NOW": "yesterday at noon"}, "SPI_NOW='yesterday at noon' is not a date and time such as 2026-12-15T09:00"),
    ({"SPI_REVIEWERS_FILE": "{not json"}, "SPI_REVIEWERS_FILE="),
    ({"SPI_REVIEWERS_FILE": {"amal": {"name": "Amal", "password_hash": "not-a-hash"}}},
     "the password_hash of 'amal' is not an argon2 hash"),
    ({"SPI_REVIEWERS_FILE": {"amal": {"name": "Amal", "password_hash": GOOD_HASH, "role": "admin"}}},
     "reviewer 'amal' has the unknown field(s) 'role'"),
    ({"SPI_REVIEWERS_FILE": None}, "there is no such file"),
    ({"SPI_PUBLIC_URL": "stats.example.gov.om"}, "SPI_PUBLIC_URL='stats.example.gov.om' is not an address"),
    ({"SPI_CACHE_SECONDS": "a minute"}, "SPI_CACHE_SECONDS='a minute': give a whole number of seconds"),
    ({"SPI_AUDIT_LOG": "/etc/hostname/audit.log"}, "SPI_AUDIT_LOG=/etc/hostname/audit.log: it cannot be written"),
])
def test_a_bad_setting_stops_spi_serve_with_a_sentence(paths, history, tmp_path, setting, words):
    env = {**__import__("os").environ, **history.env}
    for name, value in setting.items():
        if name == "SPI_REVIEWERS_FILE":
            env[name] = str(tmp_path / "missing.json") if value is None else _users(tmp_path, value)
        else:
            env[name] = value
    done, port = _serve(paths, history.copy.served, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the site cannot start:" in done.stderr and words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "serving" not in done.stdout
    with pytest.raises(OSError):
        request(port, "/healthz", timeout=2)


@pytest.mark.parametrize("secret", ["", "short"])
def test_a_site_reached_from_other_machines_needs_a_long_secret_key(paths, history, secret):
    env = {**__import__("os").environ, **history.env, "SPI_SECRET_KEY": secret}
    done, _ = _serve(paths, history.copy.served, env, host="0.0.0.0")
    assert done.returncode == 1
    assert f"SPI_SECRET_KEY is {'too short' if secret else 'not set'}" in done.stderr and "Traceback" not in done.stderr


def _served_copy(history, tmp_path):
    import shutil
    served = tmp_path / "served"
    shutil.copytree(history.copy.served, served)
    return served


def test_a_manifest_entry_without_its_time_zone_stops_spi_serve(paths, history, tmp_path):
    served = _served_copy(history, tmp_path)
    data = json.loads((served / "releases.json").read_text())
    del data["releases"][0]["timezone"]
    (served / "releases.json").write_text(json.dumps(data))
    done, _ = _serve(paths, served, {**__import__("os").environ, **history.env})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "entry 1 (release 2025-01-01): 'timezone' is a required property" in done.stderr, done.stderr


def test_a_served_database_not_written_from_its_release_stops_spi_serve(paths, history, tmp_path):
    served = _served_copy(history, tmp_path)
    first, second = history.ids[:2]
    (served / first / "indicators.duckdb").write_bytes((served / second / "indicators.duckdb").read_bytes())
    done, _ = _serve(paths, served, {**__import__("os").environ, **history.env})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"was not written from release {first}'s figures and entry: run `spi build`" in done.stderr, done.stderr


def test_a_site_on_the_loopback_alone_needs_no_secret_key_behind_its_own_nginx(paths, history):
    """`spi serve --proxy` on 127.0.0.1: nginx listens on the loopback only, so no other machine
    can reach a session; a key made per start is enough (said on stderr)."""
    from spi.config import problems
    env = {k: v for k, v in history.env.items() if k != "SPI_SECRET_KEY"}
    assert not [p for p in problems(env, "127.0.0.1") if "SPI_SECRET_KEY" in p]
    assert [p for p in problems(env, "0.0.0.0") if "SPI_SECRET_KEY" in p]
    assert [p for p in problems(env, "10.0.0.11") if "SPI_SECRET_KEY" in p]
