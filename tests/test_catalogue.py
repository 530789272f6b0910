"""The catalogue is refused, naming the entry, unless every reference in it resolves."""
from __future__ import annotations

import copy
import re

import pycountry
import pytest
import yaml

from etl.catalogue import CatalogueError, fold, load_catalogue
from etl.raw_folder import source_files

ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def shipped(paths):
    return load_catalogue(paths.catalogue)


@pytest.fixture(scope="module")
def raw_yaml(paths) -> dict:
    return yaml.safe_load(paths.catalogue.read_text(encoding="utf-8"))


def test_the_shipped_catalogue_loads(shipped):
    assert len(shipped.indicators) >= 40 and set(shipped.geographies) == {"OM", "JO", "LB"}


def test_every_iso_subdivision_is_a_governorate(shipped):
    for country, geo in shipped.geographies.items():
        assert set(geo["governorates"]) == {s.code for s in pycountry.subdivisions.get(country_code=country)}
    assert len(shipped.geographies["OM"]["governorates"]) == 11
    assert len(shipped.geographies["JO"]["governorates"]) == 12


@pytest.mark.parametrize("country, name, code", [
    ("OM", "جنوب الباطنة", "OM-BJ"), ("OM", "محافظة جنوب الباطنة", "OM-BJ"), ("OM", "South Al Batinah", "OM-BJ"),
    ("OM", "Janub al Batinah", "OM-BJ"),   # pycountry's romanisation
    ("OM", "محافظه مسقط", "OM-MA"),        # taa marbuta written as haa
    ("OM", "OM-MA", "OM-MA"), ("OM", "عمان", "OM"), ("OM", "سلطنة عُمان", "OM"), ("OM", "Oman", "OM"),
    ("JO", "عمان", "JO-AM"),                # in Jordan's files عمان is Amman
    ("JO", "الأردن", "JO"), ("JO", "اربد", "JO-IR"), ("LB", "عكار", "LB-AK"),
    ("OM", "الأردن", None), ("OM", "الرستاق", None),
])
def test_geography_names_resolve_within_one_country(shipped, country, name, code):
    assert shipped.geo_code(country, name) == code


@pytest.mark.parametrize("dimension, label, member", [
    ("sex", "ذكور", "male"), ("sex", "Female", "female"), ("sex", "ذكرًا", "male"),
    ("beneficiary_category", "دعم دخل الأسرة", "family_income_support"),
    ("beneficiary_category", "الأشخاص ذوي الإعاقة", "disability"),
    ("service_channel", "خدمات ذاتية", "self_service"), ("sex", "children", None),
])
def test_breakdown_labels_resolve(shipped, dimension, label, member):
    assert shipped.member_code(dimension, label) == member


def test_fold_ignores_spelling_variants():
    assert fold("محافظة  مسقط") == fold("محافظه مسقط") == fold("مُحافَظة مسقط")
    assert fold("أ") == fold("إ") == fold("آ") == fold("ا")


def test_labels_are_in_the_right_language(shipped):
    """Arabic first: every `ar` label is in Arabic script and no `en` label is."""
    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("ar"), str):
                assert ARABIC.search(node["ar"]), f"{where}.ar is not Arabic: {node['ar']!r}"
            if isinstance(node.get("en"), str):
                assert not ARABIC.search(node["en"]), f"{where}.en is not English: {node['en']!r}"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{where}[{n}]")
    walk({k: getattr(shipped, k) for k in ("topics", "units", "dimensions", "sources", "geographies", "frameworks", "indicators")}, "catalogue")


def test_every_data_file_named_exists_and_every_file_is_named(shipped, paths):
    named = {f for ind in shipped.indicators.values() for f in ind["files"]}
    present = {p.name for p in source_files(paths.raw)[0]}
    assert named == present


def test_targets_cite_a_source_of_the_indicator_country(shipped):
    for key, ind in shipped.indicators.items():
        for target in ind["targets"]:
            assert shipped.sources[target["source"]]["country"] == ind["country"], key


def _drop(path):
    def edit(cat):
        *parents, last = path
        node = cat
        for p in parents:
            node = node[p]
        del node[last]
    return edit


def _set(path, value):
    def edit(cat):
        *parents, last = path
        node = cat
        for p in parents:
            node = node[p]
        node[last] = value
    return edit


# A made-up document, for tests only: the shipped catalogue maps no indicator (no source states one).
MAPPING_SOURCE = {"title": "A test document", "url": "https://example.org/mapping.pdf"}

