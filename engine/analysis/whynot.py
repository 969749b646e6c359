"""Why not? For an answer the rules did not give, the rules that would have given it and what stopped each.

The question is a goal fact (`disposition {value: appealable}`, `appeal_outcome {value: ...}`). Every
rule of the profile that can assert it is matched against the facts the decision ended with, as far as
it goes: each condition holds (with the fact it matched), fails (with the nearest fact and the fields
that differ) or is blocked (an `absent` condition, with the fact in the way and the rule that put it
there). Then backwards, a step at a time: a failed condition on a derived fact becomes a goal of its
own; a blocking fact is answered by the other rules of its stage that read the same fact its maker read
(the back door's reliance could have been cleared as cursory, settled or immaterial); a failed condition
on the fact pattern itself names the change that would satisfy it, one of what-if's changes where one
fits, and is checked by deciding the changed pattern again. Nothing here decides: the rules do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.analysis.whatif import Change, apply, candidate_changes
from engine.input.model import FactPattern
from engine.reasoning.decide import Engine, read_profile
from engine.reasoning.decision import Decision
from engine.reasoning.pyeval import compile_where
from engine.reasoning.rulebook import PIPELINES, REF, Rule
from engine.reasoning.schema import BASE_FACTS

Fact = dict[str, Any]
MAX_DEPTH = 8
FACT_KEYS = ("key", "argument", "dispute", "claim", "appellant", "prong", "issue")


@dataclass
class Failed:
    """One condition of a rule that does not hold, the fact involved, and what would satisfy it."""

    bind: str
    fact_type: str
    kind: str  # fails (no fact matches) | blocked (an `absent` condition meets a fact)
    fact: Fact | None  # the nearest fact (fails) or the blocking fact (blocked)
    fields: list[dict[str, Any]] = field(default_factory=list)  # field, wanted, actual
    made_by: list[str] = field(default_factory=list)  # rules that asserted the blocking fact
    change: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v not in (None, [])}


@dataclass
class Attempt:
    """A rule that would have produced the goal, matched as far as it goes."""

    rule: Rule
    goal: str
    depth: int
    failed: list[Failed]
    held: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "title": self.rule.title,
            "authority": [f"{a.cite}, {a.pin}" for a in self.rule.authority],
            "would_give": self.goal,
            "depth": self.depth,
            "conditions_held": self.held,
            "failed": [f.as_dict() for f in self.failed],
        }


def _show(fact: Fact | None) -> str:
    if not fact:
        return "none"
    keys = [f"{k}={fact[k]}" for k in FACT_KEYS + ("value",) if k in fact]
    return f"{fact['type']}({', '.join(keys)})"


def _goal_text(fact_type: str, fields: dict[str, Any]) -> str:
    return f"{fact_type} {{{', '.join(f'{k}: {v}' for k, v in fields.items())}}}"


class WhyNot:
    """One question: the decision, its facts, and the search backwards from the goal."""

    def __init__(self, engine: Engine, fp: FactPattern, decision: Decision, profile: str):
        self.engine, self.fp, self.decision = engine, fp, decision
        self.view = read_profile(profile)[0]
        self.profile = profile
        self.facts = decision.facts
        self.rules = [
            r
            for stage in PIPELINES["jurisdiction"]
            if stage != "factor"
            for r in engine.rulebook.for_stage(stage, self.view)
        ]
        self.attempts: list[Attempt] = []
        self.seen: set[tuple] = set()
        self.changes = {c.key: c for c in candidate_changes(fp)}

    # -- the search -------------------------------------------------------------------------------
    def goal(self, fact_type: str, fields: dict[str, Any], depth: int = 0) -> None:
        key = ("goal", fact_type, tuple(sorted((k, repr(v)) for k, v in fields.items())))
        if depth > MAX_DEPTH or key in self.seen or self._holds(fact_type, fields):
            return
        self.seen.add(key)
        for rule in self.rules:
            for a in rule.then:
                if a.fact != fact_type:
                    continue
                pins: dict[str, dict[str, Any]] = {}
                if not all(self._unify(a.set.get(f), v, pins) for f, v in fields.items()):
                    continue
                self._attempt(rule, _goal_text(fact_type, fields), depth, pins, {})

    def _unify(self, produced: Any, wanted: Any, pins: dict[str, dict[str, Any]]) -> bool:
        """Can the rule's assertion give this value? A `$bind.field` can, if the bound fact has it."""
        if isinstance(produced, str) and (ref := REF.match(produced)):
            pins.setdefault(ref.group(1), {})[ref.group(2)] = wanted
            return True
        return produced == wanted or (isinstance(produced, bool) is isinstance(wanted, bool) and produced == wanted)

    def _holds(self, fact_type: str, fields: dict[str, Any]) -> bool:
        return any(f["type"] == fact_type and all(f.get(k) == v for k, v in fields.items()) for f in self.facts)

    def _attempt(
        self, rule: Rule, goal: str, depth: int, pins: dict[str, dict[str, Any]], preset: dict[str, Fact]
    ) -> None:
        key = (
            "rule",
            rule.id,
            tuple(sorted((b, repr(sorted(p.items()))) for b, p in pins.items())),
            tuple(sorted((b, repr(sorted(f.items()))) for b, f in preset.items())),
        )
        if key in self.seen:
            return
        self.seen.add(key)
        bound: dict[str, Fact] = {}
        judged: dict[str, Fact] = {}  # bound facts that met their condition: joins are judged against these only
        failed: list[Failed] = []
        held = 0
        for cond in rule.when:
            where = dict(cond.where)
            extra = pins.get(cond.bind, {})
            candidates = [f for f in self.facts if f["type"] == cond.fact]
            if cond.absent:
                blockers = [f for f in candidates if _mismatches(where, f, judged) == []]
                if blockers:
                    b = blockers[0]
                    makers = [fi.rule_id for fi in self.decision.trace if any(_same_fact(b, x) for x in fi.asserted)]
                    failed.append(Failed(cond.bind, cond.fact, "blocked", b, made_by=sorted(set(makers))))
                else:
                    held += 1
                continue
            if cond.bind in preset:
                candidates = [preset[cond.bind]]
            scored = []
            for f in candidates:
                miss = _mismatches(where, f, judged) + [
                    {"field": k, "wanted": v, "actual": f.get(k)} for k, v in extra.items() if f.get(k) != v
                ]
                joins = sum(1 for m in miss if _is_join(where.get(m["field"])) or m["field"] in extra)
                scored.append(((joins, len(miss)), f, miss))
            scored.sort(key=lambda t: t[0])  # the nearest fact: the right subject first, then fewest differences
            if scored and scored[0][0] == (0, 0):
                bound[cond.bind] = judged[cond.bind] = scored[0][1]
                held += 1
                continue
            nearest = scored[0] if scored else None
            if nearest:
                bound[cond.bind] = nearest[1]
            wanted = {
                k: _resolve(v, judged) for k, v in where.items() if k != "any" and not _unbound(v, judged)
            } | extra
            failed.append(
                Failed(cond.bind, cond.fact, "fails", nearest[1] if nearest else None, nearest[2] if nearest else [])
            )
            failed[-1].fields = failed[-1].fields or [
                {"field": k, "wanted": v, "actual": None} for k, v in wanted.items() if not isinstance(v, (dict, list))
            ]
        self.attempts.append(Attempt(rule, goal, depth, failed, held))
        for f in failed:
            self._follow(rule, f, bound, depth)

    def _follow(self, rule: Rule, f: Failed, bound: dict[str, Fact], depth: int) -> None:
        """One step back from a failure: a sub-goal, the rival rules of a blocker, or a change to the pattern."""
        if f.kind == "blocked":
            for maker in f.made_by:
                for firing in self.decision.trace:
                    if firing.rule_id == maker and any(_same_fact(f.fact, x) for x in firing.asserted):
                        self._rivals(firing, depth + 1)
            return
        if f.fact_type in BASE_FACTS:
            f.change = self._change(f)
            return
        wanted = {
            d["field"]: d["wanted"]
            for d in f.fields
            if not isinstance(d["wanted"], (dict, list))
            and not (isinstance(d["wanted"], str) and d["wanted"].startswith("$"))
        }
        keys = {k: f.fact[k] for k in FACT_KEYS if f.fact and k in f.fact and k not in wanted}
        self.goal(f.fact_type, keys | wanted, depth + 1)

    def _rivals(self, firing, depth: int) -> None:
        """The other rules of the blocker's stage that read the fact its maker read first."""
        maker = self.engine.rulebook.by_id[firing.rule_id]
        first = next(c for c in maker.when if not c.absent)
        subject = firing.matched[first.bind]
        made = {a.fact for a in maker.then}
        for rule in self.engine.rulebook.for_stage(maker.stage, self.view):
            if rule.id == maker.id:
                continue
            conds = [c for c in rule.when if not c.absent and c.fact == first.fact]
            if not conds or {a.fact for a in rule.then} == made and _same_conclusion(rule, maker):
                continue
            self._attempt(
                rule,
                f"instead of {_show(next(iter(firing.asserted), None))} ({maker.id})",
                depth,
                {},
                {conds[0].bind: subject},
            )

    def _change(self, f: Failed) -> dict[str, Any] | None:
        """The change to the fact pattern that would satisfy a failed condition on one of its facts."""
        fact = f.fact or {}
        out = []
        wanted = [
            (name, value)
            for d in f.fields
            for name, value in (
                [(k, v) for alt in d["wanted"] for k, v in alt.items()]
                if d["field"] == "any"
                else [(d["field"], d["wanted"])]
            )
        ]
        for name, value in wanted:
            if f.fact_type == "forum" and name == "circuit":
                out.append(
                    {
                        "key": f"profile:{value}",
                        "description": f"the appeal heard under {value}'s practice (--profile {value})",
                        "who": "court",
                    }
                )
                decided = self.engine.decide(self.fp, value)
                out[-1]["then"] = {"disposition": decided.disposition, "outcome": decided.outcome}
                continue
            key = _change_key(f.fact_type, fact, name, value)
            change = self.changes.get(key) if key else None
            if change:
                text = change.description
            elif fact:
                text = f"{_show(fact)}: {name} would have to be {wanted_text(value)}"
            else:
                text = f"there would have to be a {f.fact_type} with {name} {wanted_text(value)}"
            out.append({"key": key if change else None, "description": text, "who": change.who if change else None})
            if change:
                out[-1]["then"] = self._check(change)
        return {"changes": out} if out else None

    def _check(self, change: Change) -> dict[str, Any]:
        decided = self.engine.decide(apply(self.fp, (change,)), self.profile)
        return {"disposition": decided.disposition, "outcome": decided.outcome}

    # -- the answer -------------------------------------------------------------------------------
    def ranked(self) -> list[Attempt]:
        """Nearest first: fewest steps back from the goal, then fewest failed conditions; each rule
        and failure once (a rule reached again by another path adds nothing)."""
        out, seen = [], set()
        for a in sorted(self.attempts, key=lambda a: (a.depth, len(a.failed))):
            key = (a.rule.id, tuple((f.kind, _show(f.fact), repr(f.fields)) for f in a.failed))
            if key not in seen:
                seen.add(key)
                out.append(a)
        return out


