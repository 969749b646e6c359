"""Conflicting rules, found before run time: can one set of facts make two rules contradict?

For every pair of rules of one pipeline that share a profile and can assert different values of
a conclusion that must be unique (schema.UNIQUE), we ask the z3 SMT solver whether some set of
facts fires both for the same subject. Conditions are equalities over closed sets, any-of lists,
`not`, numeric comparisons, `any` alternatives, joins across facts (`$bind.field`) and `absent`
conditions, so the question is a small quantifier-free problem: each fact is a record of integer
variables (closed-set values and booleans are interned as negative codes, numbers stay numbers, a
field a fact lacks is a MISSING code on which every test fails, as in both evaluators), the facts
a rule matches exist, and the facts an `absent` condition forbids do not. Enumerating the value
domains would also do for one scene (a few million combinations at most), but not for joins over
several facts with open keys and derived facts; the solver also gives the smallest witness
(Optimize) for free.

What is exact, and what is approximated (always towards reporting a conflict, never towards
"conflict-free"):
- Conditions on input facts (the scene, the case, the order, disputes, arguments, the merits
  results) are exact, including joins and `absent`; input facts that identify themselves
  (schema.IDENTITY: one scene, one case, one dispute per key...) are the same fact when their keys
  are equal. Other links the loader enforces (a reliance's prong is its argument's prong) are not
  modelled.
- A derived fact a rule matches must be asserted by some rule of an earlier stage, whose own
  conditions are modelled in turn (with the other facts it asserts), to DEPTH levels; below that
  depth a derived fact is free, within the values some rule gives it. Facts that other rules would
  also derive are not added, which can only make `absent` conditions easier to meet.
- Earlier conclusions are taken as consistent (every other pair is checked too).
- The world is only the facts the two rules (and their derivations) need, plus what rules with
  one condition and no negation must derive from them (e.g. a `part` for each unit's
  disposition): more facts can only defeat an `absent` condition, never create a match. Facts
  that rules with several conditions would derive are left out, which errs towards a conflict.
- Counts (`appeal.units`) are not tied to the number of facts they count.
A witness is therefore a set of facts that satisfies both rules' conditions; where it rests on
derived facts below the depth, it may be unreachable in practice, and the message says which
facts were assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.reasoning.rulebook import PIPELINES, REF, Rule, RuleBook
from engine.reasoning.schema import ANALYSIS_FACTS, BASE_FACTS, IDENTITY, NUMBER, TEXT, UNIQUE

DEPTH = 2
MISSING = "<missing>"
KEY_FIELDS = (
    "key",
    "claim",
    "appellant",
    "issue",
    "dispute",
    "argument",
    "follows",
    "name",
    "prong",
    "right",
    "raised_by",
    "intertwined_with",
)
INPUT_TYPES = {
    "graham": ("scene",),
    "rights": ("scene",),
    "claims": ("scene",),
    "jurisdiction": tuple(t for t in BASE_FACTS if t != "scene"),
}


@dataclass
class Conflict:
    """Two rules that one set of facts fires together with incompatible conclusions."""

    first: Rule
    second: Rule
    profile: str
    conclusion: str
    values: tuple[Any, Any]
    witness: list[str]
    assumed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        a, b = self.values
        text = (
            f"'{self.first.id}' ({a}) and '{self.second.id}' ({b}) fire on one set of facts and disagree on "
            f"{self.conclusion} ({self.profile} profile); witness: {'; '.join(self.witness)}"
        )
        if self.assumed:
            text += f" (given derived facts: {'; '.join(self.assumed)})"
        return text


def _stage(rule: Rule) -> int:
    return PIPELINES[rule.pipeline].index(rule.stage)


class _Codes:
    """Closed-set values and booleans as negative integers, so one sort holds every field."""

    def __init__(self) -> None:
        self.by_value: dict[Any, int] = {}
        self.values: dict[int, Any] = {}

    def __call__(self, value: Any) -> int:
        key = (type(value).__name__, value)
        if key not in self.by_value:
            code = -1 - len(self.by_value)
            self.by_value[key] = code
            self.values[code] = value
        return self.by_value[key]


@dataclass
class _Fact:
    type: str
    fields: dict[str, Any]
    exists: Any
    stage: Any  # int or z3 Int: the stage index after which the fact is visible (-1: an input)
    origin: str  # input | derived | free | conclusion
    label: str
    producer: Any = None  # z3 Int choosing the producing assertion, with the options
    options: list[tuple[Rule, int]] = field(default_factory=list)


class _World:
    """The facts two rule firings need, and the constraints that make them fire."""

    def __init__(self, book: RuleBook, pipeline: str, profile: str, depth: int, derived: dict[str, Any]):
        import z3

        self.z3 = z3
        self.book, self.pipeline, self.profile, self.depth = book, pipeline, profile, depth
        self.derived = derived
        self.codes = _Codes()
        self.missing = self.codes(MISSING)
        self.facts: list[_Fact] = []
        self.constraints: list[Any] = []
        self.absents: list[tuple[Rule, Any, dict[str, _Fact], Any]] = []
        self.read: set[tuple[str, str]] = set()  # (fact type, field) some condition tests: a witness shows only these
        self.n = 0

    # -- facts ------------------------------------------------------------------------------
    def _var(self, name: str):
        self.n += 1
        return self.z3.Int(f"{name}#{self.n}")

    def _new(self, fact_type: str, fields: list[str], exists, stage, origin: str) -> _Fact:
        f = _Fact(fact_type, {k: self._var(f"{fact_type}.{k}") for k in fields}, exists, stage, origin, "")
        f.label = f"{fact_type}#{len(self.facts)}"
        self.facts.append(f)
        return f

    def _domain(self, v, allowed) -> Any:
        z3 = self.z3
        if allowed is NUMBER:
            return v >= 0
        if allowed is TEXT or allowed is None:
            return v != self.missing
        return z3.Or([v == self.codes(x) for x in allowed])

    def input_fact(self, fact_type: str, guard) -> _Fact:
        if fact_type not in INPUT_TYPES[self.pipeline]:
            self.constraints.append(self.z3.Not(guard))  # never present in this pipeline
        stage = PIPELINES["jurisdiction"].index("materiality") - 1 if fact_type in ANALYSIS_FACTS else -1
        schema = BASE_FACTS[fact_type]
        f = self._new(fact_type, list(schema), guard, stage, "input")
        for k, v in f.fields.items():
            self.constraints.append(self._domain(v, schema[k]))
        return f

    def producers(self, fact_type: str, before: int) -> list[tuple[Rule, int]]:
        return [
            (r, i)
            for r in self.book.rules
            if r.pipeline == self.pipeline and self.profile in r.profiles and _stage(r) < before
            for i, a in enumerate(r.then)
            if a.fact == fact_type
        ]

    def derived_fact(self, fact_type: str, guard, before: int, depth: int) -> _Fact:
        z3 = self.z3
        fields = sorted(self.derived.get(fact_type, {}).get("fields", {}))
        options = self.producers(fact_type, before)
        stage = self._var(f"{fact_type}.stage")
        f = self._new(fact_type, fields, guard, stage, "derived" if depth > 0 else "free")
        f.options = options
        if not options:
            self.constraints.append(z3.Not(guard))
            return f
        f.producer = choice = self._var(f"{fact_type}.by")
        self.constraints.append(z3.Implies(guard, z3.Or([choice == k for k in range(len(options))])))
        for k, (rule, i) in enumerate(options):
            g = z3.And(guard, choice == k)
            self.constraints.append(z3.Implies(g, stage == _stage(rule)))
            if depth > 0:
                bound = self.fire(rule, g, depth - 1)
                self._assert_fields(f, rule.then[i].set, bound, g)
                for j in range(len(rule.then)):
                    if j != i:
                        self.conclusion(rule, j, bound, g)
            else:
                literal = {k2: v for k2, v in rule.then[i].set.items() if not (isinstance(v, str) and REF.match(v))}
                self._assert_fields(f, literal, {}, g, free=set(rule.then[i].set) - set(literal))
        return f

    def _assert_fields(self, f: _Fact, values: dict[str, Any], bound: dict[str, _Fact], guard, free=()) -> None:
        z3 = self.z3
        for name, var in f.fields.items():
            if name in free:
                self.constraints.append(z3.Implies(guard, var != self.missing))
            elif name in values:
                self.constraints.append(z3.Implies(guard, var == self.value(values[name], bound)))
            else:
                self.constraints.append(z3.Implies(guard, var == self.missing))

    def conclusion(self, rule: Rule, i: int, bound: dict[str, _Fact], guard) -> _Fact:
        a = rule.then[i]
        fields = sorted(set(self.derived.get(a.fact, {}).get("fields", {})) | set(a.set))
        f = self._new(a.fact, fields, guard, _stage(rule), "conclusion")
        f.options = [(rule, i)]
        self._assert_fields(f, a.set, bound, guard)
        return f

    # -- conditions -------------------------------------------------------------------------
    def value(self, operand: Any, bound: dict[str, _Fact]):
        if isinstance(operand, str) and (ref := REF.match(operand)):
            name, fld = ref.groups()
            fact = bound.get(name)
            if fact is None or fld not in fact.fields:
                return self.z3.IntVal(self.missing)
            self.read.add((fact.type, fld))
            return fact.fields[fld]
        if isinstance(operand, int | float) and not isinstance(operand, bool):
            return self.z3.IntVal(int(operand))
        return self.z3.IntVal(self.codes(operand))

    def where(self, where: dict[str, Any], f: _Fact, bound: dict[str, _Fact]):
        z3 = self.z3
        clauses = []
        for name, cond in where.items():
            if name == "any":
                clauses.append(z3.Or([self.where(alt, f, bound) for alt in cond]))
                continue
            if name not in f.fields:
                clauses.append(z3.BoolVal(False))
                continue
            self.read.add((f.type, name))
            v = f.fields[name]
            present = v != self.missing
            if isinstance(cond, list):
                clauses.append(z3.And(present, z3.Or([v == self.value(c, bound) for c in cond])))
            elif isinstance(cond, dict):
                tests = [present]
                for op, operand in cond.items():
                    if op == "not":
                        ops = operand if isinstance(operand, list) else [operand]
                        tests += [v != self.value(o, bound) for o in ops]
                    else:
                        o = self.value(operand, bound)
                        cmp = {"gte": v >= o, "lte": v <= o, "gt": v > o, "lt": v < o}[op]
                        tests.append(z3.And(v >= 0, o >= 0, cmp))  # ordered tests hold between numbers only
                clauses.append(z3.And(tests))
            else:
                clauses.append(z3.And(present, v == self.value(cond, bound)))
        return z3.And(clauses) if clauses else z3.BoolVal(True)

    def fire(self, rule: Rule, guard, depth: int) -> dict[str, _Fact]:
        """Facts for the rule's positive conditions, which match them whenever `guard` holds."""
        bound: dict[str, _Fact] = {}
        here = _stage(rule)
        for cond in rule.when:
            if cond.absent:
                self.absents.append((rule, cond, bound, guard))
                continue
            if cond.fact in BASE_FACTS:
                f = self.input_fact(cond.fact, guard)
            else:
                f = self.derived_fact(cond.fact, guard, here, depth)
                self.constraints.append(self.z3.Implies(guard, f.stage < here))
            self.constraints.append(self.z3.Implies(guard, self.where(cond.where, f, bound)))
            bound[cond.bind] = f
        return bound

    # -- closing the world ------------------------------------------------------------------
    def force_consequences(self) -> None:
        """Add what rules with one positive condition and no negation must derive from the facts here.

        Such a rule fires whenever its one fact is visible and matches, so its conclusion exists;
        leaving it out would let an `absent` condition over it pass where no real run could."""
        z3 = self.z3
        simple = [
            r
            for r in self.book.rules
            if r.pipeline == self.pipeline
            and self.profile in r.profiles
            and len(r.when) == 1
            and not r.when[0].absent
            and not any(a.fact in UNIQUE for a in r.then)
        ]
        for f in list(self.facts):
            for rule in simple:
                cond = rule.when[0]
                if cond.fact != f.type:
                    continue
                here = _stage(rule)
                guard = z3.And(f.exists, f.stage < here, self.where(cond.where, f, {}))
                for k in range(len(rule.then)):
                    self.conclusion(rule, k, {cond.bind: f}, guard)

    def close(self, exempt: tuple[_Fact, _Fact]) -> None:
        z3 = self.z3
        self.force_consequences()
        for rule, cond, bound, guard in self.absents:
            here = _stage(rule)
            for f in self.facts:
                if f.type == cond.fact:
                    visible = z3.And(guard, f.exists, f.stage < here)
                    self.constraints.append(z3.Implies(visible, z3.Not(self.where(cond.where, f, bound))))
        for i, f in enumerate(self.facts):
            for g in self.facts[i + 1 :]:
                if f.type != g.type:
                    continue
                both = z3.And(f.exists, g.exists)
                if f.origin == g.origin == "input" and f.type in IDENTITY:
                    same_key = [f.fields[k] == g.fields[k] for k in IDENTITY[f.type]]
                    same = [f.fields[k] == g.fields[k] for k in f.fields]
                    self.constraints.append(z3.Implies(z3.And(both, *same_key), z3.And(same)))
                if f.type in UNIQUE and {id(f), id(g)} != {id(exempt[0]), id(exempt[1])}:
                    keys, value = UNIQUE[f.type]
                    same_subject = [f.fields[k] == g.fields[k] for k in keys if k in f.fields and k in g.fields]
                    if value in f.fields and value in g.fields:
                        self.constraints.append(
                            z3.Implies(z3.And(both, *same_subject), f.fields[value] == g.fields[value])
                        )

    def decode(self, model, var) -> Any:
        code = model.eval(var, model_completion=True).as_long()
        return self.codes.values.get(code, code if code >= 0 else f"k{-code}")

    def show(self, model, f: _Fact) -> str:
        """One fact of a witness; fields left unknown, false, or open text no test reads are not shown."""
        parts = []
        schema = BASE_FACTS.get(f.type, {})
        for name, var in f.fields.items():
            if (f.type, name) not in self.read:
                continue  # no condition tests it: any value will do
            value = self.decode(model, var)
            three_valued = isinstance(schema.get(name), tuple) and "unknown" in schema[name]
            if value in (MISSING, "unknown") or (value is False and not three_valued):
                continue
            if schema.get(name) is NUMBER and value == 0:
                continue
            if schema.get(name, TEXT) is TEXT and name not in KEY_FIELDS and not isinstance(value, bool):
                continue  # open text (an about, a version label): any will do
            if isinstance(value, int) and not isinstance(value, bool) and schema.get(name) is not NUMBER:
                value = f"k{value}"  # an open name that joins facts: any name will do
            parts.append(f"{name}: {_show(value)}")
        return f"{f.type}{{{', '.join(parts)}}}"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _defaults(world: _World, f: _Fact) -> list[Any]:
    """Soft goals for a small witness: scene fields left unknown, booleans false."""
    out = []
    schema = BASE_FACTS.get(f.type, {})
    for name, var in f.fields.items():
        allowed = schema.get(name)
        if isinstance(allowed, tuple) and "unknown" in allowed:
            out.append(var == world.codes("unknown"))
        elif isinstance(allowed, tuple) and False in allowed:
            out.append(var == world.codes(False))
        elif isinstance(allowed, tuple):
            out.append(var == world.codes(allowed[0]))
    return out


