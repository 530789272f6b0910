"""The SDMX structures of the dataset, from the catalogue of the build (`m`), and the
SDMX-ML 2.1 structure messages that carry them.

The data structure (DSD_<dataflow>) has, in key order:

  INDICATOR     the catalogue's indicator ids (CL_INDICATOR)
  REF_AREA      the places, ISO 3166-1/3166-2 codes as the database has them (CL_AREA)
  <BREAKDOWN>   one per breakdown of the catalogue (m.dimension_columns, upper case), its
                members plus `_T`, SDMX's code for a total (CL_<BREAKDOWN>)
  TIME_PERIOD   the period (SDMX time formats: 2021, 2021-S1, 2021-Q3, 2021-06, and a running
                total such as 2025-01/2025-05 as 2025-01-01/P5M)

the measure OBS_VALUE, and attributes of each observation: FREQ (CL_FREQ, from the period's
kind: A a year, S a half-year, Q a quarter, M a month; none for a running total such as
2025-01/2025-05, which no regular frequency describes), UNIT_MEASURE (CL_UNIT), UNIT_MULT
(always 0: figures are stored as the sources wrote them, never in thousands), OBS_STATUS,
CONF_STATUS, SOURCE (the source id, CL_SOURCE), REVISED_IN (the release that revised the
figure), PREVIOUS_VALUE (its value before that release) and REVISION_KIND (why that release
revised it, when it said: CL_REVISION_KIND, Eurostat's routine, correction, major; the reason's
words are in the downloads and the API, in both languages). Every name is in Arabic and
English (`xml:lang` ar, en), from the database. An indicator that is an international series
(the catalogue's `international:`, never without the document that states it) has an annotation
on its code in CL_INDICATOR: type SDG_INDICATOR (or ILO_INDICATOR), title the series' code
(1.3.1), URL and text the document.

Our statuses (contract.schema.STATUSES) as SDMX codes, only where SDMX has the same meaning
(cross-domain code lists CL_OBS_STATUS 2.2 and CL_CONF_STATUS 1.3):

  (no status)      OBS_STATUS A  normal value
  provisional      OBS_STATUS P  provisional value
  estimated        OBS_STATUS E  estimated value
  break            OBS_STATUS B  time series break
  not_available    OBS_STATUS O  missing value (the source publishes no figure)
  not_applicable   OBS_STATUS M  missing value; data cannot exist
  confidential     CONF_STATUS C confidential statistical information (OBS_STATUS left
                   empty: SDMX has no observation status for it); every other figure is
                   CONF_STATUS F, free for publication.

A revision is not a status here (SDMX's R would hide "provisional" on a revised figure):
REVISED_IN and PREVIOUS_VALUE say it.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from contract import periods
from contract.schema import REVISION_KINDS
from store.texts import t
from store.view import ParamError

from ..shape import header

TOTAL = "_T"
MEASURE = "OBS_VALUE"
TIME = "TIME_PERIOD"

# status -> (OBS_STATUS, CONF_STATUS); the table of the docstring.
STATUS_CODES = {
    None: ("A", "F"), "provisional": ("P", "F"), "estimated": ("E", "F"), "break": ("B", "F"),
    "not_available": ("O", "F"), "not_applicable": ("M", "F"), "confidential": (None, "C"),
}
# The SDMX codes' own names where no status of ours names them (A, F); the rest are store.texts'.
_NAMES = {"A": {"ar": "قيمة عادية", "en": "Normal value"},
          "F": {"ar": "متاح للنشر", "en": "Free for publication"}}

# contract.periods.frequency -> SDMX CL_FREQ (the cross-domain code list's codes and names).
FREQ_CODES = {"Y": "A", "H": "S", "Q": "Q", "M": "M"}
_FREQ_NAMES = {"A": {"ar": "سنوي", "en": "Annual"}, "S": {"ar": "نصف سنوي", "en": "Half-yearly, semester"},
               "Q": {"ar": "ربع سنوي", "en": "Quarterly"}, "M": {"ar": "شهري", "en": "Monthly"}}

NS = {"mes": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
      "str": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
      "com": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

# Attributes: id -> (concept names, codelist suffix or None for free text).
ATTRIBUTES = {
    "FREQ": ({"ar": "التواتر", "en": "Frequency"}, "FREQ"),
    "UNIT_MEASURE": ({"ar": "وحدة القياس", "en": "Unit of measure"}, "UNIT"),
    "UNIT_MULT": ({"ar": "مضاعف الوحدة", "en": "Unit multiplier"}, None),
    "OBS_STATUS": ({"ar": "حالة المشاهدة", "en": "Observation status"}, "OBS_STATUS"),
    "CONF_STATUS": ({"ar": "حالة السرية", "en": "Confidentiality status"}, "CONF_STATUS"),
    "SOURCE": ({"ar": "المصدر", "en": "Source"}, "SOURCE"),
    "REVISED_IN": ({"ar": "نُقّح في الإصدار", "en": "Revised in release"}, None),
    "PREVIOUS_VALUE": ({"ar": "القيمة السابقة", "en": "Previous value"}, None),
    "REVISION_KIND": ({"ar": "نوع التعديل", "en": "Kind of revision"}, "REVISION_KIND"),
}


def _both(key: str) -> dict[str, str]:
    return {"ar": t(key, "ar"), "en": t(key, "en")}


def _column(m, column: str) -> dict[str, str]:
    """A column's heading in both languages, as the CSV of the same figures has it."""
    return {"ar": header(column, m, "ar"), "en": header(column, m, "en")}


