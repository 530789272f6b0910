"""An indicator the catalogue announces (`announced: true`: declared, with a target perhaps, and
no figure published yet) is the catalogue's design, not the clerk's problem: `spi build` says
it once as information, apart from the warnings. An indicator with no figures that is not
marked stays a warning naming its catalogue entry; a marked one whose figures arrive is a
warning to take the mark off; the explorer never opens on an announced one."""
from __future__ import annotations

import re

import pytest
import yaml

from spi.cli import main as spi

ANNOUNCED = ("om_women_leadership_participants", "om_dis_hydrotherapy_wilayats")


def _edit(copy, change) -> None:
    data = yaml.safe_load(copy.catalogue.read_text(encoding="utf-8"))
    change(data)
    copy.catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _build(copy, capsys) -> tuple[int, str]:
    code = spi(["build", *copy.cli_args()])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_shipped_build_says_the_announced_once_as_information(source_copy, capsys):
    code, text = _build(source_copy, capsys)
    assert code == 0
    info = [line for line in text.splitlines() if line.startswith("INFO:")]
    assert len(info) == 1 and all(key in info[0] for key in ANNOUNCED), info
    assert info[0].startswith("INFO: indicators.yaml: 2 indicator(s) announced")
    assert "WARNING" not in text and "0 warning(s)" in text


def test_an_unmarked_indicator_without_figures_is_a_warning_naming_its_entry(source_copy, capsys):
    _edit(source_copy, lambda c: c["indicators"]["om_dis_hydrotherapy_wilayats"].pop("announced"))
    code, text = _build(source_copy, capsys)
    assert code == 0 and "1 warning(s)" in text
    assert "WARNING: indicators.yaml, indicators.om_dis_hydrotherapy_wilayats: the indicator has no figures yet" in text
    assert "`announced: true` on the indicator while none is published" in text
    assert re.search(r"INFO: indicators\.yaml: 1 indicator\(s\) announced .*: om_women_leadership_participants$",
                     text, re.M)


def test_a_marked_indicator_whose_figures_arrive_is_a_warning_to_take_the_mark_off(source_copy, capsys):
    _edit(source_copy, lambda c: c["indicators"]["om_ss_cases"].__setitem__("announced", True))
    code, text = _build(source_copy, capsys)
    assert code == 0
    found = re.search(r"WARNING: indicators\.yaml, indicators\.om_ss_cases: the indicator is marked `announced: true` "
                      r"\(no figures published yet\), but (\d+) figure\(s\) of it are read now", text)
    assert found and int(found.group(1)) > 0
    assert "the mark taken off the indicator once its figures are published" in text


def test_the_explorer_never_opens_on_an_announced_indicator(source_copy, capsys):
    from etl.catalogue import load_catalogue
    _edit(source_copy, lambda c: c["site"].pop("default_indicator", None))
    for key, ind in load_catalogue(source_copy.catalogue).indicators.items():   # first headline, not announced
        if ind["headline"] and not ind["announced"]:
            break
    assert load_catalogue(source_copy.catalogue).site["default_indicator"] == key
    _edit(source_copy, lambda c: c["site"].__setitem__("default_indicator", ANNOUNCED[0]))
    code, text = _build(source_copy, capsys)
    assert code != 0
    assert f"site.default_indicator: '{ANNOUNCED[0]}' is announced, with no figures yet" in text
    assert "Traceback" not in text


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_announced_must_be_true_or_false(source_copy, capsys, value):
    _edit(source_copy, lambda c: c["indicators"]["om_ss_cases"].__setitem__("announced", value))
    code, text = _build(source_copy, capsys)
    assert code != 0 and "indicators.om_ss_cases.announced" in text and "Traceback" not in text


@pytest.fixture(scope="module")
def client(served):
    from spi.app import server
    return server.test_client()


@pytest.mark.parametrize("lang, said", [("en", "Target for 2024: 50"), ("ar", "الهدف لعام 2024: 50")])
@pytest.mark.parametrize("path", ["/explorer?indicator=om_women_leadership_participants",
                                  "/embed/om_women_leadership_participants?"])
def test_an_announced_indicators_chart_says_its_target(client, path, lang, said):
    """Opened from its data page or an embed, an announced indicator's chart says there is no
    figure yet and names the target it will be measured against, with its source: in the
    server-drawn chart (each line its own text, inside the image's width at 40 characters) and
    the live chart's figure; the explorer's words for the chart say it too."""
    from html import unescape
    page = unescape(client.get(f"{path}&lang={lang}").get_data(as_text=True))
    wide = page.split('class="chart-twin-svg narrow"')[0]
    texts = [re.sub(r"[\u2066-\u2069]", "", x) for x in re.findall(r"<text [^>]*>([^<]*)</text>", wide)]
    assert any(x.startswith(said) for x in texts), texts
    assert not any("<br>" in x or "br>" in x for x in texts) and max(map(len, texts)) <= 60, texts
    assert said in page.replace("<br>", " ")   # the live chart's figure, in the page's data
    if path.startswith("/explorer"):
        alt = re.search(r'<p id="explorer-alt">(.*?)</p>', page, re.S).group(1)
        assert said in alt and ("Ministry of Social Development" in alt or "وزارة التنمية الاجتماعية" in alt), alt
