"""`spi publish`: chart images for journalists and the whole-dataset files, into a folder.

For every indicator and language (Arabic, English), the explorer's default chart of that
indicator (the same view as /embed/<indicator>), built by the site's own builders
(store.view.parse_view -> dashboard.cache.view_for: the numbers, their words and the
figure, so the images match the site), with title, unit, period and source drawn on it and
a licence line added, exported by Kaleido through the machine's Chromium (offline; MathJax
off, plotly.js from the installed plotly package):

    OUT/charts/<indicator>/<indicator>.ar.png  .ar.svg  .en.png  .en.svg
    OUT/charts/<indicator>/<indicator>.by-<dimension>.ar.png …   (one chart per breakdown)
    OUT/charts/<indicator>/embed[.by-<dimension>].ar.html …     (an <iframe> and a static <img> snippet)
    OUT/charts/index.html                                   (every chart, to browse)
    OUT/data/all.csv  all-utf8.csv  all.ar.xlsx  all.en.xlsx  all.parquet  datapackage.json  package/…
    OUT/manifest.json                                       (every file, its size, the build)

Arabic text is shaped and ordered by Chromium with the Noto Sans Arabic font (installed by
scripts/setup as fonts-noto-core).
"""
from __future__ import annotations

import html
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from contract.schema import LANGS
from store import database
from store.catalogue import meta
from store.embed import iframe_snippet
from store.texts import direction, t
from store.view import View, parse_view

WIDTH = 1200          # CSS pixels; PNGs are written at SCALE times this
SCALE = 2
MIN_HEIGHT = 675
KALEIDO = {"mathjax": False}   # Kaleido's options: no MathJax (it would be fetched from a CDN)
DEFAULT_BASE_URL = "http://127.0.0.1:8050"  # a local `spi serve`; --base-url (or SPI_PUBLIC_URL) for the site


@dataclass
class PublishResult:
    charts: int = 0
    files: list[dict] = field(default_factory=list)
    seconds_charts: float = 0.0
    seconds_data: float = 0.0
    renderer: str = ""


def chart_figure(indicator: str, lang: str, breakdown: str | None = None, base_url: str = DEFAULT_BASE_URL):
    """(the view in words, plotly Figure) of an indicator's chart as the explorer and /embed
    draw it (the default view, or by a breakdown), as an exported image (view_figure)."""
    params = {"indicator": indicator}
    if breakdown:
        params.update(view="breakdown", breakdown=breakdown)
    return view_figure(parse_view(params, meta(), lang), base_url)


def view_credit(view: View, base_url: str) -> str:
    """The credit an image of `view` carries (dashboard.credit): the site, the view's explorer
    address under `base_url`, and the licence."""
    from dashboard.credit import image_credit
    return image_credit(view.lang, f"{base_url.rstrip('/')}/explorer?{view.query_string()}", meta().licence["id"])


def view_figure(view: View, base_url: str, min_height: int = MIN_HEIGHT, width: int = WIDTH):
    """(the view in words, plotly Figure) of any view of the explorer or an embed, as an exported
    image draws it: the site's own figure (dashboard.cache.view_for, so the image is what the page
    shows of the release this request reads), with the site, the view's address and the licence
    under its source (dashboard.figures.for_export), at least `min_height` px tall before the room
    every further line of that credit takes (dashboard.credit). `spi publish` and the served
    chart images (spi/images.py) are drawn by this one function."""
    import plotly.graph_objects as go

    from dashboard.cache import view_for
    from dashboard.credit import with_room
    from dashboard.figures import for_export

    vd, fig_dict = view_for(view)
    credit = view_credit(view, base_url)
    fig = go.Figure(with_room(for_export(fig_dict, credit, min_height), credit))
    fig.update_layout(width=width)
    return vd, fig


