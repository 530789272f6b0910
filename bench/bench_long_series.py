"""Long series benchmark (issue 20): every explorer view of a monthly indicator, light and quick.

    .venv/bin/python bench/bench_long_series.py              # bench/synthetic.py's 1,000,000 observations
    .venv/bin/python bench/bench_long_series.py -n 20000     # a quick run (syn_000_sex is whole from ~8,000)
    .venv/bin/python bench/bench_long_series.py --runs 5 --synthetic-db /tmp/x/out/indicators.duckdb

Builds the shipped data and the synthetic set (20 years of monthly figures for 11
governorates) into a temp dir (never into data/), serves each with gunicorn as `spi serve`
does (bench_dashboard.Server), and prints for every explorer view of syn_000_sex (over
time in its first place and in all 11, by area, its breakdown, the Table tab) the HTML's
size and (but for the Table tab, which draws none) its first chart's time (median of
--runs rounds, fresh browser contexts; each round loads the shipped explorer and then every
view, so a busy machine slows both alike), with the ratio to the shipped explorer's, and
/data's size. Targets: every view <= 150 KB of HTML, its first chart within 1.2x the
shipped data's. Then what a phone pays at the first move on each (bench_dashboard.first_move:
CPU slowed 4x, 412 px wide; --moves loads): to the live page, to the first chart a reader can
hover, to plotly.js's chart, and the blocking time after the move, the shipped explorer's first.
Nothing is asserted; the figures are printed.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_dashboard import (Server, build_shipped, build_synthetic, first_chart, first_move,  # noqa: E402
                                   print_moves)

INDICATOR = "syn_000_sex"   # monthly, 11 governorates, a breakdown by sex: every view the explorer has
PLACES = "OM-BJ,OM-BS,OM-BU,OM-DA,OM-MA,OM-MU,OM-SJ,OM-SS,OM-WU,OM-ZA,OM-ZU"   # bench/synthetic.py's 11
VIEWS = {"over time": f"/explorer?indicator={INDICATOR}",
         "11 places": f"/explorer?indicator={INDICATOR}&geo={PLACES}",
         "by area": f"/explorer?indicator={INDICATOR}&view=geo",
         "by sex": f"/explorer?indicator={INDICATOR}&view=breakdown&breakdown=sex",
         "table": f"/explorer?indicator={INDICATOR}&tab=table"}
SHIPPED = {"shipped explorer": "/explorer?indicator=om_ss_cases"}
KB = 1024


def sizes(server: Server, pages: dict[str, str]) -> dict[str, int]:
    """Bytes of each page's HTML, uncompressed."""
    out = {}
    for name, path in pages.items():
        status, body = server.get(path, headers={"Accept-Encoding": "identity"})
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        out[name] = len(body)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1_000_000, help="synthetic observations (default 1,000,000)")
    ap.add_argument("--runs", type=int, default=3, help="first-chart rounds (median), each page once a round")
    ap.add_argument("--synthetic-db", type=Path, help="an already built synthetic database")
    ap.add_argument("--moves", type=int, default=3, help="first-move loads a page (median; 0: none)")
    args = ap.parse_args()
    charted = {k: v for k, v in VIEWS.items() if k != "table"}   # the Table tab draws no chart
    with tempfile.TemporaryDirectory(prefix="bench_long_") as tmp:
        shipped = Server(build_shipped(Path(tmp)))
        try:
            syn = Server(args.synthetic_db or build_synthetic(Path(tmp), args.n))
            try:
                base_size = sizes(shipped, SHIPPED)["shipped explorer"]
                size = sizes(syn, {**VIEWS, "/data": "/data"})
                # one load of each page a round, the shipped explorer's and the synthetic views'
                # in turn: the shared machine's load weighs on both alike
                times: dict[str, list[float]] = {name: [] for name in [*SHIPPED, *charted]}
                for _ in range(args.runs):
                    for server, pages in ((shipped, SHIPPED), (syn, charted)):
                        for name, timing in first_chart(server.base, pages, 1).items():
                            times[name].append(timing["chart_median"])
                moves = ({**first_move(shipped.base, SHIPPED, args.moves), **first_move(syn.base, charted, args.moves)}
                         if args.moves else {})
            finally:
                syn.stop()
        finally:
            shipped.stop()
    charts = {name: statistics.median(values) for name, values in times.items()}
    base_chart = charts["shipped explorer"]
    print(f"shipped explorer: {base_size / KB:.0f} KB, first chart {base_chart:.2f} s")
    print(f"{'view':<12}{'HTML':>9}{'<=150 KB':>10}{'first chart':>13}{'ratio':>8}{'<=1.2x':>8}")
    for name in VIEWS:
        if name not in charts:   # the Table tab draws no chart: its size alone
            print(f"{name:<12}{size[name] / KB:>7.0f}KB{'yes' if size[name] <= 150 * KB else 'NO':>10}")
            continue
        chart = charts[name]
        print(f"{name:<12}{size[name] / KB:>7.0f}KB{'yes' if size[name] <= 150 * KB else 'NO':>10}"
              f"{chart:>12.2f}s{chart / base_chart:>8.2f}{'yes' if chart <= 1.2 * base_chart else 'NO':>8}")
    print(f"/data: {size['/data'] / KB:.0f} KB ({'yes' if size['/data'] <= 150 * KB else 'NO'} <= 150 KB)")
    if moves:
        print_moves(moves, args.moves)
    return 0


if __name__ == "__main__":
    sys.exit(main())