def candidate_pairs(book: RuleBook) -> list[tuple[Rule, int, Rule, int]]:
    """Pairs of assertions of one unique conclusion that might carry different values."""
    out = []
    rules = book.rules
    for x, a in enumerate(rules):
        for b in rules[x:]:
            if a.pipeline != b.pipeline or not set(a.profiles) & set(b.profiles):
                continue
            for i, ca in enumerate(a.then):
                for j, cb in enumerate(b.then):
                    if ca.fact != cb.fact or ca.fact not in UNIQUE or (a is b and j < i):
                        continue
                    value = UNIQUE[ca.fact][1]
                    va, vb = ca.set.get(value), cb.set.get(value)
                    literal = not any(isinstance(v, str) and REF.match(v) for v in (va, vb))
                    if literal and va == vb:
                        continue
                    out.append((a, i, b, j))
    return out


def find_conflict(book: RuleBook, a: Rule, i: int, b: Rule, j: int, derived, depth: int = DEPTH) -> Conflict | None:
    """A witness that fires both assertions for one subject with different values, or None.

    Deeper derivations only add constraints, so the search deepens from 0 and stops at the first
    depth where no witness exists (most pairs are settled at depth 0 or 1).
    """
    for profile in [p for p in a.profiles if p in b.profiles]:
        for d in range(depth + 1):
            found = _solve(book, a, i, b, j, derived, profile, d, witness=d == depth)
            if found is None:
                break
        else:
            return found
    return None


