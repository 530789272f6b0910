"""The validator's messages in Arabic and English (etl/messages.py): one catalogue, every
problem of etl/ said through it, and `spi validate` / `spi build` speaking the clerk's language
(`--lang`, else the locale)."""
from __future__ import annotations

import ast
import json
import os
import pickle
import re
import shutil
import string
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.messages import FSI, MESSAGES, NOUNS, PDI, Text, language, render
from etl.report import ERROR, Issue, format_report

ETL = Path(__file__).resolve().parent.parent / "etl"
# What constructs a problem of a source file, a refusal of the release engine (or of its
# reasons) or an error of the catalogue; its message (and expected) are its first two arguments
# (Issue: after the file; the catalogue's fail: after the entry's path).
PROBLEMS = {"Issue": 1, "FileProblem": 0, "LayoutProblem": 0, "SheetProblem": 0, "_CellProblem": 0, "problem": 0,
            "DraftRefused": 0, "ReleaseError": 0, "ReasonsError": 0, "fail": 1, "YamlFileError": 0}
ISOLATED = re.compile(f"{FSI}[^{FSI}{PDI}]*{PDI}")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _specs(template: str) -> set[str]:
    return {spec for _, name, spec, _ in string.Formatter().parse(template) if name and spec}


def test_every_key_has_both_languages_with_the_same_fields():
    assert len(MESSAGES) > 200
    for key, texts in MESSAGES.items():
        assert set(texts) == {"ar", "en"}, key
        assert texts["ar"].strip() and texts["en"].strip(), key
        assert _fields(texts["ar"]) == _fields(texts["en"]), key
        for spec in _specs(texts["ar"]) | _specs(texts["en"]):
            if spec.startswith("#"):       # a counted noun: every CLDR category of Arabic
                assert set(NOUNS[spec[1:]]) == {"zero", "one", "two", "few", "many", "other"}, key


def test_arabic_templates_keep_latin_runs_isolated():
    """Code and Latin words in an Arabic template (`hidden: skip`, indicators.yaml) read in order."""
    for key, texts in MESSAGES.items():
        bare = ISOLATED.sub("", re.sub(r"\{[^{}]*\}", "", texts["ar"]))
        assert not re.search("[A-Za-z]", bare), (key, bare)


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name in PROBLEMS:
                yield name, node


