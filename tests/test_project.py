"""A project is the folder `spi` runs in, not the folder the software came from.

- contract/project.py finds it (--project, $SPI_PROJECT, else the first folder upward with an
  indicators.yaml) and says where each of its files is;
- outside any project, the verbs that need one exit 2 with one sentence; the others need none;
- `spi init` starts one that validates, and builds once a figure file is added;
- this checkout's `spi`, run in another project, writes there and never into this checkout;
- a wheel of the software, installed in a fresh environment, runs a starter project end to end
  (validate, build, release, verify, serve) with nothing read from or written to the checkout.

Every figure here is synthetic and lives in a temporary folder.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from contract.project import NoProject, Project, default, find, locate
from spi.cli import main as spi

REPO = Path(__file__).resolve().parent.parent
SOFTWARE = ("contract", "etl", "store", "dashboard", "api", "spi")
FIGURES = ("indicator_id,geo,period,value,source_id,sex\n"
           "om_beneficiaries,OM,2024,1200,om_first_source,\n"
           "om_beneficiaries,OM-MA,2024,300,om_first_source,\n"
           "om_beneficiaries,OM,2024,700,om_first_source,male\n")
OUTSIDE = "no indicators.yaml in this folder or above it"


def clean_env(**extra) -> dict:
    """The environment without anything that names a project, a database or another Python path."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SPI_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, **extra}


def run(exe, *args, cwd, env=None, timeout=300):
    return subprocess.run([str(exe), *map(str, args)], cwd=cwd, env=env or clean_env(), capture_output=True,
                          text=True, timeout=timeout)


def checkout_data() -> dict:
    """The checkout's own statistics, byte for byte (data/raw, data/releases, data/geo and the
    catalogue), and the names under the served folder; data/processed/ itself may be rebuilt
    by anyone at any time."""
    out = {}
    for path in [REPO / "indicators.yaml", *(p for d in ("raw", "releases", "geo") for p in (REPO / "data" / d).rglob("*"))]:
        if path.is_file():
            out[str(path.relative_to(REPO))] = hashlib.sha256(path.read_bytes()).hexdigest()
    served = REPO / "data" / "processed" / "releases"
    out["served"] = sorted(p.name for p in served.iterdir()) if served.is_dir() else []
    return out


def assert_checkout_untouched(before: dict) -> None:
    after = checkout_data()
    assert after["served"] == before["served"] or set(after["served"]) <= set(before["served"]), after["served"]
    assert {k: v for k, v in after.items() if k != "served"} == {k: v for k, v in before.items() if k != "served"}
    csv = REPO / "data" / "processed" / "observations.csv"
    assert not csv.exists() or "om_beneficiaries" not in csv.read_text(encoding="utf-8")


@pytest.fixture
def outside(tmp_path, monkeypatch):
    """The current folder is a temporary one, in no project, and $SPI_PROJECT is unset."""
    monkeypatch.delenv("SPI_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- finding the project -------------------------------------------------------------------


def test_the_project_is_the_first_folder_upward_with_a_catalogue(outside, monkeypatch):
    root = outside / "ministry"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "indicators.yaml").write_text("licence: {}\n", encoding="utf-8")
    assert find(root / "data" / "raw") == Project(root.resolve())
    assert find(outside) is None
    monkeypatch.chdir(root / "data" / "raw")
    project = locate()
    assert project.root == root.resolve()
    assert (project.catalogue, project.raw, project.releases, project.geo) == (
        root / "indicators.yaml", root / "data" / "raw", root / "data" / "releases", root / "data" / "geo")
    assert project.served == root / "data" / "processed" / "releases"
    assert project.candidate == root / "data" / "processed" / "indicators.duckdb"
    assert (project.audit_log.name, project.state.name) == ("audit.log", "reviewers.sqlite")
    assert project.audit_log.parent == project.processed
    # --project and SPI_PROJECT name one wherever it runs; a folder without a catalogue is refused.
    monkeypatch.chdir(outside)
    assert locate(root).root == root.resolve()
    assert locate(None, {"SPI_PROJECT": str(root)}).root == root.resolve()
    with pytest.raises(NoProject, match="no indicators.yaml in .*given by --project"):
        locate(outside)
    with pytest.raises(NoProject, match=OUTSIDE):
        locate(None, {})
    assert default().root == outside.resolve()   # the library's default never raises