def _solve(book: RuleBook, a: Rule, i: int, b: Rule, j: int, derived, profile: str, depth: int, witness: bool):
    import z3

    world = _World(book, a.pipeline, profile, depth, derived)
    ba = world.fire(a, z3.BoolVal(True), depth)
    bb = world.fire(b, z3.BoolVal(True), depth)
    fa = [world.conclusion(a, k, ba, z3.BoolVal(True)) for k in range(len(a.then))][i]
    fb = [world.conclusion(b, k, bb, z3.BoolVal(True)) for k in range(len(b.then))][j]
    keys, value = UNIQUE[fa.type]
    world.constraints += [fa.fields[k] == fb.fields[k] for k in keys if k in fa.fields and k in fb.fields]
    world.constraints.append(fa.fields.get(value, z3.IntVal(world.missing)) != fb.fields.get(value))
    world.close((fa, fb))
    solver = z3.Solver()
    solver.add(world.constraints)
    if solver.check() != z3.sat:
        return None
    if not witness:
        return True
    opt = z3.Optimize()
    opt.add(world.constraints)
    for f in world.facts:
        if f.origin == "input":
            opt.add_soft(z3.Not(f.exists), 5)
            for goal in _defaults(world, f):
                opt.add_soft(z3.Implies(f.exists, goal), 1)
    model = opt.model() if opt.check() == z3.sat else solver.model()
    present = [f for f in world.facts if z3.is_true(model.eval(f.exists, model_completion=True))]
    shown = []
    for f in present:
        if f.origin == "input" and (text := world.show(model, f)) not in shown:
            shown.append(text)
    assumed = sorted({world.show(model, f) for f in present if f.origin == "free"})
    values = tuple(_show(world.decode(model, f.fields[value])) for f in (fa, fb))
    return Conflict(a, b, profile, f"{fa.type}.{value}", values, shown or ["(any facts)"], assumed)


