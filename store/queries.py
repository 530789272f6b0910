"""Every SQL query of the read layer. Values are always bound parameters; the only names
written into SQL are breakdown columns, which come from the database's own `dimensions`
table (checked against the contract when the file was opened) and are quoted.

Reading order: the catalogue of a build (catalogue_tables), the figures of a selection of
rows (select, records, count, sources_of: one WHERE clause for all of them), the latest
governorate figures for the map, and the whole dataset for the files (labelled_select).
"""
from __future__ import annotations

import functools

from contract import periods
from contract.schema import CHANGES, LANGS, NUMBERS, REVISION_KINDS, REVISION_WHY, STATUSES, TABLES, observation_columns

from .database import Database, db
from .texts import t
from .view import Rows

# The columns pages read: the figure and what it is, not where in the source file it sat.
_PAGE_TAIL = ("value", "qualifier", "status", "unit", "source_id", "revised_on", "previous_value", *REVISION_WHY)


def q(name: str) -> str:
    """A column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


# ---------------------------------------------------------------- the catalogue of a build

def catalogue_tables(d: Database) -> dict:
    """The catalogue tables of the open build, and what the observations cover (per indicator:
    figures, periods, places, sources, whether a total is published)."""
    rows = d.rows
    dims = [r["dimension"] for r in rows("SELECT dimension FROM dimensions GROUP BY dimension ORDER BY min(rowid)")]
    no_breakdown = " AND ".join(f"{q(x)} IS NULL" for x in dims) or "TRUE"
    return {
        "build": rows("SELECT build_id, built_at, observation_count FROM build_info")[0],
        "site": rows("SELECT * FROM site")[0],
        "indicators": rows("SELECT * FROM indicators ORDER BY sort_order"),
        "topics": rows("SELECT * FROM topics ORDER BY sort_order"),
        "units": rows("SELECT * FROM units"),
        "dimensions": rows("SELECT * FROM dimensions ORDER BY rowid"),
        "sources": rows("SELECT * FROM sources"),
        "geographies": rows("SELECT * FROM geographies ORDER BY rowid"),
        "targets": rows("SELECT * FROM targets ORDER BY indicator_id, period_end, period_start"),
        "international": rows("SELECT * FROM international_codes ORDER BY rowid"),
        "coverage": rows(f"""
            SELECT indicator_id, count(*) AS observations,
                   arg_min(period, period_end) AS first_period, arg_max(period, period_end) AS last_period,
                   bool_or({no_breakdown}) AS has_total,
                   min(period_start) AS first_day, max(period_end) AS last_day
            FROM observations GROUP BY indicator_id"""),
        "periods": rows("SELECT indicator_id, period FROM observations GROUP BY indicator_id, period "
                        "ORDER BY indicator_id, min(period_end), min(period_start), period"),
        # per breakdown, the periods that have its parts (a series may have monthly totals and
        # parts only some months): what a breakdown's one period is chosen from (store/view.py)
        "parts": rows(" UNION ALL ".join(
            f"SELECT indicator_id, '{x}' AS dimension, period, min(period_end) AS e, min(period_start) AS s "
            f"FROM observations WHERE {q(x)} IS NOT NULL GROUP BY indicator_id, period" for x in dims)
            + " ORDER BY indicator_id, dimension, e, s, period") if dims else [],
        "places": rows("SELECT indicator_id, geo_code, count(*) AS n FROM observations "
                       "GROUP BY indicator_id, geo_code ORDER BY indicator_id, geo_code"),
        "cited": rows("SELECT indicator_id, source_id FROM observations GROUP BY indicator_id, source_id "
                      "ORDER BY indicator_id, min(period_start), source_id"),
    }


# ---------------------------------------------------------------- a selection of rows

def where(dims: tuple[str, ...], rows) -> tuple[str, list]:
    """The WHERE clause of a selection (store.view.Rows) on `observations o`, with its
    parameters. The period rule is contract.periods.ends_within: the day a figure's period
    ends lies between the first day of `from` and the last day of `to`."""
    clauses, params = [], []
    if rows.indicators:
        clauses.append(f"o.indicator_id IN ({', '.join('?' * len(rows.indicators))})")
        params += rows.indicators
    if rows.geos:
        clauses.append(f"o.geo_code IN ({', '.join('?' * len(rows.geos))})")
        params += rows.geos
    if rows.start is not None:
        clauses.append("o.period_end >= ?")
        params.append(rows.start)
    if rows.end is not None:
        clauses.append("o.period_end <= ?")
        params.append(rows.end)
    if "all" not in rows.breakdowns:
        parts = []
        for b in rows.breakdowns:
            others = [f"o.{q(x)} IS NULL" for x in dims if x != b]
            parts.append("(" + " AND ".join(([] if b == "total" else [f"o.{q(b)} IS NOT NULL"]) + others
                                            or ["TRUE"]) + ")")
        clauses.append("(" + " OR ".join(parts) + ")")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _in_order(meta, rows) -> tuple[str, ...]:
    """The selection's indicators in catalogue order (every indicator when it names none)."""
    wanted = set(rows.indicators or meta.indicators)
    return tuple(i for i in meta.indicators if i in wanted)


