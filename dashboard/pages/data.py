"""The Data page (/data): every download, the CSV encodings for Excel, the Labels choice, and
the exact download and API addresses for a chosen view ("Developer API", as in the OECD
data explorer).

The page is a plain GET form: choosing an indicator, geography, periods, breakdown, labels
and encoding and pressing the button reloads /data with those parameters, so the page state
is in the URL (a permalink) and it works without JavaScript. Invalid parameters are replaced
by defaults with a notice in the page's language. The addresses themselves are served by
the `api` package (api/routes.py), which this page only describes.
"""
from __future__ import annotations

import functools
from urllib.parse import urlencode

import dash
import flask
from dash import dcc, html

from api.meta import meta as api_meta
from api.params import ParamError, period_bounds

from .. import data
from ..i18n import norm_lang, t
from ..layout import current_lang, error_page, shell

S = {  # this page's strings: (Arabic, English)
    "page": ("البيانات", "Data"),
    "title": ("البيانات المفتوحة", "Open data"),
    "lead": ("كل رقم في هذا الموقع متاح للتنزيل مع تعريفه ووحدته ومصدره، بصيغة CSV أو Excel أو Parquet، "
             "وعبر واجهة برمجية للقراءة فقط. الترخيص: {licence}؛ اذكر المصدر عند إعادة الاستخدام.",
             "Every figure on this site can be downloaded with its definition, unit and source, as CSV, Excel or "
             "Parquet, and read through a read-only API. Licence: {licence}; cite the source when you reuse it."),
    "whole": ("مجموعة البيانات كاملة", "The whole dataset"),
    "whole_note": ("{n} رقمًا منشورًا، إصدار قاعدة البيانات {build}.", "{n} published figures, database build {build}."),
    "file": ("الملف", "File"), "what": ("ما فيه", "What it holds"), "address": ("العنوان", "Address"),
    "csv_excel": ("CSV لبرنامج Excel (UTF-8 مع BOM)", "CSV for Excel (UTF-8 with BOM)"),
    "csv_excel_what": ("كل الأرقام، بالرموز والأسماء العربية", "Every figure, with codes and names"),
    "csv_plain": ("CSV للبرامج (UTF-8 بلا BOM، رموز فقط)", "CSV for programs (plain UTF-8, codes only)"),
    "csv_plain_what": ("الأعمدة كما في قاعدة البيانات", "The columns as in the database"),
    "xlsx_ar": ("Excel بالعربية", "Excel in Arabic"), "xlsx_en": ("Excel بالإنجليزية", "Excel in English"),
    "xlsx_what": ("ورقة لكل موضوع (من اليمين إلى اليسار بالعربية)، رؤوس مثبتة، تنسيق الأرقام، ورقتا المؤشرات والمصادر",
                  "A sheet per topic (right to left in Arabic), frozen headers, number formats, indicators and "
                  "sources sheets"),
    "parquet": ("Parquet", "Parquet"),
    "parquet_what": ("الرموز والأسماء باللغتين، لأدوات التحليل (pandas، R، DuckDB)",
                     "Codes and names in both languages, for analysis tools (pandas, R, DuckDB)"),
    "package": ("حزمة بيانات Frictionless", "Frictionless Data Package"),
    "package_what": ("datapackage.json: مخطط لكل جدول، المصادر، الترخيص؛ والجداول كلها في ملف ZIP",
                     "datapackage.json: a table schema for every resource, the sources, the licence; all of it as ZIP"),
    "one": ("مؤشر واحد", "One indicator"),
    "one_intro": ("اختر مؤشرًا وما تريد منه، ثم اضغط «اعرض العناوين». «السلسلة الكاملة» تعني كل الأرقام المنشورة للمؤشر: "
                  "كل النطاقات والفترات والمجاميع والتصنيفات. أي اختيار آخر يعطي «العرض الحالي» فقط، كما يظهر في الرسم.",
                  "Choose an indicator and what you want of it, then press “Show the addresses”. “Full series” means "
                  "every published figure of the indicator: every geography, period, total and breakdown. Any other "
                  "choice gives only that view, as the chart shows it."),
    "indicator": ("المؤشر", "Indicator"), "geo": ("النطاق الجغرافي", "Geography"),
    "all_geos": ("كل النطاقات", "Every geography"), "from": ("من الفترة", "From period"),
    "to": ("إلى الفترة", "To period"), "any": ("بلا حد", "No limit"),
    "breakdown": ("التصنيف", "Breakdown"), "full": ("السلسلة الكاملة", "Full series"),
    "total": ("المجموع فقط", "Totals only"), "all": ("المجموع وكل التصنيفات", "Totals and every breakdown"),
    "by": ("حسب {dim}", "By {dim}"),
    "labels": ("التسميات", "Labels"), "labels_both": ("الرموز والأسماء", "Codes and names"),
    "labels_names": ("الأسماء", "Names"), "labels_codes": ("الرموز", "Codes"),
    "encoding": ("ترميز CSV", "CSV encoding"), "bom_yes": ("UTF-8 مع BOM (لبرنامج Excel)", "UTF-8 with BOM (for Excel)"),
    "bom_no": ("UTF-8 بلا BOM (للبرامج الأخرى)", "Plain UTF-8 (for other programs)"),
    "show": ("اعرض العناوين", "Show the addresses"),
    "downloads": ("التنزيلات لهذا الاختيار", "Downloads for this choice"),
    "dl_csv": ("CSV", "CSV"), "dl_xlsx": ("Excel", "Excel"), "dl_json": ("البيانات الوصفية (JSON)", "Metadata (JSON)"),
    "dl_zip": ("حزمة ZIP (CSV + البيانات الوصفية + اقرأني)", "ZIP (CSV + metadata + README)"),
    "api": ("واجهة المطوّرين (API)", "Developer API"),
    "api_note": ("العنوان نفسه يعطي الأرقام بصيغة JSON إذا حُذف format=csv. الوثيقة الكاملة بصيغة OpenAPI:",
                 "The same address gives JSON without format=csv. The full OpenAPI document:"),
    "curl": ("مثال بسطر الأوامر", "Command-line example"),
    "encodings": ("ملفات CSV والعربية في Excel", "CSV files, Arabic and Excel"),
    "enc_1": ("يفتح Excel ملف CSV مزدوجًا بالنقر على أنه بترميز النظام المحلي، فتظهر الحروف العربية رموزًا غير مفهومة "
              "ما لم يبدأ الملف بعلامة ترتيب البايت (BOM). لذلك تبدأ ملفات CSV هنا بعلامة BOM افتراضيًا.",
              "Excel opens a double-clicked CSV in the computer's local encoding, so Arabic turns into gibberish "
              "unless the file starts with a byte-order mark (BOM). So the CSV files here start with a BOM by default."),
    "enc_2": ("للبرامج الأخرى (Python وR وقواعد البيانات) اختر «UTF-8 بلا BOM» أو أضف bom=false إلى العنوان؛ "
              "معظمها يقرأ الملفين، لكن بعضها يضم علامة BOM إلى اسم العمود الأول.",
              "For other programs (Python, R, databases) choose plain UTF-8, or add bom=false to the address; most "
              "read both, but some glue the BOM onto the first column's name."),
    "enc_3": ("إن فتح Excel الملف بحروف مشوهة: البيانات ← من نص/CSV ← أصل الملف: 65001: Unicode (UTF-8).",
              "If Excel still shows gibberish: Data → From Text/CSV → File origin: 65001: Unicode (UTF-8)."),
    "labels_h": ("التسميات: الأسماء أو الرموز أو كلاهما", "Labels: names, codes or both"),
    "labels_1": ("«الأسماء» تضع أسماء المؤشرات والنطاقات والتصنيفات بلغة الصفحة مكان الرموز، ورؤوس الأعمدة بلغة الصفحة "
                 "أيضًا. «الرموز» تترك الأعمدة كما في قاعدة البيانات (om_ss_cases، OM-BJ، female). «الرموز والأسماء» "
                 "تضيف بعد كل عمود مرمّز عمودًا باسمه.",
                 "“Names” puts the names of indicators, places and breakdown members in the page's language in place "
                 "of the codes, with headers in that language. “Codes” keeps the columns as in the database "
                 "(om_ss_cases, OM-BJ, female). “Codes and names” adds, after each coded column, a column with its name."),
    "rules": ("قواعد البيانات", "Rules of the data"),
    "rules_1": ("كل رقم نشرته جهة مسمّاة، ومصدره في عمود المصدر. لا يُقدَّر أي رقم ولا يُملأ أي نقص. عمود "
                "«القيمة كما نُشرت» يحفظ الرقم كما كُتب في المصدر.",
                "Every figure was published by a named source, given in the Source column. Nothing is estimated or "
                "filled. The “value as published” column keeps the figure as the source wrote it."),
    "rules_2": ("الأعمدة الفارغة في أعمدة التصنيف تعني المجموع. الصفة more_than تعني أن المصدر قال «أكثر من».",
                "An empty breakdown column means the total. The qualifier more_than means the source said “more than”."),
    "endpoints": ("عناوين الواجهة البرمجية", "API addresses"),
    "bad_indicator": ("المؤشر «{v}» غير معروف؛ عُرض مؤشر آخر.", "Unknown indicator “{v}”; another one is shown."),
    "bad_geo": ("النطاق «{v}» غير معروف لهذا المؤشر؛ حُذف.", "Geography “{v}” is not known for this indicator; left out."),
    "bad_period": ("الفترة «{v}» غير مفهومة (مثال: 2021 أو 2025-H1 أو 2025-06)؛ حُذفت.",
                   "Period “{v}” is not understood (e.g. 2021, 2025-H1, 2025-06); left out."),
    "bad_order": ("بداية الفترة بعد نهايتها؛ حُذفتا.", "The first period is after the last; both left out."),
    "bad_breakdown": ("لا يُنشر هذا المؤشر حسب «{v}»؛ عُرض المجموع.",
                      "This indicator is not published by “{v}”; totals are shown."),
    "rows": ("عدد الأرقام في هذا الاختيار: {n}", "Figures in this choice: {n}"),
}