# Pairs the solver cannot tell apart because what separates them lies outside the model, with the
# reason; tests/test_conflicts.py checks that each is still reported without this entry.
BEYOND_THE_MODEL: dict[tuple[str, str], str] = {
    ("outcome.aggregate.sole_part", "outcome.aggregate.sole_part"): (
        "two firings on outcomes of different parts, but `appeal.units: 1` means there is one part; "
        "counts are not tied to the facts they count"
    ),
}


def conflicts(book: RuleBook, derived: dict[str, Any], depth: int = DEPTH, exempt: bool = True) -> list[Conflict]:
    """Every pair of rules that can contradict each other and is not ordered by `exception_to`."""
    out = []
    for a, i, b, j in candidate_pairs(book):
        if a.exception_to == b.id or b.exception_to == a.id:
            continue
        if exempt and (a.id, b.id) in BEYOND_THE_MODEL:
            continue
        found = find_conflict(book, a, i, b, j, derived, depth)
        if found:
            out.append(found)
    return out


def overlaps(book: RuleBook, exception: Rule, general: Rule, derived: dict[str, Any], depth: int = DEPTH) -> bool:
    """Whether a declared exception really meets the rule it excepts (else it is dead or misdeclared)."""
    for a, i, b, j in candidate_pairs(book):
        if {a.id, b.id} == {exception.id, general.id} and a is not b:
            if find_conflict(book, a, i, b, j, derived, depth):
                return True
    return False
