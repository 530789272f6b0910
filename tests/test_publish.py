"""`spi publish`: chart images (PNG, SVG) in Arabic and English, embed snippets, dataset files.

Runs the real command on a database built into a temporary folder, then checks the images:
pixel size, background and series colours, where the title's ink sits (right-aligned in
Arabic, left in English), the SVG's text (title, unit, period, source, in logical order, in
the Arabic font), and the embed snippets. The PNGs are copied to tests/artifacts/publish/
for a person to look at.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts" / "publish"
INDICATORS = ("om_nursery_children", "om_spf_beneficiaries")
BLUE = (0x00, 0x72, 0xB2)  # first colour of the dashboard's palette (Okabe-Ito blue)


def _spi() -> list[str]:
    exe = REPO / ".venv" / "bin" / "spi"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "spi.cli"]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("publish")
    done = subprocess.run([*_spi(), "build", "--out", str(root / "db")], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "SPI_DB": str(root / "db" / "indicators.duckdb"), "SPI_OPENDATA_CACHE": str(root / "cache")}
    args = [*_spi(), "publish", "--out", str(root / "out"), "--base-url", "https://data.example.org"]
    for ind in INDICATORS:
        args += ["--indicator", ind]
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    out = root / "out"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for png in (out / "charts").rglob("*.png"):
        shutil.copyfile(png, ARTIFACTS / png.name)
    return out


def _pixels(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def _near(img: np.ndarray, colour, tol: int = 12) -> np.ndarray:
    return (np.abs(img - np.array(colour)) <= tol).all(axis=2)


def test_every_chart_in_both_languages_and_formats(published):
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    charts = published / "charts"
    for ind in INDICATORS:
        stems = [ind, f"{ind}.by-{'sex' if ind == 'om_nursery_children' else 'beneficiary_category'}"]
        for stem in stems:
            for lang in ("ar", "en"):
                for fmt in ("png", "svg"):
                    path = charts / ind / f"{stem}.{lang}.{fmt}"
                    assert path.is_file() and path.stat().st_size > 3_000, path
                    if fmt == "svg":   # the credit line: the site, the view's address and the licence
                        svg = path.read_text(encoding="utf-8")
                        assert "CC-BY-4.0" in svg and f"/explorer?indicator={ind}" in svg, path
                        assert ("إحصاءات الحماية الاجتماعية" if lang == "ar" else "Social protection statistics") in svg
    pngs = [f for f in manifest["files"] if f["format"] == "png"]
    assert len(pngs) == 8 and "Chromium" in manifest["renderer"]
    for f in pngs:  # the pixel size the manifest promises is the size of the file
        with Image.open(published / f["path"]) as im:
            assert im.size == (f["width"], f["height"]) and im.size[0] == 2400 and im.size[1] >= 1350


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_png_colours_and_title_placement(published, lang):
    img = _pixels(published / "charts" / "om_nursery_children" / f"om_nursery_children.{lang}.png")
    h, w, _ = img.shape
    white = _near(img, (255, 255, 255), 2).mean()
    assert white > 0.80, "a white background"
    assert _near(img, BLUE).sum() > 200, "the series is drawn in the palette's blue"
    ink = (img.sum(axis=2) < 200)  # near-black text
    assert ink.sum() > 2_000, "text is drawn"
    # The title is on the first lines: right-aligned in Arabic, left-aligned in English.
    top = ink[: int(h * 0.05)]
    cols = np.where(top.any(axis=0))[0]
    assert cols.size, "a title at the top"
    if lang == "ar":
        assert cols.max() > w * 0.95 and cols.min() > w * 0.25
    else:
        assert cols.min() < w * 0.05 and cols.max() < w * 0.75
    # Source line and licence at the bottom.
    assert ink[int(h * 0.85):].sum() + (img[int(h * 0.85):].sum(axis=2) < 450).sum() > 500


def test_arabic_text_in_logical_order_and_arabic_font(published):
    """Chromium shapes and orders Arabic itself when given the text in logical order and a
    font that has Arabic glyphs; the SVG shows what it was given."""
    svg = (published / "charts" / "om_nursery_children" / "om_nursery_children.ar.svg").read_text(encoding="utf-8")
    for text in ("الأطفال الملتحقون بدور الحضانة", "طفل", "نهاية 2021", "المصدر", "وزارة التنمية الاجتماعية",
                 "6,073", "9,018", "CC-BY-4.0"):
        assert text in svg, text
    assert "Noto Sans Arabic" in svg
    fc = shutil.which("fc-match")
    if fc:
        found = subprocess.run([fc, "Noto Sans Arabic"], capture_output=True, text=True).stdout
        assert "NotoSansArabic" in found, f"the Arabic font is not installed (fc-match gives {found!r})"
    en = (published / "charts" / "om_nursery_children" / "om_nursery_children.en.svg").read_text(encoding="utf-8")
    assert "Children enrolled in nurseries" in en and "Source" in en and "الأطفال" not in en


def test_breakdown_chart_shows_each_published_part(published):
    svg = (published / "charts" / "om_spf_beneficiaries" / "om_spf_beneficiaries.by-beneficiary_category.en.svg").read_text(encoding="utf-8")
    for value in ("142,041", "18,867"):
        assert value in svg
    words = " ".join(re.sub(r"<[^>]+>", " ", svg).split())   # a long name is drawn on two lines (tspans)
    for label in ("Children", "Older persons", "Persons with disabilities"):
        assert label in words


def test_embed_snippets(published):
    ar = (published / "charts" / "om_nursery_children" / "embed.ar.html").read_text(encoding="utf-8")
    assert 'src="https://data.example.org/embed/om_nursery_children?lang=ar"' in ar
    assert 'dir="rtl"' in ar and 'src="om_nursery_children.ar.svg"' in ar
    assert "6,073" in ar and "9,018" in ar  # the alt text carries the numbers
    by = (published / "charts" / "om_nursery_children" / "embed.by-sex.en.html").read_text(encoding="utf-8")
    assert "view=breakdown&amp;breakdown=sex" in by and 'dir="ltr"' in by


def test_dataset_files(published):
    data = published / "data"
    assert (data / "all.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (data / "all-codes-utf8.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    for name in ("all.parquet", "all.ar.xlsx", "all.en.xlsx", "datapackage.json", "package/observations.csv"):
        assert (data / name).stat().st_size > 1_000, name
    from frictionless import validate
    report = validate(str(data / "datapackage.json"))
    assert report.valid


def test_unknown_indicator_fails_cleanly(tmp_path):
    env = {**os.environ, "SPI_OPENDATA_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([*_spi(), "build", "--out", str(tmp_path / "db")], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0
    env["SPI_DB"] = str(tmp_path / "db" / "indicators.duckdb")
    done = subprocess.run([*_spi(), "publish", "--out", str(tmp_path / "out"), "--indicator", "nope", "--no-data"],
                          capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 1 and "unknown indicator" in done.stderr and "Traceback" not in done.stderr