def _pair(row: dict, prefix: str = "name_") -> dict[str, str]:
    return {"ar": row[f"{prefix}ar"], "en": row[f"{prefix}en"]}


@dataclass(frozen=True)
class Flow:
    """The dataflow of a build and the ids of its structures."""

    agency: str
    version: str
    id: str

    @property
    def dsd(self) -> str:
        return f"DSD_{self.id}"

    @property
    def concepts(self) -> str:
        return f"CS_{self.id}"

    @property
    def urn_ref(self) -> str:
        """The dataflow as SDMX-CSV's STRUCTURE_ID names it: AGENCY:ID(VERSION)."""
        return f"{self.agency}:{self.id}({self.version})"


def flow_of(m) -> Flow:
    """The build's dataflow; 404 when its catalogue publishes no SDMX (no `sdmx:` block)."""
    if not m.sdmx:
        raise ParamError(None, "this catalogue publishes no SDMX (its indicators.yaml has no `sdmx:` block with "
                               "agency, version and dataflow)", status=404, code="no_sdmx")
    return Flow(m.sdmx["agency"], m.sdmx["version"], m.sdmx["dataflow"])


def breakdown_ids(m) -> dict[str, str]:
    """Each breakdown column's SDMX dimension id: the column's name in upper case (catalogue
    ids are lowercase letters, digits and _, so valid SDMX ids), with _BREAKDOWN after it where
    that is the id of another component (a breakdown called `source` is SOURCE_BREAKDOWN)."""
    taken = {"INDICATOR", "REF_AREA", TIME, MEASURE, *ATTRIBUTES}
    return {d: f"{d.upper()}_BREAKDOWN" if d.upper() in taken else d.upper() for d in m.dimension_columns}


def dimension_ids(m) -> list[str]:
    """The key's dimensions in order (TIME_PERIOD, the observation dimension, is not in a key)."""
    return ["INDICATOR", "REF_AREA", *breakdown_ids(m).values()]


def codelists(m) -> dict[str, tuple[dict[str, str], dict[str, dict[str, str]]]]:
    """Every codelist: id -> (its names, {code: names}), in the catalogue's order."""
    lists = {
        "CL_INDICATOR": (_column(m, "indicator_id"), {i: _pair(ind) for i, ind in m.indicators.items()}),
        "CL_AREA": (_column(m, "geo_code"), {g: _pair(geo) for g, geo in m.geographies.items()}),
    }
    for column, dim_id in breakdown_ids(m).items():
        dim = m.dimensions[column]
        codes = {TOTAL: _both("total"), **{c: _pair(v, "label_") for c, v in dim["members"].items()}}
        lists[f"CL_{dim_id}"] = (_pair(dim), codes)
    lists["CL_FREQ"] = (ATTRIBUTES["FREQ"][0], _FREQ_NAMES)
    lists["CL_UNIT"] = (ATTRIBUTES["UNIT_MEASURE"][0], {u: _pair(unit) for u, unit in m.units.items()})
    obs, conf = {}, {}
    for status, (o, c) in STATUS_CODES.items():
        names = _NAMES.get(o) or _both(f"status_{status}")
        if o:
            obs[o] = names
        if c not in conf:
            conf[c] = _NAMES.get(c) or _both(f"status_{status}")
    lists["CL_OBS_STATUS"] = (ATTRIBUTES["OBS_STATUS"][0], obs)
    lists["CL_CONF_STATUS"] = (ATTRIBUTES["CONF_STATUS"][0], conf)
    lists["CL_SOURCE"] = (ATTRIBUTES["SOURCE"][0], {s: {la: m.source_name(s, la) for la in ("ar", "en")}
                                                     for s in m.sources})
    lists["CL_REVISION_KIND"] = (ATTRIBUTES["REVISION_KIND"][0], {k: _both(f"revision_kind_{k}") for k in REVISION_KINDS})
    return lists


