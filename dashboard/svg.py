"""Server-rendered SVG: KPI sparklines and the governorate map.

Both are plain strings of SVG markup drawn on the server (no JavaScript, no map tiles:
the machine that serves this may be offline). Every text is escaped. The map projects
the GeoJSON boundaries in the project's data/geo/ (here: Natural Earth, public domain) with an
equirectangular projection scaled by the cosine of the middle latitude, which is
accurate enough for countries this size; each governorate is a link with a <title>. A
governorate whose figure a note marks (provisional, revised…) carries the charts' mark, an
asterisk at its middle, and says why in its title.
"""
from __future__ import annotations

import functools
import json
import math
from html import escape
from pathlib import Path

from contract.project import default as default_project

from .figures import MARK


def geo_dir() -> Path:
    """The project's map files, data/geo/ (SPI_PROJECT, which `spi serve` gives its workers, else
    the project found from the current folder)."""
    return default_project().geo

# ColorBrewer "Blues" (sequential, safe for colour-blind readers and in greyscale)
BLUES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA_FILL = "url(#nodata-hatch)"


def sparkline(values: list[float | None], label: str, width: int = 132, height: int = 40,
              colour: str = "#0072B2", rtl: bool = False, tips: list[str | None] | None = None) -> str:
    """Dots for every published value, a line between neighbouring periods, and across a gap
    a dashed connector (no figure was published there: nothing is drawn as if it were). Time
    runs left to right in both languages. `label` is the text alternative; `tips`, each dot's
    words on hover (assets/chart_hover.js shows them)."""
    n = len(values)
    pad = 5
    present = [v for v in values if v is not None]
    out = [f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'role="img" aria-label="{escape(label, quote=True)}" focusable="false">',
           f"<title>{escape(label)}</title>",
           f'<line x1="{pad}" y1="{height - 2}" x2="{width - pad}" y2="{height - 2}" stroke="#c8ced6" stroke-width="1"/>']
    if not present:
        out.append("</svg>")
        return "".join(out)
    lo, hi = min(present + [0.0]), max(present)
    span = (hi - lo) or 1.0

    def xy(i: int, v: float) -> tuple[float, float]:
        x = width / 2 if n == 1 else pad + i * (width - 2 * pad) / (n - 1)
        y = (height - 4) - (v - lo) / span * (height - 4 - pad)
        return round(x, 1), round(y, 1)

    # tick marks for every period, so a gap shows as an empty tick
    for i in range(n):
        x, _ = xy(i, lo)
        out.append(f'<line x1="{x}" y1="{height - 5}" x2="{x}" y2="{height - 2}" stroke="#c8ced6" stroke-width="1"/>')
    run: list[tuple[float, float]] = []
    for i, v in enumerate(values + [None]):
        if v is None:
            if len(run) > 1:
                pts = " ".join(f"{x},{y}" for x, y in run)
                out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
            run = []
        else:
            run.append(xy(i, v))
    published = [i for i, v in enumerate(values) if v is not None]
    for i, j in zip(published, published[1:]):
        if j > i + 1:   # a gap: the dashed connector
            (x1, y1), (x2, y2) = xy(i, values[i]), xy(j, values[j])
            out.append(f'<line class="gap" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
                       'stroke-width="1.5" stroke-dasharray="3 3" opacity="0.7"/>')
    for i, v in enumerate(values):
        if v is not None:
            x, y = xy(i, v)
            tip = f' data-tip="{escape(tips[i], quote=True)}"' if tips and tips[i] else ""
            out.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}" stroke="white" stroke-width="1"{tip}/>')
    out.append("</svg>")
    return "".join(out)


def _projected(map_file: str, width: int) -> tuple[dict[str, str], dict[str, tuple[float, float]], int, int]:
    """{geo_code: SVG path d}, {geo_code: the middle of its largest ring}, width, height for one
    GeoJSON file of the project's data/geo/."""
    return _projected_in(geo_dir(), map_file, width)


