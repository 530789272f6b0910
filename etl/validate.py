"""Check raw records against the catalogue and turn them into observations.

Every rule the catalogue implies is checked here; a record that breaks one becomes an
Issue naming its cell, never a silently dropped or "fixed" figure. Work is done per
distinct value (there are few distinct periods, places and labels even in millions of
rows), so a large source set stays fast.
"""
from __future__ import annotations

import pandas as pd

from .catalogue import Catalogue
from .normalise import parse_figure, parse_period, reference_dates
from .report import ERROR, WARNING, Issue

KEY_BASE = ["indicator_id", "geo_code", "period"]


def observation_columns(cat: Catalogue) -> list[str]:
    """The columns of the published observations table, in order."""
    return (KEY_BASE + ["period_start", "period_end"] + list(cat.dimensions)
            + ["value", "qualifier", "unit", "source_id", "value_as_written",
               "source_file", "source_sheet", "source_row", "source_column"])


def validate(records: pd.DataFrame, cat: Catalogue) -> tuple[pd.DataFrame, list[Issue]]:
    """Return the observations that pass every rule, and the issues found."""
    v = _Validator(records.reset_index(drop=True), cat)
    v.run()
    return v.observations(), v.issues


class _Validator:
    def __init__(self, records: pd.DataFrame, cat: Catalogue):
        self.r = records
        self.cat = cat
        self.issues: list[Issue] = []
        self.bad = pd.Series(False, index=records.index)

    # -- reporting
    def flag(self, mask: pd.Series, column: str | pd.Series, message, expected="", value_col: str | None = None):
        """Record an issue for every row in `mask`; message/expected may be per-row callables."""
        rows = self.r[mask]
        for idx, rec in rows.iterrows():
            col = column[idx] if isinstance(column, pd.Series) else column
            self.issues.append(Issue(
                file=rec["source_file"], sheet=rec["source_sheet"], row=int(rec["source_row"]), column=col,
                value=rec[value_col or column] if isinstance(column, str) else rec["value"],
                message=message(rec) if callable(message) else message,
                expected=expected(rec) if callable(expected) else expected))
        self.bad |= mask

    def run(self):
        r, cat = self.r, self.cat
        if r.empty:
            return
        blank = lambda col: r[col].map(lambda v: v is None or (isinstance(v, float) and v != v) or str(v).strip() == "")
        # Indicator known, and expected in this file.
        ind = r["indicator_id"].map(lambda v: str(v).strip() if v is not None else "")
        self.r["indicator_id"] = ind
        known = ind.isin(cat.indicators.keys())
        self.flag(~known, "indicator_id", "unknown indicator", "an indicator id declared in indicators.yaml")
        allowed = pd.Series([ok and f in cat.indicators[i]["files"] for i, f, ok in zip(ind, r["source_file"], known)], index=r.index)
        self.flag(known & ~allowed, "indicator_id", lambda rec: f"indicator is not expected in this file",
                  lambda rec: f"one of its files {cat.indicators[rec['indicator_id']]['files']}")
        ok = known & allowed
        country = ind.map(lambda i: cat.indicators[i]["country"] if i in cat.indicators else None)
        measure = ind.map(lambda i: cat.indicators[i]["measure"] if i in cat.indicators else None)

        # Geography: a country or governorate of the indicator's country.
        geo_code = pd.Series([cat.geo_code(c, g) if c else None for c, g in zip(country, r["geo"])], index=r.index)
        self.flag(ok & geo_code.isna(), "geo", lambda rec: f"unknown governorate or country for {cat.indicators[rec['indicator_id']]['country']}",
                  lambda rec: "a governorate or country name of " + rec_country(cat, rec))
        self.geo_code = geo_code

        # Period, read and dated by the indicator's measure.
        periods = {p: _try(parse_period, p) for p in r["period"].map(_hashable).unique()}
        parsed = r["period"].map(lambda p: periods[_hashable(p)])
        col = pd.Series(["period" if c == "value" else c for c in r["source_column"]], index=r.index)
        self.flag(ok & parsed.map(lambda p: isinstance(p, str)), col,
                  lambda rec: f"the period {periods[_hashable(rec['period'])]}", "a period such as 2021, 2025-H1 or 'حتى نهاية يونيو 2025'")
        dated = [reference_dates(p, m) if not isinstance(p, str) and m else (None, None, None) for p, m in zip(parsed, measure)]
        self.period = pd.Series([d[0] for d in dated], index=r.index, dtype=object)
        self.start = pd.Series([d[1] for d in dated], index=r.index, dtype=object)
        self.end = pd.Series([d[2] for d in dated], index=r.index, dtype=object)

        # Unit, when the file states one.
        unit_given = ~blank("unit")
        unit_code = r["unit"].map(lambda u: cat.unit_code(u) if u is not None else None)
        expected_unit = ind.map(lambda i: cat.indicators[i]["unit"] if i in cat.indicators else None)
        self.flag(ok & unit_given & (unit_code != expected_unit), "unit", "wrong unit for this indicator",
                  lambda rec: f"{cat.units[cat.indicators[rec['indicator_id']]['unit']]['en']!r} ({cat.units[cat.indicators[rec['indicator_id']]['unit']]['ar']})")

        # Breakdowns: known members, and only the breakdowns the indicator has.
        self.members = {}
        for dim in cat.dimensions:
            given = ~blank(dim)
            code = r[dim].map(lambda v, d=dim: cat.member_code(d, v) if v is not None else None)
            has_dim = ind.map(lambda i, d=dim: i in cat.indicators and d in cat.indicators[i]["breakdowns"])
            self.flag(ok & given & ~has_dim, dim, "this indicator has no such breakdown",
                      lambda rec: f"an empty cell (breakdowns: {cat.indicators[rec['indicator_id']]['breakdowns'] or 'none'})")
            members = list(cat.dimensions[dim]["members"])
            self.flag(ok & given & has_dim & code.isna(), dim, "unknown breakdown member", f"one of {members} or their Arabic/English labels")
            self.members[dim] = code.where(given, None)

        # The figure itself.
        self.figures = _parse_figures(r["value"])
        failed = self.figures.map(lambda f: isinstance(f, str))
        self.flag(ok & failed, r["source_column"], lambda rec: f"the figure {self.figures[rec.name]}", "a number such as 72675, 122,178,206 or '169 ألفًا و998'")
        good = ~failed
        value = self.figures.map(lambda f: f.value if not isinstance(f, str) else None)
        unit_kind = expected_unit.map(lambda u: cat.units[u]["kind"] if u else None)
        negative = good & value.map(lambda x: x is not None and x < 0)
        self.flag(ok & negative, r["source_column"], "negative figure", "zero or more (counts and amounts cannot be negative)")
        fractional = good & (unit_kind == "count") & value.map(lambda x: x is not None and not float(x).is_integer())
        self.flag(ok & fractional, r["source_column"], "a count with a fraction", "a whole number")
        self.value = value

        # Source: present, declared, and about the indicator's country.
        src = r["source_id"].map(lambda s: str(s).strip() if s is not None and str(s).strip() else None)
        src_col = pd.Series(["source_id" if c == "value" else c for c in r["source_column"]], index=r.index)
        self.flag(ok & src.isna(), src_col, "the figure has no source",
                  "a source_id for it (a source_id column, or a row for this column in the 'sources' sheet)")
        unknown_src = src.notna() & ~src.isin(cat.sources.keys())
        self.flag(ok & unknown_src, src_col, lambda rec: f"unknown source {src[rec.name]!r}", "a source id declared in indicators.yaml")
        wrong_country = src.isin(cat.sources.keys()) & (src.map(lambda s: cat.sources.get(s, {}).get("country")) != country)
        self.flag(ok & wrong_country, src_col, lambda rec: f"the source {src[rec.name]!r} is about another country", lambda rec: f"a source about {rec_country(cat, rec)}")
        self.source = src

        self._check_duplicates()
        self._check_sums()

    def _key_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"indicator_id": self.r["indicator_id"], "geo_code": self.geo_code, "period": self.period})
        for dim, codes in self.members.items():
            frame[dim] = codes
        return frame

    def _check_duplicates(self):
        keys = self._key_frame()[~self.bad]
        dup = keys.duplicated(keep=False)
        if not dup.any():
            return
        first = {}
        for idx, key in keys[dup].astype(str).apply(tuple, axis=1).items():
            first.setdefault(key, idx)
            if first[key] != idx:
                other = self.r.loc[first[key]]
                self.flag(self.r.index == idx, self.r.loc[idx, "source_column"],
                          f"duplicate figure: the same indicator, place, period and breakdown as {other['source_file']} row {other['source_row']}",
                          "each figure once")

    def _check_sums(self):
        frame = self._key_frame().assign(value=self.value, unit=self.r["indicator_id"].map(lambda i: self.cat.indicators.get(i, {}).get("unit")))
        frame = frame[~self.bad]
        dims = list(self.cat.dimensions)
        for ind_id, spec in self.cat.indicators.items():
            for dim in spec["sum_to_total"]:
                rows = frame[frame["indicator_id"] == ind_id]
                if rows.empty:
                    continue
                others = [d for d in dims if d != dim]
                plain = rows[rows[others].isna().all(axis=1)]
                totals = plain[plain[dim].isna()].set_index(["geo_code", "period"])["value"]
                parts = plain[plain[dim].notna()]
                sums = parts.groupby(["geo_code", "period"])["value"].agg(["sum", "count"])
                n_members = len(self.cat.dimensions[dim]["members"])
                tolerance_per_part = 0.5 if self.cat.units[spec["unit"]]["kind"] == "currency" else 0
                for (geo, period), agg in sums.iterrows():
                    if (geo, period) not in totals.index:
                        continue
                    total = totals[(geo, period)]
                    complete = agg["count"] == n_members
                    off = abs(agg["sum"] - total) > tolerance_per_part * agg["count"] if complete else agg["sum"] > total
                    if off:
                        where = parts[(parts["geo_code"] == geo) & (parts["period"] == period)].index
                        self.flag(self.r.index.isin(where), dim,
                                  f"the {dim} parts of {ind_id} ({geo}, {period}) add up to {agg['sum']:,.0f}, not the published total {total:,.0f}",
                                  "parts that add up to the total" if complete else "parts no larger than the total", value_col=dim)

    def observations(self) -> pd.DataFrame:
        ok = ~self.bad
        r = self.r[ok]
        out = pd.DataFrame({
            "indicator_id": r["indicator_id"], "geo_code": self.geo_code[ok], "period": self.period[ok],
            "period_start": pd.to_datetime(self.start[ok]), "period_end": pd.to_datetime(self.end[ok]),
        })
        for dim, codes in self.members.items():
            out[dim] = codes[ok].astype(object)
        out["value"] = self.value[ok].astype(float)
        out["qualifier"] = self.figures[ok].map(lambda f: f.qualifier).astype(object)
        out["unit"] = r["indicator_id"].map(lambda i: self.cat.indicators[i]["unit"])
        out["source_id"] = self.source[ok]
        out["value_as_written"] = r["value"].map(lambda v: v if isinstance(v, str) else _plain_text(v))
        for col in ("source_file", "source_sheet", "source_row", "source_column"):
            out[col] = r[col]
        out["source_row"] = out["source_row"].astype("int64")
        return out.reset_index(drop=True)