def _is_literal_text(node) -> bool:
    """A message written in place: a string, an f-string, or text joined to one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value != ""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_literal_text(node.left) or _is_literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return _is_literal_text(node.body) or _is_literal_text(node.orelse)
    return False


def test_no_problem_in_etl_is_made_with_a_message_written_in_place():
    found, bad = 0, []
    for path in sorted(ETL.glob("*.py")):
        for name, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            found += 1
            first = PROBLEMS[name]
            args = call.args[first:first + 2] + [k.value for k in call.keywords if k.arg in ("message", "expected")]
            bad += [f"{path.name}:{call.lineno}" for a in args if _is_literal_text(a)]
    assert found > 100
    assert bad == []


def test_every_key_named_in_etl_is_in_the_catalogue():
    keys, prefixes = set(), set()
    for path in sorted(ETL.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("Text", "render") and node.args:
                key = node.args[0]
                if isinstance(key, ast.Constant):
                    keys.add(key.value)
                elif isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
                    prefixes.add(key.values[0].value)
    assert len(keys) > 200
    assert keys - set(MESSAGES) == set()
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in MESSAGES), prefix


def test_a_text_is_its_english_and_renders_arabic():
    t = Text("validate.unknown_source", source="om_x", near=Text("validate.did_you_mean", name="om_mosd"))
    assert t == "unknown source 'om_x' (did you mean 'om_mosd'?)"
    assert t.render("ar") == f"مصدر غير معروف «{FSI}om_x{PDI}» (هل المقصود «{FSI}om_mosd{PDI}»؟)"
    back = pickle.loads(pickle.dumps(t))
    assert back == t and back.render("ar") == t.render("ar")


@pytest.mark.parametrize("count, words", [(2, "صف آخر"), (3, "صفّان آخران"), (4, "3 صفوف أخرى"),
                                          (12, "11 صفًا آخر"), (101, "100 صف آخر")])
def test_more_rows_take_the_form_of_their_number(count, words):
    issue = Issue("a.csv", Text("validate.negative"), Text("validate.not_negative"), row=2, column="value",
                  value="-3", count=count, more_rows=tuple(range(3, 3 + min(count - 1, Issue.MORE_ROWS))))
    assert f"والمشكلة نفسها في {words}:" in issue.text("ar")
    assert f"; {count - 1:,} more row(s) like it: " in str(issue)


def test_issue_parts_for_the_desk():
    issue = Issue("om.xlsx", Text("validate.fraction"), Text("validate.whole_number"), sheet="data", row=7,
                  column="I", value="12.5", count=2, more_rows=("I9",))
    assert issue.message_text("ar") == "عدد فيه كسر" and issue.message_text("en") == "a count with a fraction"
    assert issue.expected_text("ar") == "عدد صحيح" and issue.expected_text() == "a whole number"
    assert issue.text("ar") == (f"خطأ: الملف {FSI}om.xlsx{PDI}، الورقة «{FSI}data{PDI}»، الصف 7، العمود «{FSI}I{PDI}»: "
                                f"القيمة «{FSI}12.5{PDI}»: عدد فيه كسر (المتوقع: عدد صحيح)؛ والمشكلة نفسها في خلية "
                                f"أخرى: {FSI}I9{PDI}")
    assert str(issue) == issue.text("en") == ("ERROR: om.xlsx, sheet 'data', row 7, column 'I': value '12.5': a count "
                                              "with a fraction (expected a whole number); 1 more cell(s) like it: I9")
    many = [issue] * 3
    assert format_report(many, limit=1, lang="ar").endswith("… ومشكلتان أخريان")
    assert format_report(many, limit=1).endswith("… and 2 more")


def test_the_language_is_the_option_else_the_locale():
    assert language("en", {"LANG": "ar_OM.UTF-8"}) == "en"
    assert language(None, {"LANG": "ar_OM.UTF-8"}) == "ar"
    assert language(None, {"LC_ALL": "en_GB.UTF-8", "LANG": "ar_OM.UTF-8"}) == "en"
    assert language(None, {"LC_MESSAGES": "ar_JO", "LANG": "en_US"}) == "ar"
    assert language(None, {}) == "en"


# -------------------------------------------------------------- through `spi validate`, on real files

BAD_CSV = """indicator_id,geo,period,unit,value,source_id
jo_psychosocial_teem,الأردن,2024,موظف,44,jo_emv_annual_2024
jo_psychosocial_team,الأردن,2024x,موظف,44,jo_emv_annual_2024
jo_psychosocial_team,عمانن,2024,موظف,44,jo_emv_annual_2024
jo_psychosocial_team,الأردن,2024,موظف,4x4,jo_emv_annual_2024
jo_psychosocial_certified,الأردن,2024,موظف,17,jo_emv_annual_2024
jo_psychosocial_certified,الأردن,2024,موظف,17,jo_emv_annual_2024
"""


def _validate(paths, copy, file: Path, *args, env=None):
    run_env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    run_env.update(env or {"LANG": "C.UTF-8"})
    return subprocess.run([str(paths.spi), "validate", str(file), "--raw", str(copy.raw), "--catalogue",
                           str(copy.catalogue), *args], capture_output=True, text=True, timeout=180, env=run_env)


def _no_english_left(text: str) -> str:
    """The Arabic report with its isolated runs (names, values, codes) taken out: no Latin letter may be left."""
    return ISOLATED.sub("", text)


@pytest.fixture
def bad_csv(source_copy):
    path = source_copy.raw / "jo_social_protection_2024.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    return path


def test_spi_validate_in_arabic_names_the_file_row_column_and_value(paths, source_copy, bad_csv):
    done = _validate(paths, source_copy, bad_csv, "--lang", "ar")
    assert done.returncode == 1
    err = done.stderr
    f = lambda s: f"{FSI}{s}{PDI}"
    file = f"خطأ: الملف {f('jo_social_protection_2024.csv')}"
    assert (f"{file}، الصف 2، العمود «{f('indicator_id')}»: القيمة «{f('jo_psychosocial_teem')}»: مؤشر غير معروف "
            f"(هل المقصود «{f('jo_psychosocial_team')}»؟)") in err
    assert f"{file}، الصف 3، العمود «{f('period')}»: القيمة «{f('2024x')}»: الفترة «{f('2024x')}»: ليست فترة" in err
    assert f"{file}، الصف 4، العمود «{f('geo')}»: القيمة «{f('عمانن')}»: محافظة أو بلد غير معروف في الأردن" in err
    assert f"{file}، الصف 5، العمود «{f('value')}»: القيمة «{f('4x4')}»: الرقم «{f('4x4')}»: ليست عددًا" in err
    assert (f"{file}، الصف 7، العمود «{f('value')}»: القيمة «{f('17')}»: رقم مكرر: المؤشر والمكان والفترة والتصنيف "
            f"نفسها كما في الملف {f('jo_social_protection_2024.csv')}، الصف 6") in err
    assert "(المتوقع: " in err and "عدد الأخطاء: 5" in err
    report = "\n".join(line for line in err.splitlines() if line.startswith("خطأ"))
    assert len(report.splitlines()) == 5
    assert not re.search("[A-Za-z]", _no_english_left(report)), _no_english_left(report)


def test_spi_validate_in_english_is_as_before(paths, source_copy, bad_csv):
    done = _validate(paths, source_copy, bad_csv, "--lang", "en")
    assert done.returncode == 1
    err = done.stderr
    assert ("ERROR: jo_social_protection_2024.csv, row 2, column 'indicator_id': value 'jo_psychosocial_teem': unknown "
            "indicator (did you mean 'jo_psychosocial_team'?) (expected an indicator id declared under `indicators:` "
            "in indicators.yaml)") in err
    assert ("ERROR: jo_social_protection_2024.csv, row 5, column 'value': value '4x4': the figure '4x4' is not a "
            "number (cannot read '4x4') (expected a number such as 72675, 122,178,206 or '169 ألفًا و998')") in err
    assert ("ERROR: jo_social_protection_2024.csv, row 7, column 'value': value '17': duplicate figure: the same "
            "indicator, place, period and breakdown as jo_social_protection_2024.csv row 6 (expected each figure "
            "once)") in err
    assert "5 error(s)" in err
    assert not re.search("[\u0621-\u064a]", ISOLATED.sub("", "\n".join(
        line.split(": value ")[0] for line in err.splitlines() if line.startswith("ERROR"))))
    assert _validate(paths, source_copy, bad_csv).stderr == err       # no --lang, an English locale


def test_an_arabic_locale_without_lang_speaks_arabic(paths, source_copy, bad_csv):
    by_locale = _validate(paths, source_copy, bad_csv, env={"LANG": "ar_OM.UTF-8"})
    assert by_locale.returncode == 1
    assert "مؤشر غير معروف" in by_locale.stderr and "ERROR" not in by_locale.stderr
    assert by_locale.stderr == _validate(paths, source_copy, bad_csv, "--lang", "ar").stderr


def test_a_workbook_in_arabic_names_its_sheet_and_a_hidden_sheet_is_said(paths, source_copy):
    path = source_copy.raw / "om_mosd_national.xlsx"
    book = openpyxl.load_workbook(path)
    book["data"]["I4"] = "72x675"
    book.save(path)
    done = _validate(paths, source_copy, path, "--lang", "ar")
    assert done.returncode == 1
    f = lambda s: f"{FSI}{s}{PDI}"
    assert (f"خطأ: الملف {f('om_mosd_national.xlsx')}، الورقة «{f('data')}»، الصف 4، العمود «{f('2021')}»: "
            f"القيمة «{f('72x675')}»: الرقم «{f('72x675')}»: ليست عددًا") in done.stderr
    book["data"].sheet_state = "hidden"
    book.active = book.sheetnames.index("sources")
    book.save(path)
    done = _validate(paths, source_copy, path, "--lang", "ar")
    assert done.returncode == 1
    assert (f"خطأ: الملف {f('om_mosd_national.xlsx')}، الورقة «{f('data')}»: الورقة مخفية: لا يراها من يقرأ المصنف "
            f"(المتوقع: {f('`hidden: read`')} في وصفة إن كانت أرقامها مقصودة)") in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("خطأ")]
    assert lines and not re.search("[A-Za-z]", _no_english_left("\n".join(lines)))


def test_spi_build_in_arabic(paths, source_copy, bad_csv):
    done = subprocess.run([str(paths.spi), "build", *source_copy.cli_args(), "--lang", "ar"], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 1
    assert "تعذّر البناء: 5 أخطاء؛ لم تتغير قاعدة البيانات" in done.stderr
    assert "مؤشر غير معروف" in done.stderr
    assert not source_copy.out.exists()
    shutil.copyfile(paths.raw / bad_csv.name, bad_csv)
    done = subprocess.run([str(paths.spi), "build", *source_copy.cli_args(), "--lang", "ar"], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert re.search(r"بُنيت .+ في [\d.]+ ثانية: 3 ملفات، \d+ مؤشرًا، \d+ مشاهدة", done.stdout), done.stdout
    assert ERROR not in done.stdout


def test_spi_recipe_draft_refuses_in_arabic(paths, source_copy, tmp_path):
    workbook = source_copy.raw / "om_mosd_national.xlsx"
    done = subprocess.run([str(paths.spi), "recipe", "draft", str(workbook), "--sheet", "datta", "--catalogue",
                           str(source_copy.catalogue), "--out", str(tmp_path / "x.layout.yaml"), "--lang", "ar"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 1
    assert (f"لا ورقة باسم «{FSI}datta{PDI}» في {FSI}om_mosd_national.xlsx{PDI} (أوراقه: «{FSI}data{PDI}»، "
            f"«{FSI}sources{PDI}»)؛ هل المقصود «{FSI}data{PDI}»؟؛ لم يُكتب شيء") in done.stderr
    assert not (tmp_path / "x.layout.yaml").exists()


# -------------------------------------------------------------- the release engine's refusals, the catalogue's errors

def test_a_release_refusal_is_its_english_as_before_and_says_arabic():
    from etl.approval import refusal
    from etl.release import ReleaseError, local_time, release_notes
    f = lambda s: f"{FSI}{s}{PDI}"
    with pytest.raises(ReleaseError) as refused:
        release_notes("Revised figures", "Revised figures")
    assert str(refused.value) == ("the Arabic note (--note-ar) 'Revised figures' has no Arabic letter: give the note in "
                                  "Arabic there, and in English with --note-en")
    said = refused.value.args[0]
    assert said.render("ar") == (f"الملاحظة العربية ({f('--note-ar')}) «{f('Revised figures')}» ليس فيها حرف عربي: "
                                 f"اكتب الملاحظة فيها بالعربية، واكتبها بالإنجليزية في الملاحظة الإنجليزية "
                                 f"({f('--note-en')})")
    # the desk names its own fields, not the command's options, in both languages
    desk = refusal(refused.value)
    assert str(desk) == ("the Arabic note (the Arabic note) 'Revised figures' has no Arabic letter: give the note in "
                         "Arabic there, and in English with the English note")
    assert desk.text("ar") == (f"ملاحظة الإصدار بالعربية «{f('Revised figures')}» ليس فيها حرف عربي: اكتب الملاحظة "
                               "فيها بالعربية، واكتبها بالإنجليزية في ملاحظة الإصدار بالإنجليزية")
    with pytest.raises(ReleaseError) as gap:      # the clocks go forward in London on 2026-03-29 at 01:00
        local_time("2026-03-29T01:30", "Europe/London")
    assert str(gap.value) == ("--at 2026-03-29T01:30: that time does not exist in Europe/London: the clocks go forward "
                              "that night, from UTC+00:00 to UTC+01:00. Give a time outside the gap, or with its offset "
                              "(e.g. 2026-03-29T01:30+01:00)")
    assert gap.value.args[0].render("ar") == (
        f"{f('--at')} {f('2026-03-29T01:30')}: هذا الوقت لا وجود له بتوقيت {f('Europe/London')}: تُقدَّم الساعة تلك "
        f"الليلة من {f('UTC+00:00')} إلى {f('UTC+01:00')}. اختر وقتًا خارج هذه الفجوة، أو اذكره بفرق توقيته (مثل "
        f"{f('2026-03-29T01:30+01:00')})")
    assert refusal(gap.value).text("ar").startswith(f"موعد النشر {f('2026-03-29T01:30')}: ")
    assert pickle.loads(pickle.dumps(said)).render("ar") == said.render("ar")   # a build's worker sends it back


def test_spi_release_refuses_in_english_as_before(source_copy, capsys):
    from spi.cli import main as spi
    where = ["--out", str(source_copy.out), "--releases", str(source_copy.releases), "--catalogue",
             str(source_copy.catalogue)]
    assert spi(["release", "--note-ar", "Revised", "--note-en", "Revised", *where]) == 1
    assert capsys.readouterr().err == ("release refused: the Arabic note (--note-ar) 'Revised' has no Arabic letter: "
                                       "give the note in Arabic there, and in English with --note-en; nothing was "
                                       f"changed in {source_copy.releases}\n")
    assert spi(["release", "--note-ar", "أرقام منقحة", "--note-en", "Revised", *where]) == 1
    assert capsys.readouterr().err == (f"release refused: no candidate at {source_copy.out / 'indicators.duckdb'}: run "
                                       f"`spi build` first; nothing was changed in {source_copy.releases}\n")


@pytest.fixture
def bad_zone(source_copy):
    """The copy's catalogue with a time zone the zone database does not know."""
    text = source_copy.catalogue.read_text(encoding="utf-8")
    source_copy.catalogue.write_text(text.replace("site:\n", "site:\n  timezone: Asia/Muskat\n", 1), encoding="utf-8")
    return source_copy