BROKEN = [
    ("unknown unit", _set(["indicators", "om_ss_cases", "unit"], "households"), "indicators.om_ss_cases.unit: 'households' is not one of"),
    ("missing Arabic name", _drop(["indicators", "om_ss_cases", "name", "ar"]), "indicators.om_ss_cases.name: 'ar' is a required property"),
    ("blank English definition", _set(["indicators", "om_ss_paid", "definition", "en"], "  "), "indicators.om_ss_paid.definition"),
    ("bad governorate code", _set(["geographies", "OM", "governorates", "OM-XX"], {"ar": "س", "en": "X"}), "geographies.OM.governorates.OM-XX: not an ISO 3166-2 subdivision of OM"),
    ("missing governorate", _drop(["geographies", "OM", "governorates", "OM-WU"]), "geographies.OM.governorates: missing ISO 3166-2 subdivisions ['OM-WU']"),
    ("bad country code", lambda c: c["geographies"].__setitem__("XX", {"ar": "س", "en": "X"}), "geographies.XX: 'XX' is not an ISO 3166-1 alpha-2 code"),
    ("unknown measure", _set(["indicators", "om_ss_cases", "measure"], "level"), "indicators.om_ss_cases.measure"),
    ("unknown topic", _set(["indicators", "om_ss_cases", "topic"], "pensions"), "indicators.om_ss_cases.topic"),
    ("unknown breakdown", _set(["indicators", "om_ccc_children", "breakdowns"], ["age"]), "indicators.om_ccc_children.breakdowns: 'age' is not one of"),
    ("sum_to_total not a breakdown", _set(["indicators", "om_ss_cases", "sum_to_total"], ["sex"]), "indicators.om_ss_cases.sum_to_total"),
    ("no data file", _set(["indicators", "om_ss_cases", "files"], []), "indicators.om_ss_cases.files"),
    ("bad decimals", _set(["indicators", "om_ss_cases", "decimals"], 9), "indicators.om_ss_cases.decimals"),
    ("target without a source", _set(["indicators", "om_dis_specialists_hired", "targets"], [{"period": "2024", "value": 1, "source": "nowhere"}]), "indicators.om_dis_specialists_hired.targets[0].source"),
    ("target value not a number", _set(["indicators", "om_dis_specialists_hired", "targets"], [{"period": "2024", "value": "100", "source": "om_mosd_briefing_2024"}]), "indicators.om_dis_specialists_hired.targets[0].value"),
    ("source of an unknown country", _set(["sources", "jo_emv_annual_2024", "country"], "SY"), "sources.jo_emv_annual_2024.country"),
    ("source without a publication date", _drop(["sources", "jo_emv_annual_2024", "published"]), "sources.jo_emv_annual_2024: 'published' is a required property"),
    ("unit name used twice", _set(["units", "persons", "aliases"], ["حالة"]), "units.persons: the name 'حالة' is already used by 'cases'"),
    ("governorate alias used twice", _set(["geographies", "OM", "governorates", "OM-MU", "aliases"], ["مسقط"]), "geographies.OM.governorates.OM-MU: the name 'مسقط' is already used by 'OM-MA'"),
    ("reserved breakdown name", lambda c: c["dimensions"].__setitem__("value", {"ar": "ق", "en": "V", "members": {"a": {"ar": "أ", "en": "A"}}}), "dimensions.value: this name is reserved"),
    ("unknown framework item", _set(["indicators", "om_ss_cases", "framework"], ["lb_sw_zz"]), "indicators.om_ss_cases.framework"),
    ("framework child before parent", lambda c: c["frameworks"]["lb_nsps_welfare"]["items"].reverse(), "must be listed before its children"),
    ("indicator id not an identifier", lambda c: c["indicators"].__setitem__("OM-Cases", copy.deepcopy(c["indicators"]["om_ss_cases"])), "indicators: 'OM-Cases' does not match '^[a-z][a-z0-9_]*$' (expected an identifier: lowercase letters"),
    ("section missing", _drop(["units"]), "line 1: the top level: 'units' is a required property"),
    ("unknown default indicator", _set(["site", "default_indicator"], "om_nope"), "site.default_indicator: 'om_nope' is not one of"),
    ("unknown site setting", _set(["site", "colour"], "red"), "site: Additional properties are not allowed ('colour' was unexpected)"),
    ("licence without a name", _drop(["licence", "name"]), "licence: 'name' is a required property"),
    ("per case by an unknown indicator", _set(["indicators", "om_ss_paid", "per_case"], "om_nope"), "indicators.om_ss_paid.per_case"),
    ("per case by money", _set(["indicators", "om_ss_cases", "per_case"], "om_relief_paid"), "indicators.om_ss_cases.per_case: 'om_relief_paid' is not a count"),
    ("per case across countries", _set(["indicators", "om_ss_paid", "per_case"], "jo_child_safe_spaces"), "is about another country"),
    ("aliases not a list", _set(["units", "persons", "aliases"], 5), "units.persons.aliases: 5 is not of type 'array'"),
    ("decimals true", _set(["indicators", "om_ss_cases", "decimals"], True), "indicators.om_ss_cases.decimals: True is not of type 'integer'"),
    ("target of a third half-year", _set(["indicators", "om_dis_specialists_hired", "targets"], [{"period": "2024-H3", "value": 1, "source": "om_mosd_briefing_2024"}]), "indicators.om_dis_specialists_hired.targets[0].period: '2024-H3' does not match"),
    ("target of 1e300", _set(["indicators", "om_dis_specialists_hired", "targets"], [{"period": "2024", "value": 1e300, "source": "om_mosd_briefing_2024"}]), "targets[0].value: 1e+300 is greater than the maximum"),
    ("target in another country", _set(["indicators", "om_dis_specialists_hired", "targets"], [{"period": "2024", "value": 1, "source": "om_mosd_briefing_2024", "geo": "JO-AM"}]), "targets[0].geo: 'JO-AM' is not one of"),
    ("published as a list", _set(["sources", "jo_emv_annual_2024", "published"], [1, 2]), "sources.jo_emv_annual_2024.published: [1, 2] is not valid under any of the given schemas (expected when it was published"),
    ("a misspelt key", lambda c: c["indicators"]["om_ss_cases"].__setitem__("defintion", {"ar": "ت", "en": "D"}), "indicators.om_ss_cases: Additional properties are not allowed ('defintion' was unexpected)"),
    ("per case twice", _set(["indicators", "om_relief_paid", "per_case"], "om_ss_cases"), "already divides another indicator"),
    ("a plural form of no CLDR category", _set(["units", "facilities", "forms"], {"ar": {"several": "مرافق"}}),
     "units.facilities.forms.ar: 'several' is not one of ['zero', 'one', 'two', 'few', 'many', 'other']"),
    ("an Arabic category in English", _set(["units", "facilities", "forms"], {"en": {"few": "facilities"}}),
     "units.facilities.forms.en: 'few' is not one of ['one', 'other']"),
    ("a blank plural form", _set(["units", "facilities", "forms"], {"ar": {"few": ""}}), "units.facilities.forms.ar.few"),
    ("an international series without the document that states it",
     _set(["indicators", "om_ss_cases", "international"], [{"scheme": "SDG", "code": "1.3.1"}]),
     "indicators.om_ss_cases.international[0]: 'source' is a required property"),
    ("an international series whose document has no address",
     _set(["indicators", "om_ss_cases", "international"], [{"scheme": "SDG", "code": "1.3.1", "source": {"title": "T"}}]),
     "indicators.om_ss_cases.international[0].source: 'url' is a required property"),
    ("an international series of an unknown scheme",
     _set(["indicators", "om_ss_cases", "international"], [{"scheme": "WB", "code": "x", "source": MAPPING_SOURCE}]),
     "indicators.om_ss_cases.international[0].scheme: 'WB' is not one of ['SDG', 'ILO']"),
    ("an SDG code not of the SDG's shape",
     _set(["indicators", "om_ss_cases", "international"], [{"scheme": "SDG", "code": "13.1", "source": MAPPING_SOURCE}]),
     "indicators.om_ss_cases.international[0].code: '13.1' is not an SDG indicator code"),
    ("an international series given twice",
     _set(["indicators", "om_ss_cases", "international"], [{"scheme": "SDG", "code": "1.3.1", "source": MAPPING_SOURCE}] * 2),
     "indicators.om_ss_cases.international[1]: SDG 1.3.1 is listed twice"),
    ("forms of a third language", _set(["units", "facilities", "forms"], {"fr": {"one": "installation"}}),
     "units.facilities.forms: Additional properties are not allowed ('fr' was unexpected)"),
]


