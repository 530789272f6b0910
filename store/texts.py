"""Interface texts in Arabic (first) and English, and the one language policy.

`t(key, lang)` returns an interface string; every name, unit and definition of the data
comes from the catalogue instead. Every text the dashboard, the downloads, the API and the
published chart images write is here, so a translation is reviewed in one table.

The language of a request is read in one place (spi/app.py for HTTP requests, the page
wrapper in dashboard/app.py for in-app navigation) through `lang_of`: no value is Arabic,
`ar` and `en` are themselves, anything else is refused (a 400 for pages and API alike).

Arabic reads in order: a left-to-right run inside Arabic text (an ISO date such as 2026-11-24,
a time, a release id, an indicator code, an address, an English sentence) is wrapped in a
Unicode isolate, LRI … PDI (what HTML's <bdi dir="ltr"> does), where the text is made: `t()`
isolates every such field it fills in, and store/formats.py every date, time and zone it
writes. Without it the bidirectional algorithm turns the digits after an Arabic letter into
Arabic numbers and the hyphens between them right-to-left, and 2026-11-24 reads 24-11-2026.
"""
from __future__ import annotations

import math
import re
import string

from contract.language import FSI, LRI, PDI, RLI  # the bidi controls (see there)
from contract.schema import LANGS

DEFAULT_LANG = "ar"

