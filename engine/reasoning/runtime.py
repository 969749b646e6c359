"""One isolated evaluation of a run of stages on the durable_rules engine.

A Runtime compiles the rulebook into one durable ruleset per pipeline and profile, every rule
gated by a control fact naming its stage. A session (Runtime.session) runs stages of one pipeline,
in one or several runs: a fact is sent once, the first time a stage about to run reads its type;
each stage is run by asserting its control fact, collecting the firings, retracting the control
fact, and adding the stage's conclusions for the stages after it (never re-asserting anything); at
the end the session's state is deleted whole, so the next session starts from an empty one. Within
a stage, the rules see exactly the facts of the stages before it, complete, so `absent` conditions
are judged on finished data.

The runtime drives durable_rules' own C engine (`durable_rules_engine`, which
`durable.engine.Host` wraps) directly: the Host adds, per firing, a closure, a promise and a
state JSON round trip, and starts timer threads this project never uses (they raced with the
caller and crashed it). All of durable's exceptions are translated here and nowhere else.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from itertools import groupby
from typing import Any

import durable_rules_engine as durable
import orjson

from engine.input.errors import RuntimeFailure
from engine.reasoning.compiler import (
    WARM_FACT,
    WARM_ID,
    alias,
    compile_stage_rule,
    fact_types,
    fields_read,
    sentinel_rule,
    warm_rule,
)
from engine.reasoning.rulebook import PIPELINES, PROFILES, REF, STAGES, Rule, RuleBook
from engine.reasoning.trace import Firing

Fact = dict[str, Any]
Settle = Callable[[list[Firing]], list[Firing]]  # a stage's firings -> those that stand (declared exceptions)
Check = Callable[[list[Fact], list[Firing]], None]  # all facts and firings so far, after each stage; may raise
SESSION = "run"
CONTROL = "__stage__"
_NOT_HANDLED, _OBSERVED = 1, 2


@contextmanager
def _translated(ruleset: str, fact: object = None):
    """Map durable's thin exceptions to the project's own (httpx's map_exceptions pattern)."""
    try:
        yield
    except RuntimeFailure:
        raise
    except Exception as exc:  # durable raises bare Exceptions (and its `error`) for everything
        raise RuntimeFailure(str(exc), ruleset=ruleset, fact=fact) from exc


class _Ruleset:
    """One compiled durable ruleset (one profile), driven synchronously through the C engine."""

    # Why a run ends by deleting the session's state rather than retracting its facts: in
    # durable_rules 2.0.28 a completed action's frame is deleted but the facts it matched keep
    # their locations pointing at it, so retracting two facts of one fired match makes the second
    # retraction walk that stale frame past the end of its message array (valgrind: invalid reads
    # in deleteMessageFromFrame under retract_facts) and, when the memory beyond happens to hold
    # the fact's offset, write into it. That corrupted the heap now and then ("realloc(): invalid
    # next size", an abort in delete_state), and the state grew run after run. Deleting the state
    # frees every pool at once and touches no frame: valgrind reports nothing in durable then.
    # (The control fact's own retraction, once per stage, is the first visit of each frame and
    # stays within it.)

    def __init__(self, name: str, definition: dict[str, Any]):
        self.name = name
        self.lock = threading.Lock()  # one session at a time: held from a session's start to its end
        self._text = json.dumps(definition, ensure_ascii=False)
        with _translated(name):
            self.handle = durable.create_ruleset(name, self._text)
        self._warm_up()

    def _warm_up(self) -> None:
        """Run one action in a first session and delete it (see compiler.warm_rule): every later
        session reuses its slot, whose action context is then clean even if no rule fires in it."""
        fact = json.dumps({"type": WARM_FACT, "id": "warm", "sid": SESSION})
        try:
            state = self._call(durable.assert_fact, fact)
            started = durable.start_action_for_state(self.handle, state)
            fired = orjson.loads(started[1]) if started else {}
            while started and durable.complete_and_start_action(self.handle, state):
                pass
            durable.delete_state(self.handle, SESSION)
        except RuntimeFailure:
            raise
        except Exception as exc:  # durable raises bare Exceptions (and its `error`) for everything
            raise RuntimeFailure(str(exc), ruleset=self.name, fact=fact) from exc
        if WARM_ID not in fired:
            raise RuntimeFailure("the warm-up rule did not fire", ruleset=self.name, fact=fact)

    def end_run(self) -> None:
        """Delete the session's state: the next run starts from an empty session."""
        with _translated(self.name):
            try:
                durable.delete_state(self.handle, SESSION)
            except durable.error:  # nothing was asserted: there is no state to delete
                pass

    def _call(self, call: Callable[[int, str], tuple[int, int]], text: str) -> int:
        try:
            result = call(self.handle, text)
        except Exception as exc:  # durable raises bare Exceptions (and its `error`) for everything
            raise RuntimeFailure(str(exc), ruleset=self.name, fact=text) from exc
        if result[0] in (_NOT_HANDLED, _OBSERVED):  # impossible with the sentinel rule and unique ids
            what = "no rule handles" if result[0] == _NOT_HANDLED else "the session already holds"
            raise RuntimeFailure(f"{what} a fact", ruleset=self.name, fact=text)
        return result[1]

    def run(self, control: str) -> list[dict[str, Any]]:
        """Assert a stage's control fact, collect the matches it completes, retract it again.

        Only a control fact can complete a rule, so only here are actions taken from the engine.
        """
        state = self._call(durable.assert_fact, control)
        matches = []
        try:
            started = durable.start_action_for_state(self.handle, state)
            message = started[1] if started else None
            while message:
                matches.append(orjson.loads(message))
                message = durable.complete_and_start_action(self.handle, state)
        except Exception as exc:
            raise RuntimeFailure(str(exc), ruleset=self.name, fact=control) from exc
        self._call(durable.retract_fact, control)
        return matches

    def assert_facts(self, text: str) -> None:
        """Assert facts (a JSON list); no rule can complete without its stage's control fact."""
        self._call(durable.assert_facts, text)

    def facts(self) -> list[Fact]:
        with _translated(self.name):
            try:
                return json.loads(durable.get_facts(self.handle, SESSION))
            except durable.error:  # no state for the session yet
                return []


class _Step:
    """One stage of a run: what to have asserted before it and after it, and when it can fire."""

    __slots__ = ("stage", "wanted", "wanted_after", "needs", "control")

    def __init__(
        self, stage: str, wanted: frozenset[str], wanted_after: frozenset[str] | None, needs: tuple[frozenset[str], ...]
    ):
        self.stage, self.wanted, self.wanted_after, self.needs = stage, wanted, wanted_after, needs
        self.control = _CONTROLS[stage]


class _Session:
    """One pipeline's durable session across runs of its stages (Runtime.session).

    The facts of every run are kept in one list, in order; a fact's position is its id in the
    session, so the firings' canonical order is the order of the facts, whichever run added them.
    A fact goes to durable once, the first time a stage about to run reads its type.
    """

    def __init__(
        self,
        runtime: Runtime,
        ruleset: _Ruleset,
        pipeline: str,
        profile: str,
        evaluation: str,
        check: Check | None,
        settle: Settle | None,
    ):
        self.runtime, self.ruleset, self.pipeline, self.profile = runtime, ruleset, pipeline, profile
        self.evaluation, self.check, self.settle = evaluation, check, settle
        self.facts: list[Fact] = []
        self.sent: list[bool] = []
        self.present: set[str] = set()
        self.trace: list[Firing] = []

    def __enter__(self) -> _Session:
        self.ruleset.lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.ruleset.end_run()
        finally:
            self.ruleset.lock.release()

    def run(self, stages: Iterable[str], new_facts: Iterable[Fact]) -> tuple[list[Fact], list[Firing]]:
        """Add the facts, run the stages (all of this session's pipeline) in order; return every
        fact of the session so far and this run's firings.

        After each stage, `settle` keeps the firings that stand, their conclusions (deduplicated)
        are added to the facts the later stages see, and `check` sees all facts and firings so far.
        """
        facts, sent, present, ruleset, runtime = self.facts, self.sent, self.present, self.ruleset, self.runtime
        added = list(new_facts)
        facts += added
        sent += [False] * len(added)
        present.update(f["type"] for f in added)
        trace: list[Firing] = []
        plan = runtime._plan(tuple(stages), self.profile)
        if not plan:
            return list(facts), trace
        if len(plan) > 1 or plan[0][0] != self.pipeline:
            raise ValueError(f"a {self.pipeline} session runs only its own pipeline's stages")
        steps = plan[0][1]
        batch = runtime._messages(facts, sent, 0, steps[0].wanted)
        for step in steps:
            if batch:
                ruleset.assert_facts(batch)
                batch = ""
            if not any(needs <= present for needs in step.needs):
                continue  # every rule lacks a fact type it must match: nothing can fire
            firings = runtime._firings(ruleset.run(step.control), facts, self.evaluation)
            if self.settle is not None and firings:
                firings = self.settle(firings)
            if not firings:
                continue
            derived = dedupe(a for f in firings for a in f.asserted)
            start = len(facts)
            facts += derived
            sent += [False] * len(derived)
            present.update(f["type"] for f in derived)
            trace += firings
            self.trace += firings
            if self.check is not None:
                self.check(facts, self.trace)
            if step.wanted_after is not None:
                batch = runtime._messages(facts, sent, start, step.wanted_after)
        return list(facts), trace


class Runtime:
    """Compiled rulesets for one rulebook, ready to evaluate any number of fact sets."""

    def __init__(self, rulebook: RuleBook):
        self.rulebook = rulebook
        self._lock = threading.Lock()
        self._rulesets: dict[tuple[str, str], _Ruleset] = {}
        self._definitions: dict[tuple[str, str], dict[str, Any]] = {}
        self._stage_rules: dict[tuple[str, str], list[Rule]] = {}
        self._reads: dict[tuple[str, str], frozenset[str]] = {}
        self._needs: dict[tuple[str, str], tuple[frozenset[str], ...]] = {}
        self._plans: dict[tuple[tuple[str, ...], str], list[tuple[str, list[_Step]]]] = {}
        # per rule id: the rule, its rank in the rulebook, and its positive binds with their durable aliases
        self._readers = {
            r.id: (r, rulebook.order[r.id], tuple(b for b, _ in _binds(r)), tuple(a for _, a in _binds(r)))
            for r in rulebook.rules
        }
        self._fields = fields_read(rulebook.rules)
        for profile in PROFILES:
            for pipeline, stages in PIPELINES.items():
                definition: dict[str, Any] = {}
                for stage in stages:
                    rules = rulebook.for_stage(stage, profile)
                    if not rules:
                        continue
                    self._stage_rules[(stage, profile)] = rules
                    negated, positive = fact_types(rules)
                    self._reads[(stage, profile)] = frozenset(negated + positive)
                    self._needs[(stage, profile)] = _needs(rules)
                    for rule in rules:
                        definition[rule.id] = compile_stage_rule(rule, CONTROL)
                if definition:
                    definition.update(sentinel_rule())
                    definition.update(warm_rule())
                    self._definitions[(pipeline, profile)] = definition

    def run_stage(
        self, stage: str, profile: str, facts: Iterable[Fact], evaluation: str = "jurisdiction"
    ) -> list[Firing]:
        """Run one stage's rules on the facts; return the firings in canonical order.

        Canonical order: rules in rulebook order, then each rule's matches in the order of the
        input facts they bind. durable's own agenda order is an implementation detail; this one
        is stable, explainable, and shared with the plain-Python evaluator (engine/pyeval.py).
        """
        _, trace = self.run_stages([stage], profile, facts, evaluation)
        return trace

    def run_stages(
        self,
        stages: Iterable[str],
        profile: str,
        facts: Iterable[Fact],
        evaluation: str = "jurisdiction",
        check: Check | None = None,
        settle: Settle | None = None,
    ) -> tuple[list[Fact], list[Firing]]:
        """Run the stages in order in one session; return all facts and the firings in order.

        After each stage, `settle` keeps the firings that stand, their conclusions (deduplicated)
        are added to the facts the later stages see, and `check` sees all facts and firings so
        far. Isolation: the session's state is deleted before returning (see _Ruleset), so the
        session is empty between runs; one session id is reused, so the state table never fills.
        """
        facts = list(facts)
        trace: list[Firing] = []
        for pipeline, steps in self._plan(tuple(stages), profile):  # one session per pipeline, in turn
            with self.session(pipeline, profile, evaluation, check, settle) as session:
                facts, more = session.run([step.stage for step in steps], facts)
            trace += more
        return facts, trace

    def session(
        self,
        pipeline: str,
        profile: str,
        evaluation: str = "jurisdiction",
        check: Check | None = None,
        settle: Settle | None = None,
    ) -> _Session:
        """One pipeline's session for several runs of its stages, in a `with` block: each fact is
        asserted once, however many runs read it, and the state is deleted when the block ends."""
        with self._lock:
            ruleset = self._ruleset(pipeline, profile)
        return _Session(self, ruleset, pipeline, profile, evaluation, check, settle)

    def _plan(self, stages: tuple[str, ...], profile: str) -> list[tuple[str, list[_Step]]]:
        """The stages that have rules, grouped into runs of one pipeline, each stage with the fact
        types it and the stages after it in its run still read (what to assert before it), the
        type sets one of which must be present for any of its rules to fire, and its control fact.
        Worked out once per sequence of stages."""
        key = (stages, profile)
        plan = self._plans.get(key)
        if plan is None:
            plan = []
            kept = [s for s in stages if (s, profile) in self._stage_rules]
            for pipeline, group in groupby(kept, key=_PIPELINE.get):
                group = list(group)
                wanted: list[frozenset[str]] = []
                later: frozenset[str] = frozenset()
                for stage in reversed(group):
                    later = later | self._reads[(stage, profile)]
                    wanted.append(later)
                wanted.reverse()
                steps = [
                    _Step(
                        stage, wanted[i], wanted[i + 1] if i + 1 < len(group) else None, self._needs[(stage, profile)]
                    )
                    for i, stage in enumerate(group)
                ]
                plan.append((pipeline, steps))
            self._plans[key] = plan
        return plan

    def _messages(self, facts: list[Fact], sent: list[bool], start: int, types: frozenset[str]) -> str:
        """The facts from `start` on that the coming stages read and durable has not been sent, as
        one JSON list of session messages ("" if none); they are marked sent.

        Each message carries its position in the session as `id` (from 1) and only the fields some
        rule reads: the rest cannot decide a match, and the firing takes the caller's own fact.
        """
        fields = self._fields
        messages = []
        for position in range(start, len(facts)):
            f = facts[position]
            if not sent[position] and (kind := f["type"]) in types:
                sent[position] = True
                messages.append(
                    {"type": kind, "id": position + 1, "sid": SESSION, **{k: f[k] for k in fields[kind] if k in f}}
                )
        return orjson.dumps(messages).decode() if messages else ""

    def _firings(self, matches: list[dict[str, Any]], facts: list[Fact], evaluation: str) -> list[Firing]:
        # durable expands an `any` (an $or) into one path per alternative, so a fact meeting two
        # alternatives activates the rule twice; one match is one firing.
        if not matches:
            return []
        unique: dict[tuple[int, tuple[int, ...]], tuple[Rule, dict[str, Fact]]] = {}
        readers = self._readers
        for message in matches:
            for rule_id, frame in message.items():
                rule, rank, binds, aliases = readers[rule_id]
                order = tuple([frame[alias]["id"] for alias in aliases])
                if (rank, order) not in unique:
                    unique[(rank, order)] = (rule, {b: facts[p - 1] for b, p in zip(binds, order, strict=True)})
        if len(unique) == 1:
            ((rule, matched),) = unique.values()
            return [fire(rule, matched, evaluation)]
        return [fire(*unique[key], evaluation) for key in sorted(unique)]

    def session_facts(self, stage: str, profile: str) -> list[Fact]:
        """What the session of a stage's ruleset holds now: empty between runs (the isolation check)."""
        if (stage, profile) not in self._stage_rules:
            return []
        with self._lock:
            ruleset = self._ruleset(_PIPELINE[stage], profile)
        with ruleset.lock:
            return ruleset.facts()

    def _ruleset(self, pipeline: str, profile: str) -> _Ruleset:
        """A pipeline's durable ruleset, handed to the C engine when first used: a command that
        decides one view never pays for compiling the others."""
        ruleset = self._rulesets.get((pipeline, profile))
        if ruleset is None:
            definition = self._definitions[(pipeline, profile)]
            ruleset = self._rulesets[(pipeline, profile)] = _Ruleset(f"{pipeline}.{profile}", definition)
        return ruleset


# The control fact of each stage, encoded once: asserting it runs the stage.
_CONTROLS = {s: json.dumps({"type": CONTROL, "stage": s, "id": f"stage:{s}", "sid": SESSION}) for s in STAGES}
_BINDS: dict[str, list[tuple[str, str]]] = {}
_PIPELINE = {stage: pipeline for pipeline, stages in PIPELINES.items() for stage in stages}


def _needs(rules: list[Rule]) -> tuple[frozenset[str], ...]:
    """Per rule, the fact types its positive conditions match: without one of each it cannot fire."""
    sets = {frozenset(c.fact for c in rule.when if not c.absent) for rule in rules}
    return tuple(s for s in sets if not any(other < s for other in sets))  # the smallest suffice


def _binds(rule: Rule) -> list[tuple[str, str]]:
    """(bind, durable alias) of a rule's positive conditions, in rule order; computed once."""
    if rule.id not in _BINDS:
        _BINDS[rule.id] = [(c.bind, alias(c.bind)) for c in rule.when if not c.absent]
    return _BINDS[rule.id]


def fire(rule: Rule, matched: dict[str, Fact], evaluation: str) -> Firing:
    """Make the firing record: resolve the asserted facts (the explanation is filled on demand)."""
    maker = _MAKERS.get(rule.id)
    if maker is None or maker[0] is not rule:  # a rule edited and reloaded under the same id
        maker = _MAKERS[rule.id] = (rule, _firing_maker(rule))
    return maker[1](matched, evaluation)


_MAKERS: dict[str, tuple[Rule, Callable[[dict[str, Fact], str], Firing]]] = {}


def _firing_maker(rule: Rule) -> Callable[[dict[str, Fact], str], Firing]:
    """A rule's firing record builder, written out as Python once per rule: citations formatted,
    `$bind.field` references resolved to plain lookups, the asserted facts built by one literal
    expression (a maker runs once per firing, so its cost is paid thousands of times a sweep)."""
    static = {
        "rule_id": rule.id,
        "title": rule.title,
        "stage": rule.stage,
        "authority": tuple(cite_with_pin(a.cite, a.pin) for a in rule.authority),
        "template": rule.because,
    }
    consts: dict[str, Any] = {}

    def value(v: Any) -> str:
        if (ref := _ref(v)) is not None:
            return f"matched[{ref[0]!r}].get({ref[1]!r})"
        if v is None or v.__class__ in (bool, str, int):
            return repr(v)
        name = f"_k{len(consts)}"
        consts[name] = v
        return name

    facts = [
        "{" + ", ".join([f"'type': {a.fact!r}"] + [f"{k!r}: {value(v)}" for k, v in a.set.items()]) + "}"
        for a in rule.then
    ]
    source = (
        "def make(matched, evaluation):\n"
        "    firing = new(Firing)\n"
        "    firing.__dict__.update(static, matched=matched, evaluation=evaluation, extra={},\n"
        f"        asserted=({', '.join(facts)},))\n"
        "    return firing\n"
    )
    namespace: dict[str, Any] = {"new": object.__new__, "Firing": Firing, "static": static, **consts}
    exec(compile(source, f"<firing of {rule.id}>", "exec"), namespace)  # noqa: S102
    return namespace["make"]


def _ref(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str) and (m := REF.match(value)):
        return m.group(1), m.group(2)
    return None


def cite_with_pin(cite: str, pin: str) -> str:
    """Put the pin where a lawyer would: before the closing parenthetical, after the first page."""
    if pin.startswith("§") and pin in cite:
        return cite
    if cite.endswith(")") and " (" in cite:
        head, paren = cite.rsplit(" (", 1)
        return f"{head}, {pin} ({paren}"
    return f"{cite}, {pin}"


def dedupe(facts: Iterable[Fact]) -> list[Fact]:
    """Facts in first-seen order, identical ones once (durable rejects identical facts).

    Identical means same fields, same values and same value types (true is not 1). Only facts of
    one type with as many fields can be identical, so only those are compared field by field.
    """
    facts = list(facts)
    if len(facts) < 2:
        return facts
    shapes: dict[tuple[str, int], int] = {}
    for fact in facts:
        shape = (fact["type"], len(fact))
        shapes[shape] = shapes.get(shape, 0) + 1
    if all(n == 1 for n in shapes.values()):
        return facts
    seen: set[frozenset] = set()
    out = []
    for fact in facts:
        if shapes[(fact["type"], len(fact))] == 1:
            out.append(fact)
            continue
        try:
            key = frozenset((k, v.__class__, v) for k, v in fact.items())
        except TypeError:  # an unhashable value: compare by text
            key = frozenset((k, str, repr(v)) for k, v in fact.items())
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out
