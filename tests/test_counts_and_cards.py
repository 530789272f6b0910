"""A count says its unit in the form its number takes, from the catalogue's words (units.<unit>.forms,
through the database's units table to every page); an overview card names every publication
its figures come from, and draws a trend only when it has two figures to join."""
from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def client(served):
    from spi.app import server
    return server.test_client()


def _card(client, indicator: str, lang: str) -> str:
    """The server's HTML of one overview card."""
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    found = re.search(rf'<article class="card" data-indicator="{indicator}">(.*?)</article>', page, re.S)
    assert found, indicator
    return found.group(1)


def test_the_catalogues_forms_reach_the_database(served):
    from store.catalogue import meta
    facilities = meta().units["facilities"]
    assert (facilities["name_ar"], facilities["name_ar_two"], facilities["name_ar_few"], facilities["name_ar_many"]) \
        == ("مرفق", "مرفقان", "مرافق", "مرفقًا")
    assert facilities["name_en_one"] == "facility" and facilities["name_ar_other"] is None   # not given: the name
    assert meta().units["omr"]["name_ar_few"] is None


@pytest.mark.parametrize("indicator, lang, words", [
    ("jo_child_safe_spaces", "ar", "مرفقًا"),          # 12: many
    ("om_dis_specialists_hired", "ar", "موظفًا"),      # 124: many (124 ends in 24)
    ("om_nursery_children", "ar", "طفلًا"),            # 9,018: many (18)
    ("om_associations", "ar", "منظمة"),                # 173: many, a word in ة keeps its name
    ("jo_child_safe_spaces", "en", "facilities"),
])
def test_a_cards_unit_takes_the_form_of_its_figure(client, indicator, lang, words):
    assert f'<span class="card-unit"> {words}</span>' in _card(client, indicator, lang)


def test_a_card_comparing_two_publications_names_both(client):
    for lang, newer, older in (("en", "(2024)", "(2022)"), ("ar", "(2024)", "(2022)")):
        source = re.search(r'<p class="card-source">(.*?)</p>', _card(client, "om_ss_cases", lang)).group(1)
        assert newer in source and older in source, source
        assert source.index(newer) < source.index(older)          # the newer figure's first
    single = re.search(r'<p class="card-source">(.*?)</p>', _card(client, "om_relief_cases", "en")).group(1)
    assert single.count("(") == 2 and "(2022)" not in single     # one publication: one named


def test_a_single_figure_draws_no_sparkline(client):
    for lang in ("ar", "en"):
        assert 'class="sparkline"' in _card(client, "om_ss_cases", lang)            # three figures: a trend
        lone = _card(client, "om_relief_cases", lang)                              # one figure
        assert 'class="sparkline"' not in lone and "card-spark" not in lone and "spark-years" not in lone
        assert "82,215" in lone