def _ordered(dims: tuple[str, ...], ids: tuple[str, ...], rows, columns: str) -> tuple[str, list]:
    """SELECT `columns` of a selection in the published order: indicators in catalogue order
    (`ids`), then place, period and breakdown (totals first)."""
    where_sql, params = where(dims, rows)
    order = ["o.geo_code", "o.period_end", "o.period_start", *(f"o.{q(x)} NULLS FIRST" for x in dims)]
    if len(ids) > 1:
        # the catalogue order as a bound list: a join to `indicators` costs milliseconds per request
        order.insert(0, "list_position(CAST(? AS VARCHAR[]), o.indicator_id)")
        params = [*params, ids]
    return f"SELECT {columns} FROM observations o{where_sql} ORDER BY {', '.join(order)}", params


def select(meta, rows, limit: int | None = None, offset: int = 0) -> dict[str, list]:
    """Every published column of the selection's figures, as {column: values}; one page of
    `limit` rows from `offset` when a limit is given."""
    dims = meta.dimension_columns
    sql, params = _ordered(dims, _in_order(meta, rows), rows, ", ".join(f"o.{q(c)}" for c in observation_columns(dims)))
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return db().columns(sql, params)


def records(meta, rows) -> tuple[dict, ...]:
    """The selection's figures as dicts (None for NULL, dates as datetime.date), for pages.
    Kept per build and selection: shared between requests, never modify them.

    A page's views of one indicator and place differ only in periods and breakdowns, and a
    click moves between them: every figure of the indicators in those places is read once
    (one indexed query) and each view keeps its rows with Rows.keeps, the rule `where` puts
    in SQL (tests/test_one_view.py holds pages and downloads to the same rows)."""
    return _kept(meta.version, rows, meta.dimension_columns, _in_order(meta, rows))


@functools.lru_cache(maxsize=256)
def _kept(version: str, rows, dims: tuple[str, ...], ids: tuple[str, ...]) -> tuple[dict, ...]:
    keep = rows.keeps(dims)
    return tuple(r for r in _all_of(version, rows.indicators, rows.geos, dims, ids) if keep(r))


@functools.lru_cache(maxsize=64)
def _all_of(version: str, indicators: tuple[str, ...], geos: tuple[str, ...], dims: tuple[str, ...],
            ids: tuple[str, ...]) -> tuple[dict, ...]:
    columns = ", ".join(f"o.{q(c)}" for c in (*observation_columns(dims)[:5 + len(dims)], *_PAGE_TAIL))
    sql, params = _ordered(dims, ids, Rows(indicators=indicators, geos=geos), columns)
    return tuple(db().rows(sql, params))


