"""The pipeline: base facts -> stages -> merits evaluations -> remaining stages -> Decision.

Stages run in order; each sees the finished output of the ones before (no truth maintenance
is needed). Between genuineness and materiality the Graham and clearly-established rules run
on the plaintiff's version and, for each genuine dispute, on that version with the dispute
resolved for the official: materiality by counterfactual.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine.input.errors import ContradictionError
from engine.input.model import PRONGS, Claim, Court, FactPattern, Scene
from engine.reasoning.decision import ArgumentView, Decision, DisputeView, IssueView, PartView
from engine.reasoning.facts import Fact, base_facts, scene_fact
from engine.reasoning.rulebook import PIPELINES, RuleBook
from engine.reasoning.rulecache import load_checked_rulebook
from engine.reasoning.runtime import Runtime
from engine.reasoning.schema import UNIQUE
from engine.reasoning.trace import Firing

MERITS_CACHE_SIZE = 4096
BEFORE_MERITS = ("practice", "practice_default", "threshold", "elements", "record", "genuineness", "genuineness_linked")
FACTOR_STAGES = ("factor",)  # after the decision: features for comparing cases (engine/analysis/precedents.py)
AFTER_MERITS = tuple(s for s in PIPELINES["jurisdiction"] if s not in BEFORE_MERITS + FACTOR_STAGES)
VIEWS = ("majority", "dissent")
CIRCUITS: tuple[str, ...] = Court.__args__  # type: ignore[attr-defined]


def read_profile(profile: str) -> tuple[str, str | None]:
    """A profile names a view of the judges (majority, dissent) or a court whose practice applies.

    Returns (view, circuit); circuit None means the case's own court.
    """
    if profile in VIEWS:
        return profile, None
    if profile in CIRCUITS:
        return "majority", profile
    raise ValueError(f"unknown profile {profile!r} (expected majority, dissent or a court: {', '.join(CIRCUITS)})")


class Engine:
    """A rulebook compiled once per process, ready to decide any number of fact patterns."""

    def __init__(
        self,
        rulebook: RuleBook | None = None,
        rule_paths: list[str | Path] | None = None,
        backend: str = "durable",
    ):
        """backend: "durable" (durable_rules, the engine of record) or "python" (engine/pyeval.py).

        Rule files are loaded and linted before anything runs: a rule that lint rejects could be
        silently misread, so it stops the engine (RuleError, exit 2), as it stops `make test`.
        A checked rulebook is cached on disk, keyed by the rule files' content (rulecache.py).
        """
        if rulebook is None:
            rulebook = load_checked_rulebook(rule_paths, conflicts=rule_paths is not None)  # rules/: `appealable lint`
        self.rulebook = rulebook
        self.backend = backend
        if backend == "durable":
            self.runtime = Runtime(self.rulebook)
        elif backend == "python":
            from engine.reasoning.pyeval import PyRuntime

            self.runtime = PyRuntime(self.rulebook)
        else:
            raise ValueError(f"unknown backend {backend!r} (expected 'durable' or 'python')")
        self._merits_cache: OrderedDict[tuple, tuple[Fact, list[Firing]]] = OrderedDict()
        self._merits_kinds = _merits_kinds(self.rulebook)

    # -- one pipeline run -------------------------------------------------------------------
    def _stages(
        self, stages: Iterable[str], profile: str, facts: list[Fact], label: str
    ) -> tuple[list[Fact], list[Firing]]:
        return self.runtime.run_stages(stages, profile, facts, label, settle=self._settle, check=UniqueCheck())

    def _settle(self, firings: list[Firing]) -> list[Firing]:
        return _defeat(firings, self.rulebook)

    def _evaluate(self, pipeline: str, scene: Fact, profile: str) -> tuple[Fact, list[Firing]]:
        """Run the Graham, claim or rights rules on one version of the scene (memoised: pure)."""
        key = (pipeline, profile, tuple(scene.items()))  # scene_fact writes its fields in one order
        cached = self._merits_cache.get(key)
        if cached is not None:
            self._merits_cache.move_to_end(key)
            return cached
        facts, trace = self._stages(PIPELINES[pipeline], profile, [scene], f"{pipeline}:{scene['version']}")
        # the first conclusion in rulebook order (rights are listed most specific first), and every
        # rule that supported the same answer (two Graham rules may agree; several rights may apply)
        out = next(f for f in facts if f["type"] in OUTPUTS)
        value = OUTPUTS[out["type"]]
        support = [
            (f.rule_id, a) for f in trace for a in f.asserted if a["type"] == out["type"] and a.get(value) == out[value]
        ]
        rule = support[0][0] if support else ""
        summary = {
            **out,
            "rule": rule,
            "rules": tuple(dict.fromkeys(r for r, _ in support)),
            "rights": tuple(dict.fromkeys(a["right"] for _, a in support if a.get("established"))),
            # only a default rule answered: the rules hold nothing on this version
            "default": bool(rule) and self.rulebook.by_id[rule].stage.endswith("_default"),
        }
        self._merits_cache[key] = (summary, trace)
        if len(self._merits_cache) > MERITS_CACHE_SIZE:
            self._merits_cache.popitem(last=False)  # bounded: sweeps over many scenes stay flat
        return self._merits_cache[key]

    def _version_of(self, scene: Fact, claim: Claim, profile: str) -> tuple[Fact, Fact, list[Firing]]:
        """The merits answer and the rights answer on one version of one claim.

        Excessive force: Graham. Any other kind the claim rules speak to: those rules, which for a
        claim that derives from another officer's force (failure to intervene) also read Graham's
        answer on the same version (`underlying_force`).
        """
        if claim.kind == "excessive_force":
            merits, trace = self._evaluate("graham", scene, profile)
        else:
            force, trace = self._evaluate("graham", scene, profile)
            scene = {**scene, "underlying_force": force["result"]}  # a bystander's right reads it too
            merits, t = self._evaluate("claims", scene, profile)
            trace = trace + t
        right, t2 = self._evaluate("rights", scene, profile)
        return merits, right, trace + t2

    # -- the decision -----------------------------------------------------------------------
    def decide(self, fp: FactPattern, profile: str = "majority") -> Decision:
        view, circuit = read_profile(profile)
        # one jurisdiction session: the stages before the merits, then (the merits evaluations
        # added as facts) the stages after, each fact sent to the engine once
        with self.runtime.session("jurisdiction", view, "jurisdiction", UniqueCheck(), self._settle) as juris:
            facts, trace = juris.run(BEFORE_MERITS, base_facts(fp, circuit, view))
            status = {f["dispute"]: f for f in facts if f["type"] == "dispute_status"}
            merits_facts: list[Fact] = []
            merits_trace: list[Firing] = []
            merits: dict[str, dict] = {}
            claims = fp.all_claims()
            for claim in claims:
                mf, mt, m = self._merits(fp, claim, status, view)
                merits_facts += mf
                merits_trace += mt
                if m is not None:
                    merits[claim.key] = m
            facts, later = juris.run(AFTER_MERITS, merits_facts)
        decision = _build(fp, claims, profile, facts, trace + later, merits_trace, merits, merits_facts)
        decision.facts = facts
        decision.find_factors = lambda: self._find_factors(view, facts)
        return decision

    def _find_factors(self, view: str, facts: list[Fact]) -> tuple[list[dict[str, Any]], list[Firing]]:
        """The factor stage on a decision's facts: features for comparing cases, deciding nothing."""
        _, trace = self._stages(FACTOR_STAGES, view, facts, "factors")
        return _factors(trace), trace

    def _merits(
        self, fp: FactPattern, claim: Claim, status: dict[str, Fact], profile: str
    ) -> tuple[list[Fact], list[Firing], dict | None]:
        """The merits and the rights table on the plaintiff's version of one claim, and on each
        dispute resolved for the official: the counterfactuals materiality reads.

        A claim kind no merits rule speaks to (or force: none) has no merits evaluation: its
        disputes fall to the declared-factor rules and its outcome stays undetermined.
        """
        if claim.kind == "excessive_force" and claim.force == "none":
            return [], [], None
        if claim.kind != "excessive_force" and claim.kind not in self._merits_kinds:
            return [], [], None
        _, scene = fp.claim_of(claim)
        plaintiff = plaintiff_version(scene, claim, status)
        force, right, trace = self._version_of(version_scene(plaintiff, claim, fp, "plaintiff"), claim, profile)
        facts: list[Fact] = [{"type": "merits", "claim": claim.key, "result": force["result"], "rule": force["rule"]}]
        ce_known = claim.kind == "excessive_force" or not right["default"]
        if ce_known:
            # for the other claims, a table with no matching right says nothing about prong two
            facts.append(
                {
                    "type": "clearly_established",
                    "claim": claim.key,
                    "established": right["established"],
                    "right": right["right"],
                    "decisive": right.get("decisive", True),
                }
            )
        versions = {"plaintiff": _version(force, right)}
        for d in claim.disputes:
            st = status.get(d.key)
            if not st or not st["genuine"] or d.subjective_only or d.plaintiff_scene == d.defendant_scene:
                continue
            label = f"officer-on-{d.key}"
            f2, r2, t = self._version_of(
                version_scene(plaintiff.overlay(d.defendant_scene), claim, fp, label), claim, profile
            )
            trace += t
            versions[label] = _version(f2, r2)
            facts.append(
                _counterfactual(claim.key, d.key, "violation", force["result"], f2["result"], force["rule"], f2["rule"])
            )
            facts.append(
                _counterfactual(claim.key, d.key, "clearly_established", _ce(right), _ce(r2), right["rule"], r2["rule"])
            )
        merits = {
            "kind": claim.kind,
            "plaintiff_version": {"force": force["result"], "rule": force["rule"], "rules": list(force["rules"])},
            "clearly_established": {
                # None: a claim other than force for which the rights table holds no matching right (unknown)
                "established": right["established"] if ce_known else None,
                "right": right["right"],
                "rule": right["rule"],
                "rules": list(right["rules"]),
                "rights": list(right["rights"]),
            },
            "versions": versions,
        }
        return facts, trace, merits