def frequency(label: str) -> str | None:
    """A period label's SDMX frequency (CL_FREQ); None for a running total of months."""
    return FREQ_CODES.get(periods.frequency(label))


@dataclass(frozen=True)
class Annotation:
    """An SDMX annotation: the international series an indicator is (the catalogue's
    `international:`), type <SCHEME>_INDICATOR (SDG_INDICATOR), title the series' code, URL and
    text the document that states the mapping."""

    type: str
    title: str
    url: str
    text: dict[str, str]


def annotations(m) -> dict[str, list[Annotation]]:
    """CL_INDICATOR's codes -> the annotations of their international series (none for most)."""
    return {i: [Annotation(f"{x['scheme']}_INDICATOR", x["code"], x["source_url"],
                           {la: t("sdmx_mapping_source", la, title=x["source_title"]) for la in ("ar", "en")})
                for x in ind["international"]]
            for i, ind in m.indicators.items() if ind["international"]}


def concepts(m) -> dict[str, dict[str, str]]:
    """Every concept of the structure: id -> names."""
    out = {"INDICATOR": _column(m, "indicator_id"), "REF_AREA": _column(m, "geo_code")}
    for column, dim_id in breakdown_ids(m).items():
        out[dim_id] = _pair(m.dimensions[column])
    out[TIME] = _column(m, "period")
    out[MEASURE] = _column(m, "value")
    out.update({a: names for a, (names, _) in ATTRIBUTES.items()})
    return out


# ---------------------------------------------------------------- SDMX-ML 2.1 structure messages

def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _names(parent: ET.Element, names: dict[str, str]) -> None:
    for lang in ("ar", "en"):
        ET.SubElement(parent, _q("com", "Name"), {XML_LANG: lang}).text = names[lang]


def _maintainable(parent: ET.Element, tag: str, flow: Flow, ident: str, names: dict[str, str]) -> ET.Element:
    el = ET.SubElement(parent, _q("str", tag), {"id": ident, "agencyID": flow.agency, "version": flow.version,
                                                "isFinal": "false",
                                                "urn": f"urn:sdmx:org.sdmx.infomodel.{_PACKAGE[tag]}="
                                                       f"{flow.agency}:{ident}({flow.version})"})
    _names(el, names)
    return el


_PACKAGE = {"Dataflow": "datastructure.Dataflow", "DataStructure": "datastructure.DataStructure",
            "Codelist": "codelist.Codelist", "ConceptScheme": "conceptscheme.ConceptScheme"}


def _concept_identity(parent: ET.Element, flow: Flow, concept: str) -> None:
    ET.SubElement(ET.SubElement(parent, _q("str", "ConceptIdentity")), "Ref", {
        "id": concept, "maintainableParentID": flow.concepts, "maintainableParentVersion": flow.version,
        "agencyID": flow.agency, "package": "conceptscheme", "class": "Concept"})


def _enumeration(parent: ET.Element, flow: Flow, codelist: str) -> None:
    rep = ET.SubElement(parent, _q("str", "LocalRepresentation"))
    ET.SubElement(ET.SubElement(rep, _q("str", "Enumeration")), "Ref", {
        "id": codelist, "agencyID": flow.agency, "version": flow.version, "package": "codelist", "class": "Codelist"})


def _text_format(parent: ET.Element, text_type: str) -> None:
    ET.SubElement(ET.SubElement(parent, _q("str", "LocalRepresentation")), _q("str", "TextFormat"),
                  {"textType": text_type})


def _dataflow(parent: ET.Element, m, flow: Flow) -> None:
    el = _maintainable(parent, "Dataflow", flow, flow.id, _both("site_title"))
    ET.SubElement(ET.SubElement(el, _q("str", "Structure")), "Ref", {
        "id": flow.dsd, "agencyID": flow.agency, "version": flow.version, "package": "datastructure",
        "class": "DataStructure"})


