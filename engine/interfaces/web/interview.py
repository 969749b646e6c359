"""The interview, driven by data: questions.yaml says what to ask, the pydantic model says how.

A page lists fields by their path in the fact pattern. The control for each field (choice, yes/no,
checkboxes, text, the reliance table) is read off the model's annotation, so the same renderer
draws every page. A model field that no question names is still asked, labelled by its name: on
its list's item page, on a generated page for a list no page covers, or on "Other facts".
The draft is plain data; it is checked by dumping it to YAML and running the CLI's loader on it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from engine.input.casefile import fact_pattern_from
from engine.input.errors import InputError, Problem
from engine.input.loader import parse_yaml, read_yaml
from engine.input.model import FactPattern

QUESTIONS = Path(__file__).with_name("questions.yaml")
RADIO_MAX = 6
PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


# -- the fact-pattern model, walked by path ------------------------------------------------------


def parse_path(path: str) -> list[str | int]:
    return [int(i) if i else name for name, i in PATH_PART.findall(path)]


def join_path(parts: list[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `| None`, and whether None was allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        return (args[0] if len(args) == 1 else annotation), optional
    return annotation, False


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def list_item(annotation: Any) -> Any | None:
    return get_args(annotation)[0] if get_origin(annotation) is list else None


def fields_of(model: type[BaseModel]) -> dict[str, Any]:
    """A model's fields by the name a fact-pattern file uses (the alias, e.g. `except`)."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def field_at(model: type[BaseModel], parts: list[str]) -> tuple[Any, Any] | None:
    """(annotation, FieldInfo) of the field at a path of names inside a model, or None."""
    current: Any = model
    found = None
    for part in parts:
        if not is_model(current) or part not in fields_of(current):
            return None
        info = fields_of(current)[part]
        found = (info.annotation, info)
        inner, _ = unwrap(info.annotation)
        current = list_item(inner) if list_item(inner) is not None and is_model(list_item(inner)) else inner
    return found


