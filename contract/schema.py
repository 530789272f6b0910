"""The published database (`indicators.duckdb`): its tables and the columns readers rely on.

etl/load.py writes exactly these tables and records SCHEMA_VERSION in `build_info`; the
read layer (store/database.py) checks a file against them when it opens it, so a database
from an incompatible build is refused with a message that says what to do, not a traceback
in the middle of a page. Bump SCHEMA_VERSION whenever a reader would misread an older file.
"""
from __future__ import annotations

SCHEMA_VERSION = 8   # 6: releases.note_ar; 7: international_codes; 8: revision kinds and reasons, calendar states
DB_NAME = "indicators.duckdb"
LANGS = ("ar", "en")  # every name, label and definition is stored in these languages, Arabic first

# `observations` and `latest_observations`: these columns around one column per breakdown
# (dimension), in the catalogue's order. A NULL breakdown column means the total.
OBSERVATION_HEAD = ("indicator_id", "geo_code", "period", "period_start", "period_end")
# A figure whose value differs from the one an earlier release gave is revised: the release
# that revised it, its public date and the value before (NULL for a figure never revised,
# and in a build that is not a release); then why, as that release said (etl/revisions.py):
# its kind (REVISION_KINDS) and its reason in Arabic and English (NULL where it gave none).
REVISION = ("revised_in", "revised_on", "previous_value", "revision_kind", "revision_reason_ar", "revision_reason_en")
REVISION_WHY = REVISION[3:]
# Eurostat's kinds of revision: routine (new data, provisional figures made final), a
# correction (of an error), a major revision (a new method, source or classification).
REVISION_KINDS = ("routine", "correction", "major")
NUMBERS = ("value", "previous_value")   # the figures among the columns (6073, not 6073.0, in text files)
OBSERVATION_TAIL = ("value", "qualifier", "status", "unit", "source_id", *REVISION, "value_as_written",
                    "source_file", "source_sheet", "source_row", "source_column")
PROVENANCE = ("source_file", "source_sheet", "source_row", "source_column")

# A figure's status, as official statistics keep it: SDMX OBS_STATUS P (provisional), E
# (estimated), B (break in series), M (missing); Eurostat's flags z (not applicable) and c
# (confidential). NULL is a figure as published. A status of NO_FIGURE is a row with a NULL
# value: the source says there is no figure, and why.
STATUSES = ("provisional", "estimated", "break", "not_available", "not_applicable", "confidential")
NO_FIGURE = ("not_available", "not_applicable", "confidential")

# CLDR's plural categories of a number, per language (babel decides which a number is in): a
# unit's name as a count of it takes it is in its units row, one column per category
# (name_ar_few: 'مرافق'), NULL where the catalogue gives none (the name is then used).
PLURAL_CATEGORIES = {"ar": ("zero", "one", "two", "few", "many", "other"), "en": ("one", "other")}
UNIT_FORMS = tuple(f"name_{lang}_{c}" for lang, cats in PLURAL_CATEGORIES.items() for c in cats)

