"""Decisions as text (for the terminal), Markdown (a bench memo) and JSON (for tools)."""

from __future__ import annotations

import json

from engine.reasoning.decision import SCHEMA_VERSION, Decision
from engine.reasoning.trace import Firing

LABEL = {
    "appealable": "APPEALABLE: the appeal raises only questions of law",
    "appealable_in_part": "APPEALABLE IN PART: review what is separable, dismiss the rest",
    "not_appealable": "NOT APPEALABLE: dismiss for lack of appellate jurisdiction",
    "outside_doctrine": "OUTSIDE THE DOCTRINE: no interlocutory denial of an immunity from suit",
}


def to_json(decision: Decision) -> str:
    """Stable JSON: sorted keys, fixed separators, so equal decisions are equal bytes."""
    return json.dumps(decision.as_dict(), sort_keys=True, indent=2, ensure_ascii=False)


def _yn(value: bool | None, yes: str, no: str) -> str:
    return "?" if value is None else (yes if value else no)


def _title(d: Decision) -> str:
    return " ".join(x for x in (d.name, f"({d.citation})" if d.citation else None) if x) or "Fact pattern"


def _dispute_line(v) -> str:
    genuine = _yn(v.genuine, "genuine", f"not genuine (resolved for {v.resolved_for})")
    mats = ", ".join(
        f"{p}: {_yn(m, 'material', 'not material')} [{v.material_why.get(p)}]" for p, m in v.material.items()
    )
    line = f"{v.key}: {genuine}" + (f"; {mats}" if mats else "")
    for prong, cf in v.counterfactual.items():
        line += f"\n      {prong}: plaintiff's version -> {cf['plaintiff_result']} ({cf['plaintiff_rule']}); official's -> {cf['defendant_result']} ({cf['defendant_rule']})"
    return line


def _part_lines(d: Decision) -> list[str]:
    """One line per appellant's appeal on a claim, and per issue on neither prong."""
    out = []
    for p in d.parts:
        prongs = ", ".join(f"{k} {v}" for k, v in p.prongs.items() if v != "not_raised") or "no prong argued"
        reason = f" ({p.reason})" if p.reason and p.disposition in ("outside_doctrine", "not_appealable") else ""
        outcome = f"; {p.outcome}" + (f" on {p.outcome_prong}" if p.outcome_prong else "")
        out.append(f"{p.appellant} ({p.role}) on {p.claim} ({p.kind}): {p.disposition}{reason}; {prongs}{outcome}")
    for i in d.issues:
        out.append(f"issue {i.key} ({i.kind}, raised by {i.raised_by}): {i.answer} ({i.why})")
    return out


def _several(d: Decision) -> bool:
    return len(d.parts) > 1 or bool(d.issues)


def _argument_line(a) -> str:
    sep = _yn(a.separable, f"separable ({a.via})", "NOT separable")
    if a.separable is None:
        sep = "not assessed (this appellant's part is outside the separability test)"
    line = f"{a.key} [{a.prong}]: {sep}"
    if a.path:
        line += f"; path: {a.path}"
    if _several_owners(a):
        line = f"{a.appellant} on {a.claim}: " + line
    if a.depends_on:
        line += f"; depends on {', '.join(a.depends_on)}"
    if a.cleared:
        line += "; cleared: " + ", ".join(f"{c['dispute']} ({c['why']})" for c in a.cleared)
    return line


def _several_owners(a) -> bool:
    return bool(a.claim) and bool(a.appellant) and (a.appellant != "officials")


def _firing_lines(firings: list[Firing], n0: int = 1) -> list[str]:
    out = []
    for i, f in enumerate(firings, n0):
        where = f.stage if f.evaluation == "jurisdiction" else f"{f.evaluation}"
        out.append(f"  {i:>2}. [{where}] {f.rule_id}: {f.because}")
        out.append(f"      authority: {'; '.join(f.authority)}")
    return out


