"""The interview, driven by data: questions.yaml says what to ask, the pydantic model says how.

A page lists fields by their path in the fact pattern. The control for each field (choice, yes/no,
checkboxes, text, the reliance table) is read off the model's annotation, so the same renderer
draws every page. A model field that no question names is still asked, labelled by its name: on
its list's item page, on a generated page for a list no page covers, or on "Other facts".
Lists nest (format 2: `claims[].disputes[].record`): a list page names its list by a pattern, and
an item is addressed by one index per list in the pattern (`claims[1].disputes[0]` is `at=(1, 0)`).
The draft is plain data; it is checked by dumping it to YAML and running the CLI's loader on it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import types
from dataclasses import dataclass, field, replace
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


def list_patterns(model: type[BaseModel], prefix: str = "") -> dict[str, type[BaseModel]]:
    """Every list of models at any depth, by pattern (`claims`, `claims[].disputes`), with its item model."""
    out: dict[str, type[BaseModel]] = {}
    for name, item in model_lists(model).items():
        pattern = f"{prefix}[].{name}" if prefix else name
        out[pattern] = item
        out.update(list_patterns(item, pattern))
    return out


def schema_paths(model: type[BaseModel]) -> list[str]:
    """Every path a fact pattern can hold, lists as patterns: what the interview must ask, once each."""
    out = list(leaves(model))
    for pattern, item in list_patterns(model).items():
        out.append(pattern)
        out += [f"{pattern}[].{leaf}" for leaf in leaves(item)]
    return out


def list_names(pattern: str) -> list[str]:
    return pattern.split("[].")


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
    choices_extra: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    labels_from: str | None = None
    show_if: dict[str, Any] | None = None
    heading: str = ""
    generated: bool = False


@dataclass(frozen=True)
class Page:
    id: str
    section: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    list: str | None = None  # the pattern of the list this page's items belong to (disputes, claims[].disputes)
    item: str | None = None  # one item, in words (dispute, argument)
    shape: str | None = None  # one: a single-claim appeal only; several: format 2 only; None: both

    @property
    def is_list(self) -> bool:
        return self.list is not None

    @property
    def depth(self) -> int:
        return len(list_names(self.list)) if self.list else 0

    @property
    def parent_list(self) -> str | None:
        """The pattern of the list whose items hold this page's list (claims, for claims[].disputes)."""
        return self.list.rsplit("[].", 1)[0] if self.list and "[]." in self.list else None

    def base(self, at: tuple[int, ...] | None) -> list[str | int]:
        """The concrete path of one item: `claims[].disputes` at (1, 0) is [claims, 1, disputes, 0]."""
        if not self.is_list:
            return []
        out: list[str | int] = []
        for name, i in zip(list_names(self.list), at or (), strict=True):
            out += [name, i]
        return out


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
    owner: str = ""  # the model field it sets, as Class.field (Dispute.video): what the rules read
    heading: str = ""
    readers: list[str] = field(default_factory=list)  # ids of the rules whose conditions read it

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [e for c in self.children for e in c.errors]

    @property
    def stated(self) -> bool:
        return bool(self.value not in (None, "") or self.selected or any(v for _, v in self.links))

    @property
    def answer(self) -> str:
        """The answer in words, as the check-answers page lists it."""
        if self.kind in ("radios", "select"):
            return dict(self.choices).get(self.value, self.value) if self.value not in (None, "") else "Not known"
        if self.kind == "checkboxes":
            return ", ".join(dict(self.choices).get(v, v) for v in self.selected) or "None"
        if self.kind == "links":
            return ", ".join(f"{k} ({words(v)})" for k, v in self.links if v) or "None"
        return str(self.value) if self.value not in (None, "") else "Not provided"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def words(value: str) -> str:
    return str(value).replace("_", " ")


def parse_at(text: str) -> tuple[int, ...] | None:
    """`1.0` -> (1, 0): an item's indices as they appear in URLs; None when not that shape."""
    parts = text.split(".")
    return tuple(int(x) for x in parts) if all(x.isdigit() and len(x) < 6 for x in parts) else None


def format_at(at: tuple[int, ...]) -> str:
    return ".".join(map(str, at))


