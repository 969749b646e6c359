"""One isolated evaluation of one stage on the durable_rules engine.

A Runtime owns one durable `Host` (it starts timer threads, so one per rulebook, not per run)
with one ruleset per (stage, profile). Each stage run uses a fresh session id, asserts only the
fact types that stage reads (negated types first, so `absent` conditions are judged on complete
data), collects firings through the rule's own action, and deletes its state afterwards.
All of durable's exceptions are translated here and nowhere else.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Any

from durable import engine as durable

from engine.compiler import alias, compile_rule, fact_types
from engine.errors import RuntimeFailure
from engine.rulebook import PROFILES, REF, SLOT, STAGES, Rule, RuleBook
from engine.trace import Firing

Fact = dict[str, Any]
_HIDDEN = ("sid", "id")


@contextmanager
def _translated(ruleset: str, fact: object = None):
    """Map durable's thin exceptions to the project's own (httpx's map_exceptions pattern)."""
    try:
        yield
    except durable.MessageNotHandledException:
        pass  # a fact no rule of this stage matches: normal, nothing fires
    except durable.MessageObservedException:
        pass  # the same fact twice: already known, nothing new fires
    except Exception as exc:  # durable raises bare Exceptions for everything else
        raise RuntimeFailure(str(exc), ruleset=ruleset, fact=fact) from exc


class Runtime:
    """Compiled rulesets for one rulebook, ready to evaluate any number of fact sets."""

    def __init__(self, rulebook: RuleBook):
        self.rulebook = rulebook
        self._sinks: dict[str, list[tuple[Rule, dict[str, Fact]]]] = {}
        self._lock = threading.Lock()
        self._sids = itertools.count()
        self._plans: dict[tuple[str, str], tuple[str, list[str]]] = {}
        definitions: dict[str, dict[str, Any]] = {}
        for stage in STAGES:
            for profile in PROFILES:
                rules = rulebook.for_stage(stage, profile)
                if not rules:
                    continue
                name = f"{stage}.{profile}"
                definitions[name] = {r.id: compile_rule(r, self._action(r)) for r in rules}
                negated, positive = fact_types(rules)
                self._plans[(stage, profile)] = (name, negated + positive)
        self.host = durable.Host()
        with _translated("register"):
            self.host.register_rulesets(definitions)

    def _action(self, rule: Rule):
        binds = [c.bind for c in rule.when if not c.absent]

        def run(c: Any) -> None:
            message = c._m
            matched = {b: {k: v for k, v in message[alias(b)].items() if k not in _HIDDEN} for b in binds}
            self._sinks[c.s["sid"]].append((rule, matched))

        return run

    def run_stage(self, stage: str, profile: str, facts: Iterable[Fact], evaluation: str = "jurisdiction") -> list[Firing]:
        """Run one stage's rules on the facts; return the firings in the order they happened."""
        plan = self._plans.get((stage, profile))
        if plan is None:
            return []
        name, types = plan
        by_type: dict[str, list[Fact]] = {t: [] for t in types}
        for fact in facts:
            if fact["type"] in by_type:
                by_type[fact["type"]].append(fact)
        sink: list[tuple[Rule, dict[str, Fact]]] = []
        with self._lock:
            sid = f"e{next(self._sids)}"
            self._sinks[sid] = sink
            try:
                n = 0
                for t in types:
                    for fact in by_type[t]:
                        n += 1
                        posted = {**fact, "id": n, "sid": sid}
                        with _translated(name, fact):
                            self.host.assert_fact(name, posted)
            finally:
                del self._sinks[sid]
                with _translated(name):
                    self.host.delete_state(name, sid)
        return [fire(rule, matched, evaluation) for rule, matched in sink]


def fire(rule: Rule, matched: dict[str, Fact], evaluation: str) -> Firing:
    """Make the firing record: resolve the asserted facts and fill the explanation."""
    asserted = tuple({"type": a.fact, **{k: _value(v, matched) for k, v in a.set.items()}} for a in rule.then)
    because = SLOT.sub(lambda m: _text(matched.get(m.group(1), {}).get(m.group(2), "?")), rule.because)
    return Firing(
        rule_id=rule.id,
        title=rule.title,
        stage=rule.stage,
        authority=tuple(cite_with_pin(a.cite, a.pin) for a in rule.authority),
        matched=matched,
        asserted=asserted,
        because=because,
        evaluation=evaluation,
    )


def _value(value: Any, matched: dict[str, Fact]) -> Any:
    if isinstance(value, str) and (ref := REF.match(value)):
        return matched[ref.group(1)].get(ref.group(2))
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "?"
    text = str(value)
    return text if "." in text else text.replace("_", " ")


def cite_with_pin(cite: str, pin: str) -> str:
    """Put the pin where a lawyer would: before the closing parenthetical, after the first page."""
    if pin.startswith("§") and pin in cite:
        return cite
    if cite.endswith(")") and " (" in cite:
        head, paren = cite.rsplit(" (", 1)
        return f"{head}, {pin} ({paren}"
    return f"{cite}, {pin}"


def dedupe(facts: Iterable[Fact]) -> list[Fact]:
    """Facts in first-seen order, identical ones once (durable rejects identical facts)."""
    seen: set[tuple] = set()
    out = []
    for fact in facts:
        key = tuple(sorted((k, repr(v)) for k, v in fact.items()))
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out
