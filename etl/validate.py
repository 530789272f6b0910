"""Check raw records against the catalogue and turn them into observations.

Every rule the catalogue implies is checked here; a record that breaks one becomes an
Issue naming its cell, never a silently dropped or "fixed" figure. Work is done per
distinct value (there are few distinct periods, places and labels even in millions of
rows), so a large source set stays fast.
"""
from __future__ import annotations

import difflib
import functools
import weakref

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from contract.schema import NO_FIGURE, STATUSES

from .catalogue import Catalogue, fold
from .messages import Both, Text
from .normalise import MAX_ABS_VALUE, parse_figure, parse_period, parse_status, reference_dates
from .report import ERROR, INFO, WARNING, Issue
from .versions import family

def validate(records: pd.DataFrame, cat: Catalogue) -> tuple[pd.DataFrame, list[Issue]]:
    """Return the observations that pass every rule, and the issues found."""
    observations, issues, _ = validate_records(records, cat)
    return observations, issues


def validate_records(records: pd.DataFrame, cat: Catalogue) -> tuple[pd.DataFrame, list[Issue], list]:
    """validate(), with, for each issue, the positions of every record it names (an issue
    shows its first row and a few more; the desk's grid marks each cell), or None for a warning
    on the observations (bound_warnings), which names its own cells."""
    v = _Validator(as_categories(records.reset_index(drop=True)), cat)
    v.run()
    observations = v.observations()
    bounds = bound_warnings(observations, cat)
    return observations, v.issues + bounds, v.positions + [None] * len(bounds)


def as_categories(records: pd.DataFrame) -> pd.DataFrame:
    """The records with each column of cells as a categorical: a million rows hold few distinct
    texts, so each is hashed once here and every later step (codes, blank tests, number
    parsing) works on the distinct values, and a cell costs a small code, not a pointer."""
    columns = {}
    for name, column in records.items():
        if name == "source_row" and column.dtype != "int64":
            column = pd.to_numeric(column).astype("int64")
        elif column.dtype == object:
            # Categories of Python objects: pandas would make them Arrow strings, converted
            # back at every step.
            codes, uniques = pd.factorize(column.to_numpy(dtype=object))
            column = pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))
        columns[name] = column
    return pd.DataFrame(columns, index=records.index)