def test_the_read_layer_and_the_maps_follow_the_project(outside, monkeypatch):
    from dashboard.svg import geo_dir
    from store.database import served
    monkeypatch.delenv("SPI_DB", raising=False)
    monkeypatch.setenv("SPI_PROJECT", str(outside))
    assert served() == outside / "data" / "processed" / "indicators.duckdb"
    (outside / "data" / "processed" / "releases").mkdir(parents=True)
    (outside / "data" / "processed" / "releases" / "releases.json").write_text("{}", encoding="utf-8")
    assert served() == outside / "data" / "processed" / "releases"
    assert geo_dir() == outside / "data" / "geo"
    monkeypatch.setenv("SPI_DB", str(outside / "x.duckdb"))
    assert served() == outside / "x.duckdb"
    monkeypatch.delenv("SPI_PROJECT")
    monkeypatch.delenv("SPI_DB")
    monkeypatch.chdir(REPO / "data")
    assert geo_dir() == REPO / "data" / "geo"


def test_outside_a_project_the_verbs_that_need_one_say_so(outside, capsys):
    for argv in (["build"], ["validate", "x.csv"], ["release", "--note", "n"], ["diff"], ["verify"], ["serve"],
                 ["publish", "--out", "o"]):
        assert spi(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"spi {argv[0]}: {OUTSIDE}") and err.endswith(
            "run `spi init DIR` to start a project, or pass --project DIR"), err
        assert len(err.splitlines()) == 1
    assert list(outside.iterdir()) == []
    # The verbs that need no project work anywhere.
    assert spi(["nginx-config"]) == 0
    assert spi(["signing-key", "--out", str(outside / "key.pem")]) == 0
    assert (outside / "key.pem").exists()


# -- spi init ----------------------------------------------------------------------------


def test_init_writes_a_starter_project_that_validates_and_refuses_a_second_time(outside, capsys):
    from etl.catalogue import load_catalogue
    assert spi(["init", "stats"]) == 0
    root = outside / "stats"
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == [
        ".gitignore", "README.md", "data/raw/.gitkeep", "data/releases/.gitkeep", "indicators.yaml"]
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines() == ["data/processed/"]
    text = (root / "indicators.yaml").read_text(encoding="utf-8")
    schema = text.splitlines()[0].removeprefix("# yaml-language-server: $schema=")
    assert schema.startswith("file://") and Path(schema.removeprefix("file://")).is_file()
    cat = load_catalogue(root / "indicators.yaml")
    governorates = cat.geographies["OM"]["governorates"]
    assert len(governorates) == 11 and governorates["OM-MA"]["en"] == "Masqaţ"
    assert all(g["ar"].startswith("REPLACE: ") for g in governorates.values())   # only the unit knows them
    assert list(cat.indicators) == ["om_beneficiaries"] and cat.site["timezone"] == "Asia/Muscat"
    guide = (root / "README.md").read_text(encoding="utf-8")
    for command in ("spi validate", "spi build", "spi diff", "spi release", "spi serve", "om_figures.csv"):
        assert command in guide
    assert "{{" not in guide
    # A second start is refused, and changes nothing.
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert spi(["init", str(root)]) == 1
    assert "already holds an indicators.yaml" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    assert spi(["init", "other", "--country", "XX"]) == 2
    assert not (outside / "other").exists()


@pytest.mark.parametrize("country, zone, governorates", [("JO", "Asia/Amman", 12), ("LB", "Asia/Beirut", 8),
                                                         ("NO", "Europe/Oslo", None)])
def test_init_for_another_country(outside, country, zone, governorates):
    from etl.catalogue import load_catalogue
    assert spi(["init", "p", "--country", country.lower()]) == 0
    cat = load_catalogue(outside / "p" / "indicators.yaml")   # NO stays Norway, not YAML's false
    assert list(cat.geographies) == [country] and cat.site["timezone"] == zone
    assert governorates is None or len(cat.geographies[country]["governorates"]) == governorates
    assert list(cat.indicators) == [f"{country.lower()}_beneficiaries"]