STRINGS: dict[str, tuple[str, str]] = {
    # data page: place downloads
    "place_heading": ("كل أرقام بلد أو محافظة", "All figures for a place"),
    "place_intro": ("كل رقم منشور لبلد أو محافظة، لكل المؤشرات وبكل تصنيفاتها، "
                    "في ملف واحد أو طلب واحد للواجهة البرمجية.",
                    "Every figure published for a country or a governorate, for every indicator and with every "
                    "breakdown, in one file or one API call."),
    "place_label": ("البلد أو المحافظة", "Country or governorate"),
    "place_bad": ("المكان «{v}» غير معروف؛ عُرض {name}.", "Unknown place “{v}”; {name} is shown."),
    "place_about": ("عن المؤشرات", "About the indicators"),
    "place_period_absent": ("لا أرقام لهذا المؤشر في الفترة «{v}»؛ حُذفت.",
                            "This indicator has no figures for the period “{v}”; left out."),
    "gov_all_figures_xlsx": ("كل الأرقام بكل تصنيفاتها (Excel)", "Every figure with every breakdown (Excel)"),
    # shell
    "site_title": ("إحصاءات الحماية الاجتماعية", "Social protection statistics"),
    "site_tagline": ("أرقام منشورة من وزارات عُمان والأردن ولبنان، بالعربية والإنجليزية",
                     "Published figures from the ministries of Oman, Jordan and Lebanon, in Arabic and English"),
    "switch_lang": ("English", "العربية"),
    "switch_lang_label": ("Switch to English", "التبديل إلى العربية"),
    "skip_to_content": ("تخطَّ إلى المحتوى", "Skip to content"),
    "main_nav": ("التنقل الرئيسي", "Main navigation"),
    "page_overview": ("نظرة عامة", "Overview"),
    "page_explorer": ("مستكشف المؤشرات", "Indicator explorer"),
    "page_governorates": ("المحافظات", "Governorates"),
    "page_about": ("عن البيانات", "About the data"),
    "page_embed": ("رسم مضمَّن", "Embedded chart"),
    "page_not_found": ("الصفحة غير موجودة", "Page not found"),
    "not_found_text": ("لا توجد صفحة بهذا العنوان. اختر صفحة من القائمة أعلاه.",
                       "There is no page at this address. Choose a page from the menu above."),
    "footer_licence": ("الأرقام من الجهات المذكورة في كل مصدر؛ التجميع متاح بترخيص CC BY 4.0 بشرط ذكر المصدر.",
                       "Figures from the bodies named in each source; this compilation is CC BY 4.0, reuse with attribution."),
    "build": ("إصدار البيانات", "Data build"),
    "db_missing": ("قاعدة البيانات غير متاحة الآن. شغّل ‎spi build‎ ثم أعد تحميل الصفحة.",
                   "The database is not available right now. Run `spi build`, then reload the page."),
    "db_incompatible": ("قاعدة البيانات بُنيت بإصدار آخر من هذا البرنامج. شغّل ‎spi build‎ لإعادة بنائها ثم أعد تحميل الصفحة.",
                        "The database was built by another version of this software. Run `spi build` to rebuild it, "
                        "then reload the page."),
    "history_untrusted": ("سجل الإصدارات المنشورة لا يطابق ما سُجِّل، فلا يُعرض أي إصدار منه حتى يُستعاد. "
                          "شغّل ‎spi verify‎ لمعرفة السبب.",
                          "The record of published releases does not match what was recorded, so no release is shown "
                          "until it is restored. Run `spi verify` to see why."),
    "error_generic": ("تعذّر عرض هذا الجزء. أعد تحميل الصفحة، وإن تكرر الخطأ فأبلغنا.",
                      "This part could not be shown. Reload the page; if it happens again, please tell us."),
    # overview
    "overview_heading": ("أهم المؤشرات", "Headline indicators"),
    "overview_intro": ("آخر رقم منشور لكل مؤشر رئيسي، والتغير منذ الرقم السابق، والهدف إن وُجد. الأرقام كما نشرتها الجهات؛ لا نقدّر الأعوام الناقصة.",
                       "The latest published figure for each headline indicator, the change since the previous figure, and the target where there is one. Figures are as published; missing years are never estimated."),
    "latest": ("آخر رقم", "Latest"),
    "no_headline": ("لا مؤشرات رئيسية في الفهرس بعد؛ افتح مستكشف المؤشرات لرؤية كل المؤشرات.",
                    "The catalogue marks no headline indicators yet; open the indicator explorer to see them all."),
    "change_since": ("التغير منذ {period}", "Change since {period}"),
    "previous_figure": ("الرقم السابق ({period}): {value}", "Previous figure ({period}): {value}"),
    "two_publications": ("يقارن رقمين من منشورين مختلفين.", "Compares figures from two different publications."),
    "target_source": ("مصدر الهدف: {publisher}", "Target source: {publisher}"),
    "no_target": ("لا هدف منشور", "No published target"),
    "no_previous": ("لا رقم سابق للمقارنة", "No earlier figure to compare"),
    "no_figure_yet": ("لم يُنشر رقم بعد", "No figure published yet"),
    "no_figure_published": ("لا رقم منشور", "No figure published"),
    "derived": ("محسوب", "derived"),
    "derived_note": ("محسوب من الأرقام المنشورة", "derived from the published figures"),
    "sum_of_parts": ("مجموع الأنواع المنشورة (محسوب)", "Sum of the published types (derived)"),
    "target": ("الهدف", "Target"),
    "target_for": ("الهدف لعام {period}: {value}", "Target for {period}: {value}"),
    "on_track": ("على المسار", "On track"),
    "off_track": ("خارج المسار", "Off track"),
    "pending": ("بانتظار بيانات {period}", "Awaiting {period} figure"),
    "pending_long": ("لم يُنشر بعد رقم عن {period} لمقارنته بالهدف.", "No figure for {period} has been published yet to compare with the target."),
    "open_indicator": ("افتح المؤشر", "Open the indicator"),
    "trend_alt": ("الاتجاه: {points}", "Trend: {points}"),
    "gap_years": ("لا رقم منشور عن: {periods}", "No figure published for: {periods}"),
    "source": ("المصدر", "Source"),
    "sources": ("المصادر", "Sources"),
    # explorer
    "explorer_heading": ("مستكشف المؤشرات", "Indicator explorer"),
    "choose_indicator": ("المؤشر", "Indicator"),
    "show": ("العرض", "Show"),
    "view_time": ("عبر الزمن", "Over time"),
    "view_breakdown": ("حسب {dimension}", "By {dimension}"),   # dimension: dimension_name(…, in_sentence=True)
    "view_geo": ("حسب الدولة أو المحافظة", "By country or governorate"),
    "view_per_case": ("لكل حالة (محسوب)", "Per case (derived)"),
    "bar_mode": ("شكل الأعمدة", "Bars"),
    "mode_stack": ("مكدّسة", "Stacked"),
    "mode_group": ("متجاورة", "Grouped"),
    "mode_share": ("حصص % (محسوب)", "Shares % (derived)"),
    "geography": ("المنطقة", "Area"),
    "years": ("الفترة", "Period"),
    "from": ("من", "From"),
    "all_periods": ("الكل", "All"),
    "pick_year": ("السنة", "Year"),
    "pick_part": ("الشهر أو الربع", "Month or quarter"),
    "whole_year": ("السنة كلها", "Whole year"),
    "period_shown": ("الفترة المعروضة", "Period shown"),
    "to": ("إلى", "To"),
    "tab_chart": ("رسم", "Chart"),
    "tab_table": ("جدول", "Table"),
    "tab_sources": ("المصادر", "Sources"),
    "tabs_label": ("طرق العرض", "Views"),
    "download_csv": ("تنزيل CSV", "Download CSV"),
    "download_xlsx": ("تنزيل XLSX", "Download XLSX"),
    "download_jsonstat": ("تنزيل JSON-stat", "Download JSON-stat"),
    "download_sdmx": ("تنزيل SDMX-CSV", "Download SDMX-CSV"),
    "image_credit": ("{site} · {address} · الترخيص: {licence}", "{site} · {address} · Licence: {licence}"),
    "share_panel": ("التنزيل والمشاركة", "Download & share"),
    "share_image": ("صورة الرسم", "Image of the chart"),
    "share_view_data": ("بيانات هذا العرض", "Data of this view"),
    "share_full_data": ("السلسلة كاملة (كل المناطق والفترات والتفصيلات)", "The full series (every place, period and breakdown)"),
    "share_link": ("رابط وتضمين", "Link and embed"),
    "share_cite": ("الاستشهاد", "Cite"),
    "cite_ar": ("الاستشهاد بالعربية", "Citation in Arabic"),
    "cite_en": ("الاستشهاد بالإنجليزية", "Citation in English"),
    "cite_chart": ("{title} ({subtitle}). {source}. في: {site}، {edition}. {address}. ترخيص {licence}.",
                   "{title} ({subtitle}). {source}. In: {site}, {edition}. {address}. Licence: {licence}."),
    "download_svg": ("تنزيل الصورة SVG", "Download image (SVG)"),
    "download_png": ("تنزيل الصورة PNG", "Download image (PNG)"),
    "downloads": ("التنزيل", "Download"),
    "permalink": ("رابط دائم لهذا العرض", "Permalink to this view"),
    "developer_api": ("واجهة المطورين (API)", "Developer API"),
    "embed": ("تضمين الرسم في موقعك", "Embed this chart"),
    "copy": ("نسخ", "Copy"),
    "copied": ("نُسخ ✓", "Copied ✓"),
    "search_indicators": ("ابحث عن مؤشر (بالعربية أو الإنجليزية)", "Search the indicators (Arabic or English)"),
    "search_no_match": ("لا مؤشر يطابق البحث.", "No indicator matches."),
    "total": ("المجموع", "Total"),
    # the count before no noun: Arabic's noun after a number takes the number's form (CLDR plurals)
    "table_truncated": ("صفوف الجدول: أحدثها، {shown} من {total}؛ ملف CSV يضم كلها.",
                        "The table shows the latest {shown} of {total} rows; the CSV download holds them all."),
    "table_all_rows": ("نزّل الصفوف كلها (CSV)", "Download all the rows (CSV)"),
    "table_caption": ("الأرقام المنشورة: {name}", "Published figures: {name}"),
    "col_period": ("الفترة", "Period"),
    "col_area": ("المنطقة", "Area"),
    "col_category": ("الفئة", "Category"),
    "col_value": ("القيمة", "Value"),
    "col_unit": ("الوحدة", "Unit"),
    "col_source": ("المصدر", "Source"),
    "col_rank": ("الترتيب", "Rank"),
    "col_indicator": ("المؤشر", "Indicator"),
    "col_topic": ("المحور", "Topic"),
    "col_definition": ("التعريف", "Definition"),
    "col_measure": ("نوع القياس", "Measure"),
    "sort_by": ("رتّب حسب {col}", "Sort by {col}"),
    "definition": ("التعريف", "Definition"),
    "unit": ("الوحدة", "Unit"),
    "measure": ("نوع القياس", "Measure"),
    "measure_stock": ("رصيد: عدد في تاريخ محدد", "Stock: a count on a given date"),
    "measure_flow": ("تدفق: مجموع خلال فترة", "Flow: a total over a period"),
    "publisher": ("الناشر", "Publisher"),
    "title": ("العنوان", "Title"),
    "published": ("تاريخ النشر", "Published"),
    "not_stated": ("غير مذكور", "not stated"),
    "reference_period": ("الفترة المرجعية", "Reference period"),
    "note": ("ملاحظة", "Note"),
    "chart_alt": ("{kind} لمؤشر «{name}» ({unit})، {geo}: {points}.", "{kind} of “{name}” ({unit}), {geo}: {points}."),
    "chart_kind_line": ("رسم نقاط عبر الزمن", "Points over time"),
    "chart_kind_bars": ("رسم أعمدة", "Bar chart"),
    "in_words": ("الرسم بالكلمات", "The chart in words"),
    "alt_summary": ("{count} رقمًا في الرسم؛ ذُكر هنا أول رقم وآخر رقم لكل سلسلة، وتذكرها كلها علامة التبويب «الجدول» وملف CSV.",
                    "{count} figures in the chart; the first and the latest of each series are given here, and the "
                    "Table tab and the CSV file list them all."),
    "no_data_view": ("لا أرقام منشورة لهذا الاختيار.", "No published figures for this choice."),
    "qualifier_more_than": ("أكثر من {value}", "more than {value}"),
    "per_case_title": ("{num} لكل حالة (محسوب)", "{num} per case (derived)"),
    "per_case_unit": ("{unit} لكل حالة", "{unit} per case"),
    "share_unit": ("% من المجموع", "% of total"),
    "share_of_parts_unit": ("% من مجموع الأنواع المنشورة", "% of the sum of published types"),
    "share_note": ("الحصص محسوبة من الأرقام المنشورة.", "Shares are derived from the published figures."),
    "per_case_note": ("محسوب: {num} مقسومًا على {den} للفترة نفسها.", "Derived: {num} divided by {den} for the same period."),
    "parts_no_total": ("لم يُنشر مجموع لهذا المؤشر؛ تُعرض الأنواع كما نُشرت.", "No total is published for this indicator; the types are shown as published."),
    "total_only": ("نُشر المجموع وحده دون تفصيل عن: {periods}", "Only the total, with no breakdown, is published for: {periods}"),
    "one_point_note": ("رقم واحد منشور فقط؛ لا يمكن رسم اتجاه.", "Only one figure is published; no trend can be drawn."),
    "bad_indicator": ("المؤشر «{value}» غير موجود في الفهرس؛ يُعرض بدلًا منه «{default}».",
                      "The indicator “{value}” is not in the catalogue; showing “{default}” instead."),
    "bad_year": ("الفترة «{value}» غير صالحة؛ تُعرض كل الفترات.", "The period “{value}” is not valid; showing every period."),
    "bad_area_period": ("لا أرقام للفترة «{value}»؛ تُعرض أحدث فترة.",
                        "There are no figures for the period “{value}”; showing the latest period."),
    "total_only_period": ("الفترة «{value}» لها المجموع وحده دون هذا التصنيف؛ تُعرض أحدث فترة مصنَّفة.",
                          "The period “{value}” has only the total, not this breakdown; showing the latest period "
                          "that has it."),
    "bad_geo": ("المنطقة «{value}» لا أرقام لها في هذا المؤشر؛ تُعرض المناطق المتاحة.",
                "The area “{value}” has no figures for this indicator; showing the areas that do."),
    "bad_param": ("«{value}» ليس من الخيارات المتاحة هنا ({param})؛ يُعرض الخيار الافتراضي.",
                  "“{value}” is not {param} this page offers; showing the default."),
    # what a page's address parameter is, in words (bad_param)
    "param_breakdown": ("التصنيف", "a breakdown"), "param_view": ("طريقة العرض", "a view"),
    "param_mode": ("طريقة الرسم", "a way of drawing"), "param_tab": ("اللوحة", "a tab"),
    "param_country": ("الدولة", "a country"), "param_indicator": ("المؤشر", "an indicator"),
    "open_in_explorer": ("افتح في مستكشف المؤشرات", "Open in the indicator explorer"),
    # governorates
    "gov_heading": ("المحافظات", "Governorates"),
    "gov_all_figures": ("كل أرقام {name}", "All figures for {name}"),
    "gov_all_figures_csv": ("كل الأرقام بكل تصنيفاتها (CSV)", "Every figure with every breakdown (CSV)"),
    "gov_all_figures_api": ("طلب الواجهة البرمجية الذي يعيد الصفوف نفسها", "The API call that returns the same rows"),
    "gov_intro": ("الأرقام المنشورة على مستوى المحافظة. المحافظات بلا رقم منشور مظللة بخطوط مائلة وموسومة «لا بيانات».",
                  "Figures published at governorate level. Governorates with no published figure are hatched and marked “no data”."),
    "country": ("الدولة", "Country"),
    "no_data": ("لا بيانات", "No data"),
    "map_label": ("خريطة محافظات {country}: {indicator}", "Map of the governorates of {country}: {indicator}"),
    "map_attribution": ("الحدود: صُنعت باستخدام \u2066Natural Earth (naturalearthdata.com)\u2069، ملكية عامة. الحدود تقريبية.",
                        "Boundaries: Made with Natural Earth (naturalearthdata.com), public domain. Lines are approximate."),
    "ranked_table": ("ترتيب المحافظات", "Governorates ranked"),
    "gov_indicators": ("مؤشرات محافظة {name}", "Indicators for {name}"),
    "gov_pick": ("اختر محافظة على الخريطة أو من الجدول لعرض مؤشراتها.", "Pick a governorate on the map or in the table to see its indicators."),
    "gov_no_figures": ("لا أرقام منشورة لمحافظة {name} حتى الآن.", "No figures have been published for {name} yet."),
    "gov_none_country": ("لم تُنشر أرقام على مستوى المحافظات في {country} حتى الآن.", "No governorate-level figures have been published for {country} yet."),
    "map_within_note": ("{name} مرسومة ضمن حدود {parent} في الخريطة (حدود قديمة).", "{name} is drawn inside {parent} on the map (older boundaries)."),
    "legend": ("مفتاح الألوان", "Legend"),
    # about
    "about_heading": ("عن البيانات", "About the data"),
    "about_intro": ("كل رقم هنا منقول من وثيقة منشورة، ومعه الجهة الناشرة والفترة التي يغطيها. لا نقدّر أرقامًا ناقصة ولا نكمل سنوات لم تُنشر أرقامها.",
                    "Every figure here is taken from a published document, with its publisher and the period it covers. We never estimate missing figures or fill in years that were not published."),
    "about_sources": ("الوثائق المصدر", "Source documents"),
    "about_indicators": ("تعريفات المؤشرات", "Indicator definitions"),
    "how_to_cite": ("كيف تستشهد بالبيانات", "How to cite"),
    "cite_compilation": ("لاستخدام هذا التجميع:", "To cite this compilation:"),
    "cite_source": ("لاستخدام رقم بعينه، اذكر وثيقته المصدر كما في الجدول أعلاه، مثلًا:", "To cite a single figure, name its source document as in the table above, for example:"),
    "cite_text": ("إحصاءات الحماية الاجتماعية (عُمان، الأردن، لبنان)، تجميع من الوثائق المنشورة، {build}، اطُّلع عليه في {date}. ترخيص CC BY 4.0.",
                  "Social protection statistics (Oman, Jordan, Lebanon), compiled from published documents, {build}, accessed {date}. Licence CC BY 4.0."),
    "cite_build": ("بناء البيانات {id}", "data build {id}"),
    "cite_release": ("الإصدار {id}", "release {id}"),
    "derived_explained": ("الأرقام الموسومة «محسوب» (التغير، النسب، المبلغ لكل حالة، الحصص، مجموع الأنواع) نحسبها عند العرض من الأرقام المنشورة، ولا تُخزَّن.",
                          "Figures labelled “derived” (changes, percentages, amount per case, shares, sum of types) are computed from the published figures when shown; they are never stored."),
    "digits_note": ("تُكتب الأرقام بالأرقام اللاتينية (0-9) مع فاصلة الآلاف، كما في النشرات الرسمية العُمانية.",
                    "Numbers use Latin digits (0-9) with thousands separators, as Omani official releases do."),
    "indicators_count": ("{n} مؤشرًا", "{n} indicators"),
    "figures_count": ("الأرقام المنشورة: {n}", "published figures: {n}"),
    # releases (store/releases.py, dashboard/pages/releases.py)
    "embargoed_until": ("محظور النشر حتى {when} — ليس للنشر", "EMBARGOED until {when} — not for publication"),
    "no_release_yet": ("لم يُنشر أي إصدار بعد.", "No release is public yet."),
    "revised_mark": ("عُدِّل في {when}، وكان {previous}", "revised on {when}, previously {previous}"),
    "note_revised": ("أرقام عدّلها إصدار لاحق (تختلف عمّا نشره إصدار سابق، ومعلَّمة بـ * في الرسم): {periods}.",
                     "Revised figures (they differ from what an earlier release published; marked * on the chart): "
                     "{periods}."),
    "calendar_name": ("مواعيد إصدار الأرقام", "Release calendar"),
    "calendar_expected": ("الأرقام المتوقعة:", "Figures expected:"),
    "calendar_state_provisional": ("موعد مبدئي", "provisional"),
    "calendar_state_confirmed": ("مؤكد", "confirmed"),
    "calendar_state_cancelled": ("ملغى", "cancelled"),
    "calendar_changed_provisional": ("موعد مبدئي منذ {day}: {reason}", "provisional again since {day}: {reason}"),
    "calendar_changed_confirmed": ("مؤكد منذ {day}: {reason}", "confirmed on {day}: {reason}"),
    "calendar_changed_cancelled": ("ملغى منذ {day}: {reason}", "cancelled on {day}: {reason}"),
    "calendar_moved": ("نُقل من {date}: {reason}", "moved from {date}: {reason}"),
    "page_releases": ("الإصدارات", "Releases"),
    "releases_heading": ("الإصدارات ومواعيدها", "Releases and the release calendar"),
    "releases_intro": ("كل إصدار يُنشر في موعد معلن ولا يتغير بعده. إن عُدِّل رقم في إصدار لاحق بقي الرقم السابق "
                       "ظاهرًا مع تاريخ التعديل، وكل ما أضافه كل إصدار أو عدّله أو سحبه مدرج هنا.",
                       "Each release goes public at an announced time and never changes afterwards. A figure a later "
                       "release revises keeps its earlier value on show, with the date of the revision; what every "
                       "release added, revised or withdrew is listed here."),
    "releases_upcoming": ("الإصدارات القادمة", "Upcoming releases"),
    "releases_none_announced": ("لا إصدارات معلنة حاليًا.", "No release is announced at the moment."),
    "releases_subscribe": ("اشترك في التقويم (iCalendar)", "Subscribe to the calendar (iCalendar)"),
    "releases_published": ("الإصدارات المنشورة", "Published releases"),
    "releases_changes": ("ما غيّره الإصدار {release}", "What release {release} changed"),
    "releases_no_changes": ("لم يغيّر هذا الإصدار أي رقم (عدّل البيانات الوصفية فقط).",
                            "This release changed no figure (only descriptions)."),
    "releases_more": ("و{n} تغييرًا آخر.", "and {n} more changes."),
    "releases_all_changes": ("كل التغييرات (JSON)", "All changes (JSON)"),
    "releases_chain": ("سجل الإصدارات القابل للتحقق (JSON)", "The record of releases, to check (JSON)"),
    "releases_chain_note": ("كل إصدار مسجَّل ببصمة (SHA-256) تشمل بصمة الإصدار الذي قبله وبصمات ملفاته، فلا يمكن تغيير "
                            "إصدار سابق دون أن يظهر ذلك.",
                            "Each release is recorded with a fingerprint (SHA-256) that takes in the one before it and "
                            "its files' fingerprints: no earlier release can be changed without it showing."),
    "release_fingerprint": ("البصمة", "fingerprint"),
    "pre_release_access": ("اطّلع عليه قبل نشره: {names}.", "Seen before publication by: {names}."),
    "pre_release_access_none": ("لم يطّلع عليه أحد قبل نشره.", "Nobody saw it before publication."),
    "pre_release_access_unavailable": ("قائمة من اطّلعوا عليه قبل نشره غير متاحة الآن: تعذّرت قراءة سجل التدقيق.",
                                       "The list of those who saw it before publication is unavailable at the "
                                       "moment: the audit log cannot be read."),
    "pre_release_access_unverified": ("قائمة من اطّلعوا عليه قبل نشره غير متاحة: ملفها ليس القائمة التي يشهد لها "
                                      "سجل الإصدارات.",
                                      "The list of those who saw it before publication is unavailable: its file is "
                                      "not the list the record of releases vouches for."),
    "release_cancelled": ("أُلغي الإصدار {release} قبل نشره: {reason}", "Release {release} was cancelled before it "
                          "was published: {reason}"),
    "release_rescheduled": ("أُجِّل الإصدار {release} إلى {when}: {reason}", "Release {release} was moved to {when}: "
                            "{reason}"),
    "change": ("التغيير", "Change"),
    "figure": ("الرقم", "Figure"),
    "old_value": ("القيمة السابقة", "Before"),
    "new_value": ("القيمة الجديدة", "After"),
    "change_added": ("أُضيف", "added"),
    "change_revised": ("عُدِّل", "revised"),
    "change_amended": ("تغيّرت حالته أو مصدره", "status or source changed"),
    "change_withdrawn": ("سُحب", "withdrawn"),
    # why a release changed a published figure (etl/revisions.py): Eurostat's kinds of revision
    "revision_kind_routine": ("تعديل دوري", "routine revision"),
    "revision_kind_correction": ("تصحيح", "correction"),
    "revision_kind_major": ("تعديل جوهري", "major revision"),
    "revision_why": ("{kind} — السبب: {reason}", "{kind}: {reason}"),
    "revision_reason": ("سبب التعديل", "Why"),
    "change_added_n": ("أُضيف {n}", "{n} added"),
    "change_revised_n": ("عُدِّل {n}", "{n} revised"),
    "change_amended_n": ("تغيّرت حالة أو مصدر {n}", "{n} amended"),
    "change_withdrawn_n": ("سُحب {n}", "{n} withdrawn"),
    "next_expected": ("الأرقام التالية متوقعة في {when}: {what}", "Next figures expected on {when}: {what}"),
    "release_read": ("الأرقام كما نُشرت في الإصدار {release} ({when})", "Figures as published in release {release} ({when})"),
    "reviewers_signin": ("دخول المراجعين", "Reviewers' sign-in"),
    # embed
    "embed_open": ("المصدر الكامل والأرقام", "Full source and figures"),
    # downloads: the headers of the `names` form (api/shape.py header())
    "column_indicator_id": ("المؤشر", "Indicator"),
    "column_geo_code": ("النطاق الجغرافي", "Geography"),
    "column_period": ("الفترة", "Period"),
    "column_period_start": ("بداية الفترة", "Period start"),
    "column_period_end": ("نهاية الفترة", "Period end"),
    "column_value": ("القيمة", "Value"),
    "column_qualifier": ("صفة القيمة", "Qualifier"),
    "column_unit": ("الوحدة", "Unit"),
    "column_source_id": ("المصدر", "Source"),
    "column_revised_in": ("الإصدار الذي عدّل القيمة", "Release that revised the value"),
    "column_revised_on": ("تاريخ التعديل", "Revised on"),
    "column_previous_value": ("القيمة السابقة", "Previous value"),
    "column_revision_kind": ("نوع التعديل", "Kind of revision"),
    "column_revision_reason_ar": ("سبب التعديل (بالعربية)", "Reason for the revision (Arabic)"),
    "column_revision_reason_en": ("سبب التعديل (بالإنجليزية)", "Reason for the revision (English)"),
    "column_value_as_written": ("القيمة كما نُشرت", "Value as published"),
    "column_source_file": ("ملف المصدر", "Source file"),
    "column_source_sheet": ("ورقة المصدر", "Source sheet"),
    "column_source_row": ("صف المصدر", "Source row"),
    "column_source_column": ("عمود المصدر", "Source column"),
    # downloads: the texts of the workbooks (api/xlsx.py)
    "file_stock": ("رصيد في تاريخ معيّن", "stock (counted on a date)"),
    "file_flow": ("تدفق خلال فترة", "flow (over a period)"),
    "file_view": ("ما يشمله الملف", "What this file holds"),
    "file_full": ("السلسلة الكاملة: كل النطاقات الجغرافية والفترات والمجاميع والتصنيفات",
                  "The full series: every geography, period, total and breakdown"),
    "file_licence": ("الترخيص", "Licence"),
    "file_cite": ("الاستشهاد", "How to cite"),
    "file_build": ("إصدار قاعدة البيانات", "Database build"),
    "file_release": ("الإصدار المنشور", "Release"),
    "file_data": ("البيانات", "Data"),
    "file_about": ("عن المؤشر", "About"),
    "file_readme": ("اقرأني", "Read me"),
    "file_indicators": ("المؤشرات", "Indicators"),
    "file_targets": ("المستهدفات", "Targets"),
    "file_breakdowns": ("التصنيفات", "Breakdowns"),
    "file_none": ("لا يوجد", "none"),
    "file_title": ("مؤشرات الحماية الاجتماعية", "Social protection indicators"),
    "file_see_sources": ("مصدر كل رقم في عمود المصدر؛ تفاصيل المصادر في ورقة «المصادر».",
                         "Each figure's source is in the Source column; the sources are described on the Sources sheet."),
    "file_continued": ("تتمة", "continued"),
    "file_split": ("ورقة Excel تتسع لـ 1,048,576 صفًا؛ المواضيع الأطول مقسّمة على أوراق مرقّمة. الملف الكامل في صيغة CSV أو Parquet.",
                   "An Excel sheet holds 1,048,576 rows; longer topics are split over numbered sheets. CSV and Parquet "
                   "hold every row in one table."),
    "file_no_rows": ("لا توجد أرقام منشورة لهذا الاختيار.", "No published figures for this selection."),
    "file_name_suffix": ("الاسم", "name"),
    "file_date_not_stated": ("تاريخ النشر غير مذكور", "publication date not stated"),
    "file_geo": ("النطاق الجغرافي", "geography"),
    "file_every_geo": ("كل النطاقات", "every geography"),
    "file_from": ("من", "from"),
    "file_to": ("إلى", "to"),
    "file_breakdown": ("التصنيف", "breakdown"),
    "file_total": ("المجموع", "total"),
    "file_all": ("المجموع وكل التصنيفات", "total and every breakdown"),
    "file_with": ("مع أرقام", "with the figures of"),
    "qualifier_label_more_than": ("أكثر من", "more than"),
    # a figure's status (contract/schema.py STATUSES)
    "status_provisional": ("أولي", "provisional"),
    "status_estimated": ("تقديري", "estimated"),
    "status_break": ("انقطاع في السلسلة", "break in series"),
    "status_not_available": ("غير متوفر", "not available"),
    "status_not_applicable": ("لا ينطبق", "not applicable"),
    "status_confidential": ("سري", "confidential"),
    "column_status": ("حالة الرقم", "Status"),
    "note_marked": ("أرقام «{status}»: {periods} (معلَّمة بـ * ونقطة مفرغة أو عمود أفتح في الرسم وعلى الخريطة)",
                    "Figures marked {status}: {periods} (marked *, with a hollow point or a lighter bar, on the chart "
                    "and the map)"),
    "note_no_figure": ("لا رقم («{status}»): {periods}", "No figure ({status}): {periods}"),
    # the README of a ZIP download (api/documents.py readme())
    "readme_unit": ("الوحدة", "Unit"),
    "readme_full": ("السلسلة الكاملة", "the full series"),
    "readme_count": ("عدد الأرقام", "Figures"),
    "readme_csv": ("البيانات (الترميز UTF-8؛ التسميات: {labels})", "the data (UTF-8; labels: {labels})"),
    "readme_csv_bom": ("البيانات (الترميز UTF-8 مع علامة BOM ليقرأه Excel؛ التسميات: {labels})",
                       "the data (UTF-8 with a byte-order mark so that Excel reads Arabic; labels: {labels})"),
    "readme_json": ("البيانات الوصفية (التعريف والوحدة والتصنيفات والمصادر والمستهدفات)",
                    "metadata (definition, unit, breakdowns, sources, targets)"),
    "readme_licence": ("الترخيص والاستشهاد", "Licence and citation"),
    "readme_footer": ("إصدار البيانات {build}. كل رقم نشرته الجهة المذكورة بجانبه؛ لا شيء مقدَّر أو مكمَّل.",
                      "Build {build}. Every figure was published by the source named beside it; nothing "
                      "is estimated or filled."),
    # chart images and embed snippets (spi publish)
    "publish_open": ("افتح الرسم التفاعلي والبيانات", "Open the interactive chart and data"),
    "publish_data_csv": ("البيانات (CSV)", "Data (CSV)"),
    "publish_index": ("الرسوم", "Charts"),
    # requests
    "bad_as_of": ("«{value}» لا يدل على إصدار نشره هذا الموقع (as_of): اذكر يومًا (YYYY-MM-DD) بعد أول إصدار، أو رقم "
                  "إصدار ({releases}).",
                  "«{value}» names no release this site has published (as_of): give a day (YYYY-MM-DD) on or after "
                  "the first release, or a release id ({releases})."),
    "path_param": ("العنوان يذكر «{param}» في مساره ({path})، فلا تُذكر مرة أخرى بعد علامة الاستفهام.",
                   "The address names the {param} in its path ({path}): leave ?{param}= out."),
    "bad_lang": ("اللغة «{value}» غير متاحة. اختر العربية أو الإنجليزية.",
                 "The language “{value}” is not available. Choose Arabic or English."),
    "too_large": ("الطلب أكبر من المسموح به (1 ميغابايت).", "The request is larger than this site accepts (1 MB)."),
    "method_not_allowed": ("هذا العنوان للقراءة فقط.", "This address can only be read."),
    "bad_request": ("تعذّر فهم هذا الطلب.", "This request could not be understood."),
    # results framework
    "page_framework": ("إطار النتائج", "Results framework"),
    "fw_heading": ("أطر النتائج والمستهدفات", "Results frameworks and targets"),
    "fw_intro": ("ما التزمت به كل وزارة، وآخر رقم وطني منشور لكل مؤشر مرتبط به. الرقم غير المنشور يُذكر أنه غير منشور ولا يُقدَّر.",
                 "What each ministry committed to, and the latest published national figure of every indicator linked to "
                 "it. A figure that has not been published is marked as such, never estimated."),
    "fw_level_pillar": ("ركيزة", "Pillar"),
    "fw_level_outcome": ("نتيجة", "Outcome"),
    "fw_level_direction": ("توجه استراتيجي", "Strategic direction"),
    "fw_level_initiative": ("مبادرة", "Initiative"),
    "fw_linked": ("المؤشرات المرتبطة بالبند {code}", "Indicators linked to {code}"),
    "fw_no_figure": ("لم يُنشر رقم وطني", "No national figure published"),
    "fw_not_yet_published": ("لم تُنشر أرقامه بعد", "Figures not yet published"),
    "fw_own_figures": ("أرقام {country}", "Figures for {country}"),
    "fw_own_none": ("لم يُنشر عن {country} رقم لهذا البند.", "No figure for {country} is published for this item."),
    "fw_others": ("أرقام بلدان أخرى عن الموضوع نفسه (ليست أرقام {country})",
                  "Other countries' figures on the same theme (not figures for {country})"),
    "fw_others_linked": ("أرقام بلدان أخرى مرتبطة بالبند {code}", "Other countries' figures linked to {code}"),
    "fw_figure_for": ("رقم {country}", "Figure for {country}"),
    "fw_none": ("لم يُنشر إطار نتائج ولا مستهدفات عن {country} حتى الآن.",
                "No results framework or published targets for {country} yet."),
    "fw_targets": ("المستهدفات المنشورة في {country}", "Published targets for {country}"),
    "fw_no_framework": ("لا إطار نتائج عن {country} في الفهرس؛ هذه مستهدفاتها المنشورة مقارنةً بالأرقام المنشورة.",
                        "The catalogue has no results framework for {country}; these are its published targets, "
                        "against the published figures."),
    "fw_col_figure": ("الرقم المنشور عن فترة الهدف", "Published figure for the target's period"),
    "fw_col_latest": ("آخر رقم منشور", "Latest published figure"),
    "fw_col_status": ("الحالة", "Status"),
    "gov_framework_link": ("إطار النتائج في {country} والمؤشرات المرتبطة به", "{country}'s results framework and its linked indicators"),
    "gov_national_link": ("الأرقام الوطنية عن {country} في مستكشف المؤشرات", "{country}'s national figures in the indicator explorer"),
}