def to_text(d: Decision) -> str:
    lines = [LABEL[d.disposition] + (f" ({d.reason})" if d.reason else ""), f"case: {_title(d)}   profile: {d.profile}"]
    lines.append(f"outcome: {d.outcome}" + (f" (on the {d.outcome_prong} prong)" if d.outcome_prong else ""))
    lines.append(f"court of appeals: {d.circuit}   practice: {', '.join(d.practice) or 'none'}")
    if _several(d):
        lines.append("parts (each appellant on each claim) and issues:")
        lines += [f"  {ln}" for ln in _part_lines(d)]
    else:
        lines.append("prongs:")
        lines += [f"  {p}: {s}" for p, s in d.prongs.items()]
    if d.arguments:
        lines.append("arguments:")
        lines += [f"  {_argument_line(a)}" for a in d.arguments]
    if d.disputes:
        lines.append("disputes:")
        lines += [f"  {_dispute_line(v)}" for v in d.disputes]
    if d.merits:
        lines.append("merits, version by version (Graham, then the rights; every rule that supported each answer):")
        lines += [f"  {ln}" for ln in _merits_lines(d.merits)]
    lines.append("why (rules in the order they fired):")
    lines += _firing_lines(d.trace)
    if d.merits_trace:
        lines.append("why on the merits (Graham and rights rules, each version in turn):")
        lines += _firing_lines(_merits_firings(d))
    if d.precedents is not None:
        from engine.interfaces.render_precedents import precedent_lines

        lines.append("closest decided cases (HYPO: on point by shared factors, then similarity):")
        lines += [f"  {ln}" for ln in precedent_lines(d.precedents)]
    return "\n".join(lines) + "\n"


def _merits_lines(merits: dict) -> list[str]:
    """One line per version: the force answer and the rights, each with all its supporting rules."""
    out = []
    label = "force" if merits.get("kind", "excessive_force") == "excessive_force" else merits["kind"].replace("_", " ")
    for version, v in merits["versions"].items():
        who = (
            "plaintiff's version"
            if version == "plaintiff"
            else f"official's version of {version.removeprefix('officer-on-')}"
        )
        rights = (
            f"clearly established ({', '.join(v['rights'])})" if v["established"] else "no clearly established right"
        )
        out.append(
            f"{who}: {label} {v['force']} [{', '.join(v['force_rules'])}]; {rights} [{', '.join(v['rights_rules'])}]"
        )
    return out


def _merits_firings(d: Decision) -> list[Firing]:
    """The merits firings, each evaluation once (a version evaluated twice is shown once), labelled."""
    seen, out = set(), []
    for f in d.merits_trace:
        key = (f.evaluation, f.rule_id, f.because)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


