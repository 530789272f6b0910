"""The desk's release calendar in real Chromium, in Arabic at a desk's width and in English at a
phone's: from the desk's home to the calendar, announce a release (its day, what, an indicator,
its languages), see it listed, then confirm it with its reason; every page checked by axe-core
and for sideways scrolling (tests/browser/test_desk_browser.py _checked)."""
from __future__ import annotations

import pytest

from spi.desk.page import TEXTS
from tests.browser.conftest import Page
from tests.browser.test_desk_browser import _checked, _sign_in
from tests.desk_project import SECRET, make_project, people_file
from tests.servers import spi_desk

TITLE = {"ar": "إحصاءات الحضانات 2099", "en": "Nursery statistics 2099"}
WHY = {"ar": "اكتملت بيانات المحافظات", "en": "The governorates' data are complete"}


def _said(key: str, lang: str) -> str:
    return TEXTS[key][0 if lang == "ar" else 1]


@pytest.mark.parametrize("lang,width", [("ar", 1280), ("en", 360)])
def test_an_editor_announces_and_confirms_a_release(browser, tmp_path, lang, width):
    project = make_project(tmp_path / "project")
    env = {"SPI_REVIEWERS_FILE": str(people_file(tmp_path / "people.json")), "SPI_SECRET_KEY": SECRET,
           "SPI_AUDIT_LOG": str(tmp_path / "audit.log")}
    with spi_desk(project.root, tmp_path / "desk.log", env) as desk:
        page = Page(browser, desk.base, width, 800)
        p = page.page
        try:
            p.goto(desk.base + "/" + ("?lang=en" if lang == "en" else ""))
            _sign_in(page, lang, "huda")
            p.get_by_role("link", name=_said("cal_link", lang)).click()
            p.wait_for_load_state()
            assert p.locator("text=" + _said("cal_none", lang)).count() == 1
            _checked(page, lang)
            p.fill("#date", "2099-06-01")
            p.fill("#title_ar", TITLE["ar"])
            p.fill("#title_en", TITLE["en"])
            p.select_option("#indicators", ["om_nursery_children"])
            p.get_by_role("button", name=_said("cal_announce_button", lang)).click()
            p.wait_for_load_state()
            assert p.locator("h1").inner_text() == TITLE[lang]
            assert _said("cal_announced", lang) in p.locator("[role=status]").inner_text()
            _checked(page, lang)
            p.select_option("#state", "confirmed")
            p.fill("#reason_ar", WHY["ar"])
            p.fill("#reason_en", WHY["en"])
            p.get_by_role("button", name=_said("cal_change_button", lang)).click()
            p.wait_for_load_state()
            assert _said("cal_changed", lang) in p.locator("[role=status]").inner_text()
            assert WHY[lang] in p.locator("main").inner_text()
            _checked(page, lang)
            p.get_by_role("link", name=_said("cal_title", lang)).last.click()
            p.wait_for_load_state()
            row = p.locator("table.desk-table tbody tr")
            assert row.count() == 1 and TITLE[lang] in row.inner_text() and WHY[lang] in row.inner_text()
            _checked(page, lang)
        finally:
            page.close()
    assert "state: confirmed" in project.catalogue.read_text(encoding="utf-8")