STRINGS.update({  # images that keep their credit, embeds without a toolbar (issue 20, part 3/7)
    "image_credit_terms": ("{site} · الترخيص: {licence}", "{site} · Licence: {licence}"),
    "embed_image": ("تنزيل الرسم صورةً (PNG أو SVG)", "Download the chart as an image (PNG or SVG)"),
})

STRINGS.update({  # feeds and discovery (api/feeds.py: /releases.atom, /data/<indicator>.atom)
    "feed_releases_title": ("إصدارات إحصاءات الحماية الاجتماعية", "Social protection statistics: releases"),
    "feed_releases_subtitle": ("كل إصدار منشور: موعده وما أضافه أو عدّله أو سحبه.",
                               "Every public release: when it went public and what it added, revised or withdrew."),
    "feed_release_entry": ("الإصدار {release}", "Release {release}"),
    "feed_indicator_title": ("{name}: الإصدارات التي غيّرت أرقامه", "{name}: the releases that changed its figures"),
    "feed_indicator_entry": ("{name}: {figure} ({place}، {period})، الإصدار {release}",
                             "{name}: {figure} ({place}, {period}), release {release}"),
    "feed_indicator_entry_none": ("{name}: الإصدار {release}", "{name}: release {release}"),
    "feed_changed_here": ("ما غيّره في أرقام هذا المؤشر: {counts}", "What it changed in this indicator's figures: {counts}"),
    "feed_latest": ("آخر رقم منشور بعد هذا الإصدار:", "The latest published figure after this release:"),
    "feed_no_change": ("لم يغيّر أي رقم", "no figure changed"),
    "feed_follow": ("تابع الإصدارات في قارئ الخلاصات (Atom)", "Follow the releases in a feed reader (Atom)"),
})