def leaves(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every askable path in a model: nested models expanded, lists of models left to list pages."""
    out = []
    for name, info in fields_of(model).items():
        inner, _ = unwrap(info.annotation)
        path = f"{prefix}.{name}" if prefix else name
        item = list_item(inner)
        if is_model(inner):
            out += leaves(inner, path)
        elif item is not None and is_model(item) and not _is_link(item):
            continue  # its own list page
        else:
            out.append(path)
    return out


def model_lists(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The lists of models directly in a model (disputes, arguments, ...), each with its item model."""
    out = {}
    for name, info in fields_of(model).items():
        item = list_item(unwrap(info.annotation)[0])
        if item is not None and is_model(item) and not _is_link(item):
            out[name] = item
    return out


def _is_link(item: type[BaseModel]) -> bool:
    """A small model pairing a reference with a closed-set value (an argument's reliance on a dispute)."""
    return _link_fields(item) is not None


def _link_fields(item: type[BaseModel]) -> tuple[str, str] | None:
    names = list(fields_of(item))
    if len(names) != 2:
        return None
    kinds = {n: unwrap(fields_of(item)[n].annotation)[0] for n in names}
    key = next((n for n in names if kinds[n] is str), None)
    value = next((n for n in names if get_origin(kinds[n]) is Literal), None)
    return (key, value) if key and value else None


# -- questions.yaml --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    path: str
    label: str
    hint: str = ""
    help: str = ""
    authority: str = ""
    long: bool = False
    choices_from: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    labels_from: str | None = None
    show_if: dict[str, Any] | None = None
    generated: bool = False


@dataclass(frozen=True)
class Page:
    id: str
    section: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    list: str | None = None  # the list this page's items belong to (disputes, arguments)
    item: str | None = None  # one item, in words (dispute, argument)

    @property
    def is_list(self) -> bool:
        return self.list is not None


@dataclass
class Control:
    """One question made concrete for one draft: its name is the field's path in the fact pattern."""

    name: str
    id: str
    label: str
    kind: str  # text, textarea, radios, select, checkboxes, links, group
    hint: str = ""
    help: str = ""
    authority: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: Any = None
    selected: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (dispute, reliance or "")
    link_choices: list[tuple[str, str]] = field(default_factory=list)
    optional: bool = False
    errors: list[str] = field(default_factory=list)
    children: list[Control] = field(default_factory=list)

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [e for c in self.children for e in c.errors]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def words(value: str) -> str:
    return value.replace("_", " ")


class Interview:
    """The pages, their questions, and the conversion between a draft and HTML form values."""

    def __init__(self, questions: Path = QUESTIONS, model: type[BaseModel] = FactPattern):
        self.model = model
        data, _ = read_yaml(questions)
        self.pages: list[Page] = []
        for raw in data["pages"]:
            qs = tuple(Question(**q) for q in raw.get("fields", []))
            self.pages.append(
                Page(
                    raw["id"], raw["section"], raw["title"], raw.get("intro", ""), qs, raw.get("list"), raw.get("item")
                )
            )
        self._check_paths()
        self._add_unasked()
        self.by_id = {p.id: p for p in self.pages}
        self.scene_labels = {
            q.path.split(".", 1)[1]: q for p in self.pages for q in p.questions if q.path.startswith("scene.")
        }

    # -- consistency with the model ----------------------------------------------------------------
    def item_model(self, page: Page) -> type[BaseModel]:
        return model_lists(self.model)[page.list] if page.is_list else self.model

    def _check_paths(self) -> None:
        """Every question names a field the model has (a typo in questions.yaml stops start-up)."""
        problems = []
        for page in self.pages:
            if page.is_list and page.list not in model_lists(self.model):
                problems.append(f"page {page.id}: {page.list!r} is not a list in the fact pattern")
                continue
            for q in page.questions:
                if field_at(self.item_model(page), [str(p) for p in parse_path(q.path)]) is None:
                    problems.append(f"page {page.id}: {q.path!r} is not a field of the fact pattern")
        if problems:
            raise InputError([Problem(str(QUESTIONS), None, None, "", p) for p in problems])

    def asked(self, page: Page) -> set[str]:
        out = set()
        for q in page.questions:
            ann = field_at(self.item_model(page), q.path.split("."))[0]
            inner, _ = unwrap(ann)
            out |= {f"{q.path}.{leaf}" for leaf in leaves(inner)} if is_model(inner) else {q.path}
        return out

    def _add_unasked(self) -> None:
        """Ask what the model has and no question names, so new optional fields are never lost."""
        top_asked = set().union(*(self.asked(p) for p in self.pages if not p.is_list))
        for i, page in enumerate(self.pages):
            if page.is_list:
                missing = [p for p in leaves(self.item_model(page)) if p not in self.asked(page)]
                if missing:
                    extra = tuple(_generated(p) for p in missing)
                    self.pages[i] = Page(
                        page.id, page.section, page.title, page.intro, page.questions + extra, page.list, page.item
                    )
        covered = {p.list for p in self.pages if p.is_list}
        for name, item in model_lists(self.model).items():
            if name not in covered:
                qs = tuple(_generated(p) for p in leaves(item))
                title = words(name).capitalize()
                self.pages.append(Page(name, title, title, "", qs, name, words(name).rstrip("s")))
        missing = [p for p in leaves(self.model) if p not in top_asked]
        if missing:
            page = Page(
                "more",
                "Other facts",
                "Other facts",
                "Fields the interview has no question for yet.",
                tuple(map(_generated, missing)),
            )
            self.pages.insert(len(self.pages), page)

    # -- controls for a page -----------------------------------------------------------------------
    def controls(self, page: Page, data: dict, index: int | None = None) -> list[Control]:
        base = [page.list, index] if page.is_list else []
        out = []
        for q in page.questions:
            if q.show_if and get(data, parse_path(q.show_if["path"])) not in (q.show_if["is"], None):
                continue
            out.append(self._control(page, q, data, base, index))
        return out

    def _control(self, page: Page, q: Question, data: dict, base: list, index: int | None) -> Control:
        rel = parse_path(q.path)
        name = join_path(base + rel)
        ann, info = field_at(self.item_model(page), [str(p) for p in rel])
        inner, optional = unwrap(ann)
        value = get(data, base + rel)
        c = Control(
            name, slug(name), q.label, "text", q.hint, q.help, q.authority, optional=optional or not info.is_required()
        )
        if is_model(inner):  # a group: one control per leaf, labelled like the scene's questions
            c.kind = "group"
            for leaf in leaves(inner):
                sub = self.scene_labels.get(leaf) if q.labels_from == "scene" else None
                sq = Question(
                    f"{q.path}.{leaf}", sub.label if sub else words(leaf).capitalize(), labels=sub.labels if sub else {}
                )
                c.children.append(self._control(page, sq, data, base, index))
            return c
        item = list_item(inner)
        keys = self._keys(data, q.choices_from, exclude=get(data, base + ["key"]) if q.path == "follows" else None)
        if item is not None and is_model(item):  # the reliance table
            key_field, value_field = _link_fields(item)
            c.kind = "links"
            links = {
                str(x.get(key_field)): str(x.get(value_field) or "essential")
                for x in value or []
                if isinstance(x, dict)
            }
            c.links = [(k, links.get(k, "")) for k in _union(keys, links)]
            vann = unwrap(fields_of(item)[value_field].annotation)[0]
            c.link_choices = [(v, words(v)) for v in get_args(vann)]
            return c
        if item is not None:
            c.kind = "checkboxes"
            options = list(get_args(item)) if get_origin(item) is Literal else keys
            c.selected = [str(v) for v in value] if isinstance(value, list) else []
            c.choices = [(v, q.labels.get(v, words(v))) for v in _union(options, c.selected)]
            return c
        if value is None and not optional and info.default is not None and not info.is_required():
            value = info.get_default(call_default_factory=True)
        if inner is bool or get_origin(inner) is Literal or q.choices_from:
            options = (
                ["true", "false"]
                if inner is bool
                else (list(get_args(inner)) if get_origin(inner) is Literal else keys)
            )
            shown = "true" if value is True else "false" if value is False else ("" if value is None else str(value))
            labels = {"true": "Yes", "false": "No", **q.labels}
            c.choices = [(v, labels.get(v, words(v))) for v in _union(options, [shown] if shown else [])]
            if optional:
                c.choices.append(("", "Not known" if inner is bool else "Not stated"))
            c.kind = "radios" if len(c.choices) <= RADIO_MAX else "select"
            c.value = shown
            return c
        c.kind = "textarea" if q.long else "text"
        c.value = "" if value is None else str(value)
        return c

    @staticmethod
    def _keys(data: dict, list_name: str | None, exclude: Any = None) -> list[str]:
        if not list_name:
            return []
        items = data.get(list_name) if isinstance(data, dict) else None
        keys = [str(x["key"]) for x in items or [] if isinstance(x, dict) and x.get("key") is not None]
        return [k for k in keys if k != exclude]

    # -- form values into the draft ----------------------------------------------------------------
    def update(self, page: Page, data: dict, form: Any, index: int | None = None) -> dict:
        """A new draft with this page's answers; an empty answer removes the field (not stated)."""
        data = copy.deepcopy(data)
        base = [page.list, index] if page.is_list else []
        for q in page.questions:
            rel = parse_path(q.path)
            if q.show_if and get(data, parse_path(q.show_if["path"])) not in (q.show_if["is"], None):
                delete(data, base + rel)  # a hidden question sets nothing
                continue
            c = self._control(page, q, data, base, index)
            for leaf in c.children or [c]:
                self._read(leaf, page, data, form)
        return prune(data)

    def _read(self, c: Control, page: Page, data: dict, form: Any) -> None:
        parts = parse_path(c.name)
        rel = parts[2:] if page.is_list else parts
        ann, _ = field_at(self.item_model(page), [str(p) for p in rel])
        inner, _ = unwrap(ann)
        if c.kind == "checkboxes":
            value: Any = [v for v in form.getlist(c.name) if v]
        elif c.kind == "links":
            key_field, value_field = _link_fields(list_item(inner))
            value = [
                {key_field: k, value_field: form.get(f"{c.name}@{k}")} for k, _ in c.links if form.get(f"{c.name}@{k}")
            ]
        else:
            value = _typed((form.get(c.name) or "").strip(), inner)
        if value in ("", []):
            delete(data, parts)
        else:
            put(data, parts, value)

    # -- the draft as the CLI reads it -------------------------------------------------------------
    @staticmethod
    def dump(data: dict) -> str:
        """The draft as canonical YAML: what the download holds and what the loader checks."""
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110) if data else "{}\n"

    @staticmethod
    def problems(data: dict, file: str = "draft.yaml") -> list[Problem]:
        """Exactly what `appealable decide` would print for this draft, as Problems."""
        try:
            parsed, marks = parse_yaml(Interview.dump(data), file)
            fact_pattern_from(parsed, marks, file)
        except InputError as exc:
            return exc.problems
        return []

    @staticmethod
    def attach(controls: list[Control], problems: list[Problem]) -> list[Problem]:
        """Put each problem beside the control it concerns; return those that found none."""
        flat = [x for c in controls for x in (c.children or [c])]
        unplaced = []
        for p in problems:
            best = max((c for c in flat if _concerns(c.name, p.field)), key=lambda c: len(c.name), default=None)
            if best is None:
                unplaced.append(p)
            else:
                best.errors.append(p.message)
        return unplaced


