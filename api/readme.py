"""A download in words: what it holds (view_text, at the head of a workbook and in the README)
and the README of an indicator's ZIP, in Arabic and in English. The words are store.texts'."""
from __future__ import annotations

from store.texts import other_lang, separator, t

from .documents import edition


def view_text(m, rows, indicator: str, lang: str, full: str) -> str:
    """What a download of `indicator` holds: `full` (the words for the full series) or the
    view (places, periods, breakdowns), then the indicators `with` added."""
    sep = separator(lang)
    parts = []
    if rows.full:
        parts.append(full)
    else:
        geos = sep.join(m.geo_name(g, lang) for g in rows.geos) if rows.geos else t("file_every_geo", lang)
        parts.append(f"{t('file_geo', lang)}: {geos}")
        if rows.first:
            parts.append(f"{t('file_from', lang)} {rows.first}")
        if rows.last:
            parts.append(f"{t('file_to', lang)} {rows.last}")
        breakdowns = [t(f"file_{b}", lang) if b in ("total", "all") else m.dimension_name(b, lang)
                      for b in rows.breakdowns]
        parts.append(f"{t('file_breakdown', lang)}: {sep.join(breakdowns)}")
    added = [m.indicators[i][f"name_{lang}"] for i in rows.indicators if i != indicator]
    if added:
        parts.append(f"{t('file_with', lang)} {sep.join(added)}")
    return " · ".join(parts)


def readme(m, indicator: str, rows, doc: dict, labels: str, lang: str, bom: bool) -> str:
    """The README of /data/<indicator>.zip: `lang` first, then the other language. `doc` is
    the download's metadata (documents.download_detail), which the ZIP also holds."""
    return "\n---\n\n".join(_section(m, indicator, rows, doc, labels, lg, bom) for lg in (lang, other_lang(lang)))


def _section(m, indicator: str, rows, doc: dict, labels: str, lang: str, bom: bool) -> str:
    lines = [f"# {doc['name'][lang]}", "", doc["definition"][lang], "",
             f"- {t('readme_unit', lang)}: {_unit(doc, lang)}",
             f"- {t('file_view', lang)}: {view_text(m, rows, indicator, lang, t('readme_full', lang))}",
             f"- {t('readme_count', lang)}: {doc['view']['observations']}",
             f"- {indicator}.csv: {t('readme_csv_bom' if bom else 'readme_csv', lang, labels=labels)}",
             f"- {indicator}.json: {t('readme_json', lang)}", ""]
    for added in doc.get("with", []):
        lines += [f"## {added['name'][lang]}", "", added["definition"][lang], "",
                  f"- {t('readme_unit', lang)}: {_unit(added, lang)}", ""]
    lines += [f"## {t('sources', lang)}"]
    lines += [f"- {s['publisher'][lang]}: {s['title'][lang]} ({s['published'] or t('not_stated', lang)})"
              for s in doc["sources"]]
    lines += ["", f"## {t('readme_licence', lang)}", f"{m.licence['name']} ({m.licence['id']}).", doc["cite"][lang], "",
              t("readme_footer", lang, build=edition(m, lang)), ""]
    return "\n".join(lines)


def _unit(doc: dict, lang: str) -> str:
    return doc["unit"]["name"][lang] if doc["unit"]["name"] else doc["unit"]["id"]