STRINGS.update({  # charts that date themselves (issue 20, part h1): a by-area chart's country as its reference
    "reference_national": ("{place} (المستوى الوطني): {value}", "{place} (national): {value}"),
    "reference_national_period": ("{place} (المستوى الوطني)، {period}: {value}", "{place} (national), {period}: {value}"),
})

STRINGS.update({  # the Frictionless data package (api/dataset.py): resource titles and a keyword
    "package_observations": ("المشاهدات", "Observations"),
    "package_indicators": ("المؤشرات: الأسماء والتعريفات والوحدات", "Indicators: names, definitions, units"),
    "package_topics": ("المواضيع", "Topics"),
    "package_units": ("الوحدات", "Units"),
    "package_dimensions": ("التصنيفات وفئاتها", "Breakdowns and their members"),
    "package_sources": ("المصادر", "Sources"),
    "package_geographies": ("الدول والمحافظات", "Countries and governorates"),
    "package_targets": ("المستهدفات", "Targets"),
    "package_frameworks": ("أطر النتائج", "Results frameworks"),
    "package_indicator_frameworks": ("المؤشرات في أطر النتائج", "Indicators in frameworks"),
    "package_international_codes": ("السلاسل الدولية للمؤشرات", "International series of the indicators"),
    # an SDMX annotation's text on an indicator's code: the document that states its international series
    "sdmx_mapping_source": ("المطابقة مذكورة في: {title}", "The mapping is stated in: {title}"),
    "package_keyword": ("الحماية الاجتماعية", "social protection"),
})

