"""Rule lint: catch the rule edits that would otherwise be silently misread or never fire.

Checks: unknown fact types and fields; values a field can never take; `$bind.field`
references to names not bound earlier; explanation slots the conditions do not bind, and any
brace that is not a plain slot (templates are inert); authorities without a usable pin;
negation over facts derived in the same or a later stage, or over a type the rule also matches
positively (order-dependent in durable_rules); `exception_to` naming no rule;
positive conditions on fact types nothing produces before the rule's stage; with `conflicts`,
pairs of rules that one set of facts fires with incompatible conclusions (engine/reasoning/
conflicts.py), and declared exceptions that do not meet the rule they except, sit in another
stage, or cite no authority of their own; a pin into a separate opinion (a dissent) whose citation
does not say so.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from engine.input.errors import Problem
from engine.reasoning.rulebook import OPS, PIPELINES, REF, SLOT, RuleBook
from engine.reasoning.schema import ANALYSIS_FACTS, BASE_FACTS, TEXT
from engine.reasoning.vocabulary import FACTOR_NAMES, FAVOURS

# Opinions whose separate writings follow the majority in the same slip opinion: a pin past the
# majority's last page cites the dissent, and the citation must say so (a dissent is not the court).
SEPARATE_OPINIONS: dict[str, tuple[int, str]] = {"No. 20-1754": (44, "dissenting")}  # Smith v. Finkley
SLIP_PAGES = re.compile(r"(?<!n\.)(?<![0-9])(\d+)")


def dissent_pin_problem(cite: str, pin: str) -> str | None:
    """A slip-op pin past the majority's pages, from a citation that does not say it is the dissent."""
    for docket, (last, word) in SEPARATE_OPINIONS.items():
        if docket not in cite or "slip op" not in pin or word in cite.lower():
            continue
        pages = [int(n) for n in SLIP_PAGES.findall(pin.split("slip op.", 1)[1].replace("n.", "n. "))]
        beyond = [n for n in pages if n > last]
        if beyond:
            return (
                f"authority '{cite}' pins slip op. {', '.join(map(str, beyond))}, past the majority's last page "
                f"({last}): that is a separate opinion; say so in the cite (e.g. '(Sykes, C.J., {word})')"
            )
    return None


PIN_OK = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "§")


def _stage_index(stage: str) -> tuple[str, int]:
    for pipeline, stages in PIPELINES.items():
        if stage in stages:
            return pipeline, stages.index(stage)
    raise KeyError(stage)


def produced(book: RuleBook) -> dict[str, dict[str, Any]]:
    """For each derived fact type: the fields rules give it and the stages that assert it."""
    out: dict[str, dict[str, Any]] = {}
    for rule in book.rules:
        for a in rule.then:
            entry = out.setdefault(a.fact, {"fields": {}, "stages": set()})
            entry["stages"].add((rule.stage, rule.id))
            for field, value in a.set.items():
                entry["fields"].setdefault(field, set()).add(
                    value if not isinstance(value, str) or not value.startswith("$") else "*"
                )
    return out


def _available(fact: str, stage: str, derived: dict[str, dict[str, Any]], rule_id: str) -> tuple[bool, bool]:
    """(exists before this stage, asserted at or after it by another rule) for a fact type.

    A rule's own assertion does not count: a default rule may negate the type it asserts,
    because a stage's rules see only what earlier stages derived.
    """
    pipeline, here = _stage_index(stage)
    if fact in BASE_FACTS and fact not in ANALYSIS_FACTS:
        return True, False
    if fact in ANALYSIS_FACTS:
        return pipeline == "jurisdiction" and here >= PIPELINES["jurisdiction"].index("materiality"), False
    before = later = False
    for s, producer in derived.get(fact, {}).get("stages", ()):
        p, i = _stage_index(s)
        if p != pipeline:
            continue
        before |= i < here
        later |= i >= here and producer != rule_id
    return before, later


