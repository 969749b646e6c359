"""A firing: one rule that matched, on which facts, what it asserted, and why (with authority)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Firing:
    """A frozen record of one rule firing, in the order it happened."""

    rule_id: str
    title: str
    stage: str
    authority: tuple[str, ...]
    matched: dict[str, dict[str, Any]]
    asserted: tuple[dict[str, Any], ...]
    because: str
    evaluation: str = "jurisdiction"
    extra: dict[str, Any] = field(default_factory=dict)

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