STRINGS.update({  # data page: one page per indicator, for people who read (dashboard/pages/indicator.py)
    "page_indicator": ("عن هذا المؤشر", "About this indicator"),
    "page_indicator_more": ("المزيد عن هذا المؤشر", "More about this indicator"),
    "dp_facts": ("حقائق أساسية", "Key facts"),
    "dp_measures": ("ما يقيسه", "What it measures"),
    "dp_code": ("رمز المؤشر", "Indicator code"),
    "dp_breakdowns": ("التصنيفات المنشورة", "Published breakdowns"),
    "dp_totals_only": ("المجموع فقط", "Totals only"),
    "dp_periods": ("الفترات المنشورة", "Periods published"),
    "dp_count": ("عدد الأرقام المنشورة", "Published figures"),
    "dp_know": ("ما ينبغي أن تعرفه", "What you should know"),
    "dp_latest": ("آخر الأرقام", "Latest figures"),
    "dp_latest_figure": ("آخر رقم منشور", "Latest published figure"),
    "dp_period": ("الفترة", "Period"),
    "dp_place": ("المنطقة", "Place"),
    "dp_change": ("التغير عن الرقم السابق", "Change since the previous figure"),
    "dp_by_place": ("آخر رقم لكل منطقة", "Latest figure by place"),
    "dp_status": ("الحالة", "Status"),
    "dp_as_published": ("كما نُشر", "as published"),
    "dp_target_against": ("مقارنة بالهدف", "Against the target"),
    "dp_document": ("الوثيقة", "Document"),
    "dp_no_document": ("لا رابط منشورًا للوثيقة", "No link to the document is published"),
    "dp_revisions": ("التعديلات عبر الإصدارات", "Revisions across releases"),
    "dp_revisions_none": ("لم يعدّل أي إصدار رقمًا من أرقام هذا المؤشر منذ نشره أول مرة.",
                          "No release has revised a figure of this indicator since it was first published."),
    "dp_not_released": ("هذه الأرقام بناء لم يُنشر إصدارًا بعد، فلا سجل تعديلات لها.",
                        "These figures are a build that is not a release yet: they have no record of revisions."),
    "dp_revision": ("{figure}: {change}، من {old} إلى {new}", "{figure}: {change}, from {old} to {new}"),
    "dp_release": ("الإصدار {release} ({when})", "Release {release} ({when})"),
    "dp_next": ("الإصدار التالي", "Next release"),
    "dp_next_none": ("لا إصدار معلنًا لأرقام هذا المؤشر.", "No release of this indicator's figures is announced."),
    "dp_cite": ("الاستشهاد بهذا المؤشر", "Cite this indicator"),
    "dp_cite_note": ("يذكر الاستشهاد الإصدار المقروء، فيعطي عنوانه الأرقام نفسها بعد الإصدارات اللاحقة.",
                     "The citation names the release read: its address gives the same figures after later releases."),
    "dp_citation": ("الاستشهاد", "Citation"),
    "dp_downloads": ("تنزيل البيانات", "Download the data"),
    "dp_downloads_intro": ("السلسلة كاملة: كل المناطق والفترات والتصنيفات.",
                           "The full series: every place, period and breakdown."),
    "dp_download_json": ("البيانات الوصفية (JSON)", "Metadata (JSON)"),
    "dp_download_zip": ("حزمة ZIP (CSV والبيانات الوصفية ودليل)", "ZIP (CSV, metadata and a README)"),
    "dp_data_page": ("اختيارات أخرى في صفحة البيانات", "More choices on the Data page"),
    "dp_not_yet": ("لم تُنشر أرقامه بعد.", "Figures not yet published."),
})

