"""A rebuilt database is picked up by the running gunicorn workers, without a restart.

Runs after the other browser tests (file order) on the same server: rebuilds its database
folder with one figure changed, checks every worker serves the new figure, then rebuilds
the shipped figures back.
"""
from __future__ import annotations

import http.client
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
SPI = REPO / ".venv" / "bin" / "spi"


def _get(base: str, path: str) -> str:
    u = urlparse(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)  # a new connection: any worker
    c.request("GET", path)
    body = c.getresponse().read().decode()
    c.close()
    return body


def _card(html: str) -> str:
    return html.split('data-indicator="jo_child_safe_spaces"', 1)[1][:1500]


def test_rebuilt_database_is_served_without_restart(server, db_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)
    csv = raw / "jo_social_protection_2024.csv"
    text = csv.read_text(encoding="utf-8")
    assert "jo_child_safe_spaces,الأردن,2024,مرفق,12," in text
    before = {_get(server, "/healthz") for _ in range(4)}
    assert all('"ok":true' in b.replace(" ", "") for b in before)
    assert all(">12<" in _card(_get(server, "/?lang=en")) for _ in range(4))
    csv.write_text(text.replace("jo_child_safe_spaces,الأردن,2024,مرفق,12,", "jo_child_safe_spaces,الأردن,2024,مرفق,15,"),
                   encoding="utf-8")
    try:
        subprocess.run([str(SPI), "build", "--raw", str(raw), "--out", str(db_dir)], check=True, capture_output=True)
        for _ in range(6):   # several connections, so both workers answer at least once (very likely)
            card = _card(_get(server, "/?lang=en"))
            assert ">15<" in card and ">12<" not in card
        assert ">15<" in _get(server, "/explorer?indicator=jo_child_safe_spaces&lang=en").split('id="ssr"', 1)[1]
    finally:
        subprocess.run([str(SPI), "build", "--out", str(db_dir)], check=True, capture_output=True)
    assert ">12<" in _card(_get(server, "/?lang=en"))