def _fields(fact: str, derived: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if fact in BASE_FACTS:
        return BASE_FACTS[fact]
    return {f: (TEXT if "*" in vals else tuple(vals)) for f, vals in derived.get(fact, {}).get("fields", {}).items()}


def lint(book: RuleBook, conflicts: bool = True) -> list[Problem]:
    """Every problem in the rulebook; `conflicts=False` skips the solver (the checks that need z3)."""
    derived = produced(book)
    problems: list[Problem] = []
    for rule in book.rules:
        file, line = book.origins.get(rule.id, ("<rules>", None))

        def bad(message: str, rule_id: str = rule.id, file: str = file, line: int | None = line) -> None:
            problems.append(Problem(file, line, None, rule_id, message))

        if rule.exception_to and rule.exception_to not in book.by_id:
            bad(f"exception_to names unknown rule '{rule.exception_to}'")
        for a in rule.authority:
            if not any(ch in a.pin for ch in PIN_OK):
                bad(f"authority '{a.cite}' has pin '{a.pin}', which names no page, section or slip page")
            if message := dissent_pin_problem(a.cite, a.pin):
                bad(message)
        positive_types = {c.fact for c in rule.when if not c.absent}
        for cond in rule.when:
            if cond.absent and cond.fact in positive_types:
                bad(
                    f"negation over '{cond.fact}', a type the rule also matches positively: the result would depend on "
                    "assertion order; derive a separate fact for the negation in an earlier stage"
                )
        bound: dict[str, str] = {}
        for cond in rule.when:
            known = cond.fact in BASE_FACTS or cond.fact in derived
            if not known:
                guess = difflib.get_close_matches(cond.fact, [*BASE_FACTS, *derived], n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                bad(f"condition on unknown fact type '{cond.fact}'{hint}")
                continue
            before, later = _available(cond.fact, rule.stage, derived, rule.id)
            if cond.absent and later:
                bad(
                    f"negation over '{cond.fact}', which is derived in this or a later stage; move the rule to a later stage"
                )
            if not cond.absent and not before:
                bad(
                    f"condition on '{cond.fact}', which nothing produces before stage '{rule.stage}': the rule can never fire"
                )
            fields = _fields(cond.fact, derived)
            _check_where(cond.where, fields, cond.fact, bound, bad)
            if not cond.absent:
                bound[cond.bind] = cond.fact
        for a in rule.then:
            for value in a.set.values():
                if isinstance(value, str) and value.startswith("$"):
                    _check_ref(value, bound, derived, bad)
        text = SLOT.sub("", rule.because)
        if "{" in text or "}" in text:
            bad("explanation has a brace that is not a {bind.field} slot; templates fill named slots only")
        for m in SLOT.finditer(rule.because):
            _check_ref(f"${m.group(1)}.{m.group(2)}", bound, derived, bad, where="explanation slot")
    problems += factor_problems(book)
    if conflicts and not problems:  # the solver reads rules the checks above have passed
        problems += conflict_problems(book, derived)
    return problems


FACTOR_FIELDS = ("name", "favours", "claim", "subject")


def factor_problems(book: RuleBook) -> list[Problem]:
    """Factors compare cases and decide nothing: stage `factor` asserts only `factor` facts, nothing else
    asserts them; each names a documented factor (FACTOR_NAMES) and always favours the same side."""
    problems: list[Problem] = []
    sides: dict[str, tuple[str, str]] = {}
    for rule in book.rules:
        file, line = book.origins.get(rule.id, ("<rules>", None))

        def bad(message: str, rule_id: str = rule.id, file: str = file, line: int | None = line) -> None:
            problems.append(Problem(file, line, None, rule_id, message))

        for a in rule.then:
            if (rule.stage == "factor") != (a.fact == "factor"):
                where = (
                    "stage 'factor' may assert only 'factor'"
                    if rule.stage == "factor"
                    else "only stage 'factor' asserts 'factor'"
                )
                bad(f"asserts '{a.fact}': {where} (factors decide nothing)")
                continue
            if a.fact != "factor":
                continue
            if sorted(a.set) != sorted(FACTOR_FIELDS):
                bad(f"a factor sets exactly {', '.join(FACTOR_FIELDS)}")
                continue
            name, favours = a.set["name"], a.set["favours"]
            if name not in FACTOR_NAMES:
                guess = difflib.get_close_matches(str(name), list(FACTOR_NAMES), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                bad(
                    f"unknown factor '{name}'{hint} (factors are listed in engine/reasoning/vocabulary.py FACTOR_NAMES)"
                )
            if favours not in FAVOURS:
                bad(f"favours '{favours}' (expected one of {', '.join(FAVOURS)})")
            elif name in sides and sides[name][0] != favours:
                bad(
                    f"factor '{name}' favours {favours} here but {sides[name][0]} in "
                    f"'{sides[name][1]}': a factor favours one side"
                )
            sides.setdefault(str(name), (str(favours), rule.id))
    return problems


def conflict_problems(book: RuleBook, derived: dict[str, dict[str, Any]]) -> list[Problem]:
    """Pairs of rules that can contradict each other, and exceptions that are not real exceptions.

    The solver takes ~30 s on the whole rulebook, so the answer is kept in .cache/, keyed by the
    rules and the analysis code: an unchanged rulebook is not analysed twice.
    """
    key = _cache_key(book)
    cache = Path(__file__).resolve().parents[2] / ".cache" / f"conflicts-{key}.json"
    if cache.exists():
        return [Problem(**p) for p in json.loads(cache.read_text())]
    problems = _conflict_problems(book, derived)
    try:
        cache.parent.mkdir(exist_ok=True)
        cache.write_text(json.dumps([vars(p) for p in problems]))
    except OSError:
        pass  # a read-only checkout: analyse again next time
    return problems


def _cache_key(book: RuleBook) -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for module in ("conflicts.py", "schema.py", "rulebook.py"):
        digest.update((here / module).read_bytes())
    for rule in book.rules:  # the wording (title, explanation) cannot make two rules conflict
        digest.update(rule.model_dump_json(exclude={"title", "because"}).encode())
        digest.update(repr(book.origins.get(rule.id)).encode())
    return digest.hexdigest()[:20]


def _conflict_problems(book: RuleBook, derived: dict[str, dict[str, Any]]) -> list[Problem]:
    from engine.reasoning.conflicts import conflicts, overlaps

    problems: list[Problem] = []

    def at(rule_id: str, message: str) -> None:
        file, line = book.origins.get(rule_id, ("<rules>", None))
        problems.append(Problem(file, line, None, rule_id, message))

    for rule in book.rules:
        general = book.by_id.get(rule.exception_to or "")
        if general is None:
            continue
        if general.stage != rule.stage:
            at(
                rule.id,
                f"exception_to '{general.id}', which is in stage '{general.stage}', not '{rule.stage}': an exception "
                "is weighed against the rule it excepts within one stage (across stages, use an `absent` condition)",
            )
            continue
        theirs = {(a.cite, a.pin) for a in general.authority}
        if all((a.cite, a.pin) in theirs for a in rule.authority):
            at(rule.id, f"exception_to '{general.id}' cites no authority of its own for the exception")
        if not overlaps(book, rule, general, derived):
            at(
                rule.id,
                f"exception_to '{general.id}', but no facts fire both with different conclusions: "
                "the exception is dead or misdeclared",
            )
    for c in conflicts(book, derived):
        at(
            c.second.id,
            f"conflict: {c.describe()}; narrow a condition, or declare one `exception_to` the other "
            "with the authority for the exception",
        )
    return problems


def _check_where(where: dict[str, Any], fields: dict[str, Any], fact: str, bound: dict[str, str], bad) -> None:
    for field, value in where.items():
        if field == "any":
            if not isinstance(value, list) or not value:
                bad("'any' takes a non-empty list of alternatives")
                continue
            for alt in value:
                _check_where(alt, fields, fact, bound, bad)
            continue
        if field not in fields:
            guess = difflib.get_close_matches(field, list(fields), n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            bad(f"fact '{fact}' has no field '{field}'{hint}")
            continue
        allowed = fields[field]
        values: list[Any]
        if isinstance(value, dict):
            unknown_ops = [op for op in value if op not in OPS]
            if unknown_ops:
                bad(f"unknown operator(s) {unknown_ops} on '{field}' (expected one of {list(OPS)})")
                continue
            values = [v for operand in value.values() for v in (operand if isinstance(operand, list) else [operand])]
        else:
            values = value if isinstance(value, list) else [value]
        if (
            isinstance(value, list)
            and isinstance(allowed, tuple)
            and all(any(v is a or (v == a and type(v) is type(a)) for v in value) for a in allowed)
        ):
            bad(f"'{fact}.{field}' accepts every value it can take {list(allowed)}: the test is dead; remove it")
        for v in values:
            if isinstance(v, str) and v.startswith("$"):
                _check_ref(v, bound, {}, bad, fields_known=False)
            elif isinstance(allowed, tuple) and v not in allowed:
                bad(f"'{fact}.{field}' can never be {v!r} (allowed: {list(allowed)})")


def _check_ref(
    ref: str, bound: dict[str, str], derived, bad, where: str = "reference", fields_known: bool = True
) -> None:
    m = REF.match(ref)
    if not m:
        bad(f"{where} '{ref}' is not of the form $bind.field")
        return
    name, field = m.groups()
    if name not in bound:
        bad(f"{where} '{ref}' names '{name}', which no earlier positive condition binds (bound: {sorted(bound)})")
        return
    if fields_known and derived is not None:
        fields = _fields(bound[name], derived) if derived else BASE_FACTS.get(bound[name], {})
        if fields and field not in fields:
            bad(f"{where} '{ref}': fact '{bound[name]}' has no field '{field}'")