_DATA_PAGE = {  # the Data page (dashboard/pages/data.py), as t("data_<key>", lang)
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
    "parquet": ("ملف Parquet", "Parquet"),
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
    "dl_csv": ("ملف CSV", "CSV"), "dl_xlsx": ("ملف Excel", "Excel"), "dl_json": ("البيانات الوصفية (JSON)", "Metadata (JSON)"),
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
STRINGS.update({f"data_{key}": text for key, text in _DATA_PAGE.items()})

class UnknownLanguage(ValueError):
    """A `lang` that is neither Arabic nor English."""

    def __init__(self, value: object):
        self.value = str(value)[:40]
        super().__init__(f"the language {self.value!r} is not available; use one of: {', '.join(LANGS)}")


def lang_of(value: object) -> str:
    """THE language policy: no value (None or "") is Arabic, 'ar' and 'en' are themselves,
    anything else (another language, a list of several, a number) raises UnknownLanguage."""
    if value is None or value == "":
        return DEFAULT_LANG
    if isinstance(value, str) and value in LANGS:
        return value
    raise UnknownLanguage(value)


_ISOLATES = (LRI, RLI, FSI)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")   # Hebrew and Arabic letters
_LATIN_OR_DIGIT = re.compile("[0-9A-Za-z]")
_NUMBER = re.compile(r"[0-9][0-9,.\u066b\u066c]*")      # 6,073 or 1.5: an Arabic number reads in order by itself
_WORD = re.compile(r"[0-9A-Za-z]+")                        # nor does a lone word such as geo need an isolate
_FORMATTER = string.Formatter()


def is_ltr_run(text: object) -> bool:
    """Whether `text` is a left-to-right run that Arabic around it would reorder: Latin letters
    or digits with punctuation or spaces between them (2026-11-24, 09:00, 2026-11-24-2,
    om_ss_cases, https://…, an English sentence), no Arabic letter, not already isolated.
    A plain number (6,073) or a lone word keeps its order without an isolate."""
    return (isinstance(text, str) and bool(text) and text[0] not in _ISOLATES
            and _LATIN_OR_DIGIT.search(text) is not None and _RTL.search(text) is None
            and _NUMBER.fullmatch(text) is None and _WORD.fullmatch(text) is None)


def ltr(text: str, lang: str) -> str:
    """`text` kept in its own left-to-right order inside Arabic text: LRI text PDI (English
    text, an empty text and a text already isolated are returned as they are)."""
    if lang != "ar" or not text or text[0] in _ISOLATES:
        return text
    return f"{LRI}{text}{PDI}"


def _field(value, lang: str):
    return ltr(value, lang) if lang == "ar" and is_ltr_run(value) else value


def t(key: str, lang: str, **fields) -> str:
    """The interface string `key` in `lang` (a language lang_of accepted), {fields} filled in.
    In Arabic a field that is a left-to-right run (is_ltr_run: a date, a time, an id, a code,
    an address, English words) is isolated (ltr), so that it reads in its own order."""
    text = STRINGS[key][LANGS.index(lang)]
    if not fields:
        return text
    return text.format(**{k: _field(v, lang) for k, v in fields.items()})


def parts(key: str, lang: str, **fields) -> list:
    """`t(key, lang, **fields)` as a list of pieces, for a page that puts an element (a link, a
    text marked with its own language) where a field goes: text fields are filled in as t()
    fills them, any other object is left as it is, in its place."""
    pieces: list = []
    for literal, name, _spec, _conv in _FORMATTER.parse(STRINGS[key][LANGS.index(lang)]):
        if literal:
            pieces.append(literal)
        if name is not None:
            value = fields[name]
            pieces.append(_field(value, lang) if isinstance(value, str) else value)
    return pieces


def pick(row, field: str, lang: str):
    """row[f"{field}_ar"] or row[f"{field}_en"], from a dict; None where it is missing."""
    value = row.get(f"{field}_{lang}")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def direction(lang: str) -> str:
    return "rtl" if lang == "ar" else "ltr"


def other_lang(lang: str) -> str:
    return "en" if lang == "ar" else "ar"


def separator(lang: str) -> str:
    """Between items of a list in running text: '، ' / ', '."""
    return "، " if lang == "ar" else ", "


def semicolon(lang: str) -> str:
    return "؛ " if lang == "ar" else "; "