@pytest.mark.parametrize("edit, message", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_catalogue_names_the_entry(raw_yaml, tmp_path, edit, message):
    data = copy.deepcopy(raw_yaml)
    edit(data)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(path)
    assert str(exc.value).startswith("indicators.yaml: ")
    assert message in str(exc.value)


def _write(tmp_path, text: str):
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_key_given_twice_is_refused_with_both_lines(paths, tmp_path):
    text = paths.catalogue.read_text(encoding="utf-8")
    lines = text.splitlines()
    first = lines.index("  om_ss_cases:") + 1
    doubled = text.replace("  om_ss_cases:\n", "  om_ss_cases:\n    topic: social_security\n  om_ss_cases:\n", 1)
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(_write(tmp_path, doubled))
    assert str(exc.value) == (f"indicators.yaml: line {first + 2}: indicators.om_ss_cases is given twice (first at "
                              f"line {first}); a second entry would silently replace the first")
    source = lines.index("  jo_emv_annual_2024:") + 1
    doubled = text.replace("  jo_emv_annual_2024:\n", "  jo_emv_annual_2024: {}\n  jo_emv_annual_2024:\n", 1)
    with pytest.raises(CatalogueError, match=f"line {source + 1}: sources.jo_emv_annual_2024 is given twice "
                                             f"\\(first at line {source}\\)"):
        load_catalogue(_write(tmp_path, doubled))


def test_every_problem_of_shape_is_listed_with_its_line(paths, tmp_path):
    text = paths.catalogue.read_text(encoding="utf-8")
    broken = text.replace("    headline: true\n", "    headline: often\n", 1).replace('published: "2022"', "published: [1, 2]", 1)
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(_write(tmp_path, broken))
    report = str(exc.value).splitlines()
    assert len(report) == 2 and all(re.match(r"indicators\.yaml: line \d+: ", line) for line in report)
    assert any("published: [1, 2] is not valid" in line for line in report)
    assert any(".headline: 'often' is not of type 'boolean'" in line for line in report)


def test_an_unquoted_date_stays_the_date_as_written(paths, tmp_path):
    text = paths.catalogue.read_text(encoding="utf-8").replace('published: "2025-08-17"', "published: 2025-08-17")
    cat = load_catalogue(_write(tmp_path, text))
    assert cat.sources["om_spf_south_batinah_2025"]["published"] == "2025-08-17"


def test_a_catalogue_that_is_a_folder_or_not_utf8(paths, tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(CatalogueError, match="folder.yaml: is a folder, not a file"):
        load_catalogue(tmp_path / "folder.yaml")
    path = tmp_path / "indicators.yaml"
    path.write_bytes(paths.catalogue.read_text(encoding="utf-8").encode("cp1256", errors="replace"))
    with pytest.raises(CatalogueError, match=r"indicators.yaml: line \d+: not UTF-8 text .* save the file as UTF-8"):
        load_catalogue(path)


def test_site_settings_and_per_case_pairs(shipped, raw_yaml, tmp_path):
    assert shipped.site["default_indicator"] == "om_nursery_children"
    assert shipped.indicators["om_ss_paid"]["per_case"] == "om_ss_cases"
    assert shipped.indicators["om_ss_cases"]["per_case"] is None
    # without a `site` section the dashboard opens on the first headline indicator
    data = copy.deepcopy(raw_yaml)
    del data["site"]
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cat = load_catalogue(path)
    assert cat.site["default_indicator"] == next(k for k, i in cat.indicators.items() if i["headline"])


def test_a_catalogue_that_is_not_yaml_or_not_there(tmp_path):
    bad = tmp_path / "indicators.yaml"
    bad.write_text("indicators: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(bad)
    with pytest.raises(CatalogueError, match="does not exist"):
        load_catalogue(tmp_path / "missing.yaml")


def test_an_international_series_without_its_source_stops_the_build(raw_yaml, tmp_path, capfd):
    """`spi build` with a mapping that names no document: exit 1, the indicator and field named;
    with its document, the catalogue keeps the mapping as written."""
    from spi.cli import main as spi
    data = copy.deepcopy(raw_yaml)
    data["indicators"]["om_ss_cases"]["international"] = [{"scheme": "SDG", "code": "1.3.1"}]
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert spi(["build", "--catalogue", str(path), "--out", str(tmp_path / "out")]) == 1
    assert "indicators.om_ss_cases.international[0]: 'source' is a required property" in capfd.readouterr().err
    assert not (tmp_path / "out" / "indicators.duckdb").exists()
    data["indicators"]["om_ss_cases"]["international"][0]["source"] = MAPPING_SOURCE
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_catalogue(path).indicators["om_ss_cases"]["international"] == [
        {"scheme": "SDG", "code": "1.3.1", "source": MAPPING_SOURCE}]