def test_a_catalogue_error_in_arabic_by_spi_validate_and_spi_build(paths, bad_zone):
    f = lambda s: f"{FSI}{s}{PDI}"
    file = bad_zone.raw / "jo_social_protection_2024.csv"
    arabic = f"{f('site.timezone')}: «{f('Asia/Muskat')}» ليس اسم منطقة زمنية مثل {f('Asia/Muscat')}"
    done = _validate(paths, bad_zone, file, "--lang", "ar")
    assert done.returncode == 1 and done.stderr == f"{f('indicators.yaml')}: {arabic}\n"
    english = _validate(paths, bad_zone, file, "--lang", "en")
    assert english.stderr == ("indicators.yaml: site.timezone: 'Asia/Muskat' is not a time zone name such as "
                              "Asia/Muscat\n")
    built = subprocess.run([str(paths.spi), "build", *bad_zone.cli_args(), "--lang", "ar"], capture_output=True,
                           text=True, timeout=180)
    assert built.returncode == 1
    assert f"خطأ: الملف {f('indicators.yaml')}: {arabic}" in built.stderr, built.stderr


def test_a_reason_refused_and_what_an_interrupted_run_left_say_arabic(tmp_path):
    from etl.revisions import ReasonsError, checked
    from etl.transaction import PART, recover
    f = lambda s: f"{FSI}{s}{PDI}"
    reason = {"indicator_id": "om_ss_cases", "geo_code": "OM", "period": "2023", "kind": "correction",
              "reason_ar": "", "reason_en": "A typing error was corrected.", "where": "reasons.csv row 2"}
    with pytest.raises(ReasonsError) as refused:
        checked([reason], pd.DataFrame(columns=["indicator_id", "geo_code", "period", "change"]), [], False)
    assert str(refused.value) == ("reasons.csv row 2: reason_ar is empty: say why the figure changes in Arabic "
                                  "(reason_ar) and in English (reason_en)")
    assert refused.value.args[0].render("ar") == (f"{f('reasons.csv row 2')}: {f('reason_ar')} فارغ: اذكر سبب تغيّر "
                                                  f"الرقم بالعربية ({f('reason_ar')}) وبالإنجليزية ({f('reason_en')})")
    (tmp_path / f"{PART}1234-indicators.duckdb").write_bytes(b"half")
    said = recover(tmp_path)
    assert not list(tmp_path.iterdir())
    assert said == [f"removed 1 temporary file(s) an interrupted run left in {tmp_path} (it had not been decided: "
                    "nothing of it was swapped in)"]
    assert said[0].render("ar") == (f"حُذفت ملفات مؤقتة عددها 1 تركها تشغيلٌ انقطع في {f(tmp_path)} (لم يكن قد "
                                    "تقرّر: لم يُستبدل شيء منه)")