def _merits_kinds(rulebook: RuleBook) -> frozenset[str]:
    """The claim kinds other than force that the claim rules speak to (read off the rules)."""
    kinds: set[str] = set()
    for rule in rulebook.rules:
        if rule.pipeline == "claims":
            for c in rule.when:
                kind = c.where.get("claim_kind")
                kinds.update(kind if isinstance(kind, list) else [kind] if kind else [])
    return frozenset(kinds)


def version_scene(scene: Scene, claim: Claim, fp: FactPattern, version: str) -> Fact:
    """One version of the scene; `underlying_force` is filled in only for a derivative claim."""
    return {**scene_fact(scene, claim, fp, version), "underlying_force": "unknown"}


def _version(force: Fact, right: Fact) -> dict[str, Any]:
    """Both merits answers on one version, with every rule that supported each."""
    return {
        "force": force["result"],
        "force_rules": list(force["rules"]),
        "established": right["established"],
        "rights": list(right["rights"]),
        "rights_rules": list(right["rules"]),
    }


def _ce(finding: Fact) -> str:
    """A right found (clearly established), a holding that none was (decisive), or no match at all."""
    if finding["established"]:
        return "clearly_established"
    return "not_clearly_established" if finding.get("decisive", True) else "no_right_matched"


# A default answer settles nothing: `open` (no Graham rule decides) and `no_right_matched` (the rights
# table has no entry for these facts). A holding that no right was clearly established is decisive.
UNDECIDED = ("open", "no_right_matched")
# the fact each merits pipeline concludes with, and its answer field
OUTPUTS = {"force_assessment": "result", "claim_assessment": "result", "right_finding": "established"}