def _concerns(name: str, path: str) -> bool:
    return path == name or path.startswith(name + ".") or path.startswith(name + "[")


def _generated(path: str) -> Question:
    return Question(path, words(path.split(".")[-1]).capitalize() + f" ({path})", generated=True)


def _union(first: list, second: list) -> list:
    return list(dict.fromkeys([*first, *second]))


def _typed(text: str, annotation: Any) -> Any:
    """A form string as the model's type where it reads as one; otherwise left as typed, for the loader to name."""
    if text == "":
        return ""
    if annotation is bool:
        return {"true": True, "false": False}.get(text, text)
    if annotation in (int, float):
        for cast in (int, float):
            try:
                return cast(text)
            except ValueError:
                continue
        return text
    if annotation is dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


# -- plain-data paths --------------------------------------------------------------------------------


def get(data: Any, parts: list) -> Any:
    for p in parts:
        if isinstance(p, int):
            if not isinstance(data, list) or p >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[p] if isinstance(p, int) else data.get(p)
    return data


def put(data: dict, parts: list, value: Any) -> None:
    for p, nxt in zip(parts, parts[1:], strict=False):
        child = data[p] if isinstance(p, int) else data.get(p)
        if not isinstance(child, (dict, list)):
            child = [] if isinstance(nxt, int) else {}
            data[p] = child
        data = child
    data[parts[-1]] = value


def delete(data: dict, parts: list) -> None:
    parent = get(data, parts[:-1])
    if isinstance(parent, dict):
        parent.pop(parts[-1], None)


def prune(data: Any) -> Any:
    """Drop empty mappings inside the draft (an untouched scene overlay), keeping list items in place."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            v = prune(v)
            if v == {} or v is None or v == []:
                continue
            out[k] = v
        return out
    if isinstance(data, list):
        return [prune(v) if isinstance(v, dict) else v for v in data]
    return data
