"""Releases (etl/release.py, store/releases.py, spi/embargo.py): release, revise, release
again, and a third release embargoed until 2030. The revised figure shows its status and old
value on the page, in the CSV and in the API; as_of reads the old one; the changes list it; the
history survives `rm -r data/processed` and a rebuild; the embargoed release is invisible to
the public on every route until its time, then live with no restart; a reviewer sees it marked;
a release that changes nothing, or fails half-way, leaves every file as it was; the calendar
is a valid iCalendar feed. Synthetic edits of the shipped sources, in a temp dir."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
import icalendar
import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.build import build
from etl.release import ReleaseError, make_release, write_served
from spi import reviewers
from spi.cli import main as spi

CASES = ("om_mosd_national.xlsx", 4, 11)   # the 2023 social security cases: 79597 in the source
CALENDAR = """calendar:
  - date: "2099-01-15"
    title: {ar: إحصاءات الضمان الاجتماعي 2098, en: Social security statistics 2098}
    indicators: [om_ss_cases]
"""
PASSWORD = "a long reviewers' password"
BEFORE, LIVE, AFTER = "2026-01-01T00:00:00+00:00", "2030-01-01T09:00", "2030-01-02T00:00:00+00:00"


def _set_cases(raw, value: str) -> None:
    name, row, col = CASES
    wb = load_workbook(raw / name)
    wb["data"].cell(row=row, column=col).value = value
    wb.save(raw / name)


def _made(at: str) -> datetime:
    """A minute before `at` (Muscat time): when a test's release is made, so that it may go public then."""
    return datetime.fromisoformat(at).replace(tzinfo=ZoneInfo("Asia/Muscat")) - timedelta(minutes=1)


def _release(root, note: str, at: str) -> dict:
    result = build(root / "raw", root / "indicators.yaml", root / "out", releases_dir=root / "releases")
    assert result.ok, "\n".join(map(str, result.issues))
    entry = make_release(note, at, root / "out", root / "releases", root / "indicators.yaml", by="test", now=_made(at))
    write_served(root / "releases", root / "out", root / "indicators.yaml")
    return entry


@pytest.fixture(scope="module")
def history(tmp_path_factory, paths):
    """Three releases: the seed figures (2025-01-01), 79597 revised to 80000 (2025-03-01), and
    81000 embargoed until 2030-01-01 09:00 Muscat time."""
    root = tmp_path_factory.mktemp("releases")
    shutil.copytree(paths.raw, root / "raw")
    (root / "indicators.yaml").write_text(paths.catalogue.read_text(encoding="utf-8") + CALENDAR, encoding="utf-8")
    ids = [_release(root, "first", "2025-01-01T09:00")["release_id"]]
    _set_cases(root / "raw", "80000")
    ids.append(_release(root, "2023 cases revised", "2025-03-01T09:00")["release_id"])
    _set_cases(root / "raw", "81000")
    ids.append(_release(root, "embargoed", LIVE)["release_id"])
    return root, ids


@pytest.fixture
def site(history, reading, monkeypatch, tmp_path):
    """The app serving the releases, its clock before the embargo ends, a reviewer's file."""
    root, ids = history
    from spi.app import server
    users = tmp_path / "reviewers.json"
    users.write_text(json.dumps({"amal": {"name": "Amal", "password_hash": reviewers.hash_password(PASSWORD)}}))
    monkeypatch.setenv("SPI_REVIEWERS_FILE", str(users))
    monkeypatch.setenv("SPI_AUDIT_LOG", str(tmp_path / "audit.log"))
    monkeypatch.setenv("SPI_NOW", BEFORE)
    with reading(root / "out" / "releases"):
        yield server, root, ids, tmp_path


def _words(client, url: str) -> str:
    """A page's text, its tags taken out (ids and dates sit in spans of their own)."""
    return re.sub(r"<[^>]+>", "", client.get(url).get_data(as_text=True))