def _counterfactual(claim: str, key: str, prong: str, p: str, d: str, prule: str, drule: str) -> Fact:
    """Both evaluations of one dispute on one prong. `decided` is false when the rules settle
    neither version (both fall to a default rule): then the comparison proves nothing and the
    declared-factor rules decide materiality instead."""
    decided = not (p in UNDECIDED and d in UNDECIDED)
    return {
        "type": "counterfactual",
        "claim": claim,
        "dispute": key,
        "prong": prong,
        "plaintiff_result": p,
        "defendant_result": d,
        "differs": p != d,
        "decided": decided,
        "plaintiff_rule": prule,
        "defendant_rule": drule,
    }


def plaintiff_version(scene: Scene, claim: Claim, status: dict[str, Fact]) -> Scene:
    """The claim's scene taken in the plaintiff's favour, except where the record settles a dispute.

    A dispute that a rule resolved for the official (video or record that blatantly contradicts
    the plaintiff; in the dissent's view, a video-preserved movement a reasonable officer could
    read as a threat) takes the official's version; every other dispute takes the plaintiff's.
    """
    for d in claim.disputes:
        resolved = status.get(d.key, {}).get("resolved_for")
        side = d.defendant_scene if resolved == "defendant" else d.plaintiff_scene
        scene = scene.overlay(side)
    return scene