def wanted_text(value: Any) -> str:
    """A condition's test in words: `{not: none}` is 'anything but none', a list 'one of ...'."""
    if isinstance(value, dict):
        words = {"not": "anything but", "gte": "at least", "lte": "at most", "gt": "more than", "lt": "less than"}
        return " and ".join(f"{words.get(op, op)} {wanted_text(v)}" for op, v in value.items())
    if isinstance(value, list):
        if all(isinstance(v, dict) for v in value):
            return " or ".join(", ".join(f"{k} {wanted_text(x)}" for k, x in alt.items()) for alt in value)
        return "one of " + ", ".join(map(str, value))
    return {True: "true", False: "false"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _is_join(condition: Any) -> bool:
    return isinstance(condition, str) and bool(REF.match(condition))


def _same_conclusion(rule: Rule, other: Rule) -> bool:
    return [(a.fact, sorted(a.set.items())) for a in rule.then] == [(a.fact, sorted(a.set.items())) for a in other.then]


def _change_key(fact_type: str, fact: Fact, field_name: str, wanted: Any) -> str | None:
    """Which of what-if's changes (engine/analysis/whatif.py) satisfies this field, if one does."""
    if fact_type == "argument" and field_name == "accepts_plaintiff_version" and wanted is True:
        return f"accept:{fact.get('key')}"
    if fact_type == "argument" and field_name == "legal_core" and wanted == "present":
        return f"legal-core:{fact.get('key')}"
    if fact_type == "reliance" and field_name == "reliance" and wanted == "passing":
        return f"passing:{fact.get('argument')}:{fact.get('dispute')}"
    if fact_type == "dispute" and field_name == "video" and isinstance(wanted, str):
        return f"video:{fact.get('key')}:{wanted}"
    return None


def _resolve(value: Any, bound: dict[str, Fact]) -> Any:
    if isinstance(value, str) and (ref := REF.match(value)):
        return bound.get(ref.group(1), {}).get(ref.group(2), value)
    if isinstance(value, list):
        return [_resolve(v, bound) for v in value]
    return value


def _mismatches(where: dict[str, Any], fact: Fact, bound: dict[str, Fact]) -> list[dict[str, Any]]:
    """The fields of `where` the fact does not satisfy (a reference to an unbound name is not judged)."""
    out = []
    for name, condition in where.items():
        if _unbound(condition, bound):
            continue
        if not compile_where({name: condition})(fact, bound):
            wanted = _resolve(condition, bound) if name != "any" else condition
            out.append({"field": name, "wanted": wanted, "actual": fact.get(name) if name != "any" else None})
    return out


def _unbound(condition: Any, bound: dict[str, Fact]) -> bool:
    if isinstance(condition, str) and (ref := REF.match(condition)):
        return ref.group(1) not in bound
    if isinstance(condition, list):
        return any(_unbound(c, bound) for c in condition)
    if isinstance(condition, dict):
        return any(_unbound(c, bound) for c in condition.values())
    return False


def _same_fact(a: Fact | None, b: Fact) -> bool:
    return a is not None and {k: v for k, v in a.items() if k not in ("sid", "id")} == {
        k: v for k, v in b.items() if k not in ("sid", "id")
    }


GOALS = {"disposition": "disposition", "outcome": "appeal_outcome"}


def why_not(engine: Engine, fp: FactPattern, profile: str = "majority", **goal: str) -> dict[str, Any]:
    """`why_not(engine, fp, disposition="appealable")` or `outcome="reversed_granted"`."""
    ((what, value),) = goal.items()
    decision = engine.decide(fp, profile)
    search = WhyNot(engine, fp, decision, profile)
    fact_type = GOALS[what]
    holds = search._holds(fact_type, {"value": value})
    if not holds:
        search.goal(fact_type, {"value": value})
    return {
        "question": {what: value},
        "profile": profile,
        "answer": {"disposition": decision.disposition, "outcome": decision.outcome},
        "holds": holds,
        "rules": [a.as_dict() for a in search.ranked()],
    }
