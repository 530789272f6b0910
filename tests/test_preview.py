"""`spi serve --preview` (spi/preview.py): the public site as releasing the candidate would make
it, through the real server (gunicorn as `spi serve` runs it), for the people of the reviewers'
file only. The project is a copy of the demonstration project whose candidate revises one figure
(tests/desk_project.py: Jordan's psychosocial support team of 2024, 44 in the latest release,
45 in the candidate)."""
from __future__ import annotations

import json
import subprocess

import pytest

from store.database import Database
from tests.desk_project import NOTE_AR, NOTE_EN, PEOPLE, REVISED, desk_setting
from tests.servers import SPI, spi_desk, spi_serve

API = f"/api/v1/observations?indicator={REVISED[0]}&geo=JO&from=2024&to=2024"


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    return desk_setting(tmp_path_factory.mktemp("preview"))


@pytest.fixture(scope="module")
def preview(setting):
    project, env, root = setting
    with spi_serve(["--preview", "--project", str(project.root), "--workers", "1"], root / "preview.log",
                   env) as running:
        yield running


def _values(answer) -> list[float]:
    return [row["value"] for row in json.loads(answer.body)["data"]]


def test_nobody_signed_out_gets_a_figure_of_the_candidate(preview):
    page = preview.get("/explorer?lang=en")
    assert page.status == 303 and page.headers["Location"] == "/signin?next=%2Fexplorer%3Flang%3Den&lang=en"
    data = preview.get(API)
    assert data.status == 401 and json.loads(data.body)["error"]["code"] == "preview_signin"
    assert b"45" not in data.body and preview.get("/data/observations.csv").status == 401
    for answer in (page, data, preview.get("/signin")):
        assert answer.headers["Cache-Control"] == "private, no-store"
        assert answer.headers["X-Robots-Tag"] == "noindex, nofollow"
    signin = preview.get("/signin")
    assert signin.status == 200 and 'class="preview-banner"' in signin.text and "لم تُنشر بعد" in signin.text
    assert preview.get("/assets/style.css").status == 200 and preview.get("/healthz").status == 200


def test_a_signed_in_person_sees_the_site_with_the_candidate_and_is_told_so(preview, setting):
    person = preview.client()
    assert person.sign_in("amal", PEOPLE["amal"][2]).status == 303
    assert _values(person.get(API)) == [float(REVISED[2])]          # the candidate's figure, not the release's
    page = person.get("/?lang=en")
    assert page.status == 200 and page.headers["Cache-Control"] == "private, no-store"
    head = page.text.split('<div id="react-entry-point">')[0]
    assert 'class="preview-banner"' in head and "These figures are not published yet" in head
    assert head.index('lang="en"', head.index("preview-banner")) < head.index('lang="ar"', head.index("preview-banner"))
    assert "Social protection" in page.text                           # the site itself, server-drawn
    seen = [json.loads(line) for line in (setting[2] / "audit.log").read_text().splitlines()]
    build = Database(setting[0].candidate).build_id
    assert {"event": "preview_view", "reviewer": "amal", "name": "Amal", "path": "/", "build": build}.items() \
        <= seen[-1].items()
    person.sign_out()
    assert person.get(API).status == 401


def test_the_public_site_is_never_a_preview(setting, tmp_path):
    """A variable left in a shell does not turn the public server into a preview; the public
    server serves the latest release, not the candidate."""
    project, env, _ = setting
    with spi_serve(["--project", str(project.root), "--db", str(project.served), "--workers", "1"],
                   tmp_path / "public.log", {**env, "SPI_PREVIEW": "1"}) as public:
        answer = public.get(API)
        assert answer.status == 200 and _values(answer) == [float(REVISED[1])]
        page = public.get("/")
        assert page.status == 200 and "preview-banner" not in page.text


def test_a_preview_without_people_to_sign_in_does_not_start(setting):
    project, env, _ = setting
    done = subprocess.run([str(SPI), "serve", "--preview", "--project", str(project.root)], capture_output=True,
                          text=True, env={k: v for k, v in env.items() if k != "SPI_REVIEWERS_FILE"} | _path(),
                          timeout=120)
    assert done.returncode == 1 and "SPI_REVIEWERS_FILE is not set" in done.stderr and "Traceback" not in done.stderr


def test_the_desk_links_to_the_preview(setting, tmp_path):
    project, env, _ = setting
    with spi_desk(project.root, tmp_path / "desk.log", {**env, "SPI_PREVIEW_URL": "https://preview.example.org/"}) as desk:
        editor = desk.client()
        assert editor.sign_in("huda", PEOPLE["huda"][2]).status == 303
        home = editor.get("/?lang=en").text
        assert '<a href="https://preview.example.org/?lang=en">Preview the site as it would look' in home
    wrong = subprocess.run([str(SPI), "desk", "--project", str(project.root)], capture_output=True, text=True,
                           env={**env, "SPI_PREVIEW_URL": "preview.example.org"} | _path(), timeout=120)
    assert wrong.returncode == 1 and "SPI_PREVIEW_URL='preview.example.org' is not an address" in wrong.stderr


def _path() -> dict:
    import os
    return {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}


def test_who_saw_the_candidate_is_on_the_list_of_the_release_made_of_it(preview, setting, tmp_path):
    """Seen in the preview (Amal, above; Noor here) or in the desk's page of what it changes
    (Huda), before it was a release: each is on the list of pre-release access published with
    the release made of that build; Salim, who saw nothing of it, is not. (Last in the module:
    it releases the candidate.)"""
    project, env, _ = setting
    noor = preview.client()
    assert noor.sign_in("noor", PEOPLE["noor"][2]).status == 303 and noor.get("/explorer").status == 200
    with spi_desk(project.root, tmp_path / "desk.log", env) as desk:
        for username in ("huda", "salim"):
            person = desk.client()
            assert person.sign_in(username, PEOPLE[username][2]).status == 303
        assert person.get("/?lang=en").status == 200                      # Salim: the desk's home, no figure
        huda = desk.client()
        huda.sign_in("huda", PEOPLE["huda"][2])
        assert huda.get("/changes?lang=en").status == 200
    done = subprocess.run([str(SPI), "release", "--project", str(project.root), "--note-en", NOTE_EN, "--note-ar",
                           NOTE_AR, "--by", "huda"], capture_output=True, text=True, env={**env, **_path()}, timeout=300)
    assert done.returncode == 0, done.stderr
    with spi_serve(["--project", str(project.root), "--db", str(project.served), "--workers", "1"],
                   tmp_path / "public.log", env) as public:
        latest = json.loads(public.get("/api/v1/releases").body)["data"][0]
        assert latest["pre_release_access"] == {"available": True, "names": ["Amal", "Noor Haddad", "Huda Al-Balushi"]}
