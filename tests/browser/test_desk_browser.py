"""The desk walked through in real Chromium, in Arabic and in English, at a desk's width and a
phone's: sign in as an editor, load a table (name its source, fix a recipe error shown on its cells, accept it), build the
candidate, read what it changes (old against new),
prepare a release with its notes and the revised figure's reason; sign in as an approver, approve it (its progress page
refreshes itself until it is released); the public site then serves it, with the reason on the revised figure. Every page is checked by axe-core and for sideways scrolling."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser.conftest import Page
from tests.desk_project import NOTE_AR, NOTE_EN, NOW, PEOPLE, SECRET, make_project, people_file
from tests.servers import gunicorn, spi_desk
from tests.tables import yearbook

REASON_AR = "صُحِّح خطأ في نقل العدد من التقرير السنوي."
REASON_EN = "A typing error in copying the count from the annual report was corrected."
WORDS = {"ar": {"signin": "دخول", "build": "بناء المرشَّح من الملفات الخام", "ended": "انتهى البناء",
                "passed": "نجح البناء", "changes": "ما يغيِّره الإصدار", "revised": "منقَّح", "added": "مضاف",
                "prepare": "إعداد الإصدار وإرساله للاعتماد", "prepared": "أُعِدّ الإصدار",
                "approve": "اعتماد الإصدار ونشره", "approved": "اعتُمد الإصدار", "signout": "خروج",
                "note_ar": "ملاحظة الإصدار بالعربية", "note_en": "ملاحظة الإصدار بالإنجليزية",
                "load": "تحميل جدول كما نُشر", "upload": "رفع الملف وعرضه", "fix_first": "صحِّح الأخطاء أولًا",
                "save_recipe": "حفظ الوصفة وعرض الجدول مرة أخرى", "no_issues": "لم يجد المدقِّق أي مشكلة",
                "accept": "قبول الملف ووصفته في البيانات الخام", "accepted": "قُبل الملف",
                "no_header": "رقم تحت عمود بلا عنوان"},
         "en": {"signin": "Sign in", "build": "Build the candidate from the raw files", "ended": "has ended",
                "passed": "The build passed", "changes": "What releasing it changes", "revised": "revised", "added": "added",
                "prepare": "Prepare and send for approval", "prepared": "is prepared and waits for approval",
                "approve": "Approve and release", "approved": "was approved: it is release", "signout": "Sign out",
                "note_ar": "Release note in Arabic", "note_en": "Release note in English",
                "load": "Load a table as it was published", "upload": "Upload and show it", "fix_first": "Fix the errors first",
                "save_recipe": "Save the recipe and show the table again", "no_issues": "The validator found no problem",
                "accept": "Accept the file and its recipe into the raw data", "accepted": "was accepted into the raw data",
                "no_header": "a figure under a column with no header"}}


def _checked(page: Page, lang: str) -> None:
    """The page is in its language and direction, has no axe violation and does not scroll sideways."""
    p = page.page
    assert p.evaluate("document.documentElement.lang") == lang
    assert p.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.axe() == [], p.url
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), p.url


def _sign_in(page: Page, lang: str, username: str) -> None:
    p = page.page
    p.fill("#username", username)
    p.fill("#password", PEOPLE[username][2])
    p.get_by_role("button", name=WORDS[lang]["signin"]).click()
    p.wait_for_load_state()


@pytest.mark.parametrize("lang,width", [("ar", 1280), ("en", 360)])
def test_editor_builds_and_prepares_approver_approves_and_the_public_site_serves_it(browser, tmp_path, lang, width):
    w = WORDS[lang]
    project = make_project(tmp_path / "project", table=True)
    table = yearbook(tmp_path / "table.xlsx", [["مسقط", 1234, 1250], ["ظفار", 400, 410]])
    env = {"SPI_REVIEWERS_FILE": str(people_file(tmp_path / "people.json")), "SPI_SECRET_KEY": SECRET,
           "SPI_NOW": NOW.isoformat(), "SPI_AUDIT_LOG": str(tmp_path / "audit.log")}
    suffix = "?lang=en" if lang == "en" else ""
    with spi_desk(project.root, tmp_path / "desk.log", env) as desk:
        page = Page(browser, desk.base, width, 800)
        p = page.page
        try:
            p.goto(desk.base + "/" + suffix)
            assert "/signin" in p.url   # a visitor is led to sign in
            _checked(page, lang)
            _sign_in(page, lang, "huda")
            # load a table: the recipe proposed leaves its source to the clerk, said on the page;
            # the clerk names it, sees every cell's role, and accepts the file
            p.get_by_role("link", name=w["load"]).click()
            p.set_input_files("#file", str(table))
            p.get_by_role("button", name=w["upload"]).click()
            p.wait_for_load_state()
            assert "REPLACE_ME" in p.input_value("#recipe") and p.locator("text=" + w["fix_first"]).count() == 1
            _checked(page, lang)
            # a recipe error shown on its cells: the header is not row 1 (the title is), so the
            # figures under it have no header; said on those cells in the desk's language, fixed
            drafted = re.sub(r"^source: REPLACE_ME", "source: om_mosd_welfare_2021", p.input_value("#recipe"),
                             count=1, flags=re.M)
            assert re.search(r"^header_rows: \[2\]", drafted, flags=re.M), drafted
            p.fill("#recipe", re.sub(r"^header_rows: \[2\]", "header_rows: [1]", drafted, count=1, flags=re.M))
            p.get_by_role("button", name=w["save_recipe"]).click()
            p.wait_for_load_state()
            assert "issue" in p.get_attribute("#s0-B2", "class").split() and "issue" in p.get_attribute("#s0-C2", "class").split()
            assert w["no_header"] in p.inner_text("main") and p.locator("text=" + w["fix_first"]).count() == 1
            _checked(page, lang)
            p.fill("#recipe", drafted)
            p.get_by_role("button", name=w["save_recipe"]).click()
            p.wait_for_load_state()
            assert "role-value" in p.get_attribute("#s0-B3", "class") and "role-place" in p.get_attribute("#s0-A3", "class")
            assert "issue" not in p.get_attribute("#s0-B2", "class").split()
            assert p.locator("text=" + w["no_issues"]).count() == 1
            _checked(page, lang)
            p.get_by_role("button", name=w["accept"]).click()
            p.wait_for_load_state()
            assert w["accepted"] in p.inner_text("h1")
            # build the candidate: its page refreshes itself until the build has ended
            p.get_by_role("button", name=w["build"]).click()
            p.wait_for_selector(f"text={w['ended']}", timeout=60000)
            assert w["passed"] in p.inner_text("main")
            _checked(page, lang)
            p.get_by_role("link", name=w["changes"]).click()
            p.wait_for_load_state()
            rows = [r.locator("td").all_inner_texts() for r in p.locator(".desk-table tbody tr").all()]
            assert [w["revised"], "44", "45"] in [[c[0], *c[2:]] for c in rows], rows
            assert [w["added"], "—", "1,234"] in [[c[0], *c[2:]] for c in rows], rows   # the new version's figure
            assert p.locator("svg.desk-chart circle.new").count() == 1
            _checked(page, lang)
            # prepare the release
            p.goto(desk.base + "/" + suffix)
            p.get_by_label(w["note_ar"]).fill(NOTE_AR)
            p.get_by_label(w["note_en"]).fill(NOTE_EN)
            p.select_option("#kind_0", "correction")   # the revised figure: its kind and why, in both languages
            p.fill("#reason_ar_0", REASON_AR)
            p.fill("#reason_en_0", REASON_EN)
            p.get_by_role("button", name=w["prepare"]).click()
            p.wait_for_load_state()
            assert w["prepared"] in p.inner_text("[role=status]")
            assert p.get_by_role("button", name=w["approve"]).count() == 0   # an editor does not approve
            _checked(page, lang)
            p.get_by_role("button", name=w["signout"]).click()
            p.wait_for_load_state()
            assert "/signin" in p.url
            # the approver approves it: its page refreshes itself, step by step, until it is released
            _sign_in(page, lang, "salim")
            p.get_by_role("button", name=w["approve"]).click()
            p.wait_for_selector(f"text={w['approved']}", timeout=60000)
            assert "/approval" in p.url and w["approved"] in p.inner_text("[role=status]")
            assert p.locator(".desk-steps li.desk-step-done").count() == 4
            _checked(page, lang)
        finally:
            page.close()
    with gunicorn(project.served, tmp_path / "public.log",
                  {"SPI_NOW": (NOW + timedelta(minutes=1)).isoformat(), "SPI_PROJECT": str(project.root)}) as public:
        page = Page(browser, public.base, width, 800)
        try:
            page.page.goto(public.base + "/releases" + suffix)
            shown = page.page.inner_text("main")
            assert (NOTE_AR if lang == "ar" else NOTE_EN) in shown
            assert (REASON_AR if lang == "ar" else REASON_EN) in shown   # the reason on the revised figure
        finally:
            page.close()