PAGE_KEYS = {"id", "section", "title", "intro", "fields", "list", "item", "shape", "fields_from"}


class Interview:
    """The pages, their questions, and the conversion between a draft and HTML form values."""

    def __init__(self, questions: Path = QUESTIONS, model: type[BaseModel] = FactPattern):
        self.model = model
        data, _ = read_yaml(questions)
        raw_pages = {raw["id"]: raw for raw in data["pages"]}
        self.not_asked: dict[str, str] = dict(data.get("not_asked") or {})
        self.pages: list[Page] = []
        for raw in data["pages"]:
            unknown = set(raw) - PAGE_KEYS
            if unknown:
                raise InputError([Problem(str(QUESTIONS), None, None, "", f"page {raw['id']}: unknown {unknown}")])
            fields = list(raw_pages[raw["fields_from"]].get("fields", [])) if raw.get("fields_from") else []
            fields += raw.get("fields", [])
            qs = tuple(_question(q) for q in fields)
            self.pages.append(
                Page(
                    raw["id"],
                    raw["section"],
                    raw["title"],
                    raw.get("intro", ""),
                    qs,
                    raw.get("list"),
                    raw.get("item"),
                    raw.get("shape"),
                )
            )
        self._check_paths()
        self._add_unasked()
        self.by_id = {p.id: p for p in self.pages}
        self.by_list = {p.list: p for p in self.pages if p.is_list}
        self.readers: Any = None  # set by the app: Class.field -> rule ids (engine.interfaces.web.readers)

    # -- consistency with the model ----------------------------------------------------------------
    def item_model(self, page: Page) -> type[BaseModel]:
        return list_patterns(self.model)[page.list] if page.is_list else self.model

    def _check_paths(self) -> None:
        """Every question names a field the model has (a typo in questions.yaml stops start-up)."""
        problems = []
        for page in self.pages:
            if page.is_list and page.list not in list_patterns(self.model):
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

    def is_not_asked(self, path: str) -> bool:
        return any(path == n or path.startswith(n + ".") for n in self.not_asked)

    def asked_paths(self) -> list[str]:
        """Each schema path once per written question (or list page) that asks it: the interview's lint."""
        out = []
        for page in self.pages:
            if page.is_list:
                out.append(page.list)
            prefix = f"{page.list}[]." if page.is_list else ""
            mine = [q for q in page.questions if not q.generated]
            for q in mine:
                ann = field_at(self.item_model(page), q.path.split("."))[0]
                inner, _ = unwrap(ann)
                paths = [f"{q.path}.{leaf}" for leaf in leaves(inner)] if is_model(inner) else [q.path]
                out += [prefix + x for x in paths]
        return out

    def _add_unasked(self) -> None:
        """Ask what the model has and no question names, so new optional fields are never lost."""
        top_asked = set().union(*(self.asked(p) for p in self.pages if not p.is_list))
        for i, page in enumerate(self.pages):
            if page.is_list:
                missing = [p for p in leaves(self.item_model(page)) if p not in self.asked(page)]
                if missing:
                    extra = tuple(_generated(p) for p in missing)
                    self.pages[i] = replace(page, questions=page.questions + extra)
        covered = {p.list for p in self.pages if p.is_list}
        for pattern, item in list_patterns(self.model).items():
            if pattern not in covered:
                name = list_names(pattern)[-1]
                qs = tuple(_generated(p) for p in leaves(item))
                title = words(name).capitalize()
                self.pages.append(Page(slug(pattern), title, title, "", qs, pattern, words(name).rstrip("s")))
        missing = [p for p in leaves(self.model) if p not in top_asked and not self.is_not_asked(p)]
        if missing:
            page = Page(
                "more",
                "Other facts",
                "Other facts",
                "Fields the interview has no question for yet.",
                tuple(map(_generated, missing)),
            )
            self.pages.insert(len(self.pages), page)

    # -- which pages a draft shows -----------------------------------------------------------------
    @staticmethod
    def shown(page: Page, data: dict) -> bool:
        """Format 1 pages hide once the draft has `claims`; the claims page hides once it has a single claim."""
        if page.shape == "one":
            return not data.get("claims")
        if page.shape == "several":
            return not any(data.get(k) for k in ("claim", "disputes", "arguments"))
        return True

    def top_pages(self, data: dict) -> list[Page]:
        """The task list: pages of the appeal itself and its top-level lists, in order, as this draft shows them."""
        return [p for p in self.pages if p.depth <= 1 and self.shown(p, data)]

    def children(self, page: Page) -> list[Page]:
        """The pages of lists held inside one item of this page's list (a claim's disputes and arguments)."""
        return [p for p in self.pages if page.is_list and p.parent_list == page.list]

    def exists(self, page: Page, data: dict, at: tuple[int, ...] | None) -> bool:
        return page.is_list and at is not None and len(at) == page.depth and isinstance(get(data, page.base(at)), dict)

    # -- controls for a page -----------------------------------------------------------------------
    def controls(self, page: Page, data: dict, at: tuple[int, ...] | None = None) -> list[Control]:
        base = page.base(at)
        out = []
        for q in page.questions:
            if self._hidden(q, data, base):
                continue
            out.append(self._control(page, q, data, base))
        return out

    @staticmethod
    def _hidden(q: Question, data: dict, base: list) -> bool:
        return bool(q.show_if) and get(data, base + parse_path(q.show_if["path"])) not in (q.show_if["is"], None)

    def _borrowed(self, page_id: str | None, leaf: str) -> Question | None:
        """The question another page asks for the same field (the claim's own order, asked like the order)."""
        source = self.by_id.get(page_id) if page_id and hasattr(self, "by_id") else None
        if source is None:
            return None
        return next((q for q in source.questions if q.path.split(".", 1)[-1] == leaf and not q.generated), None)

    def _control(self, page: Page, q: Question, data: dict, base: list, loose: bool = False) -> Control:
        """One control; `loose` inside a group that may be left out (a claim's own order): nothing is preset."""
        rel = parse_path(q.path)
        name = join_path(base + rel)
        model = self.item_model(page)
        ann, info = field_at(model, [str(p) for p in rel])
        inner, optional = unwrap(ann)
        optional = optional or loose
        value = get(data, base + rel)
        c = Control(
            name,
            slug(name),
            q.label,
            "text",
            q.hint,
            q.help,
            q.authority,
            optional=optional or not info.is_required(),
            owner=owner_of(model, [str(p) for p in rel]),
            heading=q.heading,
        )
        c.readers = self.readers(c.owner) if self.readers else []
        if is_model(inner):  # a group: one control per leaf, worded like the page it borrows from
            c.kind = "group"
            for leaf in leaves(inner):
                sub = self._borrowed(q.labels_from, leaf)
                sq = (
                    replace(sub, path=f"{q.path}.{leaf}", show_if=None, heading="")
                    if sub
                    else Question(f"{q.path}.{leaf}", words(leaf.split(".")[-1]).capitalize())
                )
                c.children.append(self._control(page, sq, data, base, loose=optional))
            return c
        item = list_item(inner)
        own_key = get(data, base + ["key"]) if q.path == "follows" else None
        keys = self._keys(data, q, base, exclude=own_key)
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
            if inner is bool:
                options = ["true", "false"]
            elif get_origin(inner) is Literal:
                options = [_text(v) for v in get_args(inner)]
            else:
                options = keys
            shown = _text(value) if value is not None else ""
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
    def _keys(data: dict, q: Question, base: list, exclude: Any = None) -> list[str]:
        """The keys a reference may name: disputes in scope (this claim's, or every claim's), appellants, claims."""
        if not q.choices_from or not isinstance(data, dict):
            return list(q.choices_extra)
        claims = [c for c in data.get("claims") or [] if isinstance(c, dict)]
        if q.choices_from == "disputes":
            if base[:1] == ["claims"] and len(base) > 1:
                holders = [get(data, base[:2]) or {}]
            else:
                holders = [data, *claims]
            items = [d for h in holders for d in (h.get("disputes") or [])]
        elif q.choices_from == "claims" and not claims:
            single = data.get("claim") if isinstance(data.get("claim"), dict) else {}
            items = [{"key": str(single.get("kind") or "excessive_force").replace("_", "-")}]
        else:
            items = data.get(q.choices_from) or []
        keys = [str(x["key"]) for x in items if isinstance(x, dict) and x.get("key") is not None]
        return [k for k in _union(keys, list(q.choices_extra)) if k != exclude]

    # -- form values into the draft ----------------------------------------------------------------
    def update(self, page: Page, data: dict, form: Any, at: tuple[int, ...] | None = None) -> dict:
        """A new draft with this page's answers; an empty answer removes the field (not stated)."""
        data = copy.deepcopy(data)
        base = page.base(at)
        for q in page.questions:
            rel = parse_path(q.path)
            if self._hidden(q, data, base):
                delete(data, base + rel)  # a hidden question sets nothing
                continue
            c = self._control(page, q, data, base)
            for leaf in c.children or [c]:
                self._read(leaf, page, base, data, form)
        return prune(data)

    def _read(self, c: Control, page: Page, base: list, data: dict, form: Any) -> None:
        parts = parse_path(c.name)
        rel = parts[len(base) :]
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

    # -- lists: add and remove items ---------------------------------------------------------------
    @staticmethod
    def add_item(page: Page, data: dict, parent_at: tuple[int, ...]) -> tuple[dict, tuple[int, ...]]:
        """A new draft with an empty item at the end of the list; the new item's address."""
        data = copy.deepcopy(data)
        names = list_names(page.list)
        holder_path = page.base(parent_at + (0,))[:-2] if names[:-1] else []
        holder = get(data, holder_path) if holder_path else data
        items = list(holder.get(names[-1]) or []) + [{}]
        holder[names[-1]] = items
        return data, parent_at + (len(items) - 1,)

    @staticmethod
    def remove_item(page: Page, data: dict, at: tuple[int, ...]) -> dict:
        data = copy.deepcopy(data)
        parts = page.base(at)
        holder = get(data, parts[:-2]) if len(parts) > 2 else data
        holder[parts[-2]] = [x for i, x in enumerate(holder[parts[-2]]) if i != at[-1]]
        return prune(data)

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

    def locate(self, field_path: str, data: dict) -> tuple[Page, tuple[int, ...] | None, Control | None] | None:
        """The page, item and control where a problem at this path can be fixed (the deepest item holding it)."""
        parts = parse_path(field_path)
        best = None
        for page in self.pages:
            names = list_names(page.list) if page.is_list else []
            at = _match(parts, names)
            if at is None or (best and best[1] is not None and len(at) <= len(best[1])):
                continue
            if page.is_list and not self.exists(page, data, at):
                continue
            if not page.is_list and not self.shown(page, data):
                continue
            hit = max(
                (c for c in _flat(self.controls(page, data, at)) if _concerns(c.name, field_path)),
                key=lambda c: len(c.name),
                default=None,
            )
            if hit is not None or page.is_list:
                best = (page, at if page.is_list else None, hit)
        return best


