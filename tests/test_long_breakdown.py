"""A breakdown's one period is chosen among the periods that have its parts (issue 20): on the
synthetic monthly set (bench/synthetic.py, built in a temp dir) with the parts by sex of
syn_000_sex kept only in some months (monthly totals, parts now and then, as ministries often
publish them), the breakdown view draws a bar group a month while few months have parts, and
one period, the latest month with parts, once more than BAR_GROUPS do; the period selects
offer only those months. The shipped nursery children by sex (parts for 2021, a total for
2023) keep their one group of 2021."""
from __future__ import annotations

import csv
import re

import pytest

from bench.synthetic import generate_source_set
from etl.build import build
from tests.conftest import _reading

INDICATOR = "syn_000_sex"


def _with_parts_in(root, keep) -> None:
    """The set's raw files with syn_000_sex's parts only in the periods `keep` accepts."""
    for path in (root / "raw").glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        kept = [r for r in rows if r["indicator_id"] != INDICATOR or not r["sex"] or keep(r["period"])]
        with open(path, "w", encoding="utf-8", newline="") as fh:
            out = csv.DictWriter(fh, fieldnames=list(rows[0]))
            out.writeheader()
            out.writerows(kept)


@pytest.mark.parametrize("keep, one_period", [
    (lambda p: p in ("2015-06", "2020-01", "2020-02"), False),   # three months: a bar group each
    (lambda p: p.endswith("-01"), True),                         # every January: 20, one period
])
def test_a_breakdown_chooses_among_the_periods_with_its_parts(tmp_path, keep, one_period):
    root = generate_source_set(tmp_path, n_observations=8_000)
    _with_parts_in(root, keep)
    result = build(root / "raw", root / "indicators.yaml", root / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    with _reading(root / "out" / "indicators.duckdb"):
        from spi.app import server
        from store.catalogue import meta
        from store.view import parse_view
        m = meta()
        with_parts = m.periods_with(INDICATOR, "sex")
        assert len(m.periods_of(INDICATOR)) == 240 and with_parts == tuple(p for p in m.periods_of(INDICATOR) if keep(p))
        view = parse_view({"indicator": INDICATOR, "view": "breakdown"}, m, "en")
        html = server.test_client().get(f"/explorer?indicator={INDICATOR}&view=breakdown&lang=en").data.decode()
        wide = html[html.index('class="chart-twin-svg wide"'):html.index('class="chart-twin-svg narrow"')]
        if one_period:   # the latest January, not December's total alone
            assert view.period == "2025-01" and view.download_args(m)["from"] == "2025-01"
            assert wide.count("<rect") == 2 and "end of January 2025" in wide
            picks = html[html.index('id="explorer-period"'):html.index('id="explorer-from"')]
            months = re.findall(r'<option value="(\d{4}-\d{2})"', picks)
            assert months == ["2025-01"]   # the chosen year's months with parts: January alone
            # a month with its total only: said so, not "no figures"; the latest month with parts shown
            asked = parse_view({"indicator": INDICATOR, "view": "breakdown", "period": "2024-03"}, m, "en")
            assert asked.period == "2025-01"
            assert asked.messages == ("The period “2024-03” has only the total, not this breakdown; showing the "
                                      "latest period that has it.",)
            arabic = parse_view({"indicator": INDICATOR, "view": "breakdown", "period": "2024-03"}, m, "ar")
            assert "المجموع وحده" in arabic.messages[0]
            unknown = parse_view({"indicator": INDICATOR, "view": "breakdown", "period": "1990-03"}, m, "en")
            assert unknown.messages == ("There are no figures for the period “1990-03”; showing the latest period.",)
        else:            # three bar groups over time, from and to as before
            assert view.period is None and "period" not in view.query()
            assert wide.count("<rect") == 3 * 2 and re.search(r'id="explorer-period"[^>]*hidden', html)


def test_a_short_breakdown_keeps_its_groups(served):
    from store.catalogue import meta
    from store.view import parse_view
    m = meta()
    assert m.periods_of("om_nursery_children") == ("2021", "2023") and m.periods_with("om_nursery_children", "sex") == ("2021",)
    view = parse_view({"indicator": "om_nursery_children", "view": "breakdown", "breakdown": "sex"}, m, "en")
    assert view.period is None and view.rows(m).first is None