def _datastructure(parent: ET.Element, m, flow: Flow) -> None:
    el = _maintainable(parent, "DataStructure", flow, flow.dsd, _both("site_title"))
    components = ET.SubElement(el, _q("str", "DataStructureComponents"))
    dims = ET.SubElement(components, _q("str", "DimensionList"), {"id": "DimensionDescriptor"})
    lists = {"INDICATOR": "CL_INDICATOR", "REF_AREA": "CL_AREA",
             **{d: f"CL_{d}" for d in breakdown_ids(m).values()}}
    for position, dim_id in enumerate(dimension_ids(m), start=1):
        d = ET.SubElement(dims, _q("str", "Dimension"), {"id": dim_id, "position": str(position)})
        _concept_identity(d, flow, dim_id)
        _enumeration(d, flow, lists[dim_id])
    time = ET.SubElement(dims, _q("str", "TimeDimension"), {"id": TIME, "position": str(len(lists) + 1)})
    _concept_identity(time, flow, TIME)
    _text_format(time, "ObservationalTimePeriod")
    attrs = ET.SubElement(components, _q("str", "AttributeList"), {"id": "AttributeDescriptor"})
    for attr_id, (_, codelist) in ATTRIBUTES.items():
        mandatory = attr_id in ("UNIT_MEASURE", "UNIT_MULT", "CONF_STATUS", "SOURCE")
        a = ET.SubElement(attrs, _q("str", "Attribute"), {"id": attr_id,
                                                          "assignmentStatus": "Mandatory" if mandatory else "Conditional"})
        _concept_identity(a, flow, attr_id)
        if codelist:
            _enumeration(a, flow, f"CL_{codelist}")
        else:
            _text_format(a, {"UNIT_MULT": "Integer", "PREVIOUS_VALUE": "Double"}.get(attr_id, "String"))
        ET.SubElement(ET.SubElement(a, _q("str", "AttributeRelationship")), _q("str", "PrimaryMeasure")).append(
            ET.Element("Ref", {"id": MEASURE}))
    measures = ET.SubElement(components, _q("str", "MeasureList"), {"id": "MeasureDescriptor"})
    pm = ET.SubElement(measures, _q("str", "PrimaryMeasure"), {"id": MEASURE})
    _concept_identity(pm, flow, MEASURE)


def _annotations(parent: ET.Element, found: list[Annotation]) -> None:
    """An item's com:Annotations (first among its children, as the schema orders them)."""
    box = ET.SubElement(parent, _q("com", "Annotations"))
    for a in found:
        el = ET.SubElement(box, _q("com", "Annotation"))
        ET.SubElement(el, _q("com", "AnnotationTitle")).text = a.title
        ET.SubElement(el, _q("com", "AnnotationType")).text = a.type
        ET.SubElement(el, _q("com", "AnnotationURL")).text = a.url
        for lang in ("ar", "en"):
            ET.SubElement(el, _q("com", "AnnotationText"), {XML_LANG: lang}).text = a.text[lang]


def _codelists(parent: ET.Element, m, flow: Flow, only: set[str] | None = None) -> None:
    annotated = {"CL_INDICATOR": annotations(m)}
    for cl_id, (names, codes) in codelists(m).items():
        if only is not None and cl_id not in only:
            continue
        el = _maintainable(parent, "Codelist", flow, cl_id, names)
        for code, code_names in codes.items():
            item = ET.SubElement(el, _q("str", "Code"), {"id": code})
            found = annotated.get(cl_id, {}).get(code)
            if found:
                _annotations(item, found)
            _names(item, code_names)


def _concept_scheme(parent: ET.Element, m, flow: Flow) -> None:
    el = _maintainable(parent, "ConceptScheme", flow, flow.concepts, _both("site_title"))
    for concept, names in concepts(m).items():
        _names(ET.SubElement(el, _q("str", "Concept"), {"id": concept}), names)


def message(m, flow: Flow, parts: tuple[str, ...], prepared: str, only_codelists: set[str] | None = None) -> bytes:
    """An SDMX-ML 2.1 structure message with `parts` (dataflow, datastructure, codelist,
    conceptscheme), in the schema's order. only_codelists: these codelists, not every one."""
    root = ET.Element(_q("mes", "Structure"))
    header = ET.SubElement(root, _q("mes", "Header"))
    ET.SubElement(header, _q("mes", "ID")).text = f"{flow.id}_{m.build_id}"
    ET.SubElement(header, _q("mes", "Test")).text = "false"
    ET.SubElement(header, _q("mes", "Prepared")).text = prepared
    ET.SubElement(header, _q("mes", "Sender"), {"id": flow.agency})
    structures = ET.SubElement(root, _q("mes", "Structures"))
    writers = (("dataflow", "Dataflows", _dataflow), ("codelist", "Codelists", None),
               ("conceptscheme", "Concepts", _concept_scheme), ("datastructure", "DataStructures", _datastructure))
    for part, container, write in writers:
        if part not in parts:
            continue
        box = ET.SubElement(structures, _q("str", container))
        if write is None:
            _codelists(box, m, flow, only_codelists)
        else:
            write(box, m, flow)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