def _match(parts: list, names: list[str]) -> tuple[int, ...] | None:
    """The indices of an item of the list `names` that holds the path `parts`, or None."""
    at = []
    for i, name in enumerate(names):
        if len(parts) < 2 * i + 2 or parts[2 * i] != name or not isinstance(parts[2 * i + 1], int):
            return None
        at.append(parts[2 * i + 1])
    return tuple(at)


def _flat(controls: list[Control]) -> list[Control]:
    return [x for c in controls for x in (c.children or [c])]


def owner_of(model: type[BaseModel], parts: list[str]) -> str:
    """The model field a path ends on, as Class.field (Scene.fleeing for disputes[0].plaintiff_scene.fleeing)."""
    current: Any = model
    owner = ""
    for part in parts:
        if not is_model(current) or part not in fields_of(current):
            return owner
        info = fields_of(current)[part]
        owner = f"{current.__name__}.{part}"
        inner, _ = unwrap(info.annotation)
        current = list_item(inner) if list_item(inner) is not None and is_model(list_item(inner)) else inner
    return owner


def _question(raw: dict) -> Question:
    raw = dict(raw)
    if "choices_extra" in raw:
        raw["choices_extra"] = tuple(raw["choices_extra"])
    return Question(**raw)


def _text(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


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
    if annotation is bool or (get_origin(annotation) is Literal and True in get_args(annotation)):
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
