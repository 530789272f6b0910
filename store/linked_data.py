"""What the catalogue says about each indicator to machines that harvest it: the facts a DCAT-AP
catalogue (api/catalog.py, /catalog.jsonld) and a page's schema.org `Dataset` both state, read
once here from the build being served so that the two can never say different things.

Every fact comes from the read layer (store.catalogue.meta() `m`): names and definitions from the
catalogue, the period covered and the places from the figures themselves (so a release under
embargo, which the public does not read, adds nothing), the organisations from the sources the
figures cite. Nothing is filled in: an indicator without figures has no period and no places.

  coverage_dates(m, ind)      first and last day the figures cover
  publisher_source(m, ind)    the source of its most recent figures (its organisation publishes it)
  distributions(ind)          the files of an indicator, with their media types
  schema_dataset(m, ind, lang, base)   the schema.org Dataset of a page, in the page's language
  script_json(doc)            that document as the text of a <script>, unable to close it
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from .texts import t

IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True)
class Distribution:
    """One file of an indicator: its format's name (the EU file-type authority's code), its
    IANA media type, and its address below the site's public base."""

    format: str
    media_type: str
    path: str
    conforms_to: str | None = None   # a format inside the media type (JSON-stat in JSON)

    def url(self, base: str) -> str:
        return f"{base}{self.path}"

    @property
    def media_type_iri(self) -> str:
        return f"{IANA}{self.media_type}"

    @property
    def format_iri(self) -> str:
        return f"{FILE_TYPE}{self.format}"


def distributions(indicator: str) -> list[Distribution]:
    """The indicator's figures in every format the site serves (api/routes.py): the full series."""
    ind = quote(indicator, safe="")
    return [
        Distribution("CSV", "text/csv", f"/data/{ind}.csv"),
        Distribution("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"/data/{ind}.xlsx"),
        Distribution("JSON", "application/json", f"/api/v1/observations?indicator={ind}"),
        Distribution("JSON", "application/json", f"/api/v1/observations?indicator={ind}&format=jsonstat",
                     "https://json-stat.org/format/"),
        Distribution("ZIP", "application/zip", f"/data/{ind}.zip"),
    ]


def coverage_dates(m, indicator: str) -> tuple[date, date] | None:
    """The first and the last day the indicator's figures are about, as the database dates
    them (a stock counted at the end of a year is about that day); None without figures."""
    cov = m.coverage.get(indicator)
    if not cov:
        return None
    return _day(cov["first_day"]), _day(cov["last_day"])


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def publisher_source(m, indicator: str) -> str | None:
    """The source of the indicator's most recent figures (sources are in the order of the
    periods they cover), else of its targets; None when it cites none."""
    cited = list(m.coverage.get(indicator, {}).get("sources", ())) or m.source_ids(indicator)
    return cited[-1] if cited else None


def landing_page(base: str, indicator: str, lang: str | None = None) -> str:
    """The indicator's data page (dashboard/pages/indicator.py), in `lang` if given."""
    return f"{base}/indicator/{quote(indicator, safe='')}" + (f"?lang={lang}" if lang else "")


def keywords(m, indicator: str, lang: str) -> list[str]:
    """The indicator's topic, the country's name and the unit, in `lang`."""
    ind = m.indicators[indicator]
    words = [m.topics[ind["topic"]][f"name_{lang}"], m.geo_name(ind["country"], lang), m.unit_of(indicator)[f"name_{lang}"]]
    return list(dict.fromkeys(w for w in words if w))


def schema_dataset(m, indicator: str, lang: str, base: str) -> dict:
    """The schema.org `Dataset` of an indicator in one language, with what Google Dataset Search
    asks for (name, description, license, creator, distribution, temporalCoverage,
    spatialCoverage) and the rest it reads."""
    ind = m.indicators[indicator]
    source = publisher_source(m, indicator)
    site = {"@type": "Organization", "name": t("site_title", lang), "url": f"{base}/?lang={lang}"}
    doc = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": landing_page(base, indicator),
        "name": ind[f"name_{lang}"],
        "description": ind[f"definition_{lang}"],
        "url": landing_page(base, indicator, lang),
        "identifier": indicator,
        "inLanguage": lang,
        "keywords": keywords(m, indicator, lang),
        "license": m.licence["url"],
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": m.sources[s][f"publisher_{lang}"]}
                    for s in dict.fromkeys(m.source_ids(indicator))] or [site],
        "publisher": site,
        "dateModified": m.built_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "distribution": [{"@type": "DataDownload", "encodingFormat": d.media_type, "contentUrl": d.url(base),
                          **({"name": "JSON-stat"} if d.conforms_to else {"name": d.format})}
                         for d in distributions(indicator)],
    }
    if source is not None:
        doc["sourceOrganization"] = {"@type": "Organization", "name": m.sources[source][f"publisher_{lang}"]}
    dates = coverage_dates(m, indicator)
    if dates is not None:
        doc["temporalCoverage"] = f"{dates[0].isoformat()}/{dates[1].isoformat()}"
    places = m.geos_of(indicator)
    if places:
        doc["spatialCoverage"] = [{"@type": "Place", "name": m.geo_name(g, lang), "identifier": g} for g in places]
    return doc


def script_json(doc: dict) -> str:
    """`doc` as JSON for a <script type="application/ld+json">: `<`, `>` and `&` written as
    \\u escapes (the same JSON), so no catalogue text can end the script or open a comment."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
