"""A figure's status on the page, in real Chromium: a provisional figure is drawn hollow, the
chart's notes say which figures are marked and where there is no figure, the table says it
beside the number, in Arabic and English."""
from __future__ import annotations


def test_a_provisional_figure_is_marked_on_the_chart_and_in_the_table(open_status_page):
    p = open_status_page()
    page = p.open("/explorer?indicator=om_nursery_children&lang=en", chart=True)
    symbols = page.evaluate("document.querySelector('#explorer-graph .js-plotly-plot').data[0].marker.symbol")
    assert symbols == ["circle", "circle", "circle-open"]
    notes = page.inner_text("#explorer-panel-chart .chart-notes")
    assert "Figures marked provisional: 2023" in notes
    page.click("#explorer-tab-table")
    page.wait_for_selector("#explorer-panel-table:not([hidden])")
    assert "9,018 (provisional)" in page.inner_text("#explorer-datatable")
    assert p.errors == []


def test_no_figure_and_why_in_arabic(open_status_page):
    p = open_status_page()
    page = p.open("/explorer?indicator=jo_children_reunified&lang=ar&tab=table", chart=False)
    assert "لا رقم («غير متوفر»): 2023" in page.inner_text("#react-entry-point .chart-notes")
    assert "غير متوفر" in page.inner_text("#explorer-datatable")
    assert p.errors == []