def s(key: str, lang: str, **fields) -> str:
    text = S[key][0 if lang == "ar" else 1]
    return text.format(**fields) if fields else text


def _title(**_):
    lang = current_lang()
    return f"{s('title', lang)} · {t('site_title', lang)}"


dash.register_page(__name__, path="/data", order=4, name="Data", name_ar=S["page"][0], name_en=S["page"][1],
                   title=_title, description="Downloads (CSV, Excel, Parquet, data package) "
                   "and the read-only API of the social protection statistics.")


def _host() -> str:
    try:
        return flask.request.host_url.rstrip("/")
    except RuntimeError:
        return ""


def _first(value):
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value if isinstance(value, str) else None


def choice(query: dict, lang: str) -> tuple[dict, list[str]]:
    """The form's values from the URL, each checked; invalid ones replaced with a notice."""
    m = api_meta()
    notes = []
    ind = _first(query.get("indicator"))
    if ind is not None and ind not in m.indicators.index:
        notes.append(s("bad_indicator", lang, v=ind[:60]))
        ind = None
    if ind is None:
        headline = m.indicators[m.indicators["headline"]].index
        ind = "om_nursery_children" if "om_nursery_children" in m.indicators.index else (
            headline[0] if len(headline) else m.indicators.index[0])
    geos_ok = list(m.coverage.at[ind, "geos"]) if ind in m.coverage.index else []
    geo = _first(query.get("geo")) or ""
    if geo and geo not in geos_ok:
        notes.append(s("bad_geo", lang, v=geo[:30]))
        geo = ""
    bounds = {}
    for key in ("from", "to"):
        value = _first(query.get(key)) or ""
        if value:
            try:
                bounds[key] = period_bounds(value, key)
            except ParamError:
                notes.append(s("bad_period", lang, v=value[:30]))
                value = ""
        query_value = value
        bounds[key + "_label"] = query_value
    frm, to = bounds["from_label"], bounds["to_label"]
    if frm and to and bounds["from"][0] > bounds["to"][1]:
        notes.append(s("bad_order", lang))
        frm = to = ""
    dims = [str(d) for d in m.indicators.at[ind, "breakdowns"]]
    breakdown = _first(query.get("breakdown")) or "full"
    if breakdown not in ("full", "total", "all", *dims):
        notes.append(s("bad_breakdown", lang, v=breakdown[:30]))
        breakdown = "total"
    labels = _first(query.get("labels"))
    labels = labels if labels in ("both", "names", "codes") else "both"
    bom = _first(query.get("bom")) != "false"
    return {"indicator": ind, "geo": geo, "from": frm, "to": to, "breakdown": breakdown, "labels": labels,
            "bom": bom, "dims": dims, "geos": geos_ok}, notes