def count(meta, rows) -> int:
    where_sql, params = where(meta.dimension_columns, rows)
    return db().rows(f"SELECT count(*) AS n FROM observations o{where_sql}", params)[0]["n"]


def sources_of(meta, rows) -> list[str]:
    """The sources the selection's figures cite, oldest figure first."""
    where_sql, params = where(meta.dimension_columns, rows)
    found = db().rows(f"SELECT o.source_id FROM observations o{where_sql} GROUP BY o.source_id "
                      "ORDER BY min(o.period_start), o.source_id", params)
    return [r["source_id"] for r in found]


def latest_governorate_totals(meta, indicator_id: str, country: str) -> dict[str, dict]:
    """{governorate code: its latest published total} for one indicator and country."""
    return _latest(meta.version, meta.dimension_columns, indicator_id, country)


@functools.lru_cache(maxsize=64)
def _latest(version: str, dims: tuple[str, ...], indicator_id: str, country: str) -> dict[str, dict]:
    no_breakdown = " AND ".join(f"o.{q(x)} IS NULL" for x in dims) or "TRUE"
    found = db().rows(f"""
        SELECT o.geo_code, o.period, o.period_start, o.period_end, o.value, o.qualifier, o.source_id
        FROM observations o JOIN geographies g ON g.geo_code = o.geo_code
        WHERE o.indicator_id = ? AND g.level = 'governorate' AND g.country = ? AND {no_breakdown}
          AND o.value IS NOT NULL
        QUALIFY ROW_NUMBER() OVER (PARTITION BY o.geo_code ORDER BY o.period_end DESC, o.period_start DESC) = 1
        ORDER BY o.geo_code""", [indicator_id, country])
    return {r["geo_code"]: r for r in found}


def all_periods() -> list[str]:
    """Every period label with figures, in time order."""
    return [r["period"] for r in db().rows("SELECT period FROM observations GROUP BY period "
                                           "ORDER BY min(period_end), min(period_start), period")]


# ---------------------------------------------------------------- the whole dataset, for files

def _names_join(alias: str, column: str, names: dict[str, dict[str, str]]) -> tuple[str, list]:
    """A LEFT JOIN that gives {alias}.name_{lang} for the code in o.column, from names made in
    Python (bound as lists), so a file and a request answer name things alike."""
    codes = list(names)
    lists = ", ".join(f"unnest(?) AS name_{lang}" for lang in LANGS)
    return (f"LEFT JOIN (SELECT unnest(?) AS code, {lists}) {alias} ON {alias}.code = o.{q(column)} ",
            [codes, *([names[c][lang] for c in codes] for lang in LANGS)])


