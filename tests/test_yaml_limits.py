"""YAML anchors and aliases are limited before a file is composed (etl/checked_yaml.py): a
"billion laughs" file of a dozen lines is refused in well under a second, naming the line,
where checking it would take a minute and all the memory; a catalogue sharing a few blocks
through anchors still loads."""
from __future__ import annotations

import re
import time

import pytest

from etl.build import build
from etl.catalogue import CatalogueError, load_catalogue
from etl.checked_yaml import MAX_ALIAS_NODES
from etl.layouts import LayoutProblem, read_recipe

QUICK = 5.0   # seconds: generous on a shared machine; the unguarded case takes 60 s or more
MESSAGE = rf"aliases expand to more than {MAX_ALIAS_NODES:,} nodes \(a YAML alias bomb\?\)"


def bomb(levels: int = 9, width: int = 10) -> str:
    """The classic: each level a list of `width` aliases of the one before, 10^9 nodes in 9 lines."""
    lines = [f"lol0: &lol0 [{', '.join(['lol'] * width)}]"]
    lines += [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * width)}]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def _line_of(message: str) -> int:
    return int(re.search(r"line (\d+): ", message).group(1))


def test_a_bomb_in_the_catalogue_is_refused_quickly(paths, tmp_path):
    shipped = paths.catalogue.read_text(encoding="utf-8")
    first = shipped.count("\n") + 1                     # the bomb's first line
    path = tmp_path / "indicators.yaml"
    path.write_text(shipped + bomb(), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(path)
    took = time.perf_counter() - started
    print(f"\nbomb in indicators.yaml refused in {took:.3f} s: {exc.value}")
    assert took < QUICK
    assert re.fullmatch(rf"indicators\.yaml: line \d+: {MESSAGE}", str(exc.value))
    assert first < _line_of(str(exc.value)) <= first + 9   # a line of the bomb, where it crosses the bound


def test_a_bomb_in_a_layout_recipe_is_refused_quickly(source_copy, paths):
    cat = load_catalogue(paths.catalogue)
    recipe = source_copy.raw / "om_spf_south_batinah.layout.yaml"
    recipe.write_text("layout: columns\nsheet: data\n" + bomb(), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(LayoutProblem) as exc:
        read_recipe(recipe, cat)
    took = time.perf_counter() - started
    print(f"\nbomb in a layout recipe refused in {took:.3f} s: {exc.value.message}")
    assert took < QUICK
    assert re.fullmatch(rf"the layout recipe om_spf_south_batinah\.layout\.yaml: line \d+: {MESSAGE}", exc.value.message)
    # and the build says so, on the data file the recipe is for
    started = time.perf_counter()
    result = build(source_copy.raw, source_copy.catalogue, source_copy.out)
    took = time.perf_counter() - started
    print(f"the build with it failed in {took:.3f} s")
    assert not result.ok and took < QUICK + 10
    assert any(i.file == "om_spf_south_batinah.csv" and re.search(MESSAGE, i.message) for i in result.issues), result.issues


def test_a_wider_bomb_of_few_levels_is_refused_too(tmp_path):
    """Not only depth: 400 aliases of a list of 400 is 160,000 nodes in two lines."""
    path = tmp_path / "indicators.yaml"
    path.write_text(bomb(levels=1, width=400), encoding="utf-8")
    with pytest.raises(CatalogueError, match=f"line 2: {MESSAGE}"):
        load_catalogue(path)


def test_an_alias_inside_the_node_it_names_is_refused(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text("licence: &loop\n  id: CC-BY-4.0\n  again: *loop\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(CatalogueError, match=r"line 3: the alias \*loop is inside the node &loop it names"):
        load_catalogue(path)
    assert time.perf_counter() - started < QUICK


def test_a_catalogue_with_a_few_anchors_still_loads(paths, tmp_path):
    """Files shared through anchors: every Omani national indicator's `files:` an alias of the first's."""
    text = paths.catalogue.read_text(encoding="utf-8")
    national = "    files: [om_mosd_national.xlsx]\n"
    assert text.count(national) > 10
    head, rest = text.split(national, 1)
    shared = head + "    files: &national [om_mosd_national.xlsx]\n" + rest.replace(national, "    files: *national\n")
    shared = shared.replace("    files: [jo_social_protection_2024.csv]\n", "    files: &jordan [jo_social_protection_2024.csv]\n", 1)
    shared = shared.replace("    files: [jo_social_protection_2024.csv]\n", "    files: *jordan\n")
    assert shared.count("*national") > 10 and shared.count("*jordan") > 5
    path = tmp_path / "indicators.yaml"
    path.write_text(shared, encoding="utf-8")
    started = time.perf_counter()
    cat = load_catalogue(path)
    print(f"\na catalogue with {shared.count('*')} aliases loaded in {time.perf_counter() - started:.3f} s")
    assert cat.indicators == load_catalogue(paths.catalogue).indicators


def test_an_anchor_given_twice_is_the_composers_error(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text("a: &x 1\nb: &x 2\nc: *x\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML: found duplicate anchor"):
        load_catalogue(path)