_MD_SPECIAL = {c: "\\" + c for c in "\\`*_[]#|"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md(text: str) -> str:
    """Text from a fact pattern made inert in Markdown: no live HTML, no links, no emphasis.

    A dispute described as `<script>...` or `[x](javascript:...)` reads as those characters in any
    Markdown viewer; the memo's own formatting is written around the escaped text.
    """
    return "".join(_MD_SPECIAL.get(c, c) for c in str(text))


def to_markdown(d: Decision) -> str:
    """A short bench memo a clerk could start from; every string from the input is escaped (md)."""
    out = [f"# Bench memo: appellate jurisdiction — {md(_title(d))}", ""]
    out += [f"**Recommendation:** {LABEL[d.disposition]}.", ""]
    if d.outcome not in ("not_applicable", "undetermined"):
        out += [f"**If the panel follows this analysis:** {d.outcome.replace('_', ' ')}.", ""]
    out += [
        f"*Doctrinal view applied: {d.profile}; court of appeals: {d.circuit}; practice: {', '.join(d.practice) or 'none'}.*"
    ]
    if _several(d):
        out += ["", "## Part by part", ""]
        out += [f"- {md(ln)}" for ln in _part_lines(d)]
    else:
        out += ["", "## Prong by prong", ""]
        out += [f"- **{p.replace('_', ' ')}**: {s.replace('_', ' ')}" for p, s in d.prongs.items()]
    if d.disputes:
        out += ["", "## The disputes", ""]
        for v in d.disputes:
            out.append(f"- **{md(v.key)}** — {md(v.about)}. {md(_dispute_line(v).split(': ', 1)[1])}")
    if d.arguments:
        out += ["", "## The official's arguments", ""]
        out += [f"- {md(_argument_line(a))}" for a in d.arguments]
    if d.merits:
        out += ["", "## The merits, version by version", ""]
        out += [f"- {md(ln)}" for ln in _merits_lines(d.merits)]
    out += ["", "## Reasoning, with authority", ""]
    for i, f in enumerate(d.trace, 1):
        out.append(f"{i}. {md(f.because)} *{md(f.title)}* ({md('; '.join(f.authority))}).")
    if d.merits_trace:
        out += ["", "## Reasoning on the merits, with authority", ""]
        for i, f in enumerate(_merits_firings(d), 1):
            out.append(
                f"{i}. [{md(f.evaluation)}] {md(f.rule_id)}: {md(f.because)} *{md(f.title)}* ({md('; '.join(f.authority))})."
            )
    if d.precedents is not None:
        from engine.interfaces.render_precedents import precedent_markdown

        out += [""] + precedent_markdown(d.precedents, md)
    out += [
        "",
        "_Generated by appealable from rules over the stated facts; check every citation against the opinion before relying on it._",
        "",
    ]
    return "\n".join(out)


def render(decision: Decision, fmt: str) -> str:
    return {"json": lambda d: to_json(d) + "\n", "text": to_text, "markdown": to_markdown}[fmt](decision)


def _parting_lines(parting) -> list[str]:
    left, right = parting.left, parting.right
    if left is None and right is None:
        return ["  the two traces are identical"]
    out = [f"  first difference at step {parting.index + 1}:"]
    out.append(f"    before: {left.rule_id}: {left.because}" if left else "    before: (no further firing)")
    out.append(f"    after:  {right.rule_id}: {right.because}" if right else "    after:  (no further firing)")
    return out


def render_comparison(result: dict, fmt: str) -> str:
    """Several views side by side (columns), and for each pair the first rule where they part."""
    names, decisions, partings = result["names"], result["decisions"], result["partings"]
    if fmt == "json":
        doc = {
            "schema_version": SCHEMA_VERSION,
            "profiles": names,
            "decisions": {n: decisions[n].as_dict() for n in names},
            "partings": [{"left": a, "right": b, **p.as_dict()} for (a, b), p in partings.items()],
        }
        return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    first = decisions[names[0]]
    rows = [("disposition", *(decisions[n].disposition for n in names))]
    rows.append(("outcome", *(decisions[n].outcome for n in names)))
    rows.append(("practice", *(", ".join(decisions[n].practice) or "-" for n in names)))
    rows += [(f"prong {p}", *(decisions[n].prongs[p] for n in names)) for p in first.prongs]
    for i, d in enumerate(first.disputes):
        rows.append(
            (f"dispute {d.key}", *(_yn(decisions[n].disputes[i].genuine, "genuine", "not genuine") for n in names))
        )
    w = max(len(r[0]) for r in rows)
    cols = max(22, *(len(str(c)) + 2 for r in rows for c in r[1:-1])) if len(names) > 1 else 22
    lines = [f"{_title(first)}: {' vs '.join(names)}", f"{'':<{w}}  " + "".join(f"{n:<{cols}}" for n in names).rstrip()]
    lines += [f"{r[0]:<{w}}  " + "".join(f"{str(c):<{cols}}" for c in r[1:]).rstrip() for r in rows]
    for (a, b), parting in partings.items():
        lines.append(f"where {a} and {b} part ({a} first, then {b}):")
        lines += [ln.replace("before:", f"{a}:").replace("after: ", f"{b}: ") for ln in _parting_lines(parting)]
    if fmt == "markdown":
        return "\n".join(["```", *lines, "```"]) + "\n"
    return "\n".join(lines) + "\n"


def render_circuits(decisions: dict[str, Decision], fmt: str) -> str:
    """One appeal under every court's practice, and which practice rule made the difference."""
    if fmt == "json":
        doc = {
            "schema_version": SCHEMA_VERSION,
            "circuits": {
                c: {"disposition": d.disposition, "outcome": d.outcome, "practice": d.practice}
                for c, d in decisions.items()
            },
        }
        return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    first = next(iter(decisions.values()))
    heard = [c for c, d in decisions.items() if d.disposition in ("appealable", "appealable_in_part")]
    lines = [f"{_title(first)}: appealable now in {len(heard)} of {len(decisions)} courts of appeals"]
    lines += [
        f"  {c:<9} {d.disposition:<20} {d.outcome:<18} practice: {', '.join(d.practice)}" for c, d in decisions.items()
    ]
    return "\n".join(lines) + "\n"


def render_what_if(result: dict, fmt: str) -> str:
    base, flips = result["base"], result["flips"]
    if fmt == "json":
        return (
            json.dumps(
                {
                    "schema_version": 1,
                    "base": {"disposition": base.disposition, "outcome": base.outcome},
                    "tried": result["tried"],
                    "flips": [f.as_dict() for f in flips],
                },
                sort_keys=True,
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    lines = [
        f"{_title(base)}: now {base.disposition} ({base.profile}); {result['tried']} variations tried, {len(flips)} flip it"
    ]
    for n in (1, 2):
        group = [f for f in flips if len(f.changes) == n]
        if not group:
            continue
        lines.append(f"{n} change{'s' if n > 1 else ''}:")
        for f in group:
            what = " + ".join(f"{c.description} [{c.who}]" for c in f.changes)
            lines.append(f"  - {what}")
            lines.append(f"    -> {f.decision.disposition} (outcome: {f.decision.outcome})")
            step = f.parting.right or f.parting.left
            if step:
                lines.append(f"    rule that changes: {step.rule_id}: {step.because}")
    return "\n".join(lines) + "\n"
