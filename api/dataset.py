"""The whole dataset as files: CSV, XLSX, Parquet and a Frictionless Data Package.

Files are made once per database build and kept in a cache folder
(`$SPI_OPENDATA_CACHE`, else `.opendata-cache/` beside the database), in a sub-folder
named after the build; a rebuilt database gets a new folder and older ones are removed.
Each file is written beside its final name and swapped in with os.replace under a file
lock, so concurrent gunicorn workers never serve a half-written file and make each file
once. `spi publish` can fill the cache ahead of the first request.

Addresses: /data/all.csv, /data/all.xlsx, /data/all.parquet, /data/datapackage.json
(its resources under /data/package/), /data/datapackage.zip.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import pandas as pd

from contract.schema import STATUSES
from store import releases
from store.database import db
from store.queries import describe, labelled_columns, labelled_frame, labelled_typed, table
from store.texts import t
from store.view import Rows

from .documents import licence
from .formats import clean, zip_bytes
from .shape import code_columns, file_columns
from .xlsx import dataset_workbook

PACKAGE_TABLES = ("indicators", "topics", "units", "dimensions", "sources", "geographies", "targets",
                  "frameworks", "indicator_frameworks", "international_codes")
_SAFE = re.compile(r"[A-Za-z0-9_.\-]+\Z")


def cache_root() -> Path:
    env = os.environ.get("SPI_OPENDATA_CACHE")
    return Path(env) if env else db().path.resolve().parent / ".opendata-cache"


def cache_dir(m) -> Path:
    return cache_root() / m.version


@contextmanager
def _locked(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure(m, name: str, make: Callable[[Path], None]) -> Path:
    """The cached file `name` of this build, made by `make(tmp_path)` if it is not there yet."""
    if not _SAFE.match(name):
        raise ValueError(f"unsafe cache name {name!r}")
    folder = cache_dir(m)
    final = folder / name
    if final.exists():
        return final
    with _locked(folder):
        if final.exists():
            return final
        _prune(folder)
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        try:
            make(tmp)
            os.replace(tmp, final)
        finally:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            elif tmp.exists():
                tmp.unlink()
    return final


def _prune(current: Path) -> None:
    """Remove the cache folders of older builds."""
    for other in current.parent.iterdir():
        if other.is_dir() and other != current and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)


# -- the files -----------------------------------------------------------------------------

def csv_file(m, labels: str, lang: str, bom: bool) -> Path:
    """Every observation as CSV in the labels/language asked for; UTF-8 with or without BOM."""
    name = f"all-{labels}-{'xx' if labels == 'codes' else lang}-{'bom' if bom else 'utf8'}.csv"

    def make(tmp: Path) -> None:
        columns, _ = file_columns(m, labels, lang, text_values=True)
        plain = tmp.with_name(tmp.name + ".plain")
        try:
            db().write_csv(*labelled_columns(m, Rows(), columns), plain)
            with open(tmp, "wb") as out:
                if bom:
                    out.write(b"\xef\xbb\xbf")
                with open(plain, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        finally:
            plain.unlink(missing_ok=True)
    return ensure(m, name, make)


def parquet_file(m) -> Path:
    """Every observation with its codes and its labels in Arabic and English, as Parquet."""
    def make(tmp: Path) -> None:
        db().write_parquet(*labelled_typed(m, Rows()), tmp)
    return ensure(m, "all.parquet", make)


def xlsx_file(m, lang: str, labels: str) -> Path:
    """The whole dataset as a workbook: a read-me, one sheet per topic, indicators, sources."""
    def make(tmp: Path) -> None:
        dataset_workbook(tmp, m, lang, _topic_tables(m, labels, lang))
    return ensure(m, f"all-{lang}-{labels}.xlsx", make)


def _topic_tables(m, labels: str, lang: str):
    """(topic, its figures as a DataFrame, column identifiers, decimals of each row), per topic
    with figures, in topic order."""
    columns, codes = file_columns(m, labels, lang, provenance=False)
    decimals = {i: r["decimals"] for i, r in m.indicators.items()}
    for topic in m.topics:
        ids = tuple(i for i, r in m.indicators.items() if r["topic"] == topic)
        if not ids:
            continue
        frame = labelled_frame(m, Rows(indicators=ids), [*columns, ("indicator_id", "_indicator")])
        if frame.empty:
            continue
        row_decimals = frame.pop("_indicator").map(decimals).tolist()
        yield topic, frame, codes, row_decimals


# -- the data package ------------------------------------------------------------------------

FIELD_DESCRIPTION = {  # the data package's field descriptions; titles are the download headers (i18n)
    "indicator_id": "Identifier of the indicator; see the indicators resource.",
    "geo_code": "ISO 3166 code of the country or governorate; see geographies.",
    "period": "Period label as published: 2021, 2025-H1, 2025-Q3, 2025-06.",
    "period_start": "First day of the period (for a stock, the day it was counted).",
    "period_end": "Last day of the period (for a stock, the day it was counted).",
    "value": "The figure as published, in the unit of the row.",
    "qualifier": "'more_than' when the source gives the figure as a lower bound; empty otherwise.",
    "status": "The figure's status: provisional, estimated, break (in series); not_available, not_applicable or "
              "confidential for a row with no value (the source says there is no figure, and why). Empty: the figure "
              "as published.",
    "unit": "Unit of the value; see the units resource.",
    "source_id": "The document that published the figure; see the sources resource.",
    "revised_in": "The release that revised the figure: its value differs from the one an earlier release gave "
                  "(see the releases resource). Empty for a figure never revised.",
    "revised_on": "The day that release went public.",
    "previous_value": "The value the figure had before that revision.",
    "revision_kind": "Why that release revised it, as Eurostat's revision policy names the kinds: routine (new data, "
                     "provisional figures made final), correction (of an error) or major (a new method, source or "
                     "classification). Empty when the release gave no reason.",
    "revision_reason_ar": "The reason for that revision, in Arabic, as the release gave it.",
    "revision_reason_en": "The reason for that revision, in English, as the release gave it.",
    "value_as_written": "The figure exactly as the source writes it.",
    "source_file": "The file in data/raw/ the figure was read from.",
    "source_sheet": "Sheet of the source file (workbooks only).",
    "source_row": "Row of the source file.",
    "source_column": "Column of the source file.",
}
_TYPES = {"VARCHAR": "string", "DATE": "date", "DOUBLE": "number", "BIGINT": "integer", "INTEGER": "integer",
          "BOOLEAN": "boolean", "TIMESTAMP": "datetime", "VARCHAR[]": "array", '"NULL"': "string", "NULL": "string"}
_KEYS = {"indicators": ["indicator_id"], "topics": ["topic"], "units": ["unit"], "sources": ["source_id"],
         "geographies": ["geo_code"], "dimensions": ["dimension", "member"]}


def package_dir(m) -> Path:
    """A folder holding datapackage.json and its resources (observations and catalogue tables)."""
    return ensure(m, "package", lambda tmp: write_package(tmp, m))


def package_zip(m) -> Path:
    folder = package_dir(m)  # outside make(): ensure() holds the folder's lock while making

    def make(tmp: Path) -> None:
        members = {}
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                members[str(path.relative_to(folder))] = path.read_bytes()
        tmp.write_bytes(zip_bytes(members, m.built_at))
    return ensure(m, "datapackage.zip", make)


def write_package(folder: Path, m) -> dict:
    """Write datapackage.json and its CSV resources (plain UTF-8, no BOM) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package").mkdir(exist_ok=True)
    resources = []
    # Observations: codes, exact values.
    columns, _ = file_columns(m, "codes", "en", text_values=True)
    db().write_csv(*labelled_columns(m, Rows(), columns), folder / "package" / "observations.csv")
    types = dict(describe("observations"))
    fields = []
    for col in code_columns(m):
        f = {"name": col, "type": _TYPES.get(types[col], "string")}
        if col in m.dimensions:
            names = m.dimensions[col]
            f["title"] = f"{names['name_en']} / {names['name_ar']}"
            f["description"] = (f"Breakdown by {names['name_en'].lower()}: a member code (see the dimensions "
                                "resource); empty in the row of the total.")
            f["constraints"] = {"enum": list(names["members"])}
        else:
            f["title"] = _both(f"column_{col}")
            f["description"] = FIELD_DESCRIPTION[col]
        if col in ("indicator_id", "geo_code", "period", "period_start", "period_end", "unit", "source_id"):
            f.setdefault("constraints", {})["required"] = True
        if col == "qualifier":
            f["constraints"] = {"enum": ["more_than"]}
        if col == "status":
            f["constraints"] = {"enum": list(STATUSES)}
        fields.append(f)
    resources.append({
        "name": "observations", "path": "package/observations.csv", "profile": "tabular-data-resource",
        "title": _both("package_observations"),
        "description": "Every figure a named source published: one row per indicator, geography, period and "
                       "breakdown member (breakdown columns empty = the total). Nothing is filled or estimated.",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {"fields": fields, "missingValues": [""], "foreignKeys": [
            {"fields": "indicator_id", "reference": {"resource": "indicators", "fields": "indicator_id"}},
            {"fields": "geo_code", "reference": {"resource": "geographies", "fields": "geo_code"}},
            {"fields": "unit", "reference": {"resource": "units", "fields": "unit"}},
            {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}},
        ]},
    })
    for name in PACKAGE_TABLES:
        cols = describe(name)
        frame = table(name)
        for col, typ in cols:
            if typ.endswith("[]"):
                frame[col] = frame[col].map(lambda v: json.dumps([str(x) for x in v], ensure_ascii=False)
                                            if v is not None and not isinstance(v, float) else None)
            elif typ == "BOOLEAN":
                frame[col] = frame[col].map(lambda v: None if clean(v) is None else ("true" if v else "false"))
            elif typ == "DATE":
                frame[col] = frame[col].map(lambda v: None if clean(v) is None else pd.Timestamp(v).strftime("%Y-%m-%d"))
        frame.to_csv(folder / "package" / f"{name}.csv", index=False, lineterminator="\n", na_rep="")
        schema = {"fields": [{"name": c, "type": _TYPES.get(typ, "string")} for c, typ in cols], "missingValues": [""]}
        if name in _KEYS:
            schema["primaryKey"] = _KEYS[name]
        if name == "indicators":
            schema["foreignKeys"] = [
                {"fields": "topic", "reference": {"resource": "topics", "fields": "topic"}},
                {"fields": "unit", "reference": {"resource": "units", "fields": "unit"}}]
        if name == "international_codes":
            schema["foreignKeys"] = [
                {"fields": "indicator_id", "reference": {"resource": "indicators", "fields": "indicator_id"}}]
        if name == "targets":
            schema["foreignKeys"] = [
                {"fields": "indicator_id", "reference": {"resource": "indicators", "fields": "indicator_id"}},
                {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}]
        resources.append({"name": name.replace("_", "-"), "path": f"package/{name}.csv",
                          "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "title": _both(f"package_{name}"), "schema": schema})
    # Foreign keys refer to resources by name.
    for res in resources:
        for fk in res["schema"].get("foreignKeys", []):
            fk["reference"]["resource"] = fk["reference"]["resource"].replace("_", "-")
    lic = licence(m)
    descriptor = {
        "profile": "tabular-data-package",
        "name": "social-protection-indicators",
        "id": f"social-protection-indicators-{m.build_id}",
        "title": _both("file_title"),
        "description": "Figures on social protection published by ministries and social protection funds of Oman, "
                       "Jordan and Lebanon, each with its definition, unit and source, in Arabic and English. "
                       + (lic["note"]["en"] or ""),
        "version": m.build_id,
        **_release(),
        "created": m.built_at.replace(microsecond=0).isoformat() + "Z",
        "licenses": [{"name": lic["id"], "path": lic["url"], "title": lic["name"]}],
        "sources": [_package_source(m, s) for s in m.sources],
        "keywords": [t("package_keyword", "en"), t("package_keyword", "ar"),
                     *(m.geo_name(c, "en") for c in m.countries)],
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return descriptor


def _release() -> dict:
    """The release the package was read from, and the hash of its entry in the published chain
    (/data/releases.json): none when the site serves one build."""
    choice = releases.current()
    return {"release": {"id": choice.release.release_id, "entry_sha256": choice.release.sha256,
                        "chain": "/data/releases.json"}} if choice is not None else {}


def _both(key: str) -> str:
    """A title in English and Arabic ("Sources / المصادر"): a data package has one title field."""
    return f"{t(key, 'en')} / {t(key, 'ar')}"


def _package_source(m, source_id: str) -> dict:
    s = m.sources[source_id]
    title = f"{s['publisher_en']}: {s['title_en']} ({s['published'] or t('file_date_not_stated', 'en')})"
    out = {"title": title, "id": source_id}
    if s["url"]:
        out["path"] = s["url"]
    return out
