"""The decided cases most on point for each side, ranked as HYPO ranks them, and leave-one-out.

A case is its set of factors (rules/factors/: the rules find them; nothing here decides a factor).
For a side (reviewable: the court heard the appeal, at least in part; dismissed: it did not), the
candidates are the decided cases that went that way. HYPO's on-point ordering comes first: a case
whose shared factors strictly include another's is more on point; the maximal cases form the first
layer, and so on down. Within a layer, cases rank by similarity, which is one sentence long: the
factors shared, over the factors found in either case (Jaccard). Distinctions are HYPO's: a factor
here, not there, that favours the other side; or one there, not here, that favours the precedent's side.
Hypotheticals (cases/hypotheticals/) are no court's decision and are never cited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.input.casefile import CaseFile, case_files, default_cases_dir, is_hypothetical, load_case
from engine.reasoning.decide import Engine
from engine.reasoning.decision import Decision
from engine.reasoning.rulecache import cached, content_key

SIDE_OF = {"appealable": "reviewable", "appealable_in_part": "reviewable", "not_appealable": "dismissed"}
SIDES = ("reviewable", "dismissed")
CLOSE = 0.6  # a disagreeing case at least this similar, in the first on-point layer, is a warning


@dataclass(frozen=True)
class Precedent:
    """A decided case as precedent: what the court did and the factors the rules find in it."""

    id: str
    citation: str
    court: str
    year: int
    holding: str
    disposition: str  # the court's, not the rules'
    side: str | None  # reviewable | dismissed | None (outside the doctrine)
    factors: dict[str, str]  # name -> favours
    rules_disposition: str
    divergence: str | None
    name: str | None


def factor_set(decision: Decision) -> dict[str, str]:
    """The factors of a decision, by name (HYPO's factors are present or absent)."""
    return {f["name"]: f["favours"] for f in decision.factors}


_CORPUS: dict[tuple, list[Precedent]] = {}


def corpus(engine: Engine, paths: list[str | Path] | None = None) -> list[Precedent]:
    """Every decided case under `paths` (default: the corpus), decided once per process and engine."""
    files = tuple(str(p) for p in case_files(paths or [_default_dir()]))
    key = (id(engine), files)
    if key not in _CORPUS:
        _CORPUS[key] = _from_disk_or_decide(engine, files)
    return _CORPUS[key]


def _from_disk_or_decide(engine: Engine, files: tuple[str, ...]) -> list[Precedent]:
    """The corpus decided once per change of its cases, rules or engine code, not once per command:
    deciding ~80 cases costs more than the rest of a `decide` (the cache is keyed on all of them)."""
    rule_paths = sorted({Path(origin) for origin, _ in engine.rulebook.origins.values()})
    engine_root = Path(__file__).resolve().parents[1]
    sources = sorted(p for layer in ("input", "reasoning", "analysis") for p in (engine_root / layer).glob("*.py"))
    key = content_key("precedents", [*map(Path, files), *rule_paths, *sources], extra=engine.backend)
    return cached(
        f"precedents-{key}", lambda: [_precedent(engine, load_case(p)) for p in files if not is_hypothetical(p)]
    )


def _default_dir() -> Path:
    return Path("cases") if Path("cases").is_dir() else default_cases_dir()


def _precedent(engine: Engine, case: CaseFile) -> Precedent:
    decision = engine.decide(case.facts)  # the court's own practice: each case as its court saw it
    src = case.source
    assert src is not None  # the loader refuses a decided case without one
    return Precedent(
        id=case.id,
        citation=src.citation,
        court=src.court,
        year=src.year,
        holding=src.holding_summary.strip(),
        disposition=case.expected.disposition,
        side=SIDE_OF.get(case.expected.disposition),
        factors=factor_set(decision),
        rules_disposition=decision.disposition,
        divergence=case.expected.divergence.reason if case.expected.divergence else None,
        name=case.facts.case.name,
    )


def compare(here: dict[str, str], p: Precedent) -> dict[str, Any]:
    """Shared and distinguishing factors, and the similarity in one sentence."""
    shared = sorted(set(here) & set(p.factors))
    here_only = sorted(set(here) - set(p.factors))
    there_only = sorted(set(p.factors) - set(here))
    union = len(shared) + len(here_only) + len(there_only)
    similarity = round(len(shared) / union, 3) if union else 0.0
    other = "dismissed" if p.side == "reviewable" else "reviewable"
    distinctions = [f"here, not there: {n} (favours {other})" for n in here_only if here[n] == other]
    distinctions += [f"there, not here: {n} (favours {p.side})" for n in there_only if p.factors[n] == p.side]
    return {
        "shared": shared,
        "here_only": here_only,
        "there_only": there_only,
        "distinctions": distinctions,
        "similarity": similarity,
        "why": f"shares {len(shared)} of the {union} factors found in either case "
        f"({len(here_only)} here only, {len(there_only)} there only): similarity {similarity:.2f}",
    }


def rank(here: dict[str, str], candidates: list[Precedent]) -> list[tuple[int, Precedent, dict[str, Any]]]:
    """HYPO: on-point layers by inclusion of shared factors, then similarity; cases sharing nothing drop out."""
    scored = [(p, compare(here, p)) for p in candidates]
    scored = [(p, c) for p, c in scored if c["shared"]]
    layers: list[tuple[int, Precedent, dict[str, Any]]] = []
    remaining, layer = scored, 0
    while remaining:
        top = [(p, c) for p, c in remaining if not any(set(c["shared"]) < set(c2["shared"]) for _, c2 in remaining)]
        layers += [(layer, p, c) for p, c in top]
        remaining = [(p, c) for p, c in remaining if all(p is not q for q, _ in top)]
        layer += 1
    return sorted(layers, key=lambda t: (t[0], -t[2]["similarity"], -len(t[2]["shared"]), t[1].id))


def _is_self(p: Precedent, decision: Decision) -> bool:
    """The case being decided is not its own precedent (matched on citation, else name)."""
    if decision.citation and decision.citation in p.citation:
        return True
    return bool(decision.name and p.name and decision.name == p.name)


def precedents(engine: Engine, decision: Decision, top: int = 3, pool: list[Precedent] | None = None) -> dict[str, Any]:
    """For each side, the `top` most on-point decided cases, and the close ones that disagree (warnings)."""
    here = factor_set(decision)
    pool = [p for p in (pool if pool is not None else corpus(engine)) if not _is_self(p, decision)]
    answer = SIDE_OF.get(decision.disposition)
    sides: dict[str, list[dict[str, Any]]] = {}
    warnings = []
    for side in SIDES:
        entries = []
        for layer, p, c in rank(here, [p for p in pool if p.side == side])[:top]:
            entry = {
                "case": p.id,
                "citation": p.citation,
                "court": p.court,
                "year": p.year,
                "holding": p.holding,
                "disposition": p.disposition,
                "side": side,
                "layer": layer,
                "agrees": answer == side if answer else None,
                **c,
            }
            entries.append(entry)
            if answer and side != answer and layer == 0 and c["similarity"] >= CLOSE:
                warnings.append(entry)
        sides[side] = entries
    return {
        "factors": [{"name": n, "favours": f} for n, f in sorted(here.items())],
        "answer": decision.disposition,
        "answer_side": answer,
        "warnings": sorted(warnings, key=lambda e: -e["similarity"]),
        "reviewable": sides["reviewable"],
        "dismissed": sides["dismissed"],
        "close_threshold": CLOSE,
    }


def decide_with_precedents(
    engine: Engine, fp, profile: str = "majority", top: int = 3, paths: list[str | Path] | None = None
) -> Decision:
    """`appealable decide`: the decision, with the closest decided cases for each side attached."""
    decision = engine.decide(fp, profile)
    decision.precedents = precedents(engine, decision, top, corpus(engine, paths))
    return decision


def predict(here: dict[str, str], pool: list[Precedent], fallback: str) -> tuple[str, list[Precedent]]:
    """The side the most on-point, most similar cases went (a tie between sides: their majority, then fallback)."""
    ranked = rank(here, [p for p in pool if p.side])
    if not ranked:
        return fallback, []
    best = ranked[0]
    tied = [p for layer, p, c in ranked if layer == best[0] and c["similarity"] == best[2]["similarity"]]
    votes = Counter(p.side for p in tied).most_common()
    if len(votes) > 1 and votes[0][1] == votes[1][1]:
        return fallback, tied
    return votes[0][0], tied


def leave_one_out(engine: Engine, paths: list[str | Path] | None = None) -> dict[str, Any]:
    """Predict each decided case from the others' factors alone (no disposition rule), as IBP was scored,
    beside the rules' accuracy and the majority-class baseline; list where precedent and rules disagree."""
    cases = [p for p in corpus(engine, paths) if p.side]
    majority = Counter(p.side for p in cases).most_common(1)[0][0] if cases else "dismissed"
    rows = []
    for case in cases:
        others = [p for p in cases if p is not case]
        fallback = Counter(p.side for p in others).most_common(1)[0][0]
        guess, nearest = predict(case.factors, others, fallback)
        rules_side = SIDE_OF.get(case.rules_disposition)
        rows.append(
            {
                "case": case.id,
                "citation": case.citation,
                "court_side": case.side,
                "precedent_side": guess,
                "rules_side": rules_side,
                "nearest": [p.id for p in nearest],
                "precedent_right": guess == case.side,
                "rules_right": rules_side == case.side,
                "divergence": case.divergence,
                "difference": _difference(case, nearest),
            }
        )
    n = len(rows)
    return {
        "cases": n,
        "excluded_outside_doctrine": sum(1 for p in corpus(engine, paths) if not p.side),
        "precedent_accuracy": _share(sum(r["precedent_right"] for r in rows), n),
        "rules_accuracy": _share(sum(r["rules_right"] for r in rows), n),
        "majority_baseline": _share(sum(p.side == majority for p in cases), n) | {"class": majority},
        "disagreements": [r for r in rows if r["precedent_side"] != r["rules_side"]],
        "rows": rows,
    }


def _share(right: int, n: int) -> dict[str, Any]:
    return {"right": right, "of": n, "accuracy": round(right / n, 3) if n else 0.0}


def _difference(case: Precedent, nearest: list[Precedent]) -> dict[str, list[str]]:
    """What separates the case from its nearest precedent: the factors each has alone."""
    if not nearest:
        return {"here_only": sorted(case.factors), "there_only": []}
    p = nearest[0]
    return {
        "here_only": sorted(set(case.factors) - set(p.factors)),
        "there_only": sorted(set(p.factors) - set(case.factors)),
    }
