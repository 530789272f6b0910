"""Why a release changes a published figure: for each figure it revises, amends or withdraws, a
kind (routine, correction or major, as Eurostat's revision policy names them) and a reason in
Arabic and in English.

A reader who sees "revised on 2025-03-01, previously 79,597" should also learn why: the routine
revision of provisional figures, the correction of an error, or a major revision (a new source,
a new method). The publisher gives the reasons with the release (`spi release --reasons FILE`,
or `make_release(reasons=…)` from the desk); they are checked against what the release changes
before anything is written, and kept with the release, in the file REASONS of its folder, whose
hash its entry records (so the hash chain covers them and `spi verify` checks them).

The file given is CSV, UTF-8, one row a figure: indicator_id, geo_code, period, a column per
breakdown (empty: the total), kind, reason_ar, reason_en; other columns (change, old_value,
new_value: what `spi diff --reasons-template` adds so the rows can be read) are ignored, and a
row whose kind and reasons are all empty is no reason (a template row left unfilled).

The file kept is canonical JSON, its rows in the order of the release's changes, so that the
same reasons make the same bytes whoever gives them (the CLI and the desk).
"""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd

from contract.manifest import REASONS, written_in
from contract.schema import REVISION_KINDS as KINDS
from contract.schema import REVISION_WHY as COLUMNS

from .messages import Text

REVISING = ("revised", "amended", "withdrawn")   # the changes of a published figure that say why
HEAD = ("indicator_id", "geo_code", "period")
TEXTS = ("kind", "reason_ar", "reason_en")
SHOWN = ("change", "old_value", "new_value")     # in the template, to read; ignored when read back


class ReasonsError(ValueError):
    """Reasons that cannot be taken: the message (a Text of etl/messages.py) names the row and
    says what to do."""


# -- what the publisher gives --------------------------------------------------------------