def labelled_select(meta, rows) -> tuple[str, list]:
    """Every observation of the selection with its codes and its labels in both languages.

    Columns: the published columns, then for each coded column its labels:
    indicator_name_{ar,en}, geo_name_{ar,en}, <dimension>_label_{ar,en}, unit_name_{ar,en},
    source_name_{ar,en}, qualifier_label_{ar,en}, status_label_{ar,en},
    revision_kind_label_{ar,en}; and `value_text`
    (the value written without a trailing .0, for CSV). Labels come from the catalogue and
    from `texts` (the words of a qualifier and of a status).
    """
    joins, params = [], []
    for alias, column, names in (
            ("s", "source_id", {sid: {lang: meta.source_name(sid, lang) for lang in LANGS} for sid in meta.sources}),
            ("qu", "qualifier", {"more_than": {lang: t("qualifier_label_more_than", lang) for lang in LANGS}}),
            ("st", "status", {code: {lang: t(f"status_{code}", lang) for lang in LANGS} for code in STATUSES}),
            ("rk", "revision_kind", {k: {lang: t(f"revision_kind_{k}", lang) for lang in LANGS} for k in REVISION_KINDS})):
        sql, bound = _names_join(alias, column, names)
        joins.append(sql)
        params += bound
    dim_labels = []
    for n, x in enumerate(meta.dimension_columns):
        alias = f"d{n}"
        joins.append(f"LEFT JOIN dimensions {alias} ON {alias}.dimension = ? AND {alias}.member = o.{q(x)} ")
        params.append(x)
        dim_labels += [f"{alias}.label_{lang} AS {q(x + '_label_' + lang)}" for lang in LANGS]
    cols = ", ".join(f"o.{q(c)}" for c in observation_columns(meta.dimension_columns))
    label_cols = ", ".join([
        *(f"i.name_{lang} AS indicator_name_{lang}" for lang in LANGS),
        *(f"g.name_{lang} AS geo_name_{lang}" for lang in LANGS),
        *dim_labels,
        *(f"u.name_{lang} AS unit_name_{lang}" for lang in LANGS),
        *(f"{alias}.name_{lang} AS {name}_{lang}" for alias, name in (("s", "source_name"), ("qu", "qualifier_label"),
                                                                     ("st", "status_label"),
                                                                     ("rk", "revision_kind_label")) for lang in LANGS),
        *(f"CASE WHEN o.{c} = trunc(o.{c}) AND abs(o.{c}) < 1e15 THEN CAST(CAST(o.{c} AS BIGINT) AS VARCHAR) "
          f"ELSE CAST(o.{c} AS VARCHAR) END AS {c}_text" for c in NUMBERS),
    ])
    where_sql, where_params = where(meta.dimension_columns, rows)
    order = ", ".join(["i.sort_order", "o.geo_code", "o.period_end", "o.period_start",
                       *(f"o.{q(x)} NULLS FIRST" for x in meta.dimension_columns)])
    sql = (f"SELECT {cols}, {label_cols} FROM observations o "
           "LEFT JOIN indicators i ON i.indicator_id = o.indicator_id "
           "LEFT JOIN geographies g ON g.geo_code = o.geo_code "
           "LEFT JOIN units u ON u.unit = o.unit "
           + "".join(joins) + where_sql + f" ORDER BY {order}")
    # Parameters appear in the text in the joins' order, then the WHERE's.
    return sql, params + where_params