def addresses(c: dict, lang: str, host: str = "") -> dict[str, str]:
    """The download and API addresses of a choice (the contract of api/routes.py)."""
    view = {}
    if c["geo"]:
        view["geo"] = c["geo"]
    if c["from"]:
        view["from"] = c["from"]
    if c["to"]:
        view["to"] = c["to"]
    if c["breakdown"] != "full":
        view["breakdown"] = c["breakdown"]
    elif view:  # a geography or period was chosen: keep every breakdown, as "full" promises
        view["breakdown"] = "all"
    fmt = {"lang": lang, "labels": c["labels"]}
    bom = {} if c["bom"] else {"bom": "false"}
    ind = c["indicator"]
    q = lambda *parts: urlencode({k: v for p in parts for k, v in p.items()}, safe=",")  # noqa: E731
    api = {"indicator": ind, **view, "format": "csv"}
    if c["labels"] != "codes":
        api.update(labels=c["labels"], lang=lang)
    return {
        "csv": f"{host}/data/{ind}.csv?{q(view, fmt, bom)}",
        "xlsx": f"{host}/data/{ind}.xlsx?{q(view, fmt)}",
        "json": f"{host}/data/{ind}.json" + (f"?{q(view)}" if view else ""),
        "zip": f"{host}/data/{ind}.zip?{q(view, fmt, bom)}",
        "api": f"{host}/api/v1/observations?{q(api)}",
    }


