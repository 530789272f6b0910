"""/catalog.jsonld: the site's open data as a DCAT-AP 3 catalogue in JSON-LD, with the StatDCAT-AP
additions, for the portals that harvest catalogues (CKAN's DCAT harvester, data.europa.eu).

  one dcat:Catalog     the site: title and description in Arabic and English, its publisher (the
                       site, as its feeds name their author), licence, home page, languages, and
                       modified = when the build being served was made
  one dcat:Dataset     per indicator, at its API address /api/v1/indicators/<id>: bilingual title
                       and definition, the source organisations (publisher: of its latest figures;
                       creator: of all), licence, dct:temporal and dct:spatial from the figures,
                       keywords and theme (its topic), contact point, identifier, landing page
                       (/indicator/<id>), stat:statUnitMeasure, stat:dimension (qb:DimensionProperty:
                       place, period and its breakdowns), dct:conformsTo its SDMX structure, and
                       adms:identifier the international series it is (skos:notation 1.3.1,
                       adms:schemaAgency SDG; dct:source the document that states the mapping)
  dcat:Distribution    per format (CSV, XLSX, JSON, JSON-stat, ZIP) with its IANA media type, the
                       EU file type, access and download address and licence

The facts are store/linked_data.py's (which the pages' schema.org documents share), read from the
release the request reads, so nothing of a release under embargo is in it for the public. Every
address is absolute (store.address.public_base). The JSON-LD context is inline: a harvester (or a
test) parses it without fetching anything. Every node an object refers to is typed with the class
DCAT-AP's SHACL shapes expect (tests/fixtures/dcat-ap), so the document validates without inference.
"""
from __future__ import annotations

import functools
import threading
from urllib.parse import quote as _quote

from contract.schema import LANGS
from store import linked_data
from store.texts import t

from .formats import dumps

MEDIA_TYPE = "application/ld+json"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "qb": "http://purl.org/linked-data/cube#",
    "stat": "http://data.europa.eu/(xyz)/statdcat-ap/",
    "adms": "http://www.w3.org/ns/adms#",
}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
LANGUAGE_CODES = {"ar": "ARA", "en": "ENG"}
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"
PLACE_AND_PERIOD = {"refArea": ("المكان", "Place"), "timePeriod": ("الفترة", "Period")}


@functools.lru_cache(maxsize=65536)
def quote(text: str, safe: str = "") -> str:
    """An id as one segment of an address (ids repeat in every dataset: worked out once)."""
    return _quote(text, safe=safe)


def structure_address(m, base: str) -> str | None:
    """The address of the SDMX data structure the figures conform to, in the SDMX REST scheme
    (/sdmx/datastructure/{agency}/{id}/{version}); its agency, version and dataflow come from the
    catalogue's `sdmx:` block (the site table's sdmx_agency, sdmx_version, sdmx_dataflow; the
    structure's id is DSD_ and the dataflow's). None when the catalogue publishes no SDMX."""
    sdmx = getattr(m, "sdmx", None)
    if not sdmx:
        return None
    parts = (sdmx["agency"], f"DSD_{sdmx['dataflow']}", sdmx["version"])
    return f"{base}/sdmx/datastructure/" + "/".join(quote(str(p), safe="") for p in parts)


def _both(text: dict | tuple) -> list[dict]:
    """A text in each language: {lang: text} or (ar, en)."""
    if isinstance(text, tuple):
        text = dict(zip(LANGS, text))
    return [{"@value": text[lang], "@language": lang} for lang in LANGS if text.get(lang)]


def _pair(row: dict, prefix: str) -> list[dict]:
    return _both({lang: row[f"{prefix}{lang}"] for lang in LANGS})


def _ref(iri: str) -> dict:
    return {"@id": iri}


def _date(value, kind: str = "date") -> dict:
    return {"@value": value.isoformat(), "@type": f"xsd:{kind}"}


class _Graph:
    """The nodes of the document, each once, by its IRI."""

    def __init__(self):
        self.nodes: dict[str, dict] = {}
        self.refs: dict[str, dict] = {}

    def node(self, iri: str, kind: str, props=None) -> dict:
        """A reference to the node `iri` of type `kind`, adding it the first time, with the
        properties `props()` makes (called only then: most nodes are shared by many datasets)."""
        ref = self.refs.get(iri)
        if ref is None:   # one reference object per node, shared by every mention (fewer objects to make)
            self.nodes[iri] = {"@id": iri, "@type": kind, **(props() if props else {})}
            ref = self.refs[iri] = _ref(iri)
        return ref


def catalogue(m, base: str) -> dict:
    """The DCAT-AP document of the build `m`, its addresses under `base`."""
    g = _Graph()
    own = f"{base}/catalog.jsonld"
    licence = g.node(m.licence["url"], "dct:LicenseDocument", lambda: {"dct:title": m.licence["name"]})
    home = g.node(f"{base}/", "foaf:Document")
    site = t("site_title", "ar"), t("site_title", "en")
    contact = g.node(f"{own}#contact", "vcard:Kind", lambda: {
        "vcard:fn": _both(site), "vcard:hasURL": g.node(f"{base}/about", "foaf:Document")})
    topics = g.node(f"{own}#topics", "skos:ConceptScheme", lambda: {"dct:title": _both(site)})
    structure = structure_address(m, base)
    modified = _date(m.built_at.replace(microsecond=0), "dateTime")
    # what every dataset says alike, made once
    shared = {"dct:license": licence, "dcat:contactPoint": contact, "dct:modified": modified}
    place_and_period = [g.node(f"{SDMX_DIMENSION}{d}", "qb:DimensionProperty", lambda: {"rdfs:label": _both(names)})
                        for d, names in PLACE_AND_PERIOD.items()]
    datasets = [_dataset(g, m, base, ind, shared, place_and_period, topics, structure) for ind in m.indicators]
    catalog = {
        "@id": own, "@type": "dcat:Catalog",
        "dct:title": _both(site),
        "dct:description": _both((t("about_intro", "ar"), t("about_intro", "en"))),
        "dct:publisher": g.node(f"{own}#publisher", "foaf:Agent",
                                lambda: {"foaf:name": _both(site), "foaf:homepage": home}),
        "dct:license": licence,
        "foaf:homepage": home,
        "dct:language": [g.node(f"{LANGUAGE}{LANGUAGE_CODES[lang]}", "dct:LinguisticSystem") for lang in LANGS],
        "dct:modified": modified,
        "dcat:themeTaxonomy": topics,
        "dcat:dataset": datasets,
    }
    return {"@context": CONTEXT, "@graph": [catalog, *g.nodes.values()]}