def _api(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return response.get_json()


def _cases(client, extra: str = "") -> dict:
    rows = _api(client, f"/api/v1/observations?indicator=om_ss_cases&geo=OM&from=2023&to=2023{extra}")["data"]
    return next(r for r in rows if r["period"] == "2023")


def test_a_revised_figure_shows_its_old_value_on_the_page_in_the_csv_and_the_api(site):
    server, root, (first, second, third) = site[:3]
    client = server.test_client()
    row = _cases(client)
    assert (row["value"], row["previous_value"], row["revised_in"], row["revised_on"]) == (80000, 79597, second, "2025-03-01")
    csv = client.get("/data/om_ss_cases.csv?labels=codes&bom=false").get_data(as_text=True).splitlines()
    header = csv[0].split(",")
    line = next(l.split(",") for l in csv[1:] if ",2023," in l and l.startswith("om_ss_cases,OM,"))
    assert (line[header.index("value")], line[header.index("previous_value")], line[header.index("revised_on")]) == \
        ("80000", "79597", "2025-03-01")
    page = _words(client, "/explorer?indicator=om_ss_cases&tab=table&lang=en")
    assert "revised on 2025-03-01, previously 79,597" in page
    assert "Figures as published in release 2025-03-01" in page
    assert "compiled from published documents, release 2025-03-01, accessed" in \
        _words(client, "/about?lang=en")   # the citation names the release (kept on one line, in a span)
    assert "release 2025-03-01" in _api(client, "/data/om_ss_cases.json")["cite"]["en"]
    assert _api(client, "/api/v1/releases")["build"]["release"] == second


def test_as_of_reads_the_figures_as_an_earlier_release_published_them(site):
    server, root, (first, second, third) = site[:3]
    client = server.test_client()
    for as_of in ("2025-02-01", first):
        row = _cases(client, f"&as_of={as_of}")
        assert (row["value"], row["previous_value"]) == (79597, None)
    assert "79597" in client.get(f"/data/om_ss_cases.csv?as_of={first}").get_data(as_text=True)
    page = client.get(f"/explorer?indicator=om_ss_cases&as_of={first}&lang=en").get_data(as_text=True)
    assert f"Figures as published in release {first}" in re.sub(r"<[^>]+>", "", page)
    assert f"as_of={first}" in page   # links keep it
    for bad in ("2024-12-31", "yesterday", "2030-13-01"):
        assert client.get(f"/api/v1/observations?indicator=om_ss_cases&as_of={bad}").status_code == 400
    page = client.get("/explorer?indicator=om_ss_cases&as_of=yesterday&lang=en")   # a page: the site's error page
    assert page.status_code == 400 and page.mimetype == "text/html" and "Traceback" not in page.get_data(as_text=True)
    # the embargoed release's id is a day too: the public gets the release live on that day
    assert _cases(client, f"&as_of={third}")["value"] == 80000


def test_the_changes_of_a_release_list_the_revision(site):
    server, root, (first, second, third) = site[:3]
    client = server.test_client()
    changes = _api(client, f"/api/v1/releases/{second}/changes")["data"]
    assert changes == [{"change": "revised", "indicator_id": "om_ss_cases", "geo_code": "OM", "period": "2023",
                        "breakdown": {}, "old": {"value": 79597, "status": None, "source_id": "om_mosd_briefing_2024"},
                        "new": {"value": 80000, "status": None, "source_id": "om_mosd_briefing_2024"},
                        "reason": None}]   # a release made without reasons
    listed = _api(client, "/api/v1/releases")
    assert [r["release_id"] for r in listed["data"]] == [second, first]
    assert listed["data"][0]["changes"] == {"added": 0, "revised": 1, "amended": 0, "withdrawn": 0}
    page = client.get(f"/releases?lang=en&release={second}").get_data(as_text=True)
    assert "What release 2025-03-01 changed" in page and "79,597" in page and "80,000" in page


PUBLIC_ROUTES = ["/", "/?lang=en", "/explorer?indicator=om_ss_cases", "/explorer?indicator=om_ss_cases&tab=table&lang=en",
                 "/governorates", "/data", "/about", "/releases", "/releases?lang=en", "/embed/om_ss_cases",
                 "/data/om_ss_cases.csv", "/data/om_ss_cases.json", "/data/om_ss_cases.xlsx", "/data/all.csv",
                 "/data/datapackage.json", "/api/v1/", "/api/v1/observations?indicator=om_ss_cases",
                 "/api/v1/releases", "/api/v1/indicators/om_ss_cases", "/releases.ics",
                 "/api/v1/observations?indicator=om_ss_cases&as_of=2030-01-05"]


def test_an_embargoed_release_is_invisible_to_the_public_until_its_time(site, monkeypatch):
    server, root, (first, second, third) = site[:3]
    client = server.test_client()
    for url in PUBLIC_ROUTES:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data()
        assert b"81000" not in body and "81,000".encode() not in body and third.encode() not in body, url
        assert b"EMBARGOED" not in body and "X-Embargo" not in response.headers, url
    assert client.get(f"/api/v1/releases/{third}/changes").status_code == 404
    monkeypatch.setenv("SPI_NOW", AFTER)   # the same server, a day later
    assert _cases(client)["value"] == 81000
    assert client.get("/api/v1/releases").get_json()["data"][0]["release_id"] == third


def _signed_in(server, password=PASSWORD):
    client = server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").get_data(as_text=True)).group(1)
    response = client.post("/signin", data={"csrf_token": token, "username": "amal", "password": password})
    return client, response


def test_a_reviewer_sees_the_embargoed_release_marked_and_unshared(site):
    server, root, (first, second, third), tmp = site
    client, response = _signed_in(server)
    assert response.status_code == 303
    page = client.get("/explorer?indicator=om_ss_cases&tab=table&lang=en")
    text = page.get_data(as_text=True)
    assert "81,000" in text and "EMBARGOED until 2030-01-01 09:00 (Oman Time) — not for publication" in text
    assert page.headers["Cache-Control"] == "private, no-store" and page.headers["X-Embargo"].startswith("EMBARGOED")
    api = client.get("/api/v1/observations?indicator=om_ss_cases")
    assert api.headers["Cache-Control"] == "private, no-store" and b"81000" in api.data
    csv = client.get("/data/om_ss_cases.csv")
    assert csv.headers["Content-Disposition"] == 'attachment; filename="EMBARGOED-om_ss_cases.csv"'
    # the chart itself (and so its PNG) carries the notice; the public's chart of the same view does not
    from dashboard.cache import view_for
    from store import database, releases
    from store.catalogue import meta
    from store.view import parse_view
    for reviewer, marked in (("amal", True), (None, False)):
        with server.test_request_context("/explorer"):
            token = releases.reading(database.releases().choose(reviewer))
            try:
                fig = view_for(parse_view({"indicator": "om_ss_cases"}, meta(), "en"))[1]
            finally:
                releases.done(token)
        notes = [a["text"] for a in fig["layout"]["annotations"]]
        assert any("EMBARGOED until 2030-01-01" in n for n in notes) is marked
    log = [json.loads(line) for line in (tmp / "audit.log").read_text().splitlines()]
    assert {"event": "embargoed_view", "reviewer": "amal", "release": third} .items() <= log[-1].items()
    # a wrong password, no cookie, or a forged one: the public's view
    wrong, response = _signed_in(server, "not the password")
    assert response.status_code == 401 and _cases(wrong)["value"] == 80000
    forged = server.test_client()
    forged.set_cookie("session", client.get_cookie("session").value[:-4] + "AAAA")
    assert _cases(forged)["value"] == 80000 and b"EMBARGOED" not in forged.get("/?lang=en").data


def test_history_survives_deleting_the_processed_folder(site):
    server, root, ids = site[:3]
    served = root / "out" / "releases" / ids[1] / "indicators.duckdb"
    con = duckdb.connect(str(served), read_only=True)
    before = con.execute("SELECT * EXCLUDE (source_file) FROM observations ORDER BY ALL").fetchall()
    con.close()
    shutil.rmtree(root / "out")
    assert build(root / "raw", root / "indicators.yaml", root / "out", releases_dir=root / "releases").ok
    con = duckdb.connect(str(served), read_only=True)
    assert con.execute("SELECT * EXCLUDE (source_file) FROM observations ORDER BY ALL").fetchall() == before
    assert con.execute("SELECT value, from_release, until_release FROM vintages WHERE indicator_id = 'om_ss_cases' "
                       "AND geo_code = 'OM' AND period = '2023' ORDER BY from_release").fetchall() == \
        [(79597.0, ids[0], ids[1]), (80000.0, ids[1], None)]
    con.close()


def _digest(folder) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_a_release_that_changes_nothing_or_fails_leaves_every_file_as_it_was(history, monkeypatch, capsys):
    root, ids = history
    assert build(root / "raw", root / "indicators.yaml", root / "out", releases_dir=root / "releases").ok
    before = {"releases": _digest(root / "releases"), "served": _digest(root / "out" / "releases")}
    later = _made("2030-02-01T09:00")
    with pytest.raises(ReleaseError, match=f"changes nothing since release {ids[-1]}"):
        make_release("again", "2030-02-01T09:00", root / "out", root / "releases", root / "indicators.yaml", now=later)
    assert spi(["release", "--note", "again", "--out", str(root / "out"), "--releases", str(root / "releases"),
                "--catalogue", str(root / "indicators.yaml")]) == 1
    assert "release refused: the candidate changes nothing" in capsys.readouterr().err
    _set_cases(root / "raw", "82000")
    assert build(root / "raw", root / "indicators.yaml", root / "out", releases_dir=root / "releases").ok
    with pytest.raises(ReleaseError, match="cannot go public before the latest one"):
        make_release("too early", "2029-12-31T09:00", root / "out", root / "releases", root / "indicators.yaml",
                     now=_made("2029-12-31T09:00"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt   # the operator's Ctrl-C while the figures are written
    monkeypatch.setattr(pd.DataFrame, "to_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        make_release("cut", "2030-02-01T09:00", root / "out", root / "releases", root / "indicators.yaml", now=later)
    monkeypatch.undo()
    assert {"releases": _digest(root / "releases"), "served": _digest(root / "out" / "releases")} == before
    assert spi(["diff", "--out", str(root / "out"), "--releases", str(root / "releases")]) == 0
    out = capsys.readouterr().out
    assert "revised   om_ss_cases OM 2023: 81,000 -> 82,000" in out
    assert "note: 1 revised figure(s) keep the source of their old value" in out
    _set_cases(root / "raw", "81000")


def test_the_calendar_is_a_valid_icalendar_feed_and_is_shown(site):
    server, root, ids = site[:3]
    client = server.test_client()
    response = client.get("/releases.ics?lang=en")
    assert response.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert [(str(e["summary"]), e["dtstart"].dt.isoformat()) for e in events] == \
        [("Social security statistics 2098", "2099-01-15")]
    assert _api(client, "/api/v1/releases")["upcoming"][0]["expected_on"] == "2099-01-15"
    assert "Next figures expected on 2099-01-15" in client.get("/explorer?indicator=om_ss_cases&lang=en").get_data(as_text=True)


def test_spi_serve_refuses_a_releases_folder_with_no_release(tmp_path, paths):
    import subprocess
    (tmp_path / "releases").mkdir()
    done = subprocess.run([str(paths.spi), "serve", "--db", str(tmp_path / "releases"), "--port", "1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "holds no release: run `spi build`" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_explorer_callback_reads_the_release_of_its_page(site):
    """A control pressed on a page opened with as_of keeps that release; an as_of no release
    answers to, sent in a forged callback, is a 400, never a 500."""
    import json as jsonlib
    from bench.bench_dashboard import callback_body, explorer_output
    server, root, (first, second, third) = site[:3]
    client = server.test_client()
    client.get("/explorer")
    output = explorer_output(client.get("/_dash-dependencies").get_json())

    def press(as_of):
        query = {"indicator": "om_ss_cases", "lang": "en", **({"as_of": as_of} if as_of else {})}
        body = callback_body(output, query, "view", "geo")
        return client.post("/_dash-update-component", data=jsonlib.dumps(body), content_type="application/json")
    then, now = press(first).get_data(as_text=True), press(None).get_data(as_text=True)
    # the figures drawn (the chart's and its server-drawn twin's values; an axis may read 80,000)
    assert "79597.0" in then and "80000.0" not in then and "80000.0" in now
    for bad in ("xx", "2024-01-01", "9" * 3000):
        assert press(bad).status_code == 400, bad


def test_a_figure_no_longer_in_the_sources_is_shown_as_withdrawn(history):
    from contract.manifest import Release, when
    from etl.release import _History, compare, release_figures
    root, ids = history
    figures = release_figures(root / "releases", ids[0])
    first = figures[figures["value"].notna()].iloc[0]
    later = figures.drop(index=first.name)
    assert compare(figures, later).withdrawn == 1
    h = _History()
    entry = {"timezone": "Asia/Muscat", "created_at": "2025-01-01T00:00:00+00:00", "note": "n"}

    def release(rid, public_at):
        return Release({**entry, "release_id": rid, "public_at": public_at}, "0" * 64, when(public_at))
    h.add(release("a", "2025-01-01T05:00:00+00:00"), figures)
    served = h.add(release("b", "2025-02-01T05:00:00+00:00"), later)
    assert len(served) == len(figures) - 1
    tables = h.tables()
    gone = tables["changes"][tables["changes"]["change"] == "withdrawn"]
    assert len(gone) == 1 and gone.iloc[0]["indicator_id"] == first["indicator_id"] and gone.iloc[0]["release_id"] == "b"
    assert gone.iloc[0]["old_value"] == first["value"] and gone.iloc[0]["new_value"] != gone.iloc[0]["new_value"]
    closed = tables["vintages"][tables["vintages"]["until_release"] == "b"]
    assert len(closed) == 1 and closed.iloc[0]["from_release"] == "a"


def _route(client, pathname: str, search: str):
    """What Dash's router asks when the live page takes over (or a link is followed in the app):
    the page's layout for a location."""
    import json as jsonlib
    output = next(d["output"] for d in client.get("/_dash-dependencies").get_json()
                  if d["output"].startswith("..") and "_pages_content.children" in d["output"])
    body = {"output": output,
            "outputs": [{"id": part.split(".", 1)[0], "property": part.split(".", 1)[1]}
                        for part in output.strip(".").split("...")],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    return client.post("/_dash-update-component", data=jsonlib.dumps(body), content_type="application/json")


@pytest.mark.parametrize("path", ["/explorer", "/embed/om_ss_cases", "/"])
def test_the_live_page_of_a_past_release_draws_that_release(site, path):
    """The router's callback (a POST whose own address names no release) reads the release its
    location's as_of names, as the server's copy did; a bad as_of is a 400 there too."""
    server, root, (first, second, third) = site[:3]
    client = server.test_client()
    query = "indicator=om_ss_cases&lang=en&tab=table" if path == "/explorer" else "lang=en"
    then = _route(client, path, f"?{query}&as_of={first}")
    now = _route(client, path, f"?{query}")
    assert then.status_code == now.status_code == 200
    old, new = then.get_data(as_text=True), now.get_data(as_text=True)
    # the 2023 cases as each release gave them: in the overview's card, the explorer's table and chart, the embed's
    was, is_ = ("79,597", "80,000") if path == "/" else ("79597.0", "80000.0")
    assert was in old and is_ not in old and is_ in new and was not in new
    if path == "/explorer":   # and its controls keep the release (the page's stored view)
        assert f'"as_of":"{first}"' in old and '"as_of"' not in new
    for bad in ("garbage", "2024-01-01", "9" * 3000):
        assert _route(client, path, f"?{query}&as_of={bad}").status_code == 400, bad


def test_a_query_that_names_the_pages_path_variable_again_is_a_400(site):
    client = site[0].test_client()
    for query in ("indicator=om_ss_cases", "indicator=a&indicator=b", "indicator=jo_psychosocial_team&lang=en"):
        page = client.get(f"/embed/om_ss_cases?{query}")
        assert page.status_code == 400, query
        assert "leave ?indicator= out" in page.get_data(as_text=True) or "بعد علامة الاستفهام" in page.get_data(as_text=True)
    routed = _route(client, "/embed/om_ss_cases", "?indicator=jo_psychosocial_team&lang=en")
    assert routed.status_code == 200 and "leave ?indicator= out" in routed.get_data(as_text=True)