def read_file(path: Path) -> list[dict]:
    """The reasons of a CSV file (see the module's docstring), each with `where` (the file and
    row, for messages); ReasonsError naming the file, row and column of what is wrong."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ReasonsError(Text("revisions.unreadable", path=path, why=exc.strerror or str(exc))) from None
    except UnicodeDecodeError:
        raise ReasonsError(Text("revisions.not_utf8", path=path)) from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ReasonsError(Text("revisions.not_csv", path=path, why=str(exc))) from None
    if not rows:
        raise ReasonsError(Text("revisions.empty_file", path=path, columns=", ".join((*HEAD, *TEXTS))))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in (*HEAD, *TEXTS) if c not in header]
    if missing:
        raise ReasonsError(Text("revisions.no_column", path=path, missing=", ".join(missing),
                                header=", ".join(header)[:200], expected=", ".join((*HEAD, "<breakdowns>", *TEXTS))))
    out = []
    for n, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, (c.strip() for c in row)))
        if not any(cells.values()) or not any(cells.get(c) for c in TEXTS):
            continue   # a blank row, or a template row left unfilled
        out.append({**{c: cells.get(c, "") for c in (*HEAD, *TEXTS)},
                    "breakdown": {c: v for c, v in cells.items() if c not in (*HEAD, *TEXTS, *SHOWN) and v},
                    "where": Text("revisions.file_row", file=path.name, row=n)})
    return out


def checked(reasons: list[dict] | None, changes: pd.DataFrame, dims: list[str], required: bool) -> list[dict]:
    """The reasons kept with a release: one per figure it revises, amends or withdraws that
    has one, in the order of `changes` (the release's change rows, etl/release.py compare),
    canonical (see `stored`). Refused (ReasonsError, naming the row) when a reason's kind is
    not one of KINDS, a text is missing (an Arabic one without an Arabic letter), it names a
    breakdown the catalogue lacks, a figure twice, or a figure the release does not revise,
    amend or withdraw; and, when `required`, when a revised, amended or withdrawn figure has none."""
    given: dict[tuple, dict] = {}
    for n, r in enumerate(reasons or [], start=1):
        where = r.get("where") or Text("revisions.reason_n", n=n)
        key = _given_key(r, dims, where)
        kind = str(r.get("kind") or "").strip()
        if kind not in KINDS:
            raise ReasonsError(Text("revisions.kind", where=where, kind=kind[:40], kinds=", ".join(KINDS)))
        texts = {lang: str(r.get(f"reason_{lang}") or "").strip() for lang in ("ar", "en")}
        if not texts["ar"] or not texts["en"]:
            empty = "reason_ar" if not texts["ar"] else "reason_en"
            raise ReasonsError(Text("revisions.empty_reason", where=where, empty=empty))
        if written_in(texts["ar"]) != "ar":
            raise ReasonsError(Text("revisions.no_arabic", where=where, reason=texts["ar"][:60]))
        if key in given:
            raise ReasonsError(Text("revisions.twice", where=where, figure=_figure(key, dims),
                                    other=given[key]["where"]))
        given[key] = {"where": where, "kind": kind, "reason_ar": texts["ar"], "reason_en": texts["en"]}
    out, missing = [], []
    keys = _keys(changes, [*HEAD, *dims])
    for key, change in zip(keys, changes["change"]):
        found = given.pop(key, None)
        if found is None:
            if change in REVISING:
                missing.append(key)
            continue
        if change not in REVISING:
            raise ReasonsError(Text("revisions.added", where=found["where"], figure=_figure(key, dims)))
        out.append({**dict(zip(HEAD, key)), "breakdown": {d: v for d, v in zip(dims, key[3:]) if v is not None},
                    "change": change, **{k: found[k] for k in TEXTS}})
    for key, found in given.items():
        raise ReasonsError(Text("revisions.not_changed", where=found["where"], figure=_figure(key, dims)))
    if required and missing:
        raise ReasonsError(Text("revisions.required", n=len(missing),
                                figures="; ".join(_figure(k, dims) for k in missing[:5]),
                                more=Text("revisions.and_more") if len(missing) > 5 else ""))
    return out


def _given_key(r: dict, dims: list[str], where: str) -> tuple:
    breakdown = r.get("breakdown") or {}
    if not isinstance(breakdown, dict):
        raise ReasonsError(Text("revisions.breakdown_type", where=where, type=type(breakdown).__name__,
                                shape="{breakdown: member}"))
    unknown = [d for d in breakdown if d not in dims]
    if unknown:
        raise ReasonsError(Text("revisions.unknown_breakdown", where=where, unknown=", ".join(map(str, unknown)),
                                dims=", ".join(dims) or Text("revisions.no_breakdowns")))
    head = [str(r.get(c) or "").strip() for c in HEAD]
    if not all(head):
        raise ReasonsError(Text("revisions.empty_head", where=where, column=HEAD[head.index("")]))
    return (*head, *(str(breakdown[d]).strip() or None if breakdown.get(d) is not None else None for d in dims))


def _keys(frame: pd.DataFrame, key: list[str]) -> list[tuple]:
    """Each row's figure as a tuple of text, None for a missing breakdown (the total)."""
    return [tuple(None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in row)
            for row in zip(*(frame[c] for c in key))] if len(frame) else []


def _figure(key: tuple, dims: list[str]) -> str:
    members = [f"{d} {v}" for d, v in zip(dims, key[3:]) if v is not None]
    return " ".join(key[:3]) + (f" ({', '.join(members)})" if members else "")


def template(changes: pd.DataFrame, dims: list[str]) -> str:
    """A reasons file to fill in for a release's changes: a row per figure it revises, amends or
    withdraws, with its old and new values, kind and reasons empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*HEAD, *dims, *SHOWN, *TEXTS])
    rows = changes[changes["change"].isin(REVISING)]
    for key, change, old, new in zip(_keys(rows, [*HEAD, *dims]), rows["change"], rows["old_value"], rows["new_value"]):
        writer.writerow([*(v or "" for v in key), change, _number(old), _number(new), "", "", ""])
    return out.getvalue()


def _number(x) -> str:
    return "" if x is None or x != x else format(float(x), ".15g")


# -- what a release keeps -----------------------------------------------------------------------

def stored(rows: list[dict]) -> bytes:
    """The bytes of a release's REASONS file: canonical JSON (sorted keys, UTF-8, a row a line)."""
    lines = ",\n".join(json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for r in rows)
    return ('{"reasons":[\n' + lines + "\n]}\n").encode("utf-8")


def read_stored(folder: Path) -> list[dict]:
    """A release's reasons as kept (none when the release has no REASONS file)."""
    path = Path(folder) / REASONS
    return json.loads(path.read_text(encoding="utf-8"))["reasons"] if path.exists() else []


def frame(rows: list[dict], dims: list[str]) -> pd.DataFrame:
    """A release's reasons as a table keyed as figures are (with COLUMNS), to merge on."""
    return pd.DataFrame([{**{c: r[c] for c in HEAD}, **{d: r["breakdown"].get(d) for d in dims},
                          **dict(zip(COLUMNS, (r[k] for k in TEXTS)))} for r in rows],
                        columns=[*HEAD, *dims, *COLUMNS])