def describe(table: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a table of the contract."""
    if table not in TABLES:
        raise ValueError(f"{table!r} is not a table of the published database")
    return [(r["column_name"], r["column_type"]) for r in db().rows(f"DESCRIBE {q(table)}")]


def table(name: str):
    """A whole table of the contract as a DataFrame (for the data package's resources)."""
    describe(name)  # refuses any other name
    return db().frame(f"SELECT * FROM {q(name)}")


def labelled_columns(meta, rows, columns: list[tuple[str, str]]) -> tuple[str, list]:
    """Chosen columns of labelled_select under the names a file gives them: `columns` is a
    list of (column of labelled_select, name in the file), in the file's order. For the
    whole-dataset files, which DuckDB writes (COPY) or reads in bulk."""
    inner, params = labelled_select(meta, rows)
    chosen = ", ".join(f"t.{q(column)} AS {q(name)}" for column, name in columns)
    return f"SELECT {chosen} FROM ({inner}) t", params


def labelled_frame(meta, rows, columns: list[tuple[str, str]]):
    """labelled_columns as a DataFrame (the whole-dataset workbook, one topic at a time)."""
    return db().frame(*labelled_columns(meta, rows, columns))


def labelled_typed(meta, rows) -> tuple[str, list]:
    """labelled_select for a typed file (Parquet): every column but `value_text`, which only a
    CSV needs."""
    inner, params = labelled_select(meta, rows)
    return f"SELECT * EXCLUDE ({', '.join(f'{c}_text' for c in NUMBERS)}) FROM ({inner})", params


# ---------------------------------------------------------------- releases and the calendar

def release_list() -> list[dict]:
    """The releases up to the one this request reads, oldest first (a reader of the live
    release never learns of an embargoed one: its database does not hold it)."""
    return db().rows("SELECT * FROM releases ORDER BY seq")


def amendment_list() -> list[dict]:
    """The releases cancelled or rescheduled before they were public, up to the release read."""
    return db().rows("SELECT * FROM amendments ORDER BY created_at")


def release_changes(meta, release_id: str) -> list[dict]:
    """What a release changed: figures added, revised, amended and withdrawn, in that order."""
    order = ", ".join(["list_position(?, c.change)", "c.indicator_id", "c.geo_code", "c.period",
                       *(f"c.{q(x)} NULLS FIRST" for x in meta.dimension_columns)])
    return db().rows(f"SELECT * FROM changes c WHERE c.release_id = ? ORDER BY {order}",
                     [release_id, list(CHANGES)])


def calendar_from(meta, day) -> tuple[dict, ...]:
    """The releases the catalogue announces, from `day` on. Kept per build and day: every
    explorer page names the next release of its indicator. Shared: never modify them."""
    return _calendar(meta.version, day)


@functools.lru_cache(maxsize=16)
def _calendar(version: str, day) -> tuple[dict, ...]:
    return tuple(db().rows("SELECT * FROM calendar WHERE expected_on >= ? ORDER BY expected_on, title_en", [day]))


def changed_after(meta, when) -> frozenset | None:
    """The figures (indicator, place, period, breakdowns) whose current value, status and
    source a release made public after `when` (a naive UTC time): SDMX's updatedAfter. None
    in a build that is not a release, where no figure has a publication time of its own."""
    return _changed_after(meta.version, meta.dimension_columns, when)


@functools.lru_cache(maxsize=32)
def _changed_after(version: str, dims: tuple[str, ...], when) -> frozenset | None:
    if not db().rows("SELECT count(*) AS n FROM releases")[0]["n"]:
        return None
    key = ", ".join(f"v.{q(c)}" for c in ("indicator_id", "geo_code", "period", *dims))
    found = db().columns(f"SELECT {key} FROM vintages v JOIN releases r ON r.release_id = v.from_release "
                         "WHERE v.until_release IS NULL AND r.public_at > ?", [when])
    return frozenset(zip(*found.values()))


def withdrawn_after(meta, rows, when) -> dict[str, list]:
    """The figures of a selection (store.view.Rows) that a release made public after `when`
    (a naive UTC time) withdrew and that no later release published again: what SDMX's
    updatedAfter answers as deleted, so a harvester learns a figure is gone. Columns
    indicator_id, geo_code, period, the breakdowns, period_start and period_end (the period
    label's days: a withdrawn figure has no row of its own; a stock is counted on the last
    day of its period). Empty outside releases."""
    dims = meta.dimension_columns
    key = ["indicator_id", "geo_code", "period", *dims]
    # `where` on the changes table (aliased o): indicators, places and breakdowns in SQL; the
    # period, which `where` reads from period_end, below with the same rule (Rows.keeps).
    where_sql, params = where(dims, Rows(indicators=rows.indicators, geos=rows.geos, breakdowns=rows.breakdowns))
    still = " AND ".join(f"n.{q(c)} IS NOT DISTINCT FROM o.{q(c)}" for c in key)
    found = db().rows(
        f"SELECT DISTINCT {', '.join(f'o.{q(c)}' for c in key)} FROM changes o "
        f"JOIN releases r ON r.release_id = o.release_id{where_sql} {'AND' if where_sql else 'WHERE'} "
        f"o.change = 'withdrawn' AND r.public_at > ? AND NOT EXISTS (SELECT 1 FROM observations n WHERE {still}) "
        f"ORDER BY {', '.join(f'o.{q(c)} NULLS FIRST' for c in key)}", [*params, when])
    keep = rows.keeps(dims)
    out: dict[str, list] = {c: [] for c in (*key, "period_start", "period_end")}
    for r in found:
        p = periods.parse(r["period"])
        r.update(period_start=p.start, period_end=p.end)
        if keep(r):
            for c in out:
                out[c].append(r[c])
    return out
