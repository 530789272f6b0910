"""The credit an exported chart carries (dashboard/credit.py): every line fits the width of
the source line above it, the licence is always whole, the address is all there (broken
after its separators) unless a part of it is longer than a line, and the image grows by the
lines the credit adds. Where these lines land on a real image: tests/browser/test_images_browser.py."""
from __future__ import annotations

import pytest

from dashboard.credit import LINE_CHARS, LINE_PX, address_lines, image_credit, room, shortened, with_room
from store.texts import LRI, PDI, RLI

SHORT = "http://127.0.0.1:8050/explorer?indicator=om_ss_cases&geo=OM&lang={lang}"
LONG = ("https://statistics.social-development.example.gov.om/explorer?indicator=om_spf_beneficiaries"
        "&view=breakdown&breakdown=beneficiary_category&geo=OM-BJ,OM-MU,OM-DA,OM-ZA&from=2019&to=2025&lang={lang}")
INVISIBLE = str.maketrans("", "", f"{LRI}{RLI}{PDI}\u2068")


def _lines(credit: str) -> list[str]:
    return [line.translate(INVISIBLE) for line in credit.split("<br>")]


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("address", [SHORT, LONG])
def test_every_line_fits_and_the_licence_and_address_are_whole(lang, address):
    address = address.format(lang=lang)
    credit = image_credit(lang, address, "CC-BY-4.0")
    lines = _lines(credit)
    assert len(lines) >= 2 and all(len(line) <= LINE_CHARS for line in lines), lines
    assert lines[0].endswith("CC-BY-4.0") and ("الترخيص" if lang == "ar" else "Licence") in lines[0]
    assert lines[0].startswith("إحصاءات الحماية الاجتماعية" if lang == "ar" else "Social protection statistics")
    assert "".join(lines[1:]) == address   # the address on lines of its own, nothing dropped
    assert room(credit) == LINE_PX * (len(lines) - 1)


def test_arabic_lines_are_each_isolated_for_plotlys_svg_text():
    """Plotly draws each line as its own run of SVG text, whose base direction is left to
    right: the Arabic line is isolated right to left, each address line left to right."""
    terms, *address = image_credit("ar", LONG.format(lang="ar"), "CC-BY-4.0").split("<br>")
    assert terms.startswith(RLI) and terms.endswith(PDI) and f"{LRI}CC-BY-4.0{PDI}" in terms
    assert address and all(line.startswith(LRI) and line.endswith(PDI) for line in address)


def test_a_credit_that_fits_is_one_line():
    credit = image_credit("en", "https://x.org/e?i=a", "CC-BY-4.0")
    assert credit == "Social protection statistics · https://x.org/e?i=a · Licence: CC-BY-4.0" and room(credit) == 0


def test_a_part_longer_than_a_line_is_shortened_in_the_middle():
    part = "https://example.org/" + "x" * 300
    lines = address_lines(part + "&lang=en")
    assert lines == [shortened(part + "&", LINE_CHARS), "lang=en"]   # a line breaks after its separator
    assert len(lines[0]) == LINE_CHARS and lines[0].startswith("https://example.org/xx") and "x…x" in lines[0]
    assert shortened("abc", 10) == "abc"


def test_with_room_grows_the_image_at_its_foot_only():
    fig = {"data": [], "layout": {"height": 500, "margin": {"t": 90, "b": 100}, "legend": {"y": 0.9}}}
    grown = with_room(fig, "a<br>b<br>c")
    layout = grown["layout"]
    assert layout["height"] == 532 and layout["margin"] == {"t": 90, "b": 132}
    # the legend hangs from the same place from the top: (1 - y) × height is unchanged
    assert (1 - layout["legend"]["y"]) * 532 == pytest.approx((1 - 0.9) * 500, abs=0.1)
    assert fig["layout"]["height"] == 500   # the figure given is left as it was
