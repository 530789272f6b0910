"""The desk's pages: a whole HTML document in the desk's language (Arabic first, `lang=en` for
English), its texts in both languages, and the small pieces every page uses (a form with its
token, a table). Plain server-made HTML with the desk's one stylesheet: no script is needed to
sign in, read a candidate's changes or approve a release, and the desk's Content-Security-Policy
allows none inline."""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

import flask

from store.texts import UnknownLanguage, direction, lang_of, other_lang

from . import auth

TEXTS: dict[str, tuple[str, str]] = {
    "desk": ("مكتب وحدة الإحصاء", "Statistics unit desk"),
    "signin_title": ("الدخول إلى المكتب", "Sign in to the desk"),
    "signin_intro": ("لوحدة الإحصاء وحدها: تحميل الجداول، وفحص الإصدار المرشَّح، وإعداد الإصدارات واعتمادها.",
                     "For the statistics unit only: load tables, check the candidate, prepare and approve releases."),
    "username": ("اسم المستخدم", "Username"),
    "password": ("كلمة المرور", "Password"),
    "signin": ("دخول", "Sign in"),
    "signin_failed": ("اسم المستخدم أو كلمة المرور غير صحيحة.", "The username or password is not correct."),
    "too_many": ("محاولات كثيرة. انتظر دقيقة ثم حاول مرة أخرى.", "Too many attempts. Wait a minute, then try again."),
    "signout": ("خروج", "Sign out"),
    "signed_in_as": ("أنت مسجَّل الدخول باسم {name}، بصفة: {roles}.", "You are signed in as {name}, as: {roles}."),
    "role_editor": ("محرِّر", "editor"),
    "role_approver": ("معتمِد", "approver"),
    "role_reviewer": ("مراجِع", "reviewer"),
    "list_sep": ("، ", ", "),
    "candidate": ("الإصدار المرشَّح", "The candidate"),
    "preview_link": ("معاينة الموقع كما سيبدو بالإصدار المرشَّح (يتطلب الدخول)",
                     "Preview the site as it would look with the candidate (sign-in needed)"),
    "no_candidate": ("لا يوجد إصدار مرشَّح: شغِّل البناء أولًا.", "There is no candidate: run a build first."),
    "candidate_is": ("البناء {build}، بتاريخ {built}.", "Build {build}, made {built}."),
    "against": ("مقارنةً بالإصدار {release}:", "Against release {release}:"),
    "against_none": ("لا إصدار قبله:", "No release before it:"),
    "counts": ("أرقام مضافة: {added}، منقَّحة: {revised}، معدَّلة: {amended}، مسحوبة: {withdrawn}.",
               "{added} added, {revised} revised, {amended} amended, {withdrawn} withdrawn."),
    "changes": ("ما يغيِّره الإصدار", "What releasing it changes"),
    "change_added": ("مضاف", "added"),
    "change_revised": ("منقَّح", "revised"),
    "change_amended": ("معدَّل", "amended"),
    "change_withdrawn": ("مسحوب", "withdrawn"),
    "col_change": ("التغيير", "Change"),
    "col_figure": ("الرقم", "Figure"),
    "col_old": ("القيمة السابقة", "Old value"),
    "col_new": ("القيمة الجديدة", "New value"),
    "more_rows": ("و{n} غيرها.", "and {n} more."),
    "nothing_changes": ("لا يغيِّر المرشَّح أي رقم.", "The candidate changes no figure."),
    "prepare": ("إعداد إصدار", "Prepare a release"),
    "note_ar": ("ملاحظة الإصدار بالعربية", "Release note in Arabic"),
    "note_en": ("ملاحظة الإصدار بالإنجليزية", "Release note in English"),
    "public_at": ("موعد النشر ({zone})، فارغًا للنشر عند الاعتماد", "Public time ({zone}); empty to publish when approved"),
    "prepare_button": ("إعداد الإصدار وإرساله للاعتماد", "Prepare and send for approval"),
    "waiting": ("إصدار بانتظار الاعتماد", "A release waiting for approval"),
    "prepared_by": ("أعدَّه {name} في {at}.", "Prepared by {name} at {at}."),
    "public_when": ("موعد النشر: {at}", "Public at: {at}"),
    "public_on_approval": ("يُنشر عند اعتماده.", "Public when approved."),
    "approve": ("اعتماد الإصدار ونشره", "Approve and release"),
    "send_back": ("إعادته للمحرِّر", "Send back"),
    "comment": ("سبب الإعادة", "Why it goes back"),
    "cancel": ("إلغاء الإصدار المُعَدّ", "Cancel the prepared release"),
    "reason": ("سبب الإلغاء", "Why it is cancelled"),
    "own_release": ("أعددتَ هذا الإصدار بنفسك: يعتمده شخص آخر.", "You prepared this release: someone else approves it."),
    "history": ("الإصدارات المُعَدّة", "Prepared releases"),
    "state_prepared": ("بانتظار الاعتماد", "waiting for approval"),
    "state_sent_back": ("أُعيد للمحرِّر", "sent back"),
    "state_cancelled": ("أُلغي", "cancelled"),
    "state_approved": ("اعتُمد ونُشر", "approved and released"),
    "event_prepared": ("أعدَّه", "prepared by"),
    "event_sent_back": ("أعاده", "sent back by"),
    "event_cancelled": ("ألغاه", "cancelled by"),
    "event_approved": ("اعتمده", "approved by"),
    "became": ("الإصدار {release}", "release {release}"),
    "refused": ("رُفض الطلب:", "Refused:"),
    "refused_en": ("(بالإنجليزية، كما يقولها محرّك الإصدار)", "(as the release engine says it)"),
    "done_prepared": ("أُعِدّ الإصدار {id} وأُرسل للاعتماد.", "Release {id} is prepared and waits for approval."),
    "done_sent_back": ("أُعيد الإصدار {id} للمحرِّر.", "Release {id} was sent back."),
    "done_cancelled": ("أُلغي الإصدار {id}.", "Release {id} was cancelled."),
    "done_approved": ("اعتُمد الإصدار {id} ونُشر بوصفه الإصدار {release}.", "Release {id} was approved: it is release {release}."),
    "build_button": ("بناء المرشَّح من الملفات الخام", "Build the candidate from the raw files"),
    "build_title": ("بناء المرشَّح", "Building the candidate"),
    "build_none": ("لم يُشغَّل أي بناء من المكتب بعد.", "No build was started from the desk yet."),
    "build_running": ("البناء جارٍ، بدأه {by}…", "The build is running, started by {by}…"),
    "build_done": ("انتهى البناء الذي بدأه {by}.", "The build started by {by} has ended."),
    "build_stopped": ("توقّف البناء الذي بدأه {by} قبل أن يكتمل؛ المرشَّح هو السابق. شغِّله مرة أخرى.",
                      "The build started by {by} stopped before it ended; the candidate is the one before. Run it again."),
    "build_ok": ("نجح البناء: عدد الأرقام {n}، والمدة بالثواني {seconds}.", "The build passed: {n} figures in {seconds} s."),
    "build_failed": ("فشل البناء، وعدد الأخطاء {n}. صحِّح ما يلي ثم شغِّله مرة أخرى؛ المرشَّح لم يتغيَّر.",
                     "The build failed: {n} error(s). Fix what follows and run it again; the candidate did not change."),
    "build_fault": ("توقّف البناء على عطل في الخادم، والمرشَّح لم يتغيَّر: {fault}",
                    "the build failed: {fault}"),
    "build_lines": ("خطوات البناء", "The build's steps"),
    "approval_title": ("اعتماد الإصدار", "Approving the release"),
    "approval_none": ("لم يُعتمَد أي إصدار من المكتب بعد.", "No release was approved from the desk yet."),
    "approval_running": ("يجري اعتماد الإصدار {id}، بدأه {by}…", "Release {id} is being approved, by {by}…"),
    "approval_stopped": ("توقّف اعتماد الإصدار {id} الذي بدأه {by} قبل أن يكتمل.",
                         "The approval of release {id} by {by} stopped before it ended."),
    "approval_failed": ("تعذّر إكمال اعتماد الإصدار {id}، والسبب بالإنجليزية كما يقوله الخادم:",
                        "The approval of release {id} could not be completed:"),
    "approval_busy_build": ("البناء جارٍ (بدأه {by}): اعتمد الإصدار بعد انتهائه، فلا يتغيّر المرشَّح أثناء نشره.",
                            "A build is running (started by {by}): approve once it has ended, so that the candidate "
                            "does not change while it is released."),
    "build_busy_approval": ("يجري الآن اعتماد إصدار: ابدأ البناء بعد انتهائه، فلا يتغيّر المرشَّح أثناء نشره.",
                            "A release is being approved: start the build once it is done, so that the candidate "
                            "does not change while it is released."),
    "approval_busy": ("يجري الآن اعتماد الإصدار {id} (بدأه {by}): انتظر انتهاءه، فلا يُنشر إصدار مرتين.",
                      "Release {id} is being approved now (by {by}): wait for it to end; a release is never made twice."),
    "approval_lines": ("خطوات محرّك الإصدار", "The release engine's steps"),
    "step_check": ("التحقق من الإصدار المُعَدّ والمرشَّح", "Checking the prepared release and the candidate"),
    "step_release": ("كتابة الإصدار في تاريخ الإصدارات", "Writing the release into the history"),
    "step_serve": ("كتابة قواعد بيانات الموقع", "Writing the site's databases"),
    "step_record": ("التسجيل في سجل التدقيق وفي git", "Recording it in the audit log and in git"),
    "step_done": ("تمّ", "done"),
    "step_now": ("جارٍ", "under way"),
    "step_todo": ("لم يبدأ", "not begun"),
    "step_cut": ("توقّف هنا", "stopped here"),
    "stands_served": ("تاريخ الإصدارات: كُتب الإصدار {release} وسُجِّل، ويعرضه الموقع.",
                      "The history: release {release} is written and recorded, and the site serves it."),
    "stands_unserved": ("تاريخ الإصدارات: كُتب الإصدار {release} وسُجِّل، لكن قواعد بيانات الموقع لم تُكتب من جديد بعده، "
                        "ولا يذكره سجل التدقيق ولا git بعد: شغِّل البناء.",
                        "The history: release {release} is written and recorded, but the site's databases were not "
                        "written again after it, and neither the audit log nor git has it yet: run a build."),
    "stands_decided": ("تاريخ الإصدارات: تقرَّر الإصدار حين توقّف الاعتماد، لكن لم توضع كل ملفاته في مكانها. اعتمد الإصدار {id} "
                       "مرة أخرى: يُكمل ذلك الإصدار، فيُقرأ معتمَدًا، ثم شغِّل البناء لتُكتب قواعد بيانات الموقع.",
                       "The history: the release was decided when the approval stopped, but its files were not all "
                       "put in place. Approve release {id} again: that completes it, and it then reads as approved; "
                       "then run a build to write the site's databases."),
    "stands_waiting": ("تاريخ الإصدارات كما كان: لم يُكتب أي إصدار، وما زال الإصدار {id} بانتظار الاعتماد. اعتمده مرة أخرى.",
                       "The history is as it was: no release was written, and release {id} still waits for "
                       "approval. Approve it again."),
    "stands_unmade": ("تاريخ الإصدارات كما كان: لم يُكتب أي إصدار.", "The history is as it was: no release was written."),
    "embargoed": ("إصدار تحت الحظر حتى موعد نشره:", "A release under embargo until its time:"),
    "new_time": ("الموعد الجديد ({zone})", "The new time ({zone})"),
    "move_reason": ("سبب تغيير الموعد (يُسجَّل ويُعرض)", "Why it moves (recorded and shown)"),
    "reschedule": ("تغيير موعد النشر", "Move the public time"),
    "cancel_reason": ("سبب الإلغاء (يُسجَّل ويُعرض)", "Why it is cancelled (recorded and shown)"),
    "cancel_release": ("إلغاء الإصدار قبل نشره", "Cancel the release before it goes public"),
    "done_cancel": ("أُلغي الإصدار {id} قبل نشره.", "Release {id} was cancelled before it went public."),
    "done_reschedule": ("تغيَّر موعد نشر الإصدار {id}.", "Release {id} has a new public time."),
    "revised_series": ("السلاسل المنقَّحة: السابقة مقابل الجديدة", "The revised series, old against new"),
    "old_series": ("الإصدار {release}", "release {release}"),
    "new_series": ("المرشَّح", "the candidate"),
    "load_title": ("تحميل جدول", "Load a table"),
    "load_link": ("تحميل جدول كما نُشر", "Load a table as it was published"),
    "load_intro": ("ارفع الجدول كما نشرته الجهة (مصنف ‎.xlsx أو ‎.xls أو ‎.ods أو ملف CSV). يقترح المكتب وصفة لقراءته، ويعرض كل خلية بما صارت إليه.",
                   "Upload the table as the body published it (an .xlsx, .xls or .ods workbook, or a CSV). The desk "
                   "proposes a recipe to read it and shows what every cell became."),
    "load_file": ("الملف", "The file"),
    "load_sheet": ("الورقة (اختياري)", "The sheet (optional)"),
    "load_indicator": ("رمز المؤشر (اختياري)", "The indicator's id (optional)"),
    "load_button": ("رفع الملف وعرضه", "Upload and show it"),
    "load_none": ("لم يُرسَل ملف: اختر ملفًا ثم ارفعه.", "No file was sent: choose a file, then upload it."),
    "upload_limit": ("رفعتَ ملفات كثيرة في وقت قصير. انتظر بضع دقائق ثم حاول مرة أخرى.",
                     "You uploaded many files in a short time. Wait a few minutes, then try again."),
    "grid_title": ("الجدول {name} كما يقرؤه البناء", "The table {name} as the build reads it"),
    "proposal_refused": ("تعذّر اقتراح وصفة:", "No recipe could be drafted:"),
    "proposal_builtin": ("تقرأ التخطيطات المدمجة هذا الملف كما هو: عدد الأرقام {n}.",
                         "The built-in layouts read this file as it is: {n} figures."),
    "proposal_drafted": ("اقترح المكتب الوصفة أدناه؛ راجعها وعدِّلها ثم اعرض الجدول مرة أخرى.",
                         "The desk drafted the recipe below; check it, edit it, and show the table again."),
    "legend": ("دليل الألوان", "Colour key"),
    "role_cell_indicator": ("مؤشر", "indicator"),
    "role_cell_place": ("مكان", "place"),
    "role_cell_period": ("فترة", "period"),
    "role_cell_breakdown": ("تصنيف", "breakdown"),
    "role_cell_status": ("حالة", "status"),
    "role_cell_source": ("مصدر", "source"),
    "role_cell_unit": ("وحدة", "unit"),
    "role_cell_value": ("رقم مقروء", "figure read"),
    "role_cell_note": ("نص", "text"),
    "role_cell_ignored": ("متروك", "left out"),
    "role_cell_unplaced": ("لا يُعرف موضعه", "cannot be placed"),
    "role_cell_empty": ("فارغ", "empty"),
    "sheet_read": ("تقرؤها الوصفة", "read by the recipe"),
    "sheet_hidden": ("ورقة مخفية: لا تُقرأ", "a hidden sheet: not read"),
    "sheet_unread": ("لا تقرؤها الوصفة", "not read by the recipe"),
    "more_rows_sheet": ("وفي الورقة صفوف أخرى عددها {n}، تُقرأ وتُفحص ولا تُعرض هنا.",
                        "The sheet has {n} more rows, read and checked but not shown here."),
    "issues": ("ما وجده المدقِّق (العدد: {n})", "What the validator found ({n})"),
    "no_issues": ("لم يجد المدقِّق أي مشكلة.", "The validator found no problem."),
    "gaps": ("ما ينقص الفهرس", "What the catalogue lacks"),
    "gap_indicator": ("مؤشر", "indicator"), "gap_source": ("مصدر", "source"),
    "gap_place": ("مكان", "place"), "gap_member": ("عنصر تصنيف", "breakdown member"),
    "recipe": ("الوصفة (YAML)", "The recipe (YAML)"),
    "recipe_button": ("حفظ الوصفة وعرض الجدول مرة أخرى", "Save the recipe and show the table again"),
    "fix_first": ("صحِّح الأخطاء أولًا (العدد: {n})، ثم اعرض الجدول مرة أخرى؛ لا يُقبل ملف فيه أخطاء.",
                  "Fix the errors first ({n}), then show the table again: a file with errors is not accepted."),
    "accept_button": ("قبول الملف ووصفته في البيانات الخام", "Accept the file and its recipe into the raw data"),
    "accepted": ("قُبل الملف {name} في البيانات الخام", "{name} was accepted into the raw data"),
    "accepted_counts": ("مقارنةً بالنسخة السابقة: أرقام مضافة {added}، ومتغيِّرة {changed}، ومحذوفة {removed}.",
                        "Against the version before: {added} added, {changed} changed, {removed} removed."),
    "upload_change_added": ("مضاف", "added"), "upload_change_changed": ("متغيِّر", "changed"),
    "upload_change_removed": ("محذوف", "removed"),
    "revision_kind": ("نوع التنقيح", "Kind of revision"),
    "reason_ar": ("السبب بالعربية", "Why, in Arabic"),
    "reason_en": ("السبب بالإنجليزية", "Why, in English"),
    "unserved": ("سُجِّل ذلك في تاريخ الإصدارات، لكن تعذّرت كتابة قواعد بيانات الموقع من جديد (التفاصيل في سجل التدقيق): شغِّل البناء.",
                 "It is recorded in the releases' history, but the site's databases could not be written again "
                 "(the audit log says why): run a build."),
    "cal_link": ("مواعيد الإصدارات المعلنة", "The release calendar"),
    "cal_title": ("مواعيد الإصدارات المعلنة", "The release calendar"),
    "cal_intro": ("الإصدارات المعلنة في فهرس المؤشرات (indicators.yaml): يُعرض منها ما يُنشر في صفحة الإصدارات وصفحة كل مؤشر وتقويم ‎/releases.ics. يُسجَّل كل تغيير لحالة الإصدار أو لموعده مع سببه بالعربية والإنجليزية.",
                  "The releases announced in the catalogue (indicators.yaml), as the Releases page, each indicator's "
                  "page and /releases.ics show them. Every change of a release's state or day is recorded with why, "
                  "in Arabic and English."),
    "cal_none": ("لا إصدار معلنًا بعد.", "No release is announced yet."),
    "cal_col_date": ("الموعد", "Day"),
    "cal_col_title": ("الإصدار", "Release"),
    "cal_col_state": ("الحالة", "State"),
    "cal_col_changes": ("التغييرات وأسبابها", "Changes and why"),
    "cal_col_indicators": ("المؤشرات", "Indicators"),
    "cal_new": ("إعلان إصدار", "Announce a release"),
    "cal_date": ("يوم صدور الأرقام المتوقع", "The day the figures are expected"),
    "cal_title_ar": ("اسم الإصدار بالعربية", "What is released, in Arabic"),
    "cal_title_en": ("اسم الإصدار بالإنجليزية", "What is released, in English"),
    "cal_indicators": ("المؤشرات التي تصدر أرقامها فيه (اختياري)", "The indicators whose figures come then (optional)"),
    "cal_languages": ("لغات الإصدار", "The languages of the release"),
    "cal_lang_ar": ("العربية", "Arabic"),
    "cal_lang_en": ("الإنجليزية", "English"),
    "cal_announce_button": ("إعلان الإصدار (موعد مبدئي)", "Announce it (provisional)"),
    "cal_change": ("تغيير الحالة أو الموعد", "Change its state or its day"),
    "cal_change_intro": ("اختر الحالة بعد التغيير (تأكيد، إلغاء، أو العودة إلى موعد مبدئي) أو يومًا جديدًا، أو كليهما، واذكر السبب بالعربية والإنجليزية: يُسجَّل ويُعرض للجمهور.",
                         "Choose the state after the change (confirm, cancel, or provisional again) or a new day, or "
                         "both, and say why in Arabic and English: it is recorded and shown to the public."),
    "cal_new_state": ("الحالة بعد التغيير", "The state after the change"),
    "cal_new_date": ("يوم الصدور المتوقع", "The day the figures are expected"),
    "cal_change_button": ("تسجيل التغيير", "Record the change"),
    "cal_announced": ("أُعلن الإصدار وكُتب في فهرس المؤشرات.", "The release is announced, written into the catalogue."),
    "cal_changed": ("سُجِّل التغيير وسببه في فهرس المؤشرات.", "The change and why are written into the catalogue."),
    "cal_next_build": ("يظهر في جدول مواعيد المرشَّح (وتقويمه ‎/releases.ics) بعد البناء التالي، وعلى الموقع العام مع الإصدار التالي.",
                       "The candidate's calendar (and its /releases.ics) has it after the next build, and the public "
                       "site with the next release."),
    "cal_not_a_day": ("اليوم المعطى ليس يومًا من التقويم: اكتبه بالصيغة YYYY-MM-DD، مثل 2027-01-15. لم يُكتب شيء.",
                      "The day given is not a day of the calendar: write it as YYYY-MM-DD, such as 2027-01-15. "
                      "Nothing was written."),
    "cal_need_title": ("اكتب اسم الإصدار بالعربية وبالإنجليزية. لم يُكتب شيء.",
                       "Give what is released in Arabic and in English. Nothing was written."),
    "cal_need_language": ("اختر لغة واحدة على الأقل للإصدار. لم يُكتب شيء.",
                          "Choose at least one language of the release. Nothing was written."),
    "cal_need_state": ("اختر الحالة بعد التغيير: مبدئي أو مؤكد أو ملغى. لم يُكتب شيء.",
                       "Choose the state after the change: provisional, confirmed or cancelled. Nothing was written."),
    "cal_need_reason": ("اذكر سبب التغيير بالعربية وبالإنجليزية: يُسجَّل ويُعرض مع التغيير. لم يُكتب شيء.",
                        "Say why it changes, in Arabic and in English: it is recorded and shown with the change. "
                        "Nothing was written."),
    "cal_nothing": ("لا يغيِّر هذا شيئًا: الحالة والموعد كما هما. اختر حالة أخرى أو يومًا آخر. لم يُكتب شيء.",
                    "This changes nothing: the state and the day are as they were. Choose another state or another "
                    "day. Nothing was written."),
    "cal_unwritable": ("تعذّرت قراءة فهرس المؤشرات أو كتابته الآن ({why}): لم يُكتب شيء. أبلغ مسؤول الخادم.",
                       "The catalogue cannot be read or written right now ({why}): nothing was written. Tell whoever "
                       "runs the server."),
    "cal_refused_catalogue": ("رفض فحص فهرس المؤشرات (الفحص نفسه الذي يجريه البناء) هذا التغيير، ولم يُكتب شيء:",
                              "The catalogue check (the one the build makes) refused it, and nothing was written:"),
    "switch_lang": ("English", "العربية"),
    "error_400": ("طلب غير صالح.", "The request is not valid."),
    "error_401": ("سجِّل الدخول أولًا.", "Sign in first."),
    "error_403": ("ليست لك صلاحية هذا الإجراء.", "You may not do this."),
    "error_404": ("الصفحة غير موجودة.", "There is no such page."),
    "error_405": ("هذا الإجراء غير متاح بهذه الطريقة.", "This address does not take this method."),
    "error_413": ("الملف أو الطلب أكبر من المسموح.", "The file or request is too large."),
    "error_500": ("حدث خطأ في المكتب، وسُجِّل في سجلّ الخادم.", "The desk failed; the fault is in the server's log."),
    "error_503": ("تعذّر الآن التحقق من الدخول أو تسجيله. حاول بعد دقائق.",
                  "Sign-in cannot be checked or recorded right now. Try again in a few minutes."),
}


