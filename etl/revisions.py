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

REVISING = ("revised", "amended", "withdrawn")   # the changes of a published figure that say why
HEAD = ("indicator_id", "geo_code", "period")
TEXTS = ("kind", "reason_ar", "reason_en")
SHOWN = ("change", "old_value", "new_value")     # in the template, to read; ignored when read back


class ReasonsError(ValueError):
    """Reasons that cannot be taken: the message names the row and says what to do."""


# -- what the publisher gives --------------------------------------------------------------

def read_file(path: Path) -> list[dict]:
    """The reasons of a CSV file (see the module's docstring), each with `where` (the file and
    row, for messages); ReasonsError naming the file, row and column of what is wrong."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ReasonsError(f"the reasons file {path} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ReasonsError(f"the reasons file {path} is not UTF-8 text (save it as CSV UTF-8)") from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ReasonsError(f"the reasons file {path} is not CSV: {exc}") from None
    if not rows:
        raise ReasonsError(f"the reasons file {path} is empty: expected a header row "
                           f"({', '.join((*HEAD, *TEXTS))}) and a row per figure")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in (*HEAD, *TEXTS) if c not in header]
    if missing:
        raise ReasonsError(f"the reasons file {path} has no column {', '.join(missing)} (its header row is "
                           f"{', '.join(header)[:200]}); expected {', '.join((*HEAD, '<breakdowns>', *TEXTS))}")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, (c.strip() for c in row)))
        if not any(cells.values()) or not any(cells.get(c) for c in TEXTS):
            continue   # a blank row, or a template row left unfilled
        out.append({**{c: cells.get(c, "") for c in (*HEAD, *TEXTS)},
                    "breakdown": {c: v for c, v in cells.items() if c not in (*HEAD, *TEXTS, *SHOWN) and v},
                    "where": f"{path.name} row {n}"})
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
        where = r.get("where") or f"reason {n}"
        key = _given_key(r, dims, where)
        kind = str(r.get("kind") or "").strip()
        if kind not in KINDS:
            raise ReasonsError(f"{where}: kind {kind[:40]!r} is not one of {', '.join(KINDS)} (Eurostat's kinds of "
                               "revision: routine, a correction of an error, a major revision)")
        texts = {lang: str(r.get(f"reason_{lang}") or "").strip() for lang in ("ar", "en")}
        if not texts["ar"] or not texts["en"]:
            empty = "reason_ar" if not texts["ar"] else "reason_en"
            raise ReasonsError(f"{where}: {empty} is empty: say why the figure changes in Arabic (reason_ar) and in "
                               "English (reason_en)")
        if written_in(texts["ar"]) != "ar":
            raise ReasonsError(f"{where}: reason_ar {texts['ar'][:60]!r} has no Arabic letter: give the reason in "
                               "Arabic there, and in English in reason_en")
        if key in given:
            raise ReasonsError(f"{where}: {_figure(key, dims)} is given a reason twice (also in "
                               f"{given[key]['where']}): give one")
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
            raise ReasonsError(f"{found['where']}: {_figure(key, dims)} is added by this release, not revised, "
                               "amended or withdrawn: a figure published for the first time needs no reason")
        out.append({**dict(zip(HEAD, key)), "breakdown": {d: v for d, v in zip(dims, key[3:]) if v is not None},
                    "change": change, **{k: found[k] for k in TEXTS}})
    for key, found in given.items():
        raise ReasonsError(f"{found['where']}: {_figure(key, dims)} is not a figure this release revises, amends or "
                           "withdraws (`spi diff` lists them; `spi diff --reasons-template` prints the rows to fill in)")
    if required and missing:
        raise ReasonsError(f"the catalogue says every revision says why (site.revision_reasons: required), and "
                           f"{len(missing)} figure(s) this release changes have no reason: "
                           f"{'; '.join(_figure(k, dims) for k in missing[:5])}"
                           f"{'; …' if len(missing) > 5 else ''} (--reasons FILE; `spi diff --reasons-template` "
                           "prints the rows to fill in)")
    return out


def _given_key(r: dict, dims: list[str], where: str) -> tuple:
    breakdown = r.get("breakdown") or {}
    if not isinstance(breakdown, dict):
        raise ReasonsError(f"{where}: breakdown is {type(breakdown).__name__}, expected {{breakdown: member}}")
    unknown = [d for d in breakdown if d not in dims]
    if unknown:
        raise ReasonsError(f"{where}: {', '.join(map(str, unknown))} is not a breakdown of the catalogue "
                           f"({', '.join(dims) or 'it has none'})")
    head = [str(r.get(c) or "").strip() for c in HEAD]
    if not all(head):
        raise ReasonsError(f"{where}: {HEAD[head.index('')]} is empty: name the figure by its indicator_id, geo_code "
                           "and period (and its breakdown members)")
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