def coverage_warnings(observations: pd.DataFrame, cat: Catalogue) -> list[Issue]:
    """Catalogue entries that no figure speaks to (worth knowing, not wrong)."""
    have = set(observations["indicator_id"].unique())
    return [Issue(str(cat.path.name), "the indicator has no figures yet", "figures in one of its files " + str(spec["files"]),
                  column="indicators", value=key, severity=WARNING)
            for key, spec in cat.indicators.items() if key not in have]


def rec_country(cat: Catalogue, rec) -> str:
    return cat.indicators[rec["indicator_id"]]["country"]


def _hashable(value):
    return value if isinstance(value, (str, int, float)) or value is None else str(value)


def _try(func, value):
    """func(value), or the error message when it cannot be read."""
    try:
        return func(value)
    except ValueError as exc:
        return f"{value!r} {exc}" if value is not None else str(exc)


def _parse_figures(values: pd.Series) -> pd.Series:
    """parse_figure over a column: plain numbers in bulk, the rest one by one."""
    text = values.astype(str)
    plain = text.str.fullmatch(r"-?\d{1,13}(?:\.\d+)?") & values.map(lambda v: not isinstance(v, bool))
    out = pd.Series(index=values.index, dtype=object)
    out[plain] = [_try(parse_figure, float(x)) for x in text[plain]]
    out[~plain] = values[~plain].map(lambda v: _try(parse_figure, v))
    return out


def _plain_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