def text(key: str, lang: str, **fields) -> str:
    value = TEXTS[key][0 if lang == "ar" else 1]
    return value.format(**fields) if fields else value


def lang() -> str:
    """The desk's language of this request: `lang=en`, else Arabic; 400 for another."""
    try:
        return lang_of(flask.request.args.get("lang"))
    except UnknownLanguage:
        flask.abort(400)


def isolate(value: object) -> str:
    """A code, a date or a name inside a sentence of the other direction, kept in its order."""
    return f"\u2068{value}\u2069"


def url(endpoint: str, lang_: str, **args) -> str:
    """A desk address in `lang_` (Arabic needs no argument)."""
    return flask.url_for(endpoint, **args, **({"lang": "en"} if lang_ == "en" else {}))


def form(endpoint: str, lang_: str, fields: str, button: str, css: str = "", multipart: bool = False, **args) -> str:
    """A POST form to `endpoint` carrying the session's token (a file's form: `multipart`)."""
    kind = ' enctype="multipart/form-data"' if multipart else ""
    return (f'<form method="post" action="{escape(url(endpoint, lang_, **args))}" class="desk-form {css}"{kind}>'
            f'<input type="hidden" name="csrf_token" value="{escape(auth.form_token())}">{fields}'
            f'<button type="submit" class="button">{escape(button)}</button></form>')


