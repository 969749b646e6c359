"""A firing: one rule that matched, on which facts, what it asserted, and why (with authority)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.reasoning.rulebook import SLOT


@dataclass(frozen=True)
class Firing:
    """A frozen record of one rule firing, in the order it happened."""

    rule_id: str
    title: str
    stage: str
    authority: tuple[str, ...]
    matched: dict[str, dict[str, Any]]
    asserted: tuple[dict[str, Any], ...]
    template: str
    evaluation: str = "jurisdiction"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def record(cls, **fields: Any) -> Firing:
        """A firing from every field but `extra`, without the frozen `__init__`.

        That `__init__` pays an `object.__setattr__` per field, about two thirds of what a firing
        costs the engine in sweeps; the record made here is equal, field for field.
        """
        self = object.__new__(cls)
        self.__dict__.update(fields, extra={})
        return self

    @property
    def because(self) -> str:
        """The explanation: the rule's template with its named slots filled from the matched facts.

        Filled on demand (sweeps that never read it do not pay for it); slots name a bound fact and
        one of its fields, nothing else, so a rule file cannot reach into Python objects.
        """
        cached = self.extra.get("because")
        if cached is None:
            cached = SLOT.sub(lambda m: _text(self.matched.get(m.group(1), {}).get(m.group(2), "?")), self.template)
            self.extra["because"] = cached
        return cached

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "title": self.title,
            "stage": self.stage,
            "evaluation": self.evaluation,
            "authority": list(self.authority),
            "matched": self.matched,
            "asserted": list(self.asserted),
            "because": self.because,
        }


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "?"
    text = str(value)
    return text if "." in text else text.replace("_", " ")