def _clash(first: tuple[Fact, ...], second: tuple[Fact, ...]) -> bool:
    """Whether two firings assert different values of one unique conclusion for one subject."""
    for a in first:
        spec = UNIQUE.get(a["type"])
        if spec:
            keys, value = spec
            for b in second:
                if b["type"] == a["type"] and all(a.get(k) == b.get(k) for k in keys) and a.get(value) != b.get(value):
                    return True
    return False


def _defeat(firings: list[Firing], rulebook: RuleBook) -> list[Firing]:
    """A declared exception defeats the rule it excepts where the two conclude differently on one
    subject (as Catala's `exception`, Blawx's `overrules`): that firing of the general rule drops out."""
    declared = rulebook.exceptions
    exceptions = [f for f in firings if f.rule_id in declared]
    if not exceptions:
        return firings
    general = {f.rule_id: rulebook.by_id[f.rule_id].exception_to for f in exceptions}
    return [
        g
        for g in firings
        if not any(g.rule_id == general[e.rule_id] and _clash(e.asserted, g.asserted) for e in exceptions)
    ]


class UniqueCheck:
    """One conclusion per subject (schema.UNIQUE): checked after each stage, over the facts added
    since the last check only, so a run of twenty stages does not re-read its facts twenty times."""

    __slots__ = ("seen", "checked")

    def __init__(self) -> None:
        self.seen: dict[tuple, Any] = {}
        self.checked = 0

    def __call__(self, facts: list[Fact], firings: list[Firing]) -> None:
        seen = self.seen
        for i in range(self.checked, len(facts)):
            fact = facts[i]
            spec = UNIQUE.get(fact["type"])
            if not spec:
                continue
            keys, value_field = spec
            subject = (fact["type"],) + tuple(fact.get(k) for k in keys)
            value = fact.get(value_field)
            if subject in seen and seen[subject] != value:
                involved = [
                    f
                    for f in firings
                    if any(
                        a.get("type") == fact["type"] and all(a.get(k) == fact.get(k) for k in keys) for a in f.asserted
                    )
                ]
                raise ContradictionError(" ".join(map(str, subject)), involved)
            seen[subject] = value
        self.checked = len(facts)


def _by_type(facts: list[Fact]) -> dict[str, list[Fact]]:
    """Facts grouped by type, each group in input order: read once, not once per question."""
    groups: dict[str, list[Fact]] = {}
    for f in facts:
        groups.setdefault(f["type"], []).append(f)
    return groups


