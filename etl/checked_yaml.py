"""YAML files people write (indicators.yaml, layout recipes): read one, parse it, and check
its shapes against a JSON Schema, each problem reported with the line it is on.

Shapes (which keys an entry has, which are text, numbers, lists…) are the schema's, checked
by jsonschema; what the references mean (a unit that exists, an ISO code, a source of the
right country) is the reader's (etl/catalogue.py, etl/layouts.py). Two things a plain YAML loader would let through are
refused here: a key given twice in one mapping (YAML keeps the last one, silently), and a
date written without quotes (YAML turns it into a date object; here it stays the text). And
one thing a plain loader would choke on: anchors and aliases (`&base`, `*base`) that expand to
more than MAX_ALIAS_NODES nodes (a "billion laughs" file of a few lines, which would take a
minute and all the memory to check), or an alias inside the node it names (a structure without
end), are refused before the file is composed, naming the line.
"""
from __future__ import annotations

import ast
import difflib
import json
import re
from pathlib import Path

import jsonschema
import yaml

from .messages import MESSAGES, Both, Text, _isolated_runs, isolate, text

SCHEMAS = Path(__file__).resolve().parent / "schemas"   # the software's own, installed with it
MAX_PROBLEMS = 20
# The nodes that aliases may add to a file, all aliases together (each counted as the node it
# names, expanded). A catalogue that shares a block through an anchor (a list of files, a
# definition) adds a few hundred or thousand; the shipped one uses none. The file's own nodes
# are not counted, so a large catalogue written out in full is never refused.
MAX_ALIAS_NODES = 100_000


class YamlFileError(ValueError):
    """The file cannot be read as what it should be; the message (a Text of etl/messages.py, said
    in the reader's language) names the line and the entry."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's, which parses a large catalogue ten times faster) that keeps
    timestamps as text (the catalogue's dates are labels)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise YamlFileError(Text("yaml.missing")) from None
    except IsADirectoryError:
        raise YamlFileError(Text("yaml.folder")) from None
    except OSError as exc:
        raise YamlFileError(Text("yaml.unreadable", why=exc.strerror or type(exc).__name__)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise YamlFileError(Text("yaml.not_utf8", line=line, byte=exc.start)) from None


def _limit_aliases(text: str, bound: int = MAX_ALIAS_NODES) -> None:
    """Refuse aliases that expand beyond `bound` nodes, or into the node they are in, reading
    the C parser's events (no node is composed): each anchor's expanded size is recorded when
    its node ends, and each alias adds its anchor's size."""
    if "&" not in text or "*" not in text:   # no anchor, or no alias: nothing to expand
        return
    sizes: dict[str, int] = {}     # anchor -> the nodes its node expands to
    open_nodes: list[tuple] = []   # (anchor, nodes counted before it) of each collection not yet ended
    nodes = added = 0
    for event in yaml.parse(text, Loader=_Loader):
        defined = None if isinstance(event, yaml.AliasEvent) else getattr(event, "anchor", None)
        if defined is not None and (defined in sizes or any(a == defined for a, _ in open_nodes)):
            return   # an anchor given twice: the composer refuses the file, naming both lines
        if isinstance(event, yaml.AliasEvent):
            if any(a == event.anchor for a, _ in open_nodes):
                raise YamlFileError(Text("yaml.alias_loop", line=event.start_mark.line + 1, anchor=event.anchor))
            size = sizes.get(event.anchor, 0)   # an undefined alias is the composer's error
            nodes += size
            added += size
            if added > bound:
                raise YamlFileError(Text("yaml.alias_bomb", line=event.start_mark.line + 1, bound=bound))
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if defined is not None:
                sizes[defined] = 1
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_nodes.append((defined, nodes))
            nodes += 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, before = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = nodes - before


def _lines(node, path: tuple, out: dict) -> None:
    """Record the line of every entry, and refuse a key given twice in one mapping."""
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key, value in node.value:
            name = key.value
            line = key.start_mark.line + 1
            if name in seen:
                where = ".".join(map(str, (*path, name)))
                raise YamlFileError(Text("yaml.twice", line=line, where=where, first=seen[name]))
            seen[name] = line
            out[(*path, name)] = line
            _lines(value, (*path, name), out)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            out[(*path, n)] = item.start_mark.line + 1
            _lines(item, (*path, n), out)