def _dataset(g: _Graph, m, base: str, ind: str, shared: dict, place_and_period: list, topics,
             structure: str | None) -> dict:
    row = m.indicators[ind]
    iri = f"{base}/api/v1/indicators/{quote(ind, safe='')}"
    topic = m.topics[row["topic"]]
    unit = m.unit_of(ind)
    sources = list(dict.fromkeys(m.source_ids(ind)))
    agents = {s: g.node(f"{base}/api/v1/sources#{quote(s, safe='')}", "foaf:Agent",
                        lambda: {"foaf:name": _pair(m.sources[s], "publisher_")}) for s in sources}
    publisher = linked_data.publisher_source(m, ind)
    doc = {
        "@id": iri, "@type": "dcat:Dataset",
        "dct:identifier": ind,
        "dct:title": _pair(row, "name_"),
        "dct:description": _pair(row, "definition_"),
        **shared,
        "dcat:landingPage": g.node(linked_data.landing_page(base, ind), "foaf:Document"),
        "dcat:keyword": [{"@value": w, "@language": lang} for lang in LANGS for w in linked_data.keywords(m, ind, lang)],
        "dcat:theme": g.node(f"{base}/api/v1/indicators?topic={quote(row['topic'], safe='')}", "skos:Concept",
                             lambda: {"skos:prefLabel": _pair(topic, "name_"), "skos:inScheme": topics}),
        "stat:statUnitMeasure": g.node(f"{base}/catalog.jsonld#unit-{quote(row['unit'], safe='')}", "skos:Concept",
                                       lambda: {"skos:prefLabel": _pair(unit, "name_")}),
        "stat:dimension": [
            *place_and_period,
            *(g.node(f"{base}/catalog.jsonld#dimension-{quote(d, safe='')}", "qb:DimensionProperty",
                     lambda: {"rdfs:label": _both({lang: m.dimension_name(d, lang) for lang in LANGS})})
              for d in row["breakdowns"])],
        "dcat:distribution": [_distribution(g, base, iri, d, shared["dct:license"]) for d in linked_data.distributions(ind)],
    }
    if publisher is not None:
        doc["dct:publisher"] = agents[publisher]
    if sources:
        doc["dct:creator"] = list(agents.values())
    dates = linked_data.coverage_dates(m, ind)
    if dates is not None:
        doc["dct:temporal"] = {"@type": "dct:PeriodOfTime", "dcat:startDate": _date(dates[0]),
                               "dcat:endDate": _date(dates[1])}
    places = m.geos_of(ind)
    if places:
        doc["dct:spatial"] = [g.node(f"{base}/api/v1/geographies#{quote(p, safe='')}", "dct:Location",
                                     lambda: {"skos:prefLabel": _both({lang: m.geo_name(p, lang) for lang in LANGS}),
                                              "dct:identifier": p}) for p in places]
    if structure is not None:
        doc["dct:conformsTo"] = g.node(structure, "dct:Standard")
    if row["international"]:   # its international series, each with the document that states it
        doc["adms:identifier"] = [
            {"@type": "adms:Identifier", "skos:notation": x["code"], "adms:schemaAgency": x["scheme"],
             "dct:source": g.node(x["source_url"], "foaf:Document", lambda x=x: {"dct:title": x["source_title"]})}
            for x in row["international"]]
    return doc


def _distribution(g: _Graph, base: str, dataset: str, d: linked_data.Distribution, licence) -> dict:
    url = d.url(base)
    doc = {
        "@id": f"{dataset}#{d.format.lower()}" + ("-stat" if d.conforms_to else ""), "@type": "dcat:Distribution",
        "dct:title": "JSON-stat" if d.conforms_to else d.format,
        "dcat:accessURL": g.node(url, "rdfs:Resource"),
        "dcat:downloadURL": _ref(url),
        "dcat:mediaType": g.node(d.media_type_iri, "dct:MediaType"),
        "dct:format": g.node(d.format_iri, "dct:MediaTypeOrExtent"),
        "dct:license": licence,
    }
    if d.conforms_to:
        doc["dct:conformsTo"] = g.node(d.conforms_to, "dct:Standard")
    return doc


KEPT = 4   # documents kept in memory: the live build's, a reviewer's embargoed one, under one or two bases
_kept: dict[tuple[str, str], bytes] = {}
_lock = threading.Lock()


def catalogue_bytes(m, base: str) -> bytes:
    """The document's bytes, made once per build and base (a thousand indicators take a few
    hundred milliseconds to describe; the answer is the same for every request on that build)."""
    key = (m.version, base)
    found = _kept.get(key)
    if found is None:
        found = dumps(catalogue(m, base))
        with _lock:
            while len(_kept) >= KEPT:
                _kept.pop(next(iter(_kept)))
            _kept[key] = found
    return found