def field(name: str, label: str, kind: str = "text", value: str = "", dir_: str = "auto", required: bool = True,
          area: bool = False) -> str:
    need = " required" if required else ""
    if area:
        control = (f'<textarea id="{name}" name="{name}" dir="{dir_}" rows="3" maxlength="2000"{need}>'
                   f'{escape(value)}</textarea>')
    else:
        control = f'<input id="{name}" name="{name}" type="{kind}" dir="{dir_}" value="{escape(value)}"{need}>'
    return f'<label for="{name}">{escape(label)}</label>{control}'


def document(lang_: str, title: str, body: str, refresh: int | None = None) -> str:
    """A whole page: the heading bar (the desk's name, who is signed in, sign-out, the other
    language), then `body`; read again every `refresh` seconds when given (a build's progress)."""
    person = auth.user()
    other = other_lang(lang_)
    query = {k: v for k, v in flask.request.args.items() if k != "lang"} | ({"lang": "en"} if other == "en" else {})
    switch = f'{flask.request.path}?{urlencode(query)}' if query else flask.request.path
    bar = f'<a href="{escape(switch)}" lang="{other}" hreflang="{other}">{escape(text("switch_lang", lang_))}</a>'
    if person is not None:
        roles = text("list_sep", lang_).join(text(f"role_{r}", lang_) for r in person.roles)
        bar = (f'<span>{escape(text("signed_in_as", lang_, name=person.name, roles=roles))}</span>'
               + form("desk.signout", lang_, "", text("signout", lang_), css="inline") + bar)
    return (f'<!DOCTYPE html><html lang="{lang_}" dir="{direction(lang_)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="robots" content="noindex, nofollow">'
            + (f'<meta http-equiv="refresh" content="{refresh}">' if refresh else "") +
            f'<title>{escape(title)} — {escape(text("desk", lang_))}</title>'
            f'<link rel="stylesheet" href="{escape(flask.url_for("desk.stylesheet"))}"></head><body>'
            f'<header class="desk-bar"><a href="{escape(url("desk.home", lang_))}" class="desk-name">'
            f'{escape(text("desk", lang_))}</a><nav>{bar}</nav></header>'
            f'<main id="main" class="desk">{body}</main></body></html>')
