"""Which rules read a field of the fact pattern: computed from the rule book's `when` clauses.

A field a user fills becomes a field of a working-memory fact (engine/reasoning/facts.py); the
vocabulary records that correspondence for most fields (`Dispute.video` is `dispute.video`), and
FLATTENED below names the few that the flattening renames or spreads. A rule reads a fact field when
one of its conditions on that fact type constrains the field or joins on it (`$d.key`).
"""

from __future__ import annotations

import re
from collections import defaultdict

from engine.reasoning.rulebook import RuleBook
from engine.reasoning.vocabulary import MODEL

# Model fields whose facts are named otherwise than the vocabulary's one-to-one entries.
FLATTENED: dict[str, tuple[str, ...]] = {
    "Case.events_date": ("case.events_day", "scene.events_day"),
    "Case.court": ("case.court", "scene.circuit", "forum.circuit"),
    "Claim.kind": ("claim.kind", "scene.claim_kind"),
    "Claim.force": ("claim.force", "scene.force"),
    "Claim.against": ("unit.appellant",),
    "Dispute.bears_on": ("dispute.bears_on_*",),
    "Dispute.record": ("evidence.kind", "evidence.shows", "evidence.covers"),
    "Order.disputes_named": ("dispute.named_by_court",),
    "Argument.appellant": ("argument.appellant", "reliance.appellant"),
    "Argument.except": ("argument.partial_concession", "reliance.excepted"),
    "Argument.relies_on": ("reliance.dispute", "reliance.reliance"),
    "Appellant.key": ("appellant.key", "unit.appellant", "argument.appellant"),
}
REFERENCE = re.compile(r"^\$(\w+)\.(\w+)$")


def fact_fields(owner: str) -> tuple[str, ...]:
    """The fact fields a model field (`Class.field`) becomes; empty for display-only text."""
    if owner in FLATTENED:
        return FLATTENED[owner]
    entry = MODEL.get(owner)
    if isinstance(entry, str):
        return (entry,)
    if entry is None and owner.startswith("Scene."):
        return (f"scene.{owner.split('.', 1)[1]}",)
    return ()


def _read(fact: str, where: dict, bound: dict[str, str]) -> set[str]:
    """The fact fields one `where` reads: its keys (inside `any`/`all` too) and the `$bind.field` it joins on."""
    out: set[str] = set()
    for name, value in where.items():
        values = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        if name in ("any", "all") and all(isinstance(v, dict) for v in values):
            for sub in values:
                out |= _read(fact, sub, bound)
            continue
        out.add(f"{fact}.{name}")
        for ref in values:
            m = REFERENCE.match(ref) if isinstance(ref, str) else None
            if m and m.group(1) in bound:
                out.add(f"{bound[m.group(1)]}.{m.group(2)}")
    return out


class Readers:
    """Rule ids by the fact field their conditions read, in rule-book order."""

    def __init__(self, rulebook: RuleBook):
        self.by_field: dict[str, list[str]] = defaultdict(list)
        for rule in rulebook.rules:
            bound = {c.bind: c.fact for c in rule.when}
            read: set[str] = set()
            for cond in rule.when:
                for name, value in cond.where.items():
                    read.add(f"{cond.fact}.{name}")
                    refs = (
                        value
                        if isinstance(value, list)
                        else list(value.values())
                        if isinstance(value, dict)
                        else [value]
                    )
                    for ref in refs:
                        m = REFERENCE.match(ref) if isinstance(ref, str) else None
                        if m and m.group(1) in bound:
                            read.add(f"{bound[m.group(1)]}.{m.group(2)}")
            for f in sorted(read):
                self.by_field[f].append(rule.id)

    def __call__(self, owner: str) -> list[str]:
        out: list[str] = []
        for wanted in fact_fields(owner):
            if wanted.endswith("*"):
                hits = [r for f, ids in self.by_field.items() if f.startswith(wanted[:-1]) for r in ids]
            else:
                hits = self.by_field.get(wanted, [])
            out += [r for r in hits if r not in out]
        return out
