"""The closest decided cases, why-not and leave-one-out, as text, Markdown (a memo's section) and JSON."""

from __future__ import annotations

import json
from typing import Any

from engine.reasoning.decision import SCHEMA_VERSION

SIDE_TITLE = {"reviewable": "For review (the court heard the appeal)", "dismissed": "For dismissal"}


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, **doc}, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def agreement(e: dict[str, Any]) -> str:
    """How a precedent stands to the rules' answer here (the workbench's decision page words it so too)."""
    if e["agrees"] is None:
        return "the rules put this appeal outside the doctrine"
    return "agrees with the rules' answer" if e["agrees"] else "DISAGREES with the rules' answer"


def precedent_lines(result: dict[str, Any]) -> list[str]:
    """The section of `decide` in text, and the body of `appealable precedents`."""
    out = ["factors here: " + (", ".join(f"{f['name']} ({f['favours']})" for f in result["factors"]) or "none")]
    for w in result["warnings"]:
        out.append(
            f"WARNING: {w['citation']} ({w['disposition']}) is close (similarity {w['similarity']:.2f}) and went the other way"
        )
        out.append(f"  distinguish it on: {'; '.join(w['distinctions']) or 'nothing: no factor distinguishes it'}")
    for side in ("reviewable", "dismissed"):
        out.append(f"{SIDE_TITLE[side]}:")
        if not result[side]:
            out.append("  no decided case shares a factor")
        for i, e in enumerate(result[side], 1):
            out.append(f"  {i}. {e['citation']}: {e['disposition']}; {agreement(e)}")
            out.append(f"     holding: {e['holding']}")
            out.append(f"     on point: layer {e['layer'] + 1}; {e['why']}")
            out.append(f"     shared: {', '.join(e['shared'])}")
            out.append(
                f"     here, not there: {', '.join(e['here_only']) or '-'}; there, not here: {', '.join(e['there_only']) or '-'}"
            )
            if e["distinctions"]:
                out.append(f"     distinctions: {'; '.join(e['distinctions'])}")
    return out


def precedent_markdown(result: dict[str, Any], md) -> list[str]:
    """The memo's section: each case cited, with what it shares and what distinguishes it."""
    out = ["## Closest decided cases", ""]
    out.append(
        "Factors found here: "
        + (", ".join(f"`{f['name']}` ({f['favours']})" for f in result["factors"]) or "none")
        + "."
    )
    out.append("")
    for w in result["warnings"]:
        out.append(
            f"> **Warning:** *{md(w['citation'])}* went the other way ({md(w['disposition'])}) on a close pattern "
            f"(similarity {w['similarity']:.2f}). Distinguish it on: {md('; '.join(w['distinctions']) or 'no factor')}."
        )
        out.append("")
    for side in ("reviewable", "dismissed"):
        out += [f"### {SIDE_TITLE[side]}", ""]
        if not result[side]:
            out += ["No decided case shares a factor.", ""]
        for e in result[side]:
            out.append(
                f"- *{md(e['citation'])}* ({md(e['disposition'].replace('_', ' '))}; {agreement(e)}): {md(e['holding'])} "
                f"Shared: {md(', '.join(e['shared']))}. Here, not there: {md(', '.join(e['here_only']) or 'none')}; "
                f"there, not here: {md(', '.join(e['there_only']) or 'none')}. {md(e['why'].capitalize())}."
            )
        out.append("")
    return out


def render_precedents(result: dict[str, Any], fmt: str, title: str = "") -> str:
    if fmt == "json":
        return _dump(result)
    if fmt == "markdown":
        from engine.interfaces.render import md

        return "\n".join([f"# Precedents: {md(title)}", ""] + precedent_markdown(result, md)) + "\n"
    return "\n".join([f"closest decided cases: {title}"] + precedent_lines(result)) + "\n"


# -- why-not ------------------------------------------------------------------------------------------


def _fact(fact: dict[str, Any] | None) -> str:
    from engine.analysis.whynot import _show

    return _show(fact)


def render_why_not(result: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return _dump(result)
    ((what, value),) = result["question"].items()
    ans = result["answer"]
    lines = [
        f"why not {what} {value}? the rules give {ans['disposition']} (outcome {ans['outcome']}), profile {result['profile']}"
    ]
    if result["holds"]:
        return "\n".join(lines + [f"it does: the {what} is {value}"]) + "\n"
    from engine.analysis.whynot import wanted_text  # why-not's text only: `decide` need not import it

    lines.append(
        "rules that would have given it, nearest first (steps back from the question, then failed conditions):"
    )
    for i, a in enumerate(result["rules"], 1):
        lines.append(f"{i:>3}. {a['rule']} [{a['depth']} back] would give {a['would_give']}")
        lines.append(f"       {a['title']} ({'; '.join(a['authority'])})")
        for f in a["failed"]:
            if f["kind"] == "blocked":
                made = f", asserted by {', '.join(f['made_by'])}" if f.get("made_by") else ""
                lines.append(f"       - blocked: {f['bind']} must not exist, but {_fact(f.get('fact'))} does{made}")
                continue
            diffs = "; ".join(
                f"{d['field']} is {wanted_text(d['actual'])}, needs {wanted_text(d['wanted'])}"
                for d in f.get("fields", [])
            )
            lines.append(
                f"       - fails: {f['bind']}: {_fact(f.get('fact'))}" + (f": {diffs}" if diffs else ": no such fact")
            )
            for c in (f.get("change") or {}).get("changes", []):
                then = f" -> then {c['then']['disposition']} ({c['then']['outcome']})" if c.get("then") else ""
                lines.append(f"         change: {c['description']}{then}")
    return "\n".join(lines) + "\n"


# -- leave-one-out ------------------------------------------------------------------------------------


def leave_one_out_text(result: dict[str, Any]) -> str:
    p, r, m = result["precedent_accuracy"], result["rules_accuracy"], result["majority_baseline"]
    lines = [
        f"leave-one-out over {result['cases']} decided cases with a side ({result['excluded_outside_doctrine']} outside the doctrine left out):",
        f"  closest precedents alone (no disposition rule): {p['right']}/{p['of']} = {p['accuracy']:.1%}",
        f"  the rules:                                      {r['right']}/{r['of']} = {r['accuracy']:.1%}",
        f"  majority class ({m['class']}):                   {m['right']}/{m['of']} = {m['accuracy']:.1%}",
        f"where precedent and rules disagree ({len(result['disagreements'])}):",
    ]
    for d in result["disagreements"]:
        who = "precedent" if d["precedent_right"] else "rules" if d["rules_right"] else "neither"
        lines.append(
            f"  {d['case']}: court {d['court_side']}; precedent {d['precedent_side']} (nearest: {', '.join(d['nearest'][:3]) or '-'}); "
            f"rules {d['rules_side']}; right: {who}"
        )
        diff = d["difference"]
        lines.append(
            f"    vs nearest: here only {', '.join(diff['here_only']) or '-'}; there only {', '.join(diff['there_only']) or '-'}"
        )
        if d["divergence"]:
            lines.append(f"    documented divergence: {d['divergence']}")
    return "\n".join(lines) + "\n"


def render_leave_one_out(result: dict[str, Any], fmt: str) -> str:
    return _dump(result) if fmt == "json" else leave_one_out_text(result)
