"""One isolated evaluation of one stage on the durable_rules engine.

A Runtime owns one durable `Host` (it starts timer threads, so one per rulebook, not per run)
with one ruleset per (stage, profile). Each stage run asserts only the fact types that stage
reads (negated types first, so `absent` conditions are judged on complete data) into the
stage's session, collects firings through the rule's own action, and retracts every fact it
asserted, so the session is empty again when the run returns.
All of durable's exceptions are translated here and nowhere else.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Any

from durable import engine as durable

from engine.input.errors import RuntimeFailure
from engine.reasoning.compiler import SENTINEL_ID, alias, compile_rule, fact_types, sentinel_rule
from engine.reasoning.rulebook import PROFILES, REF, STAGES, Rule, RuleBook
from engine.reasoning.trace import Firing

Fact = dict[str, Any]
_HIDDEN = ("sid", "id")
SESSION = "run"


@contextmanager
def _translated(ruleset: str, fact: object = None):
    """Map durable's thin exceptions to the project's own (httpx's map_exceptions pattern)."""
    try:
        yield
    except (durable.MessageNotHandledException, durable.MessageObservedException):
        pass  # no rule matched (cannot happen with the sentinel rule) or the fact is already known
    except Exception as exc:  # durable raises bare Exceptions for everything else
        raise RuntimeFailure(str(exc), ruleset=ruleset, fact=fact) from exc


class _SynchronousHost(durable.Host):
    """A durable Host without its background dispatch threads.

    `Host()` starts two timer threads that call into the C engine (timers, queued actions)
    without any lock; this project uses neither, and those calls racing with ours crashed the
    process (segmentation fault in delete_state). All engine calls here are made by Runtime,
    under its lock.
    """

    def _run(self) -> None:
        return None


class Runtime:
    """Compiled rulesets for one rulebook, ready to evaluate any number of fact sets."""

    def __init__(self, rulebook: RuleBook):
        self.rulebook = rulebook
        self._sinks: dict[str, list[tuple[Rule, dict[str, Fact], tuple[int, ...]]]] = {}
        self._lock = threading.Lock()
        self._plans: dict[tuple[str, str], tuple[str, list[str]]] = {}
        definitions: dict[str, dict[str, Any]] = {}
        for stage in STAGES:
            for profile in PROFILES:
                rules = rulebook.for_stage(stage, profile)
                if not rules:
                    continue
                name = f"{stage}.{profile}"
                definitions[name] = {r.id: compile_rule(r, self._action(r)) for r in rules}
                definitions[name][SENTINEL_ID] = sentinel_rule(lambda c: None)
                negated, positive = fact_types(rules)
                self._plans[(stage, profile)] = (name, negated + positive)
        self.host = _SynchronousHost()
        with _translated("register"):
            self.host.register_rulesets(definitions)

    def _action(self, rule: Rule):
        binds = [c.bind for c in rule.when if not c.absent]

        def run(c: Any) -> None:
            message = c._m
            matched = {b: {k: v for k, v in message[alias(b)].items() if k not in _HIDDEN} for b in binds}
            order = tuple(message[alias(b)]["id"] for b in binds)
            self._sinks[c.s["sid"]].append((rule, matched, order))

        return run

    def run_stage(
        self, stage: str, profile: str, facts: Iterable[Fact], evaluation: str = "jurisdiction"
    ) -> list[Firing]:
        """Run one stage's rules on the facts; return the firings in canonical order.

        Canonical order: rules in rulebook order, then each rule's matches in the order of the
        input facts they bind. durable's own agenda order is an implementation detail; this one
        is stable, explainable, and shared with the plain-Python evaluator (engine/pyeval.py).

        Isolation: every run asserts its facts into the stage's session and retracts every one
        of them before returning, so the session is empty between runs. (durable_rules 2.0.28
        crashes when deleting the state of a session holding a partially matched fact, and runs
        out of state slots if fresh sessions are never deleted; retraction avoids both.)
        """
        plan = self._plans.get((stage, profile))
        if plan is None:
            return []
        name, types = plan
        by_type: dict[str, list[tuple[int, Fact]]] = {t: [] for t in types}
        for position, fact in enumerate(facts, 1):
            if fact["type"] in by_type:
                by_type[fact["type"]].append((position, fact))
        sink: list[tuple[Rule, dict[str, Fact], tuple[int, ...]]] = []
        with self._lock:
            self._sinks[SESSION] = sink
            posted: list[Fact] = []
            try:
                for t in types:
                    for position, fact in by_type[t]:
                        message = {**fact, "id": position, "sid": SESSION}
                        with _translated(name, fact):
                            self.host.assert_fact(name, message)
                        posted.append(message)
            finally:
                for message in reversed(posted):
                    with _translated(name, message):
                        self.host.retract_fact(name, message)
                del self._sinks[SESSION]
        # durable expands an `any` (an $or) into one path per alternative, so a fact meeting two
        # alternatives activates the rule twice; one match is one firing.
        unique = {(rule.id, order): (rule, matched, order) for rule, matched, order in sink}
        ordered = sorted(unique.values(), key=lambda item: (self.rulebook.order[item[0].id], item[2]))
        return [fire(rule, matched, evaluation) for rule, matched, _ in ordered]

    def session_facts(self, stage: str, profile: str) -> list[Fact]:
        """What a stage's session holds now: empty between runs (the isolation check)."""
        name, _ = self._plans[(stage, profile)]
        with self._lock, _translated(name):
            try:
                return self.host.get_facts(name, SESSION)
            except RuntimeFailure:
                return []


def fire(rule: Rule, matched: dict[str, Fact], evaluation: str) -> Firing:
    """Make the firing record: resolve the asserted facts (the explanation is filled on demand)."""
    asserted = tuple(
        {"type": fact, **{k: (matched[ref[0]].get(ref[1]) if ref else v) for k, v, ref in fields}}
        for fact, fields in _then(rule)
    )
    return Firing(
        rule_id=rule.id,
        title=rule.title,
        stage=rule.stage,
        authority=_authorities(rule),
        matched=matched,
        asserted=asserted,
        template=rule.because,
        evaluation=evaluation,
    )


_CITES: dict[str, tuple[str, ...]] = {}
_THEN: dict[str, list[tuple[str, list[tuple[str, Any, tuple[str, str] | None]]]]] = {}


def _then(rule: Rule) -> list[tuple[str, list[tuple[str, Any, tuple[str, str] | None]]]]:
    """A rule's assertions with each `$bind.field` reference parsed once per process."""
    if rule.id not in _THEN:
        _THEN[rule.id] = [(a.fact, [(k, v, _ref(v)) for k, v in a.set.items()]) for a in rule.then]
    return _THEN[rule.id]


def _ref(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str) and (m := REF.match(value)):
        return m.group(1), m.group(2)
    return None


def _authorities(rule: Rule) -> tuple[str, ...]:
    """A rule's citations with pins, formatted once per process."""
    if rule.id not in _CITES:
        _CITES[rule.id] = tuple(cite_with_pin(a.cite, a.pin) for a in rule.authority)
    return _CITES[rule.id]


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