def embed_snippet(indicator: str, lang: str, vd, height: int, base_url: str, stem: str | None = None,
                  breakdown: str | None = None) -> str:
    """HTML to paste into an article: a live <iframe> of /embed/<indicator>, or a static image."""
    base = base_url.rstrip("/")
    stem = stem or indicator
    view = f"&amp;view=breakdown&amp;breakdown={breakdown}" if breakdown else ""
    title = html.escape(vd.title, quote=True)
    alt = html.escape(vd.alt or vd.title, quote=True)
    src = html.escape(vd.source_line or "", quote=False)
    open_text = t("publish_open", lang)
    q = f"indicator={indicator}&amp;lang={lang}{view}"
    return f"""<!-- {vd.title}: two ways to publish this chart. Licence CC BY 4.0: keep the source line. -->

<!-- 1. Live chart (updates when new figures are published) -->
<figure lang="{lang}" dir="{direction(lang)}" style="margin:0;max-width:{WIDTH}px">
  {iframe_snippet(f"{base}/embed/{indicator}?lang={lang}{html.unescape(view)}", html.unescape(title), height)}
  <figcaption style="font-size:13px">{src} ·
    <a href="{base}/explorer?{q}">{open_text}</a></figcaption>
</figure>

<!-- 2. Static image (no script; the numbers are in the alt text) -->
<figure lang="{lang}" dir="{direction(lang)}" style="margin:0;max-width:{WIDTH}px">
  <img src="{stem}.{lang}.svg" width="{WIDTH}" height="{height}" style="width:100%;height:auto"
       alt="{alt}">
  <figcaption style="font-size:13px">{src} ·
    <a href="{base}/data/{indicator}.csv?lang={lang}{view.replace('&amp;view=breakdown', '') if view else ''}">{t("publish_data_csv", lang)}</a></figcaption>
</figure>
"""


def write_charts(out: Path, indicators: list[str], langs=LANGS, base_url: str = DEFAULT_BASE_URL,
                 progress: Callable[[str], None] = lambda _: None) -> tuple[list[dict], str]:
    """PNG and SVG of every indicator's chart in each language, plus embed snippets."""
    import kaleido

    m = meta()
    jobs, files, pages = [], [], []
    for ind in indicators:
        folder = out / ind
        folder.mkdir(parents=True, exist_ok=True)
        # The default chart, and one chart per breakdown the indicator is published by.
        variants = [(None, ind)] + [(d, f"{ind}.by-{d}") for d in m.indicators[ind]["breakdowns"]]
        for breakdown, stem in variants:
            for lang in langs:
                vd, fig = chart_figure(ind, lang, breakdown, base_url)
                height = int(fig.layout.height)
                for fmt, scale in (("png", SCALE), ("svg", 1)):
                    path = folder / f"{stem}.{lang}.{fmt}"
                    jobs.append({"fig": fig, "path": str(path),
                                 "opts": {"format": fmt, "width": WIDTH, "height": height, "scale": scale}})
                    files.append({"path": path, "indicator": ind, "breakdown": breakdown, "lang": lang,
                                  "format": fmt, "width": WIDTH * scale, "height": height * scale})
                suffix = f".by-{breakdown}" if breakdown else ""
                snippet = folder / f"embed{suffix}.{lang}.html"
                snippet.write_text(embed_snippet(ind, lang, vd, height, base_url, stem, breakdown), encoding="utf-8")
                files.append({"path": snippet, "indicator": ind, "breakdown": breakdown, "lang": lang,
                              "format": "html"})
                pages.append((ind, stem, lang, vd, suffix))
    progress(f"  rendering {len(jobs)} images with Kaleido (Chromium)")
    # One Chromium for every image, two tabs
    kaleido.write_fig_from_object_sync(jobs, kopts={**KALEIDO, "n": 2})
    missing = [j["path"] for j in jobs if not Path(j["path"]).is_file() or Path(j["path"]).stat().st_size == 0]
    if missing:
        raise RuntimeError(f"Kaleido wrote no file for {len(missing)} image(s), e.g. {missing[0]}")
    _index(out, pages)
    from importlib.metadata import version
    return files, f"Kaleido {version('kaleido')} + Chromium ({_chromium()})"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "found by choreographer"