@functools.lru_cache(maxsize=8)
def _projected_in(folder: Path, map_file: str, width: int):
    gj = json.loads((folder / map_file).read_text(encoding="utf-8"))
    rings: dict[str, list] = {}
    lons, lats = [], []
    for f in gj["features"]:
        code = f.get("id") or f["properties"].get("iso_3166_2")
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings[code] = [ring for poly in polys for ring in poly]
        for ring in rings[code]:
            for lon, lat in ring:
                lons.append(lon)
                lats.append(lat)
    lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    pad = 6
    scale = (width - 2 * pad) / ((lon1 - lon0) * k)
    height = int(round((lat1 - lat0) * scale + 2 * pad))
    paths, middles = {}, {}
    for code, rs in rings.items():
        d, largest = [], []
        for ring in rs:
            pts = [(pad + (lon - lon0) * k * scale, pad + (lat1 - lat) * scale) for lon, lat in ring]
            d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
            largest = max(largest, pts, key=len)
        paths[code] = "".join(d)
        xs, ys = [x for x, _ in largest], [y for _, y in largest]
        middles[code] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return paths, middles, width, height


def colour_for(value: float | None, lo: float, hi: float) -> str:
    if value is None:
        return NO_DATA_FILL
    if hi <= lo:
        return BLUES[3]
    step = min(len(BLUES) - 1, int((value - lo) / (hi - lo) * len(BLUES)))
    return BLUES[step]


def governorate_map(map_file: str, regions: list[dict], label: str, width: int = 560) -> str:
    """regions: [{code, name, value (or None), title, href, selected, mark}] — one per feature to
    draw; `mark`, if any, is the figure's status or revision in words (store/wording.py status_words).
    Features in the file without a region entry are drawn as plain no-data shapes."""
    paths, middles, w, h = _projected(map_file, width)
    values = [r["value"] for r in regions if r.get("value") is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
    out = [f'<svg class="gov-map" viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMidYMid meet" '
           f'aria-label="{escape(label, quote=True)}">',
           f"<title>{escape(label)}</title>",
           '<defs><pattern id="nodata-hatch" width="7" height="7" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="7" height="7" fill="#f4f5f7"/>'
           '<line x1="0" y1="0" x2="0" y2="7" stroke="#9aa3ad" stroke-width="2"/></pattern></defs>']
    by_code = {r["code"]: r for r in regions}
    marks = []
    for code, d in paths.items():
        r = by_code.get(code)
        fill = colour_for(r.get("value") if r else None, lo, hi)
        marked = bool(r and r.get("mark") and r.get("value") is not None)
        cls = "gov" + (" selected" if r and r.get("selected") else "") + (" nodata" if not r or r.get("value") is None else "")
        title = (f"{r['title']} ({r['mark']})" if marked else r["title"]) if r else code
        flag = ' data-marked="1"' if marked else ""
        shape = (f'<path d="{d}" fill="{fill}" class="{cls}" data-geo="{escape(code)}"{flag}>'
                 f"<title>{escape(title)}</title></path>")
        if r and r.get("href"):
            out.append(f'<a href="{escape(r["href"], quote=True)}" class="spa-link" '
                       f'aria-label="{escape(title, quote=True)}">{shape}</a>')
        else:
            out.append(shape)
        if marked:   # over every shape, so no neighbour covers it; the title says it in words
            x, y = middles[code]
            marks.append(f'<text x="{x:.1f}" y="{y + 6:.1f}" font-size="18" font-weight="bold" text-anchor="middle" '
                         f'fill="#1b1f24" stroke="white" stroke-width="3" paint-order="stroke" aria-hidden="true" '
                         f'pointer-events="none" data-marked="{escape(code)}">{MARK}</text>')
    out += marks
    out.append("</svg>")
    return "".join(out)


def legend_swatch(fill: str, label: str) -> str:
    """A legend's colour square; the one for "no figure" defines its own (smaller) hatching,
    the only swatch that does, so its id is on the page once."""
    hatch = ('<defs><pattern id="lg-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><rect width="5" height="5" fill="#f4f5f7"/><line x1="0" y1="0" x2="0" '
             'y2="5" stroke="#9aa3ad" stroke-width="2"/></pattern></defs>' if fill == NO_DATA_FILL else "")
    return (f'<svg width="18" height="14" aria-hidden="true" focusable="false">{hatch}'
            f'<rect width="18" height="14" rx="2" fill="{fill.replace("nodata-hatch", "lg-hatch")}" '
            f'stroke="#6b7580" stroke-width="0.5"/></svg><span>{escape(label)}</span>')