def _where(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or Text("yaml.top")


def _line(lines: dict, path: tuple) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


HINTED = {"type", "pattern", "anyOf", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems",
          "propertyNames"}


def _message(error: jsonschema.ValidationError, lines: dict) -> Text:
    """The problem on its line: in English jsonschema's own sentence, in Arabic the same error
    said by its kind; then what the value should be where the schema says it (its description,
    in Arabic its `description_ar`, which every description of the software's schemas has)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("description") if error.validator in HINTED else None
    what = Both(_arabic(error, schema).render("ar"), error.message)
    if hint:
        arabic = schema.get("description_ar")
        hint = Both(_isolated_runs(arabic) if arabic else isolate(hint), hint)
    return Text("yaml.at", line=_line(lines, tuple(error.absolute_path)), where=_where(error.absolute_path), what=what,
                expected=Text("yaml.expected", hint=hint) if hint else "")


def _arabic(error: jsonschema.ValidationError, schema: dict) -> Text:
    """What the error says, as a message whose Arabic is said (its English is jsonschema's)."""
    kind, value, wanted = error.validator, error.instance, error.validator_value
    if kind == "type":
        types = [wanted] if isinstance(wanted, str) else list(wanted)
        named = [Text(f"yaml.type_{t}") if f"yaml.type_{t}" in MESSAGES else t for t in types]
        said = named[0] if len(named) == 1 else Text("yaml.or", first=named[0], then=named[1])
        return Text("yaml.schema_type", value=_shown(value), types=said)
    if kind == "additionalProperties" and isinstance(value, dict):
        known = set(schema.get("properties", {}))
        extra = sorted(k for k in value if k not in known and not any(
            re.search(pattern, k) for pattern in schema.get("patternProperties", {})))
        return Text("yaml.schema_unexpected", names=extra, near=closest(extra[0], known) if len(extra) == 1 else "")
    if kind == "required":   # one error per key missing, named only in its message: "'sheet' is a required property"
        named = re.match(r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") is a required property$", error.message)
        return Text("yaml.schema_required", name=ast.literal_eval(named.group(1)) if named else error.message)
    if kind == "enum":
        return Text("yaml.schema_enum", value=_shown(value), allowed=list(wanted))
    if kind == "minItems":
        return Text("yaml.schema_few", value=_shown(value), n=wanted)
    if kind in ("minimum", "exclusiveMinimum"):
        return Text("yaml.schema_minimum", value=_shown(value), limit=wanted)
    if kind in ("maximum", "exclusiveMaximum"):
        return Text("yaml.schema_maximum", value=_shown(value), limit=wanted)
    if kind == "pattern":
        return Text("yaml.schema_pattern", value=_shown(value))
    return Text("yaml.schema_other", said=error.message)


def _shown(value) -> str:
    """A value as a problem quotes it: its text, cut short."""
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= 80 else shown[:79] + "…"


def closest(name: str, known) -> str:
    """" (did you mean 'x'?)" for the known name closest to `name`, or ""."""
    found = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    return Text("validate.did_you_mean", name=found[0]) if found else ""


def not_yaml(exc: yaml.YAMLError) -> Text:
    """The parser's complaint: in English its own words, as before; in Arabic the line and
    column it stopped at, what it found (libyaml's sentences, said in Arabic where the
    catalogue knows them, else isolated as written) and what it was reading, from where."""
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if not problem or mark is None:
        return Text("yaml.not_yaml", detail=Both(isolate(str(exc)), str(exc)))
    context, since = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    said = Text("yaml.parser_at", line=mark.line + 1, column=mark.column + 1, problem=_parser_words(problem))
    if context and since is not None and (since.line, since.column) != (mark.line, mark.column):
        said = Text("yaml.parser_since", said=said, context=_parser_words(context), line=since.line + 1,
                    column=since.column + 1)
    elif context:
        said = Text("yaml.parser_while", said=said, context=_parser_words(context))
    return Text("yaml.not_yaml", detail=Both(said.render("ar"), str(exc)))


def _parser_words(words: str) -> Text | str:
    """One of libyaml's sentences (etl/messages.py "yaml.libyaml.<sentence>"), or as written."""
    key = "yaml.libyaml." + words.split(";")[0].strip()
    return Text(key) if key in MESSAGES else words


def read_checked(path: Path, schema_name: str, lines: dict | None = None) -> dict:
    """The file's data, or YamlFileError naming every problem of shape, by line; the schema
    is the software's file `schema_name` in etl/schemas/ (indicators.schema.json, layout.schema.json).
    `lines`, when given, is filled with the line of every entry, by its path of keys and indexes
    (("units", "staff", "plausible_max"): 47), for the reader's own checks to name."""
    text = _text(path)
    try:
        _limit_aliases(text)
    except yaml.YAMLError as exc:
        raise YamlFileError(not_yaml(exc)) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            raise YamlFileError(Text("yaml.not_mapping"))
        lines = {} if lines is None else lines
        _lines(node, (), lines)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise YamlFileError(not_yaml(exc)) from None
    finally:
        loader.dispose()
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: _line(lines, tuple(e.absolute_path)))
    if errors:
        problems = [_message(e, lines) for e in errors[:MAX_PROBLEMS]]
        if len(errors) > MAX_PROBLEMS:
            problems.append(Text("yaml.more", n=len(errors) - MAX_PROBLEMS))
        raise YamlFileError(problem_lines(problems))
    return data


def problem_lines(problems: list, file: str | None = None) -> Text:
    """Problems (Texts or strs, each of one or more lines) a line each, in each language; with
    `file`, its name before every line but the first (which a message's own `{file}: ` heads)."""
    def said(lang: str) -> str:
        lines = [line for p in problems for line in text(p, lang).splitlines()]
        name = (isolate(file) if lang == "ar" else file) if file else None
        return "\n".join(f"{name}: {line}" if name and n else line for n, line in enumerate(lines))
    return Text("yaml.problems", lines=Both(said("ar"), said("en")))
