"""Problems found in source files, as rows a statistician can act on.

Every problem names the file, sheet, row and column, the value found and what was
expected, in the manner of frictionless's validation reports. A cause that many rows share
(a thousand repeated rows, a misspelt indicator on every line) is one issue: its first row,
how many rows share it, and the next few rows, not a thousand identical lines.

Three severities: an ERROR stops the build; a WARNING asks the clerk to check something; an
INFO line says what the catalogue itself declares (an indicator announced, with no figures
published yet), which is nothing to act on: it is never counted as a warning, and it is
printed apart from the problems (`format_info`).
"""
from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Issue:
    """One problem in one place of one source file."""

    file: str
    message: str
    expected: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    severity: str = ERROR
    count: int = 1                  # rows (or cells) with this same cause, this one included
    more_rows: tuple = ()           # the next few of them: row numbers, or cells such as "C4"

    MORE_ROWS = 5

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.severity.upper()}: {self.where()}"
        if self.value is not None:
            text += f": value {self.value!r}"
        text += f": {self.message}"
        if self.expected:
            text += f" (expected {self.expected})"
        if self.count > 1:
            shown = ", ".join(map(str, self.more_rows)) + (", …" if self.count - 1 > len(self.more_rows) else "")
            what = "row(s)" if all(isinstance(r, int) for r in self.more_rows) else "cell(s)"
            text += f"; {self.count - 1:,} more {what} like it: {shown}"
        return text


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == ERROR]


def format_report(issues: list[Issue], limit: int = 50) -> str:
    """The problems as text lines, errors first, at most `limit` of them. INFO lines are not
    problems: they are left out here and printed apart (format_info)."""
    ordered = sorted((i for i in issues if i.severity != INFO),
                     key=lambda i: (i.severity != ERROR, i.file, i.sheet or "", i.row or 0))
    lines = [str(i) for i in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"… and {len(ordered) - limit} more")
    return "\n".join(lines)


def format_info(issues: list[Issue]) -> str:
    """The INFO lines among the issues, one each, in their order ("" when there are none)."""
    return "\n".join(str(i) for i in issues if i.severity == INFO)