def _copy_box(label: str, ident: str, value: str, lang: str):
    """A read-only field with a copy button, and the address as text (shown before scripts run)."""
    return html.Div(className="copy-box", children=[
        html.Label(label, htmlFor=ident),
        html.Div(className="copy-row", children=[
            dcc.Input(id=ident, value=value, readOnly=True, className="copy-field", type="text"),
            html.Button(t("copy", lang), type="button", className="button copy-button",
                        **{"data-copy-target": ident, "aria-label": f"{t('copy', lang)}: {label}"})]),
        html.Code(value, id=f"{ident}-text", className="ident address", dir="ltr"),
    ])


def _select(ident: str, label: str, options: list[tuple[str, str]], value: str, name: str):
    return html.Div(className="field", children=[
        html.Label(label, htmlFor=ident),
        html.Select(id=ident, name=name, children=[html.Option(text, value=v, selected=(v == value))
                                                   for v, text in options]),
    ])


@functools.lru_cache(maxsize=8)
def _periods(build_id: str) -> list[str]:
    frame = data.db().query("SELECT period, min(period_start) AS s FROM observations GROUP BY period ORDER BY s, period")
    return [str(p) for p in frame["period"]]


def _whole(lang: str, host: str):
    m = api_meta()
    rows = [
        ("csv_excel", "csv_excel_what", f"/data/all.csv?lang={lang}"),
        ("csv_plain", "csv_plain_what", "/data/all.csv?labels=codes&bom=false"),
        ("xlsx_ar", "xlsx_what", "/data/all.xlsx?lang=ar"),
        ("xlsx_en", "xlsx_what", "/data/all.xlsx?lang=en"),
        ("parquet", "parquet_what", "/data/all.parquet"),
        ("package", "package_what", "/data/datapackage.json"),
    ]
    body = [html.Tr([html.Th(html.A(s(k, lang), href=url, download=""), scope="row"), html.Td(s(w, lang)),
                     html.Td(html.Code(host + url, className="ident", dir="ltr"))]) for k, w, url in rows]
    body[-1].children[1].children = [s("package_what", lang), " · ", html.A("ZIP", href="/data/datapackage.zip")]
    return html.Section(id="data-whole", children=[
        html.H2(s("whole", lang)),
        html.P(s("whole_note", lang, n=f"{m.observation_count:,}", build=m.build_id)),
        html.Div(className="table-wrap", tabIndex="0", role="region", **{"aria-label": s("whole", lang)}, children=
                 html.Table(className="data-table", id="data-downloads", children=[
                     html.Thead(html.Tr([html.Th(s(k, lang), scope="col") for k in ("file", "what", "address")])),
                     html.Tbody(body)])),
    ])


