"""Problems found in source files, as rows a statistician can act on.

Every problem names the file, sheet, row and column, the value found and what was
expected, in the manner of frictionless's validation reports. A cause that many rows share
(a thousand repeated rows, a misspelt indicator on every line) is one issue: its first row,
how many rows share it, and the next few rows, not a thousand identical lines.

Three severities: an ERROR stops the build; a WARNING asks the clerk to check something; an
INFO line says what the catalogue itself declares (an indicator announced, with no figures
published yet), which is nothing to act on: it is never counted as a warning, and it is
printed apart from the problems (`format_info`).

Each message is a Text of etl/messages.py: str(issue) is the line in English, as it always
was; issue.text("ar") the same line in Arabic (the place, the value and the counts too), and
message_text / expected_text its parts, for a page that shows the message beside its cell.
"""
from __future__ import annotations

from dataclasses import dataclass

from .messages import Verbatim, isolate, render, text

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Issue:
    """One problem in one place of one source file."""

    file: str
    message: str                    # a Text of etl/messages.py: its English text, rendered in Arabic too
    expected: str = ""              # a Text, or ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    severity: str = ERROR
    count: int = 1                  # rows (or cells) with this same cause, this one included
    more_rows: tuple = ()           # the next few of them: row numbers, or cells such as "C4"

    MORE_ROWS = 5

    @property
    def key(self) -> str | None:
        """The message's key in etl/messages.py (None for a message that is not one of its Texts)."""
        return getattr(self.message, "key", None)

    def message_text(self, lang: str = "en") -> str:
        """What is wrong, in `lang` ("ar" or "en"), without where: the desk shows it beside its cell."""
        return text(self.message, lang)

    def expected_text(self, lang: str = "en") -> str:
        """What was expected, in `lang` ("" when nothing is said)."""
        return text(self.expected, lang)

    def where(self, lang: str = "en") -> str:
        parts = [render("report.file", lang, {"file": self.file})]
        if self.sheet:
            parts.append(render("report.sheet", lang, {"sheet": self.sheet}))
        if self.row is not None:
            parts.append(render("report.row", lang, {"row": self.row}))
        if self.column:
            parts.append(render("report.column", lang, {"column": self.column}))
        return ("، " if lang == "ar" else ", ").join(parts)

    def text(self, lang: str = "en") -> str:
        """The whole line in `lang`: severity, where, the value, what is wrong, what was
        expected and how many more rows (or cells) share the cause. str(issue) is text("en")."""
        line = f"{render('report.' + self.severity, lang, {})}: {self.where(lang)}"
        if self.value is not None:
            line += ": " + render("report.value", lang, {"value": self.value})
        line += f": {self.message_text(lang)}"
        if self.expected:
            line += render("report.expected", lang, {"expected": self.expected})
        if self.count > 1:
            more = [str(r) if lang != "ar" or isinstance(r, int) else isolate(str(r)) for r in self.more_rows]
            if self.count - 1 > len(self.more_rows):
                more.append("…")
            rows = all(isinstance(r, int) for r in self.more_rows)
            line += render("report.more_rows" if rows else "report.more_cells", lang,
                           {"n": self.count - 1, "shown": Verbatim(("، " if lang == "ar" else ", ").join(more))})
        return line

    def __str__(self) -> str:
        return self.text("en")


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == ERROR]


def format_report(issues: list[Issue], limit: int = 50, lang: str = "en") -> str:
    """The problems as text lines, errors first, at most `limit` of them. INFO lines are not
    problems: they are left out here and printed apart (format_info)."""
    ordered = sorted((i for i in issues if i.severity != INFO),
                     key=lambda i: (i.severity != ERROR, i.file, i.sheet or "", i.row or 0))
    lines = [i.text(lang) for i in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(render("report.and_more", lang, {"n": len(ordered) - limit}))
    return "\n".join(lines)


def format_info(issues: list[Issue], lang: str = "en") -> str:
    """The INFO lines among the issues, one each, in their order ("" when there are none)."""
    return "\n".join(i.text(lang) for i in issues if i.severity == INFO)