def _build(
    fp: FactPattern,
    claims: list[Claim],
    profile: str,
    facts: list[Fact],
    trace: list[Firing],
    merits_trace: list[Firing],
    merits: dict[str, dict],
    merits_facts: list[Fact],
) -> Decision:
    of = _by_type(facts)
    disposition = of["disposition"][0]
    appeal_outcome = of.get("appeal_outcome", [])
    if disposition["value"] == "outside_doctrine":
        outcome, outcome_prong = "not_applicable", None
    elif appeal_outcome:
        outcome, outcome_prong = appeal_outcome[0]["value"], _prong(appeal_outcome[0])
    else:
        outcome, outcome_prong = "undetermined", None
    roles = {a.key: a.role for a in fp.all_appellants()}
    parts = []
    kinds = {c["key"]: c["kind"] for c in of.get("claim", [])}
    per_part: dict[tuple, list[Fact]] = {}
    for kind in ("unit_disposition", "outcome", "prong_status"):
        for f in of.get(kind, []):
            per_part.setdefault((f.get("claim"), f.get("appellant")), []).append(f)
    for u in of.get("unit", []):
        kind = kinds[u["claim"]]
        part = PartView(u["claim"], kind, u["appellant"], roles[u["appellant"]], merits=merits.get(u["claim"]))
        part.prongs = {p: "not_raised" for p in PRONGS}
        for f in per_part.get((u["claim"], u["appellant"]), []):
            if f["type"] == "unit_disposition":
                part.disposition, part.reason = f["value"], f.get("reason")
            elif f["type"] == "outcome":
                part.outcome, part.outcome_prong = f["value"], _prong(f)
            elif f["type"] == "prong_status":
                part.prongs[f["prong"]] = "reviewable" if f["reviewable"] else "not_reviewable"
        if part.disposition == "outside_doctrine":
            part.outcome = "not_applicable"
        parts.append(part)
    status = {f["dispute"]: f for f in of.get("dispute_status", [])}
    disputes = []
    counterfactuals = [f for f in merits_facts if f["type"] == "counterfactual"]
    for d, claim_key in ((d, c.key) for c in claims for d in c.disputes):
        view = DisputeView(d.key, d.about, list(d.bears_on), claim=claim_key)
        if d.key in status:
            view.genuine = status[d.key]["genuine"]
            view.resolved_for = status[d.key]["resolved_for"]
        for m in of.get("dispute_material", []):
            if m["dispute"] == d.key:
                view.material[m["prong"]] = m["material"]
                view.material_why[m["prong"]] = m["why"]
        for c in counterfactuals:
            if c["dispute"] == d.key:
                view.counterfactual[c["prong"]] = {
                    k: c[k]
                    for k in (
                        "plaintiff_result",
                        "defendant_result",
                        "differs",
                        "decided",
                        "plaintiff_rule",
                        "defendant_rule",
                    )
                }
        disputes.append(view)
    arguments = []
    for claim in claims:
        for a in claim.arguments:
            view = ArgumentView(
                a.key, a.prong, a.accepts_plaintiff_version, claim=claim.key, appellant=fp.appellant_of(a)
            )
            for s in of.get("argument_status", []):
                if s["argument"] == a.key:
                    view.separable, view.via = s["separable"], s.get("via")
            view.path = next((p["path"] for p in of.get("argument_path", []) if p["argument"] == a.key), None)
            view.depends_on = sorted({t["dispute"] for t in of.get("argument_taint", []) if t["argument"] == a.key})
            view.cleared = [
                {"dispute": c["dispute"], "why": c["why"]}
                for c in of.get("reliance_cleared", [])
                if c["argument"] == a.key
            ]
            arguments.append(view)
    answers = {f["issue"]: f for f in of.get("issue_answer", [])}
    issues = [
        IssueView(i.key, i.kind, i.raised_by, answers.get(i.key, {}).get("answer"), answers.get(i.key, {}).get("why"))
        for i in fp.issues
    ]
    forum = of["forum"][0]
    single = parts[0] if len(parts) == 1 else None
    return Decision(
        profile=profile,
        name=fp.case.name,
        citation=fp.case.citation,
        disposition=disposition["value"],
        reason=disposition.get("reason") if disposition["value"] == "outside_doctrine" else None,
        outcome=outcome,
        outcome_prong=outcome_prong,
        prongs=single.prongs if single else {p: "see_parts" for p in PRONGS},
        arguments=arguments,
        disputes=disputes,
        merits=single.merits if single else None,
        trace=trace,
        merits_trace=merits_trace,
        circuit=forum["circuit"],
        practice=sorted({p["rule"] for p in of.get("practice", [])}),
        parts=parts,
        issues=issues,
    )


def _factors(firings: list[Firing]) -> list[dict[str, Any]]:
    """Each factor once per (name, claim, subject), with the rule that found it and why, in a stable order."""
    found: dict[tuple, dict[str, Any]] = {}
    for f in firings:
        for a in f.asserted:
            if a["type"] == "factor":
                key = (a["name"], a["claim"], a["subject"])
                found.setdefault(
                    key,
                    {
                        "name": a["name"],
                        "favours": a["favours"],
                        "claim": a["claim"],
                        "subject": a["subject"],
                        "rule": f.rule_id,
                        "because": f.because,
                        "authority": list(f.authority),
                    },
                )
    return [found[k] for k in sorted(found)]


def _prong(fact: Fact) -> str | None:
    prong = fact.get("prong")
    return None if prong in (None, "none") else prong