# -- a YAML file's problems of shape (etl/checked_yaml.py), in Arabic ---------------------------

@pytest.mark.parametrize("change, english, arabic", [
    (("header_rows: [2]", "header_rows: two"), "line 4: header_rows: 'two' is not of type 'array' (expected table "
     "layout: the rows that head the columns",
     f"السطر 4: {FSI}header_rows{PDI}: «{FSI}two{PDI}» ليس قائمة (المتوقع: تخطيط {FSI}table{PDI}: الصفوف التي "
     "تعنون الأعمدة"),
    (("rows: geo\n", "rows: geo\ncolums: [x]\n"), "line 1: the top level: Additional properties are not allowed "
     "('colums' was unexpected; did you mean 'columns'?)",
     f"السطر 1: المستوى الأعلى: مفتاح غير معروف هنا: «{FSI}colums{PDI}» (هل المقصود «{FSI}columns{PDI}»؟)"),
    (("header_rows: [2]\n", "header_rows: [2\n"), "not valid YAML: while parsing a flow sequence\n  in "
     "\"<unicode string>\", line 4, column 14\ndid not find expected ',' or ']'",
     f"ليس نص {FSI}YAML{PDI} صالحًا: السطر 5، العمود 8: لم تُوجد الفاصلة «,» أو القوس «]» المتوقعان (في قائمة بين "
     "قوسين [ ] بدأ في السطر 4، العمود 14)"),
    (("rows: geo\n", "rows: geo: x\n"), "not valid YAML: mapping values are not allowed in this context",
     "السطر 6، العمود 10: لا يجوز مفتاح وقيمته هنا"),
    (("columns: [period]\n", ""), "line 1: the top level: 'columns' is a required property",
     f"السطر 1: المستوى الأعلى: المفتاح «{FSI}columns{PDI}» مطلوب"),
])
def test_a_recipe_s_problem_of_shape_is_said_in_arabic_and_its_english_as_before(tmp_path, change, english, arabic):
    """The clerk edits the recipe in the desk: a problem of its shape is said in Arabic (by its
    kind: a value of another type, a key it does not know with the closest it does, YAML that
    does not parse), and in English as jsonschema says it, as before."""
    from etl.catalogue import load_catalogue
    from etl.upload_grid import grid
    from tests.tables import INDICATOR, RECIPE, yearbook
    catalogue = tmp_path / "indicators.yaml"
    catalogue.write_text(Path("indicators.yaml").read_text(encoding="utf-8").replace("indicators:\n", "indicators:\n" + INDICATOR, 1),
                         encoding="utf-8")
    table = yearbook(tmp_path / "table.xlsx", [["مسقط", 1234, 1250]])
    (issue,) = grid(table, RECIPE.replace(*change), load_catalogue(catalogue)).issues
    assert english in issue.text("en") and arabic in issue.text("ar")
    bare = re.sub(f"{FSI}[^{PDI}]*{PDI}", "", issue.text("ar"))
    assert not re.search("[A-Za-z]{2}", bare), bare     # no English outside the isolated names