def test_init_refuses_a_country_the_catalogue_cannot_hold(outside, capsys):
    """Spain's ISO 3166-2 list gives one name to two subdivisions, which the catalogue refuses:
    no project is written that would not validate."""
    assert spi(["init", "es", "--country", "ES"]) == 1
    assert "the catalogue of ES cannot be started" in capsys.readouterr().err
    assert not (outside / "es" / "indicators.yaml").exists()


# -- this checkout's spi on another project -------------------------------------------------


def test_the_checkouts_spi_works_on_the_project_it_runs_in(paths, tmp_path, monkeypatch):
    before = checkout_data()
    root = tmp_path / "ministry"
    done = run(paths.spi, "init", root, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = run(paths.spi, "build", cwd=root)
    assert done.returncode == 1
    assert "no source files found (.csv, .xlsx, .xls or .ods)" in done.stderr
    (root / "data" / "raw" / "om_figures.csv").write_text(FIGURES, encoding="utf-8")
    done = run(paths.spi, "validate", "om_figures.csv", cwd=root / "data" / "raw")   # from a folder below the root
    assert done.returncode == 0, done.stderr
    assert "ok: 3 figures pass every check" in done.stdout
    done = run(paths.spi, "build", cwd=root)
    assert done.returncode == 0, done.stderr
    assert f"built {root}/data/processed/indicators.duckdb" in done.stdout
    done = run(paths.spi, "release", "--note", "The first figures", cwd=root)
    assert done.returncode == 0, done.stderr
    assert (root / "data" / "releases" / "releases.json").is_file()
    assert (root / "data" / "processed" / "releases" / "releases.json").is_file()
    # --project before or after the verb, or SPI_PROJECT, from anywhere.
    for args, env in ((("--project", root, "verify"), None), (("diff", "--project", root), None),
                      (("verify",), clean_env(SPI_PROJECT=str(root)))):
        done = run(paths.spi, *args, cwd=tmp_path, env=env)
        assert done.returncode == 0, (args, done.stderr)
    assert "0 added, 0 revised" in run(paths.spi, "diff", "--project", root, cwd=tmp_path).stdout
    # What `spi serve` gives its workers: this project, and where to import the software from.
    from spi.serve import CODE, environment
    for name in ("SPI_DB", "PYTHONPATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPI_PROJECT", str(root))
    monkeypatch.setenv("SPI_AUDIT_LOG", str(root / "data" / "processed" / "audit.log"))   # checked writable
    db, env = environment(None, None)
    assert db == root / "data" / "processed" / "releases"
    assert env["SPI_PROJECT"] == str(root) and env["SPI_DB"] == str(db)
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(CODE) == str(REPO)   # a checkout, not installed
    assert_checkout_untouched(before)


def test_the_demonstration_project_is_the_repository_root(paths):
    """The README's `spi build` and `spi serve` at the repository root: its catalogue, raw
    files and releases, from the root or a folder below it."""
    done = run(paths.spi, "validate", paths.raw / "om_spf_south_batinah.csv", cwd=REPO / "data" / "raw")
    assert done.returncode == 0, done.stderr
    assert f"with the other files of {REPO}/data/raw" in done.stdout
    from etl.build import DEFAULT_CATALOGUE, DEFAULT_RAW
    from etl.release import DEFAULT_RELEASES
    assert (DEFAULT_RAW, DEFAULT_CATALOGUE, DEFAULT_RELEASES) == (
        REPO / "data" / "raw", REPO / "indicators.yaml", REPO / "data" / "releases")


# -- the software installed from a wheel, away from the checkout ----------------------------


def _uv() -> list[str]:
    for python in ("python3", sys.executable):
        exe = shutil.which(python) or python
        if subprocess.run([exe, "-m", "uv", "--version"], capture_output=True).returncode == 0:
            return [exe, "-m", "uv"]
    if shutil.which("uv"):
        return [shutil.which("uv")]
    pytest.fail("uv is not installed: run scripts/setup")


def _must(done: subprocess.CompletedProcess, what: str) -> None:
    assert done.returncode == 0, f"{what} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def _get(url: str) -> tuple[int, str]:
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(url, timeout=30) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.mark.installed
def test_a_wheel_installed_in_a_fresh_environment_runs_a_project_of_its_own(tmp_path):
    """Offline, as on CI after scripts/setup: the wheel is built with the checkout's setuptools
    (no build isolation), the locked libraries come from uv's cache (`uv sync --frozen
    --offline`, without the project), then the wheel is installed; then a starter project
    is run through it in a folder outside the checkout, with no PYTHONPATH."""
    before = checkout_data()
    uv = _uv()
    source = tmp_path / "source"   # the software's files only: the build writes nothing into the checkout
    for name in SOFTWARE:
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    _must(subprocess.run([*uv, "build", "--wheel", "--no-build-isolation", "--offline", "--python", sys.executable,
                          "--out-dir", str(tmp_path / "dist"), str(source)],
                         capture_output=True, text=True, timeout=600, env=clean_env()), "uv build")
    wheel, = (tmp_path / "dist").glob("*.whl")
    lock = tmp_path / "lock"
    lock.mkdir()
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy2(REPO / name, lock / name)
    venv = tmp_path / "venv"
    _must(subprocess.run([*uv, "sync", "--frozen", "--offline", "--no-install-project", "--python", sys.executable],
                         cwd=lock, capture_output=True, text=True, timeout=600,
                         env=clean_env(UV_PROJECT_ENVIRONMENT=str(venv))), "uv sync of the locked libraries")
    _must(subprocess.run([*uv, "pip", "install", "--offline", "--python", str(venv / "bin" / "python"), str(wheel)],
                         capture_output=True, text=True, timeout=600, env=clean_env()), "uv pip install of the wheel")
    exe = venv / "bin" / "spi"
    work = tmp_path / "elsewhere"
    work.mkdir()
    # The software is the installed one, every package of it.
    done = run(venv / "bin" / "python", "-c", "import " + ", ".join(SOFTWARE) + "; "
               "print('\\n'.join(m.__file__ for m in (" + ", ".join(SOFTWARE) + ")))", cwd=work)
    _must(done, "import")
    assert all(Path(line).is_relative_to(venv) for line in done.stdout.split()), done.stdout
    # A project of its own: init, a figure file, validate, build, release, verify.
    _must(run(exe, "init", "ministry", "--country", "OM", cwd=work), "spi init")
    root = work / "ministry"
    assert run(exe, "build", cwd=root).returncode == 1
    (root / "data" / "raw" / "om_figures.csv").write_text(FIGURES, encoding="utf-8")
    _must(run(exe, "validate", "data/raw/om_figures.csv", cwd=root), "spi validate")
    done = run(exe, "build", cwd=root)
    _must(done, "spi build")
    assert "1 files, 1 indicators, 3 observations" in done.stdout
    _must(run(exe, "release", "--note", "The first figures", "--by", "test", cwd=root), "spi release")
    done = run(exe, "verify", cwd=root)
    _must(done, "spi verify")
    assert f"verified {root}/data/releases" in done.stdout
    assert run(exe, "build", cwd=work).returncode == 2   # outside any project
    # Served by gunicorn from the installed package: the page, the assets, the project's release.
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    with open(log, "wb") as fh:
        server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", "1"], cwd=root, env=clean_env(),
                                  stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail(f"spi serve did not answer:\n{log.read_text(errors='replace')[-3000:]}")
        status, page = _get(f"http://127.0.0.1:{port}/explorer?indicator=om_beneficiaries&lang=en")
        assert status == 200 and "Beneficiaries" in page and "1,200" in page
        assert _get(f"http://127.0.0.1:{port}/assets/style.css")[0] == 200
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/releases")
        assert status == 200 and "The first figures" in body
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert f"serving {root}/data/processed/releases" in log.read_text(errors="replace")
    assert_checkout_untouched(before)
