"""A project for the desk's tests: a copy of the demonstration project (its sources and
releases) in git, with one figure revised in its sources and built, and the people of the
desk with their roles."""
from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from contract.project import Project
from spi import reviewers
from spi.cli import main as spi
from tests.tables import INDICATOR, RECIPE, yearbook

REPO = Path(__file__).resolve().parent.parent
PEOPLE = {"huda": ("Huda Al-Balushi", ["editor"], "huda-edits-tables"),
          "salim": ("Salim Al-Harthy", ["approver"], "salim-approves-them"),
          "noor": ("Noor Haddad", ["editor", "approver"], "noor-does-both-jobs"),
          "amal": ("Amal", None, "amal-reads-embargoes")}
SECRET = "s" * 40
# the desk's clock: SPI_NOW, so that the CLI can make the same release at the same moment
NOW = (datetime.now(timezone.utc) + timedelta(minutes=5)).replace(microsecond=0)
NOTE_EN, NOTE_AR = "Jordan: the psychosocial support team of 2024 revised.", "الأردن: تنقيح فريق الدعم النفسي لعام 2024."
REVISED = ("jo_psychosocial_team", "44", "45")


def make_project(root: Path, table: bool = False) -> Project:
    """A copy of the demonstration project (its sources and releases), in git, with one figure
    revised in its sources and built: a candidate with one revised figure. With `table`, the
    catalogue has the indicator of tests/tables.py and data/raw/ its first table.xlsx (2023 and
    2024 for Muscat and Dhofar) with its recipe: four figures added too."""
    for part in ("raw", "releases", "geo"):
        shutil.copytree(REPO / "data" / part, root / "data" / part)
    shutil.copy2(REPO / "indicators.yaml", root / "indicators.yaml")
    if table:
        entry = INDICATOR.replace("[table.xlsx, cases.csv]", "[table.xlsx]")
        catalogue = (root / "indicators.yaml").read_text(encoding="utf-8")
        (root / "indicators.yaml").write_text(catalogue.replace("indicators:\n", "indicators:\n" + entry, 1),
                                              encoding="utf-8")
        yearbook(root / "data" / "raw" / "table.xlsx", [["مسقط", 1200, 1230], ["ظفار", 400, 405]])
        (root / "data" / "raw" / "table.layout.yaml").write_text(RECIPE, encoding="utf-8")
    (root / ".gitignore").write_text("data/processed/\n")
    git = ["git", "-C", str(root), "-c", "user.name=setup", "-c", "user.email=setup@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "the project as shipped"], check=True)
    path = root / "data" / "raw" / "jo_social_protection_2024.csv"
    indicator, old, new = REVISED
    text = path.read_text(encoding="utf-8")
    assert f"{indicator},الأردن,2024,موظف,{old}," in text
    path.write_text(text.replace(f"{indicator},الأردن,2024,موظف,{old},", f"{indicator},الأردن,2024,موظف,{new},"),
                    encoding="utf-8")
    assert spi(["build", "--project", str(root)]) == 0
    return Project(root)




def desk_setting(root: Path, **env) -> tuple[Project, dict[str, str], Path]:
    """A project made by make_project in `root`, and the environment of its desk and servers:
    the people of PEOPLE, the secret, the audit log in `root`, and `env`."""
    project = make_project(root / "project")
    return project, {"SPI_REVIEWERS_FILE": str(people_file(root / "people.json")), "SPI_SECRET_KEY": SECRET,
                     "SPI_AUDIT_LOG": str(root / "audit.log"), **env}, root


def people_file(path: Path) -> Path:
    """The reviewers' file of PEOPLE, with their argon2id hashes and roles."""
    path.write_text(json.dumps({u: {"name": n, "password_hash": reviewers.hash_password(p), **({"roles": r} if r else {})}
                                for u, (n, r, p) in PEOPLE.items()}))
    return path