def _form(c: dict, lang: str):
    m = api_meta()
    options = []
    for topic in m.topics.index:
        ids = m.indicators.index[m.indicators["topic"] == topic]
        options += [(i, f"{m.topics.at[topic, f'name_{lang}']} — {m.indicators.at[i, f'name_{lang}']}") for i in ids]
    geos = [("", s("all_geos", lang))] + [(g, f"{m.geographies.at[g, f'name_{lang}']} ({g})") for g in c["geos"]]
    periods = [("", s("any", lang))] + [(p, p) for p in _periods(m.build_id)]
    breakdowns = [("full", s("full", lang)), ("total", s("total", lang))]
    breakdowns += [(d, s("by", lang, dim=m.dimension_names[d][lang])) for d in c["dims"]]
    if c["dims"]:
        breakdowns.append(("all", s("all", lang)))
    return html.Form(id="data-form", method="get", action="/data", className="data-form", children=[
        dcc.Input(type="hidden", name="lang", value=lang, id="data-lang"),
        _select("data-indicator", s("indicator", lang), options, c["indicator"], "indicator"),
        _select("data-geo", s("geo", lang), geos, c["geo"], "geo"),
        _select("data-from", s("from", lang), periods, c["from"], "from"),
        _select("data-to", s("to", lang), periods, c["to"], "to"),
        _select("data-breakdown", s("breakdown", lang), breakdowns, c["breakdown"], "breakdown"),
        _select("data-labels", s("labels", lang), [(v, s(f"labels_{v}", lang)) for v in ("both", "names", "codes")],
                c["labels"], "labels"),
        _select("data-bom", s("encoding", lang), [("true", s("bom_yes", lang)), ("false", s("bom_no", lang))],
                "true" if c["bom"] else "false", "bom"),
        html.Button(s("show", lang), type="submit", className="button"),
    ])


def _results(c: dict, lang: str, host: str):
    urls = addresses(c, lang)
    full = addresses(c, lang, host)
    items = [html.Li(html.A(s(f"dl_{k}", lang), href=urls[k], download="")) for k in ("csv", "xlsx", "json", "zip")]
    return html.Section(id="data-view", children=[
        html.H3(s("downloads", lang)),
        html.Ul(items, className="download-list"),
        _copy_box(f"{s('address', lang)} (CSV)", "data-csv-url", full["csv"], lang),
        html.H3(s("api", lang), id="data-api"),
        _copy_box(s("api", lang), "data-api-url", full["api"], lang),
        html.P([s("api_note", lang), " ", html.A("/api/v1/openapi.json", href="/api/v1/openapi.json")]),
        html.Details([html.Summary(s("curl", lang)),
                      html.Pre(html.Code(f'curl -sS --compressed "{full["api"]}"', dir="ltr"))]),
    ])


def _explain(lang: str):
    endpoints = ["/api/v1/indicators", "/api/v1/indicators/om_nursery_children",
                 "/api/v1/observations?indicator=om_nursery_children&breakdown=sex",
                 "/api/v1/geographies", "/api/v1/sources", "/api/v1/openapi.json"]
    return [
        html.Section(id="data-encodings", children=[
            html.H2(s("encodings", lang)),
            html.P(s("enc_1", lang)), html.P(s("enc_2", lang)), html.P(s("enc_3", lang))]),
        html.Section(id="data-labels", children=[html.H2(s("labels_h", lang)), html.P(s("labels_1", lang))]),
        html.Section(id="data-rules", children=[
            html.H2(s("rules", lang)), html.P(s("rules_1", lang)), html.P(s("rules_2", lang))]),
        html.Section(id="data-endpoints", children=[
            html.H2(s("endpoints", lang)),
            html.Ul([html.Li(html.A(html.Code(e, dir="ltr"), href=e)) for e in endpoints])]),
    ]


def layout(lang: str | None = None, **query):
    lang = norm_lang(lang if isinstance(lang, str) else None)
    try:
        m = api_meta()
        c, notes = choice(query, lang)
    except FileNotFoundError:
        return error_page(lang, "/data", "db_missing")
    host = _host()
    keep = {k: v for k, v in (("indicator", c["indicator"]), ("geo", c["geo"]), ("from", c["from"]),
                              ("to", c["to"]), ("breakdown", c["breakdown"]), ("labels", c["labels"]))}
    content = [
        html.Div(className="page-head", children=[
            html.H1(s("title", lang)),
            html.P(s("lead", lang, licence=m.licence.get("id", "")), className="lead")]),
        html.Div(className="notice", role="status", children=[html.P(n) for n in notes]) if notes else None,
        _whole(lang, host),
        html.Section(id="data-one", children=[
            html.H2(s("one", lang)), html.P(s("one_intro", lang)), _form(c, lang), _results(c, lang, host)]),
        *_explain(lang),
    ]
    return shell(lang, "/data", content, switch_params=keep)