def concat_records(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One table of several files' records (as_categories), its columns still categorical: the
    categories are united rather than the cells turned back into Python objects."""
    frames = [f for f in frames if not f.empty] or frames[:1]
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    columns = {}
    for name in frames[0].columns:
        parts = [f[name] for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            columns[name] = union_categoricals([p.array for p in parts], ignore_order=True)
        else:
            columns[name] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(columns)


def _objects(column: pd.Series) -> np.ndarray:
    """The column's values as Python objects, a missing cell as None (a categorical gives NaN)."""
    values = column.to_numpy(dtype=object)
    missing = column.isna().to_numpy()
    if missing.any():
        values = values.copy()
        values[missing] = None
    return values


class _Codes:
    """Each column's codes (equal values, equal codes), kept while the column lives: by weak
    reference, so a step's result that no later step uses takes its codes with it (on a
    million rows, each is 4-8 MB, and a run makes dozens)."""

    def __init__(self):
        self._held: dict[int, tuple[weakref.ref, np.ndarray]] = {}

    def get(self, column: pd.Series) -> np.ndarray | None:
        held = self._held.get(id(column))
        return held[1] if held is not None and held[0]() is column else None

    def put(self, column: pd.Series, codes: np.ndarray) -> np.ndarray:
        if len(codes) and codes.max() < 2**31:
            codes = codes.astype(np.int32)
        key, held = id(column), self._held
        held[key] = (weakref.ref(column, lambda _: held.pop(key, None)), codes)
        return codes

    def keep_only(self, *columns: pd.Series) -> None:
        """Let go of every column's codes but these (the records' own columns live on)."""
        keep = {id(c) for c in columns}
        for key in [k for k in self._held if k not in keep]:
            del self._held[key]


class _Validator:
    def __init__(self, records: pd.DataFrame, cat: Catalogue):
        self.r = records
        self.cat = cat
        self.issues: list[Issue] = []
        self.positions: list[np.ndarray] = []      # per issue, the records it names
        self.bad = pd.Series(False, index=records.index)
        self._codes = _Codes()
        self._columns: dict[str, np.ndarray] | None = None

    # -- per distinct value
    def codes(self, column: pd.Series) -> np.ndarray:
        """Each row's code for its value in `column` (equal values, equal codes)."""
        codes = self._codes.get(column)
        if codes is None:
            if isinstance(column.dtype, pd.CategoricalDtype):
                # The records' columns are coded already; numbered anew (a missing cell, -1,
                # included), since a selection of rows may not use every category.
                codes = pd.factorize(column.cat.codes.to_numpy())[0]
            else:
                codes = pd.factorize(column, use_na_sentinel=False)[0]
            codes = self._codes.put(column, codes)
        return codes

    def combined_codes(self, *columns: pd.Series) -> np.ndarray:
        """Each row's code for its combination of values in `columns`."""
        codes = self.codes(columns[0])
        for column in columns[1:]:
            other = self.codes(column)
            codes, _ = pd.factorize(codes.astype(np.int64) * (int(other.max(initial=0)) + 1) + other)
        return codes

    def each(self, func, *columns: pd.Series) -> pd.Series:
        """func(*values) for each row, computed once per distinct combination of values.

        Millions of rows hold few distinct places, periods, labels and units, so this keeps
        name folding and period parsing off the per-row path. Codes are cached per column
        and worked out for the result too, so chained steps never hash the strings again. The
        result is an object Series that keeps None as None (pandas' map turns it into NaN,
        which is truthy).
        """
        results, codes = self._per_distinct(func, columns)
        out = pd.Series(results[codes], index=columns[0].index, dtype=object)
        try:
            # Codes of the result itself (equal results, equal codes: "مسقط" and "محافظة
            # مسقط" are one place), found among the few distinct results, not the rows.
            result_codes, _ = pd.factorize(results, use_na_sentinel=False)
            self._codes.put(out, result_codes[codes])
        except TypeError:  # unhashable results are never grouped on
            pass
        return out

    def holds(self, func, *columns: pd.Series) -> pd.Series:
        """Whether func(*values) is true, per row, as each() works it out: a boolean Series."""
        results, codes = self._per_distinct(func, columns)
        return pd.Series(results.astype(bool)[codes], index=columns[0].index)

    def _per_distinct(self, func, columns) -> tuple[np.ndarray, np.ndarray]:
        """func's result for each distinct combination of values, and each row's combination."""
        codes = self.combined_codes(*columns)
        n = int(codes.max(initial=-1)) + 1
        first = np.empty(n, dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the first row of each combination
        samples = [_objects(c.iloc[first]) for c in columns]
        results = np.empty(n, dtype=object)
        for j in range(n):
            results[j] = func(*(s[j] for s in samples))
        return results, codes

    # -- reporting
    def flag(self, mask: pd.Series, column: str | pd.Series, message, expected="", value_col: str | None = None):
        """Record the problem of every row in `mask`: one issue per cause (file, sheet, column,
        message, expected), at its first row, with how many rows share it and the next few.
        message/expected may be per-row callables of a record (rec["column"], rec.name)."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        cols = self._arrays()
        per_row_column = column.to_numpy(dtype=object) if isinstance(column, pd.Series) else None
        causes: dict[tuple, list] = {}
        for i in positions:
            rec = _Record(cols, int(i))
            col = per_row_column[i] if per_row_column is not None else column
            key = (rec["source_file"], rec["source_sheet"], col, message(rec) if callable(message) else message,
                   expected(rec) if callable(expected) else expected)
            found = causes.get(key)
            if found is None:
                # Show the cell the issue points at: in a long file the `period` or `source_id`
                # cell itself; in a wide file the figure under the period column.
                value = rec[value_col] if value_col else rec[col] if col in cols else rec["value"]
                causes[key] = [int(rec["source_row"]), value, 1, [], [int(i)]]
            else:
                found[2] += 1
                found[4].append(int(i))
                if len(found[3]) < Issue.MORE_ROWS:
                    found[3].append(int(rec["source_row"]))
        for (file, sheet, col, text, wanted), (row, value, count, more, where) in causes.items():
            self.issues.append(Issue(file=file, sheet=sheet, row=row, column=col, value=value, message=text,
                                     expected=wanted, count=count, more_rows=tuple(more)))
            self.positions.append(np.array(where, dtype=np.int64))
        self.bad |= mask

    def _arrays(self) -> dict[str, np.ndarray]:
        """The records' columns as arrays, for reading one row at a time (once per run)."""
        if self._columns is None:
            self._columns = {c: _objects(self.r[c]) for c in self.r.columns}
        return self._columns

    def run(self):
        cat = self.cat
        if self.r.empty:
            return
        r = {c: self.r[c] for c in self.r.columns}  # the same Series objects throughout, for the codes cache
        each, holds = self.each, self.holds
        blank = lambda col: holds(_is_blank, r[col])
        # Indicator known, and expected in this file.
        ind = each(lambda v: "" if _is_blank(v) else str(v).strip(), r["indicator_id"])
        self.r["indicator_id"] = self.ind = ind
        known = holds(lambda i: i in cat.indicators, ind)
        near = _near(cat.indicators)
        self.flag(~known, "indicator_id", lambda rec: Text("validate.unknown_indicator", near=near(rec["indicator_id"])),
                  Text("validate.indicator_expected"))
        # `files:` name a file's family: any version of it (etl/versions.py) is that file
        allowed = holds(lambda i, f: i in cat.indicators and family(f) in cat.indicators[i]["files"], ind, r["source_file"])
        self.flag(known & ~allowed, "indicator_id", Text("validate.not_in_file"),
                  lambda rec: Text("validate.its_files", files=cat.indicators[rec['indicator_id']]['files']))
        ok = known & allowed
        # The indicator's properties per row; None (never NaN) where it is unknown.
        spec = lambda key: each(lambda i: cat.indicators[i][key] if i in cat.indicators else None, ind)
        country, measure, expected_unit = spec("country"), spec("measure"), spec("unit")
        self.country = country

        # Geography: a country or governorate of the indicator's country.
        geo_code = each(lambda c, g: cat.geo_code(c, g) if c is not None and not _is_blank(g) else None, country, r["geo"])
        places = {c: _near(n for g in cat.geography_rows() if g["country"] == c for n in g["aliases"])
                  for c in cat.geographies}
        self.flag(ok & geo_code.isna(), "geo",
                  lambda rec: Text("validate.unknown_place", country=_country(cat, rec_country(cat, rec)),
                                   near=places[rec_country(cat, rec)](rec["geo"])),
                  lambda rec: Text("validate.place_expected", country=_country(cat, rec_country(cat, rec))))
        self.geo_code = geo_code

        # Period, read and dated by the indicator's measure.
        parsed = each(lambda p: _try(parse_period, p), r["period"])
        col = each(lambda c: "period" if c == "value" else c, r["source_column"])
        self.flag(ok & holds(lambda p: isinstance(p, str), parsed), col,
                  lambda rec: Text("validate.bad_period", reason=parsed.iat[rec.name]), Text("validate.period_expected"))
        dated = each(lambda p, m: reference_dates(p, m) if not isinstance(p, str) and m else (None, None, None), parsed, measure)
        self.period = each(lambda d: d[0], dated)
        self.start = pd.to_datetime(each(lambda d: d[1], dated))
        self.end = pd.to_datetime(each(lambda d: d[2], dated))

        # Unit, when the file states one.
        unit_given = ~blank("unit")
        unit_code = each(lambda u: cat.unit_code(u) if not _is_blank(u) else None, r["unit"])
        self.flag(ok & unit_given & (unit_code != expected_unit), "unit", Text("validate.wrong_unit"),
                  lambda rec: (lambda u: Text("validate.unit_expected", en=cat.units[u]['en'], ar=cat.units[u]['ar'],
                                              unit=u))(cat.indicators[rec['indicator_id']]['unit']))

        # Breakdowns: known members, and only the breakdowns the indicator has.
        self.members = {}
        for dim in cat.dimensions:
            given = ~blank(dim)
            code = each(lambda v, d=dim: cat.member_code(d, v) if not _is_blank(v) else None, r[dim])
            has_dim = holds(lambda i, d=dim: i in cat.indicators and d in cat.indicators[i]["breakdowns"], ind)
            self.flag(ok & given & ~has_dim, dim, Text("validate.no_such_breakdown"),
                      lambda rec: Text("validate.breakdown_expected", breakdowns=cat.indicators[rec['indicator_id']]
                                       ['breakdowns'] or Text("validate.none")))
            members = cat.dimensions[dim]["members"]
            near_member = _near(n for code, m in members.items() for n in (code, m["ar"], m["en"], *m.get("aliases", [])))
            self.flag(ok & given & has_dim & code.isna(), dim,
                      lambda rec, d=dim, near=near_member: Text("validate.unknown_member", near=near(rec[d])),
                      Text("validate.member_expected", members=list(members), dimension=dim))
            self.members[dim] = code  # None where blank: _is_blank(v) maps to None above

        # The figure itself, and its status: a mark on the cell ("79597*"), a code in its place
        # (".."), the `status` column of a long file or a mark on a wide file's period column.
        value, self.qualifier, problem, marked = _parse_figures(r["value"])
        given = each(lambda v: None if v is None else _try(parse_status, v), r["status"])
        bad_status = holds(lambda g: isinstance(g, str) and g not in STATUSES, given)
        self.flag(ok & bad_status, "status", lambda rec: Text("validate.bad_status", reason=given.iat[rec.name]),
                  Text("validate.status_expected", statuses=list(STATUSES)))
        given = given.where(~bad_status, None)
        clash = marked.notna() & given.notna() & (marked != given)
        self.flag(ok & clash, r["source_column"], lambda rec: Text("validate.status_clash", cell=marked.iat[rec.name],
                                                                   row=given.iat[rec.name]), Text("validate.one_status"))
        status = marked.where(marked.notna(), given)
        no_figure = status.isin(NO_FIGURE)
        empty = holds(_is_blank, r["value"])
        failed = problem.notna() & ~(no_figure & empty)          # an empty cell is right where there is no figure
        self.flag(ok & failed, r["source_column"], lambda rec: Text("validate.bad_figure", reason=problem.iat[rec.name]),
                  Text("validate.figure_expected"))
        figure_anyway = no_figure & value.notna()
        self.flag(ok & figure_anyway, r["source_column"], lambda rec: Text("validate.figure_with_status", status=status.iat[rec.name]),
                  Text("validate.no_figure_expected"))
        self.status = status
        if r["scale"].notna().any():   # a table in thousands (بالألف): the figures it means
            value = value * pd.to_numeric(r["scale"].astype(object), errors="coerce").fillna(1.0)
            huge = value.abs() > MAX_ABS_VALUE
            self.flag(ok & huge, r["source_column"], Text("validate.scaled_too_large", maximum=MAX_ABS_VALUE),
                      Text("validate.smaller_scale"))
            value = value.where(~huge)
        unit_kind = each(lambda u: cat.units[u]["kind"] if u is not None else None, expected_unit)
        negative = ~failed & (value < 0)
        self.flag(ok & negative, r["source_column"], Text("validate.negative"), Text("validate.not_negative"))
        fractional = ~failed & value.notna() & (unit_kind == "count") & (value != value.round())
        self.flag(ok & fractional, r["source_column"], Text("validate.fraction"), Text("validate.whole_number"))
        self.value = value
        self.unit = expected_unit

        # Source: present, declared, and about the indicator's country.
        src = each(lambda s: None if _is_blank(s) else str(s).strip(), r["source_id"])
        src_col = each(lambda c: "source_id" if c == "value" else c, r["source_column"])
        self.flag(ok & src.isna(), src_col, Text("validate.no_source"), Text("validate.source_needed"))
        declared = holds(lambda s: s in cat.sources, src)
        unknown_src = src.notna() & ~declared
        near_source = _near(cat.sources)
        self.flag(ok & unknown_src, src_col, lambda rec: Text("validate.unknown_source", source=src.iat[rec.name],
                                                                 near=near_source(src.iat[rec.name])),
                  Text("validate.source_expected"))
        wrong_country = declared & holds(
            lambda s, c: cat.sources[s]["country"] != c if s in cat.sources else False, src, country)
        self.flag(ok & wrong_country, src_col, lambda rec: Text("validate.source_country", source=src.iat[rec.name]),
                  lambda rec: Text("validate.source_about", country=_country(cat, rec_country(cat, rec))))
        self.source = src

        # The checks across rows group by these columns only: let go of the codes kept for the
        # others (on a million rows, a few hundred MB at the build's peak).
        self._codes.keep_only(self.ind, self.geo_code, self.start, self.end, self.country, *self.members.values())
        self._check_duplicates()
        self._check_sums()

    def _key_codes(self, *, breakdowns: bool = True, places: bool = True) -> np.ndarray:
        """What identifies a figure, as one code per row: indicator, place, the dates it
        refers to and (optionally) its breakdown.

        Dates, not period labels: a stock published for "2021" and for "2021-12" (or
        "حتى نهاية ديسمبر 2021") is one count on 31 December 2021 given twice, and a
        total and its parts must be compared even when their labels are written differently.
        """
        columns = [self.ind, *([self.geo_code] if places else []), self.start, self.end]
        return self.combined_codes(*columns, *(self.members.values() if breakdowns else ()))

    def _check_duplicates(self):
        """Every figure once: a row with the key of an earlier row is refused, naming the first.
        In bulk (a factorised key and one stable sort), so a file of a million repeated rows is
        judged in seconds."""
        good = np.flatnonzero(~self.bad.to_numpy())
        codes = self._key_codes()[good]
        later = pd.Series(codes).duplicated(keep="first").to_numpy()
        if not later.any():
            return
        first_of_code = pd.Series(good).groupby(codes).transform("first").to_numpy()
        first = dict(zip(good[later], first_of_code[later]))   # a later row -> the row it repeats
        files, lines = self._arrays()["source_file"], self._arrays()["source_row"]
        mask = np.zeros(len(self.r), dtype=bool)
        mask[good[later]] = True
        self.flag(pd.Series(mask, index=self.r.index), self.r["source_column"],
                  lambda rec: Text("validate.duplicate", file=files[first[rec.name]], row=lines[first[rec.name]]),
                  Text("validate.each_once"))

    def _check_sums(self):
        """Parts must add up to their published total (or, when some parts are not
        published, must not exceed it): the members of a breakdown the catalogue lists in
        `sum_to_total`, and a country's governorates when it says `sum_to_country`. Grouped
        in bulk; only failing groups are visited."""
        good = ~self.bad.to_numpy() & self.value.notna().to_numpy()   # no figure, nothing to add
        blank = {dim: codes.isna().to_numpy() for dim, codes in self.members.items()}
        for dim in self.cat.dimensions:
            checked = good & self.holds(lambda i, d=dim: i in self.cat.indicators and d in self.cat.indicators[i]["sum_to_total"],
                                        self.ind).to_numpy()
            if not (checked & ~blank[dim]).any():
                continue
            # The group keeps the other breakdowns: parts by `dim` add up to the total in the
            # same cell of the others, so cross-classified cells (male × children) add up to
            # their margin (male), and plain parts (children) to the total.
            others = [self.members[o] for o in self.cat.dimensions if o != dim]
            group = self._codes_where(checked, self.ind, self.geo_code, self.start, self.end, *others)
            n_members = np.full(len(good), len(self.cat.dimensions[dim]["members"]))
            self._parts_against_totals(group, checked & blank[dim], checked & ~blank[dim], n_members, dim,
                                       lambda row, d=dim: Text("validate.parts_of", dimension=d, indicator=self.ind.iat[row],
                                                               cell=self._cell_of(row, d)),
                                       Text("validate.published_total"))
        checked = self.each(lambda i: i in self.cat.indicators and self.cat.indicators[i]["sum_to_country"], self.ind)
        national = (self.geo_code == self.country).to_numpy()
        plain = good & checked.to_numpy(dtype=bool) & self.geo_code.notna().to_numpy()
        n_governorates = self.each(lambda c: len(self.cat.geographies.get(c, {}).get("governorates") or {}),
                                   self.country).to_numpy(dtype=int)
        self._parts_against_totals(self._key_codes(places=False), plain & national, plain & ~national, n_governorates,
                                   "geo", lambda row: Text("validate.governorates_of", indicator=self.ind.iat[row],
                                                           period=self.period.iat[row]),
                                   Text("validate.national_figure"))

    def _codes_where(self, rows: np.ndarray, *columns: pd.Series) -> np.ndarray:
        """combined_codes of `columns` for the rows where `rows` is true (-1 elsewhere): the
        same groups, worked out on those rows only (a million-row set checks a few at a time)."""
        where = np.flatnonzero(rows)
        codes = self.codes(columns[0])[where]
        for column in columns[1:]:
            other = self.codes(column)[where]
            codes, _ = pd.factorize(codes.astype(np.int64) * (int(other.max(initial=0)) + 1) + other)
        out = np.full(len(rows), -1, dtype=np.int64)
        out[where] = codes
        return out

    def _cell_of(self, row: int, but: str) -> str:
        """Where a group of parts is: place, period and the other breakdowns' members."""
        members = [f"{d}={codes.iat[row]}" for d, codes in self.members.items() if d != but and codes.iat[row] is not None]
        return ", ".join([str(self.geo_code.iat[row]), str(self.period.iat[row]), *members])

    def _parts_against_totals(self, group: np.ndarray, is_total: np.ndarray, is_part: np.ndarray,
                              complete_at: np.ndarray, column: str, what, total_name: str):
        """Flag the parts of every group whose sum is not its total (all parts published) or
        exceeds it (some published); `complete_at`: per row, how many parts make a whole."""
        if not is_part.any():
            return
        value = self.value.to_numpy()
        totals = pd.Series(value[is_total], index=group[is_total]).groupby(level=0).first().rename("total")
        check = pd.Series(value[is_part]).groupby(group[is_part]).agg(["sum", "count"]).join(totals, how="inner")
        if check.empty:
            return
        first_part = pd.Series(np.flatnonzero(is_part)).groupby(group[is_part]).first()
        rows = first_part[check.index].to_numpy()
        ind = self.ind.to_numpy()[rows]
        tolerance = np.array([0.5 if self.cat.units[self.cat.indicators[i]["unit"]]["kind"] == "currency" else 0 for i in ind])
        complete = check["count"].to_numpy() >= complete_at[rows]
        diff = (check["sum"] - check["total"]).to_numpy()
        off = (complete & (np.abs(diff) > tolerance * check["count"].to_numpy())) | (~complete & (diff > 0))
        for code, whole in zip(check.index[off], complete[off]):
            agg = check.loc[code]
            self.flag(is_part & (group == code), column,
                      Text("validate.sum_off", what=what(first_part[code]), sum=agg['sum'], total_name=total_name,
                           total=agg['total']),
                      Text("validate.parts_add_up" if whole else "validate.parts_within"),
                      value_col=column)

    def observations(self) -> pd.DataFrame:
        ok = ~self.bad
        r = self.r[ok]
        out = pd.DataFrame({
            "indicator_id": r["indicator_id"], "geo_code": self.geo_code[ok], "period": self.period[ok],
            "period_start": self.start[ok], "period_end": self.end[ok],
        })
        for dim, codes in self.members.items():
            out[dim] = codes[ok].astype(object)
        out["value"] = self.value[ok].astype(float)
        out["qualifier"] = self.qualifier[ok].astype(object)
        out["status"] = self.status[ok].astype(object)
        out["unit"] = self.unit[ok]
        out["source_id"] = self.source[ok]
        out["value_as_written"] = self.each(lambda v: v if v is None or isinstance(v, str) else _plain_text(v), r["value"])
        written = r["written"].notna()   # a recipe's cell as printed, before its mark or code was read
        out.loc[written, "value_as_written"] = r["written"][written].astype(object)
        for col in ("source_file", "source_sheet", "source_row", "source_column"):
            out[col] = r[col]
        out["source_row"] = out["source_row"].astype("int64")
        return out.reset_index(drop=True)


def plausibility_warnings(observations: pd.DataFrame, cat: Catalogue) -> list[Issue]:
    """A figure that changes from the one before it in its series (indicator, place,
    breakdown) by more than the catalogue's `plausible_change` (per indicator, or in `site:`
    for all) is a warning that gives both figures: often a typing slip, sometimes real."""
    limits = {k: ind.get("plausible_change", cat.site.get("plausible_change")) for k, ind in cat.indicators.items()}
    limits = {k: v for k, v in limits.items() if v}
    obs = observations[observations["indicator_id"].isin(list(limits)) & observations["value"].notna()] \
        if len(observations) else observations
    if obs.empty:
        return []
    series = ["indicator_id", "geo_code", *cat.dimensions]
    obs = obs.sort_values([*series, "period_end", "period_start"], na_position="first")
    earlier = obs.groupby(series, dropna=False, sort=False)[["value", "period"]].shift()
    change = (obs["value"] - earlier["value"]) / earlier["value"]
    limit = obs["indicator_id"].map(limits)
    jumped = (earlier["value"] > 0) & (change.abs() > limit)
    return [Issue(r.source_file, Text("validate.jump", change=c, period=p, before=b, after=a),
                  Text("validate.jump_expected", limit=lim),
                  sheet=r.source_sheet, row=int(r.source_row), column=r.source_column, value=r.value_as_written,
                  severity=WARNING)
            for r, c, p, b, a, lim in zip(obs[jumped].itertuples(index=False), change[jumped], earlier["period"][jumped],
                                          earlier["value"][jumped], obs["value"][jumped], limit[jumped])]


def bound_warnings(observations: pd.DataFrame, cat: Catalogue) -> list[Issue]:
    """A figure above the plausible maximum of its unit in its indicator's country
    (`units.<unit>.plausible_max` in the catalogue) is a warning naming its cell: a figure typed
    with three zeros too many, a table in thousands read as units, `999 مليار` for 999. Not an
    error: the bound is a judgement, and the document may be right. One warning per cause (file,
    sheet, column and indicator), at its first row, with how many rows share it and the next few,
    as the errors are: a table in the wrong scale is one line, not a thousand."""
    if not len(observations):
        return []
    bounds = {key: cat.plausible_max(ind["unit"], ind["country"]) for key, ind in cat.indicators.items()}
    bounds = {key: b for key, b in bounds.items() if b is not None}
    if not bounds:
        return []
    # Per distinct indicator, not per row (a million rows hold a few dozen indicators).
    codes, indicators = pd.factorize(observations["indicator_id"].to_numpy(dtype=object))
    limit = np.array([bounds[i][0] if i in bounds else np.nan for i in indicators] + [np.nan])[codes]
    above = observations[(observations["value"].to_numpy(dtype=float) > limit)]   # no bound (NaN), no figure: never
    if above.empty:
        return []
    group = np.zeros(len(above), dtype=np.int64)         # each cause's code: file, sheet, column, indicator
    for column in ("source_file", "source_sheet", "source_column", "indicator_id"):
        values = above[column]
        part = values.cat.codes.to_numpy() if isinstance(values.dtype, pd.CategoricalDtype) \
            else pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)[0]
        group = pd.factorize(group * (int(part.max()) + 2) + part + 1)[0]
    order = np.argsort(group, kind="stable")             # each cause's rows together, in their order
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    issues = []
    for start, stop in zip(starts, [*starts[1:], len(order)]):
        rows = above.iloc[order[start:min(stop, start + 1 + Issue.MORE_ROWS)]]
        r = rows.iloc[0]
        bound, where, line = bounds[r["indicator_id"]]
        ind = cat.indicators[r["indicator_id"]]
        unit, country = cat.units[ind["unit"]], cat.geographies[ind["country"]]
        issues.append(Issue(
            r["source_file"], Text("validate.above_bound", figure=_figure(r['value']), unit=Both(unit["ar"], unit["en"]),
                                   country=Both(country["ar"], country["en"]), bound=_figure(bound)),
            Text("validate.bound_expected", bound=_figure(bound), where=where, file=cat.path.name, line=line),
            sheet=r["source_sheet"] if isinstance(r["source_sheet"], str) else None, row=int(r["source_row"]),
            column=r["source_column"], value=r["value_as_written"], severity=WARNING, count=int(stop - start),
            more_rows=tuple(int(n) for n in rows["source_row"].iloc[1:])))
    return issues


def _figure(value: float) -> str:
    """A figure in full with its thousands separated: 999,000,000,000, 1,234.5."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


class _Record:
    """One row of the records, read from column arrays (what flag's callables receive)."""

    __slots__ = ("_cols", "name")

    def __init__(self, cols: dict[str, np.ndarray], position: int):
        self._cols, self.name = cols, position   # records are numbered from 0: label = position

    def __getitem__(self, column: str):
        return self._cols[column][self.name]


def coverage_warnings(observations: pd.DataFrame, cat: Catalogue) -> list[Issue]:
    """Catalogue entries that no figure speaks to. An indicator with no figures is a warning
    (worth knowing, not wrong: a file or a row may be missing), unless the catalogue marks it
    `announced: true` (its figures are not published yet: a target-only indicator, a programme
    just begun): those are said once, in one INFO line, which is not a warning. An indicator
    marked so that has figures now is a warning: the mark is to be taken off."""
    have = set(observations["indicator_id"].unique())
    valued = observations.loc[observations["value"].notna(), "indicator_id"].astype(str).value_counts()
    issues, announced = [], []
    for key, spec in cat.indicators.items():
        entry = f"{cat.path.name}, indicators.{key}"   # where in the catalogue, as its schema errors say it
        if spec.get("announced") and key not in have:
            announced.append(key)
        elif spec.get("announced") and valued.get(key, 0):
            issues.append(Issue(entry, Text("validate.announced_has_figures", n=int(valued[key])),
                                Text("validate.take_mark_off"), severity=WARNING))
        elif key not in have:
            issues.append(Issue(entry, Text("validate.no_figures_yet"),
                                Text("validate.figures_in_files", files=spec['files']), severity=WARNING))
    if announced:
        issues.append(Issue(str(cat.path.name), Text("validate.announced", n=len(announced), indicators=announced),
                            severity=INFO))
    return issues


def _near(names):
    """A function giving " (did you mean 'x'?)" for a name close to one of `names` (spelling
    folded as the catalogue matches names), else ""; kept per name, since a file repeats them."""
    spelled = {fold(n): n for n in names if isinstance(n, str)}

    @functools.lru_cache(maxsize=4096)
    def near(value) -> str:
        close = difflib.get_close_matches(fold(value), list(spelled), n=1, cutoff=0.6)
        return Text("validate.did_you_mean", name=spelled[close[0]]) if close else ""
    return near


def rec_country(cat: Catalogue, rec) -> str:
    return cat.indicators[rec["indicator_id"]]["country"]


def _country(cat: Catalogue, code: str) -> Both:
    """A country as a message names it: its code in English (as the report always has), its name in Arabic."""
    return Both(cat.geographies[code]["ar"], code)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _try(func, value):
    """func(value), or the error message (a Text) when it cannot be read."""
    try:
        return func(value)
    except ValueError as exc:
        reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        return Text("cell.reason", value=value, reason=reason) if value is not None else reason


# [0-9], not \d: \d also matches Arabic-Indic digits, and float() reads "79٥97" as 79597,
# which would let a number mixing two digit systems past parse_figure's check.
# At most 12 digits, so within MAX_ABS_VALUE; thousands separated as parse_figure reads them.
_PLAIN_NUMBER = r"-?(?:[0-9]{1,12}|[0-9]{1,3}(?:,[0-9]{3}){1,3})(?:\.[0-9]+)?"


def _parse_figures(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """parse_figure over a categorical column: (value, qualifier, problem, status) per row.

    Each distinct cell is read once: plain numbers (most cells of a large file) in bulk, any
    other form by parse_figure. `problem` is None where the cell reads.
    """
    cells = np.append(values.cat.categories.to_numpy(dtype=object), None)   # the last: a missing cell
    value = np.full(len(cells), np.nan)
    qualifier, problem, status = (np.full(len(cells), None, dtype=object) for _ in range(3))
    texts = pd.Series([v if isinstance(v, str) else "" for v in cells], dtype=object)
    plain = texts.str.fullmatch(_PLAIN_NUMBER).to_numpy(bool)   # 72675, or 122,178,206
    value[plain] = pd.to_numeric(texts[plain].str.replace(",", "", regex=False)).astype(float)
    for j in np.flatnonzero(~plain):
        figure = _try(parse_figure, cells[j])
        if isinstance(figure, str):
            problem[j] = figure
        else:
            value[j] = np.nan if figure.value is None else figure.value
            qualifier[j], status[j] = figure.qualifier, figure.status
    codes = values.cat.codes.to_numpy()      # -1, a missing cell, picks the last
    return tuple(pd.Series(part[codes], index=values.index, dtype=part.dtype)
                 for part in (value, qualifier, problem, status))


def _plain_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
