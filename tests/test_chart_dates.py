"""Charts that say when, and what a note marks (issue 20, part h1), from the numbers to the
drawing: a breakdown published for one period names that period and no other; a by-area
chart's country is its reference, not a bar among its governorates; a figure a note marks is
marked alike in the live chart, the server-drawn chart and the map."""
from __future__ import annotations

import re
import shutil

import pytest

from etl.build import build
from tests.conftest import CATALOGUE, RAW, _reading


def _described(params: dict, lang: str):
    from store.catalogue import meta
    from store.series import chart
    from store.view import parse_view
    from store.wording import describe
    return describe(chart(parse_view(params, meta(), lang), meta()), meta())


@pytest.mark.parametrize("lang, when", [("ar", "نهاية 2021"), ("en", "end of 2021")])
def test_a_breakdown_of_one_period_names_it_and_no_other(served, lang, when):
    """Nursery children by sex are published for 2021 only (2023 has its total alone): the
    subtitle says 2021, not "2021 – 2023", in the chart and in every image made of it."""
    from dashboard.figures import figure_dict
    vd = _described({"indicator": "om_nursery_children", "view": "breakdown", "breakdown": "sex"}, lang)
    assert vd.periods == ["2021"] and when in vd.subtitle and "2023" not in vd.subtitle
    texts = figure_dict(vd)["layout"]["meta"]["texts"]
    assert all(when in texts[v]["subtitle"] and "2023" not in texts[v]["subtitle"] for v in ("wide", "narrow", "export"))


def test_a_subtitle_names_the_drawn_periods_only(served):
    """Over time, the run 2021–2023 is drawn (2022 a gap, said in a note): both ends named."""
    vd = _described({"indicator": "om_nursery_children"}, "en")
    assert "end of 2021 – end of 2023" in vd.subtitle


@pytest.fixture(scope="module")
def by_area(tmp_path_factory):
    """The shipped sources with four Jordanian governorates' psychosocial teams for 2024 beside
    Jordan's 44, Zarqa's provisional ("7*"), built and read by store/."""
    root = tmp_path_factory.mktemp("by_area")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    with (raw / "jo_social_protection_2024.csv").open("a", encoding="utf-8") as fh:
        fh.write(AREA_ROWS)
    result = build(raw, CATALOGUE, root / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    with _reading(root / "out" / "indicators.duckdb") as path:
        yield path


# the governorates' figures add up to Jordan's 44; Zarqa's is provisional
AREA_ROWS = "".join(f"jo_psychosocial_team,{place},2024,موظف,{value},jo_emv_annual_2024\n"
                    for place, value in (("العاصمة", "21"), ("إربد", "11"), ("الزرقاء", "7*"), ("العقبة", "5")))


@pytest.mark.parametrize("lang, said", [("ar", "الأردن (المستوى الوطني): 44"), ("en", "Jordan (national): 44")])
def test_the_country_is_the_reference_of_its_governorates_not_a_bar(by_area, lang, said):
    from dashboard.chart_svg import twin
    from dashboard.figures import figure_dict
    vd = _described({"indicator": "jo_psychosocial_team", "view": "geo"}, lang)
    assert "JO" not in vd.periods and sorted(vd.periods) == ["JO-AM", "JO-AQ", "JO-AZ", "JO-IR"]
    fig = figure_dict(vd)
    assert sorted(fig["data"][0]["x"]) == [5.0, 7.0, 11.0, 21.0]        # the governorates' bars, not 44
    assert said in fig["layout"]["title"]["subtitle"]["text"] and said in vd.alt
    svg = twin(fig)
    assert 44.0 not in [float(v) for v in re.findall(r'data-value="([^"]+)"', svg)] and svg.count(said) == 2
    # the axis is the governorates': the longest bar takes at least 40% of it
    assert 21 / max(fig["layout"]["xaxis"]["range"]) >= 0.4


def test_a_marked_figure_is_marked_alike_in_the_live_and_server_drawn_charts(by_area):
    from dashboard.chart_svg import twin
    from dashboard.figures import figure_dict
    fig = figure_dict(_described({"indicator": "jo_psychosocial_team", "view": "geo"}, "en"))
    trace = fig["data"][0]
    live = {v for v, o in zip(trace["x"], trace["marker"]["opacity"]) if o < 1}
    wide = twin(fig).split('class="chart-twin-svg narrow"')[0]
    drawn = {float(v) for v in re.findall(r'data-value="([^"]+)"[^>]*data-marked="1"', wide)}
    assert live == drawn == {7.0}
    assert "7*" in trace["text"] and ">7*<" in wide


def test_the_map_marks_a_provisional_governorate(served):
    from dashboard.svg import governorate_map
    svg = governorate_map("om_governorates.geojson", [
        {"code": "OM-BJ", "name": "South Al Batinah", "value": 169998.0, "title": "South Al Batinah: 169,998",
         "href": "/governorates?geo=OM-BJ", "selected": False, "mark": "provisional"}], "Map")
    assert "<title>South Al Batinah: 169,998 (provisional)</title>" in svg
    assert 'aria-label="South Al Batinah: 169,998 (provisional)"' in svg
    assert len(re.findall(r'<text [^>]*data-marked="OM-BJ"[^>]*>\*</text>', svg)) == 1