def test_every_description_of_the_software_s_schemas_is_said_in_arabic_too():
    """A problem of shape says what is expected from the schema's description: in Arabic from
    its `description_ar`, so every description has one, in Arabic."""
    def walk(node, path=()):
        if isinstance(node, dict):
            if isinstance(node.get("description"), str):
                yield path, node
            for key, value in node.items():
                yield from walk(value, (*path, key))
        elif isinstance(node, list):
            for n, value in enumerate(node):
                yield from walk(value, (*path, n))
    schemas = sorted((ETL / "schemas").glob("*.schema.json"))
    assert len(schemas) == 2
    for schema in schemas:
        for path, node in walk(json.loads(schema.read_text(encoding="utf-8"))):
            assert re.search("[\u0621-\u064a]", node.get("description_ar", "")), (schema.name, path)


def test_the_catalogue_s_problems_of_shape_are_said_in_arabic_each_on_its_line(tmp_path):
    from etl.catalogue import CatalogueError, load_catalogue
    bad = tmp_path / "indicators.yaml"
    bad.write_text(Path("indicators.yaml").read_text(encoding="utf-8").replace("licence:", "licens:", 1), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(bad)
    assert str(caught.value) == ("indicators.yaml: line 1: the top level: 'licence' is a required property\n"
                                 "indicators.yaml: line 1: the top level: Additional properties are not allowed "
                                 "('licens' was unexpected)")
    name = f"{FSI}indicators.yaml{PDI}"
    assert caught.value.args[0].render("ar") == (
        f"{name}: السطر 1: المستوى الأعلى: المفتاح «{FSI}licence{PDI}» مطلوب\n"
        f"{name}: السطر 1: المستوى الأعلى: مفتاح غير معروف هنا: «{FSI}licens{PDI}» (هل المقصود «{FSI}licence{PDI}»؟)")
    done = subprocess.run([".venv/bin/spi", "build", "--catalogue", str(bad), "--out", str(tmp_path / "out"), "--lang", "ar"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "المفتاح «" in done.stdout + done.stderr and "required property" not in done.stdout + done.stderr
