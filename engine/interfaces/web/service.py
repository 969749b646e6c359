"""What the workbench asks of the engine: the calls the CLI makes, made safe to share across requests.

durable_rules is not thread-safe, so one Engine serves the process and every evaluation holds one
lock (the Python evaluator that screens what-if variations shares it: its merits cache is not
thread-safe either). No legal logic lives here: decisions, comparisons and flips come from the same
functions `appealable decide`, `decide --profile compare` and `what-if` call.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from engine.analysis.precedents import corpus, decide_with_precedents, precedents
from engine.analysis.regression import CaseResult, coverage, run_case
from engine.analysis.whatif import across_circuits, apply, candidate_changes, compare_profiles, what_if
from engine.input.casefile import CaseFile, case_files, default_cases_dir, fact_pattern_from, load_case, read_text
from engine.input.errors import InputError, Problem
from engine.input.model import FactPattern
from engine.reasoning.decide import Engine
from engine.reasoning.decision import Decision
from engine.reasoning.rulebook import Rule, default_rules_dir, rule_files

log = logging.getLogger("appealable.web")


@dataclass(frozen=True)
class CaseEntry:
    """A corpus case as the workbench indexes it at start-up; requests name it by id only."""

    id: str
    path: str
    group: str  # the folder: 7th-cir, scotus, other-circuits, hypotheticals
    case: CaseFile


class Workbench:
    """One engine of record, one screening evaluator, the rule book and the corpus index."""

    def __init__(self, rule_paths: list[str | Path] | None = None, cases_dir: str | Path | None = None):
        self.engine = Engine(rule_paths=rule_paths)  # loads and lints the rules: bad rules stop start-up
        self.scout = Engine(self.engine.rulebook, backend="python")
        self.lock = threading.Lock()
        self.rules_root = Path(rule_paths[0]) if rule_paths and len(rule_paths) == 1 else default_rules_dir()
        self.rule_paths = rule_files(rule_paths)
        self.rules_sha256 = _digest(self.rule_paths)
        root = Path(cases_dir) if cases_dir else default_cases_dir()
        self.cases_root = root
        self.cases: dict[str, CaseEntry] = {}
        self.case_problems: list[Problem] = []  # a case file that does not load is listed, not fatal
        for path in case_files([root]) if root.is_dir() else []:
            try:
                case = load_case(path)
            except InputError as exc:
                self.case_problems.extend(exc.problems)
                continue
            self.cases[case.id] = CaseEntry(case.id, str(path), path.parent.name, case)
        self._corpus: list[CaseResult] | None = None

    # -- parsing, as the CLI does ------------------------------------------------------------------
    @staticmethod
    def parse(text: str, file: str) -> tuple[Any, Any]:
        """Raw data and marks from YAML or JSON text (the CLI's safe loader)."""
        return read_text(text, file)

    @staticmethod
    def validate(data: Any, marks: Any, file: str) -> FactPattern:
        """A fact pattern (or a case file's facts) validated with the CLI's own messages."""
        return fact_pattern_from(data, marks, file)[0]

    def load(self, text: str, file: str) -> FactPattern:
        data, marks = self.parse(text, file)
        return self.validate(data, marks, file)

    # -- the engine, one caller at a time ----------------------------------------------------------
    def decide(self, fp: FactPattern, profile: str = "majority") -> Decision:
        """`appealable decide`: the decision with the closest decided cases of this corpus attached."""
        with self.lock:
            return decide_with_precedents(self.engine, fp, profile, paths=[self.cases_root])

    def decide_on_point(self, fp: FactPattern, profile: str = "majority") -> tuple[Decision, str | None]:
        """The decision page's call: `decide`'s decision and precedents, or the decision and why it has none.

        `decide` fails whole when the corpus cannot be decided (its JSON must be the CLI's). The page
        shows the closest cases as an aid to the decision: a corpus case broken since start-up costs the
        page its "Cases most on point" (with the reason), never the decision itself.
        """
        with self.lock:
            decision = self.engine.decide(fp, profile)
            try:
                decision.precedents = self._precedents(decision, 3)  # `decide`'s number per side
            except InputError as exc:
                return decision, str(exc)
            except Exception as exc:  # an aid must not take the decision down; the log keeps the traceback
                log.exception("the closest decided cases could not be found")
                return decision, f"{type(exc).__name__} (the server's log has the details)"
            return decision, None

    def precedents(self, fp: FactPattern, profile: str = "majority", top: int = 3) -> dict[str, Any]:
        """`appealable precedents --format json`."""
        with self.lock:
            return self._precedents(self.engine.decide(fp, profile), top)

    def _precedents(self, decision: Decision, top: int) -> dict[str, Any]:
        """The CLI's precedents() over this workbench's corpus (decided once, then cached on disk)."""
        return precedents(self.engine, decision, top, corpus(self.engine, [self.cases_root]))

    def compare(self, fp: FactPattern, names: tuple[str, ...] = ("majority", "dissent")) -> dict[str, Any]:
        with self.lock:
            return compare_profiles(self.engine, fp, names)

    def circuits(self, fp: FactPattern, courts: tuple[str, ...]) -> dict[str, Decision]:
        """The appeal under every court of appeals' practice (`what-if --circuits`)."""
        with self.lock:
            return across_circuits(self.engine, fp, list(courts))

    def what_if(self, fp: FactPattern, profile: str = "majority", max_changes: int = 2) -> dict[str, Any]:
        with self.lock:
            return what_if(self.engine, fp, profile, max_changes, search=self.scout)

    @staticmethod
    def apply_changes(fp: FactPattern, keys: list[str]) -> FactPattern:
        """The fact pattern with the named what-if changes made (keys as `what-if` reports them)."""
        by_key = {c.key: c for c in candidate_changes(fp)}
        unknown = [k for k in keys if k not in by_key]
        if unknown or not keys:
            raise InputError([Problem("what-if", None, None, "", f"unknown change {', '.join(unknown) or '(none)'}")])
        return apply(fp, tuple(by_key[k] for k in keys))

    # -- the corpus and the rules ------------------------------------------------------------------
    def corpus(self) -> list[CaseResult]:
        """Every case run as `appealable test` runs it; computed once, on first use."""
        if self._corpus is None:
            with self.lock:
                if self._corpus is None:
                    self._corpus = [run_case(self.engine, e.case, e.path) for e in self.cases.values()]
        return self._corpus

    def coverage(self) -> dict[str, int]:
        return coverage(self.engine, self.corpus())

    def result(self, case_id: str) -> CaseResult | None:
        return next((r for r in self.corpus() if r.case.id == case_id), None)

    @property
    def rules(self) -> list[Rule]:
        return self.engine.rulebook.rules

    def rule(self, rule_id: str) -> Rule | None:
        return self.engine.rulebook.by_id.get(rule_id)

    def rule_source(self, rule_id: str) -> dict[str, Any]:
        """The rule's own YAML text, with its file (relative to the rules folder) and first line."""
        file, line = self.engine.rulebook.origins[rule_id]
        return {"file": self._relative(file), "line": line, "text": self._rule_texts.get(rule_id, "")}

    def _relative(self, file: str) -> str:
        try:
            return "rules/" + Path(file).resolve().relative_to(self.rules_root.resolve()).as_posix()
        except ValueError:
            return Path(file).name

    @cached_property
    def _rule_texts(self) -> dict[str, str]:
        """Each rule's lines, from its `- id:` line to the next rule at the left margin."""
        out: dict[str, str] = {}
        by_file: dict[str, list[tuple[int, str]]] = {}
        for rule_id, (file, line) in self.engine.rulebook.origins.items():
            by_file.setdefault(file, []).append((line or 1, rule_id))
        for file, starts in by_file.items():
            lines = Path(file).read_text(encoding="utf-8").splitlines()
            starts.sort()
            for n, (line, rule_id) in enumerate(starts):
                end = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(lines)
                block = lines[line - 1 : end]
                while block and (not block[-1].strip() or block[-1].lstrip().startswith("#")):
                    block.pop()
                out[rule_id] = "\n".join(block)
        return out

    def fired_in(self, rule_id: str) -> list[str]:
        return [r.case.id for r in self.corpus() if rule_id in r.fired]


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()
