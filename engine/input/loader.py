"""Safe YAML reading that remembers where every value came from.

PyYAML's ``safe_load`` silently keeps the last of two duplicated keys and loses line numbers;
a lawyer's typo must instead be reported at its line. We compose the node tree with the safe
loader, then build plain Python values ourselves, recording each path's line and column,
rejecting duplicate keys and bounding alias expansion (a "billion laughs" file stops early).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from engine.input.errors import InputError, Problem
from engine.input.model import reference_problems

MAX_BYTES = 1_000_000
MAX_NODES = 200_000

Marks = dict[tuple, tuple[int, int]]
# libyaml's composer when PyYAML was built with it (same nodes and marks, several times faster)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Builder:
    """Turns a composed YAML node tree into Python values plus a path -> (line, col) map."""

    def __init__(self, file: str):
        self.file = file
        self.marks: Marks = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def _at(self, mark: yaml.Mark, path: tuple, message: str) -> None:
        """Record a problem at a YAML position."""
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, _dotted(path), message))

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputError(
                [
                    Problem(
                        self.file,
                        None,
                        None,
                        "",
                        f"document expands to more than {MAX_NODES} values (alias/anchor expansion?); refusing to read it",
                    )
                ]
            )
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in PLAIN_TAGS:
            mark = node.start_mark
            self._at(mark, path, f"tag {node.tag!r} is not allowed; write plain YAML")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._at(key_node.start_mark, path, "merge keys ('<<') are not supported; write the fields out")
                    continue
                key = self.constructor.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    self._at(key_node.start_mark, path, "a mapping key must be a plain scalar")
                    continue
                if key in seen:
                    message = f"duplicate key '{key}' (first at line {seen[key]}); a key may appear once"
                    self._at(key_node.start_mark, path + (key,), message)
                    continue
                seen[key] = line
                self.marks[path + (key,)] = (line, key_node.start_mark.column + 1)
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            mark = node.start_mark
            self._at(mark, path, f"invalid YAML value: {exc.problem}")
            return None
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2017-13-45
            mark = node.start_mark
            self._at(mark, path, f"cannot read value {node.value!r}: {exc}")
            return None


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: str | Path) -> tuple[Any, Marks]:
    """Read one YAML document safely; return its value and where each path sits in the file."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([Problem(file, None, None, "", f"cannot read file: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(file, None, None, "", f"file is {len(raw)} bytes; the limit is {MAX_BYTES}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [Problem(file, line, None, "", f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8")]
        ) from None
    return parse_yaml(text, file)


def parse_yaml(text: str, file: str = "<string>") -> tuple[Any, Marks]:
    """Parse YAML text (one document) with duplicate-key and expansion checks."""
    if not text.strip():
        raise InputError([Problem(file, None, None, "", "file is empty (expected a YAML mapping)")])
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise InputError([Problem(file, line, col, "", f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, None, None, "", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError([Problem(file, None, None, "", "invalid YAML: nesting too deep")]) from None
    if node is None:
        raise InputError([Problem(file, None, None, "", "file has no content (expected a YAML mapping)")])
    builder = _Builder(file)
    try:
        value = builder.build(node, ())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            [
                Problem(
                    file,
                    mark.line + 1 if mark else None,
                    None,
                    "",
                    f"invalid YAML value: {getattr(exc, 'problem', exc)}",
                )
            ]
        ) from None
    except RecursionError:
        raise InputError([Problem(file, None, None, "", "invalid YAML: nesting too deep")]) from None
    if builder.problems:
        raise InputError(builder.problems)
    return value, builder.marks


def validate(model: type[BaseModel], data: Any, marks: Marks, file: str, *, top: str = "mapping") -> Any:
    """Validate data against a pydantic model, reporting every problem at its file position."""
    if not isinstance(data, dict):
        raise InputError([Problem(file, 1, 1, "", f"top level is a {type(data).__name__}; expected a {top}")])
    try:
        value = model.model_validate(data, context={"defer_references": True})
    except ValidationError as exc:
        raise InputError(problems_from(exc, marks, file, model)) from None
    problems = []
    for prefix, fp in _fact_patterns(value):
        for ref in reference_problems(fp):
            loc = prefix + ref.loc
            line, col = _nearest(marks, loc)
            problems.append(Problem(file, line, col, _dotted(loc), str(ref)))
    if problems:
        raise InputError(problems)
    return value


def _fact_patterns(value: Any) -> list[tuple[tuple, Any]]:
    """The fact patterns inside a validated document, with their path (a case file nests one)."""
    from engine.input.model import FactPattern

    if isinstance(value, FactPattern):
        return [((), value)]
    facts = getattr(value, "facts", None)
    return [(("facts",), facts)] if isinstance(facts, FactPattern) else []


def problems_from(exc: ValidationError, marks: Marks, file: str, model: type[BaseModel]) -> list[Problem]:
    """Map pydantic's errors to Problems with line, column, field path and an actionable message."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        inner = (err.get("ctx") or {}).get("error")
        if getattr(inner, "loc", None):
            loc = loc + tuple(inner.loc)
        place = _nearest(marks, loc)
        problems.append(Problem(file, place[0], place[1], _dotted(loc), _message(err, loc, model)))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.field))
    return problems


def _nearest(marks: Marks, loc: tuple) -> tuple[int | None, int | None]:
    while loc and loc not in marks:
        loc = loc[:-1]
    return marks.get(loc, (None, None))


def _message(err: dict, loc: tuple, model: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return f"unknown field{hint} (expected one of: {', '.join(allowed)})"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return f"{err['input']!r} is not allowed (expected {err['ctx']['expected']})"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected a mapping of fields here"
    if kind == "list_type":
        return "expected a list here"
    if kind in ("bool_type", "bool_parsing"):
        return f"{err['input']!r} is not true or false (expected a boolean)"
    return f"{msg} (got {err['input']!r})" if "input" in err and not isinstance(err["input"], (dict, list)) else msg


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names allowed at loc, by walking the model's annotations."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return sorted(getattr(current, "model_fields", {}))
        current = _model_in(fields[part].annotation)
        if current is None:
            return []
    return sorted(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None