TABLES: dict[str, tuple[str, ...]] = {
    "observations": OBSERVATION_HEAD + OBSERVATION_TAIL,
    "latest_observations": OBSERVATION_HEAD + OBSERVATION_TAIL,
    "indicators": ("indicator_id", "topic", "country", "name_ar", "name_en", "definition_ar", "definition_en",
                   "unit", "measure", "breakdowns", "sum_to_total", "decimals", "higher_is_better", "headline",
                   "per_case", "files", "sort_order", "know_ar", "know_en"),
    "topics": ("topic", "name_ar", "name_en", "sort_order"),
    "units": ("unit", "kind", "name_ar", "name_en") + UNIT_FORMS,
    "dimensions": ("dimension", "dimension_ar", "dimension_en", "member", "label_ar", "label_en", "sort_order"),
    "sources": ("source_id", "country", "publisher_ar", "publisher_en", "title_ar", "title_en", "published", "url",
                "reference_period_ar", "reference_period_en", "note_ar", "note_en"),
    "geographies": ("geo_code", "level", "country", "parent", "name_ar", "name_en", "aliases", "map_file",
                    "map_within"),
    "targets": ("indicator_id", "geo_code", "period", "period_start", "period_end", "value", "source_id",
                "note_ar", "note_en"),
    "frameworks": ("framework_id", "framework_ar", "framework_en", "source_id", "item_id", "parent_id", "level",
                   "code", "label_ar", "label_en", "sort_order"),
    "indicator_frameworks": ("indicator_id", "item_id"),
    # The international series an indicator is (the catalogue's `international:`): the scheme
    # (SDG, ILO), the series' code in it, and the document that states the mapping.
    "international_codes": ("indicator_id", "scheme", "code", "source_title", "source_url"),
    "site": ("licence_id", "licence_name", "licence_url", "licence_note_ar", "licence_note_en", "default_indicator",
             "timezone", "sdmx_agency", "sdmx_version", "sdmx_dataflow"),   # sdmx_*: NULL when the catalogue has no `sdmx:`
    "build_info": ("build_id", "built_at", "catalogue_sha256", "files", "observation_count", "schema_version"),
    # Releases (etl/release.py), up to the one this database serves: empty in a build that is
    # not a release. public_at is UTC; `timezone` is the publisher's, for showing it.
    # Cancelled releases are not among them (amendments says so); public_at is after any
    # reschedule, scheduled_at the time first set. entry_sha256 is the hash of the release's entry
    # in the manifest (contract/manifest.py), which commits to every entry before it. `note` is
    # in English, `note_ar` in Arabic (NULL for a release made before notes had both);
    # reasons_sha256 the hash of its reasons file (NULL: it gave no reasons).
    "releases": ("release_id", "seq", "public_at", "timezone", "note", "note_ar", "build_id", "released_by",
                 "created_at", "added", "revised", "amended", "withdrawn", "scheduled_at", "catalogue_sha256", "figures_sha256",
                 "entry_sha256", "previous_sha256", "signed", "reasons_sha256"),
    # Releases cancelled or rescheduled before they were public, with the reason.
    "amendments": ("release_id", "action", "public_at", "reason", "by", "created_at", "entry_sha256"),
    # What each release changed, with the breakdown columns after `period` as in observations,
    # and why it changed a published figure, when it said (REVISION_WHY; NULL otherwise).
    "changes": ("release_id", "change", "indicator_id", "geo_code", "period", "old_value", "new_value",
                "old_status", "new_status", "old_source_id", "new_source_id", *REVISION_WHY),
    # Every value a figure has had: from the release that published it until the one that
    # replaced or withdrew it (NULL: still current). Breakdown columns after `period`.
    "vintages": ("indicator_id", "geo_code", "period", "value", "status", "source_id", "from_release",
                 "until_release"),
    # Upcoming releases the catalogue announces (`calendar:`): the day, what, in which languages;
    # its name (kept when the date moves), its state (provisional, confirmed, cancelled), its
    # number of changes (iCalendar's SEQUENCE), the latest change's day, what it changed
    # ('state' or 'date') and why, and the day it was last moved from with that move's reason
    # (NULL when it never changed, or never moved).
    "calendar": ("calendar_id", "expected_on", "title_ar", "title_en", "indicators", "languages", "state", "sequence",
                 "changed_on", "changed", "reason_ar", "reason_en", "moved_from", "move_reason_ar", "move_reason_en"),
}
# The states of a release the calendar announces (etl/announcements.py), the first the default.
CALENDAR_STATES = ("provisional", "confirmed", "cancelled")
# A release adds a figure, revises it (another value), amends it (the same value, another
# status or source) or withdraws it (no longer in the sources).
CHANGES = ("added", "revised", "amended", "withdrawn")


def observation_columns(dimensions) -> list[str]:
    """The columns of `observations`, in order, for the catalogue's breakdown dimensions."""
    return [*OBSERVATION_HEAD, *dimensions, *OBSERVATION_TAIL]


def problems(found: dict[str, set[str]], version: object, dimensions=()) -> list[str]:
    """What keeps a database from being read: missing tables or columns, another version.

    found: table name -> its column names, as the file has them; version: the
    `schema_version` it records (None if it records none); dimensions: the breakdowns its
    `dimensions` table declares, each of which must be a column of `observations`."""
    out = []
    if version != SCHEMA_VERSION:
        out.append(f"it was written for schema version {version if version is not None else 'unknown'}, "
                   f"and this software reads version {SCHEMA_VERSION}")
    for table, columns in TABLES.items():
        if table not in found:
            out.append(f"it has no table {table!r}")
            continue
        missing = [c for c in columns if c not in found[table]]
        if missing:
            out.append(f"its table {table!r} has no column {', '.join(map(repr, missing))}")
    missing = [d for d in dimensions if d not in found.get("observations", set())]
    if missing:
        out.append(f"its observations table has no column for the breakdown(s) {', '.join(map(repr, missing))}")
    return out