def _index(out: Path, pages) -> None:
    items = []
    for ind, stem, lang, vd, suffix in pages:
        items.append(f'<figure lang="{lang}" dir="{direction(lang)}">'
                     f'<img src="{ind}/{stem}.{lang}.svg" alt="{html.escape(vd.alt or vd.title, quote=True)}" '
                     f'loading="lazy" style="width:100%;max-width:600px">'
                     f'<figcaption><a href="{ind}/{stem}.{lang}.png">PNG</a> · <a href="{ind}/{stem}.{lang}.svg">SVG</a>'
                     f' · <a href="{ind}/embed{suffix}.{lang}.html">embed</a></figcaption></figure>')
    (out / "index.html").write_text(
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><meta charset="utf-8"><title>{t("publish_index", "ar")} / '
        f'{t("publish_index", "en")}</title>'
        '<style>body{font-family:"Noto Sans Arabic","Noto Sans",sans-serif;display:grid;'
        'grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1rem;padding:1rem}</style>'
        + "".join(items) + "</html>", encoding="utf-8")


def write_data(out: Path, progress: Callable[[str], None] = lambda _: None) -> list[dict]:
    """The whole-dataset files (also filling the server's cache for this build)."""
    from api import dataset

    m = meta()
    out.mkdir(parents=True, exist_ok=True)
    made = [
        (dataset.csv_file(m, "both", "ar", True), "all.csv"),
        (dataset.csv_file(m, "codes", "ar", False), "all-codes-utf8.csv"),
        (dataset.parquet_file(m), "all.parquet"),
    ]
    for lang in LANGS:
        progress(f"  workbook ({lang})")
        made.append((dataset.xlsx_file(m, lang, "both"), f"all.{lang}.xlsx"))
    files = []
    for src, name in made:
        shutil.copyfile(src, out / name)
        files.append({"path": out / name, "format": name.rsplit(".", 1)[-1]})
    package = dataset.package_dir(m)
    if (out / "package").exists():
        shutil.rmtree(out / "package")
    shutil.copytree(package / "package", out / "package")
    shutil.copyfile(package / "datapackage.json", out / "datapackage.json")
    files.append({"path": out / "datapackage.json", "format": "json"})
    files += [{"path": p, "format": "csv"} for p in sorted((out / "package").glob("*.csv"))]
    return files


def publish(out_dir: Path, db_path: Path | None = None, charts: bool = True, data: bool = True,
            langs=LANGS, indicators: list[str] | None = None, base_url: str = DEFAULT_BASE_URL,
            progress: Callable[[str], None] = lambda _: None) -> PublishResult:
    """Write the chart images and/or the dataset files for the current database build."""
    if db_path is not None:
        database.use(db_path)
    m = meta()
    ids = list(m.indicators)
    if indicators:
        unknown = [i for i in indicators if i not in m.indicators]
        if unknown:
            raise ValueError(f"unknown indicator(s): {', '.join(unknown)}")
        ids = list(indicators)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = PublishResult()
    if data:
        started = time.perf_counter()
        progress(f"writing the whole dataset ({m.observation_count:,} observations) to {out / 'data'}")
        result.files += write_data(out / "data", progress)
        result.seconds_data = time.perf_counter() - started
    if charts:
        started = time.perf_counter()
        progress(f"drawing {len(ids)} indicator(s) x {len(langs)} language(s)")
        files, result.renderer = write_charts(out / "charts", ids, langs, base_url, progress)
        result.files += files
        result.charts = sum(1 for f in files if f["format"] == "png")  # one per chart and language
        result.seconds_charts = time.perf_counter() - started
    manifest = {"build_id": m.build_id, "built_at": m.built_at.isoformat(timespec="seconds"),
                "licence": m.licence["id"], "renderer": result.renderer,
                "files": [{**{k: v for k, v in f.items() if k != "path"}, "path": str(Path(f["path"]).relative_to(out)),
                           "bytes": Path(f["path"]).stat().st_size} for f in result.files]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return result
