"""`spi serve --preview` in real Chromium: a link to a page of the preview leads a signed-out
reader to sign in, then back to that page, which runs as the public site does (Dash renders it
after the first move, its callbacks answered for the signed-in person) on the candidate's figures,
with the preview's notice at its top before and after; axe finds nothing on either."""
from __future__ import annotations

import pytest

from tests.browser.conftest import Page
from tests.desk_project import PEOPLE, REVISED, SECRET, make_project, people_file
from tests.servers import spi_serve


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_reader_signs_in_and_sees_the_candidate_with_the_notice(browser, tmp_path, lang):
    project = make_project(tmp_path / "project")
    env = {"SPI_REVIEWERS_FILE": str(people_file(tmp_path / "people.json")), "SPI_SECRET_KEY": SECRET,
           "SPI_AUDIT_LOG": str(tmp_path / "audit.log")}
    indicator, _, new = REVISED
    with spi_serve(["--preview", "--project", str(project.root), "--workers", "1"], tmp_path / "preview.log",
                   env) as preview:
        page = Page(browser, preview.base)
        p = page.page
        p.goto(f"{preview.base}/explorer?indicator={indicator}&geo=JO&lang={lang}")
        assert "/signin?next=" in p.url
        assert p.locator(".preview-banner").first.is_visible()
        assert page.axe() == [], p.url
        p.fill("#username", "amal")
        p.fill("#password", PEOPLE["amal"][2])
        p.locator("form.signin-form button").click()
        p.wait_for_url(f"**/explorer?indicator={indicator}&geo=JO&lang={lang}")
        page.interact()
        p.wait_for_selector("#react-entry-point .page", timeout=30000)
        banner = p.locator(".preview-banner")
        assert banner.count() == 1 and banner.is_visible()
        assert banner.bounding_box()["y"] < 5                                 # at the very top
        said = banner.inner_text()
        assert ("لم تُنشر بعد" in said) and ("not published yet" in said)
        assert said.index("لم تُنشر" if lang == "ar" else "not published") < said.index(
            "not published" if lang == "ar" else "لم تُنشر")                     # its own language first
        answer = p.evaluate(f"""() => fetch('/api/v1/observations?indicator={indicator}&geo=JO&from=2024&to=2024')
                               .then(r => r.json())""")
        assert [row["value"] for row in answer["data"]] == [float(new)]        # the candidate's, for this reader
        assert page.axe() == [], p.url
        assert page.errors == []
        page.context.close()
