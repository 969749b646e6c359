"""The decision page's "Cases most on point": precedents() as `decide` attaches it, with what a page adds.

Nothing is ranked or compared here: the entries, their order (close cases that went the other way
first, then each side), the one-sentence similarity and the shared and differing factors are
engine/analysis/precedents.py's, and the section titles and agreement wording are the CLI's
(render_precedents). A page adds each case's name and the link to its corpus page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from engine.analysis.precedents import SIDES
from engine.interfaces.render_precedents import SIDE_TITLE, agreement


def on_point(result: dict[str, Any] | None, cases: dict[str, Any]) -> dict[str, Any] | None:
    """The section's data; `cases` is the workbench's corpus index (id -> CaseEntry)."""
    if result is None:
        return None

    def entry(e: dict[str, Any]) -> dict[str, Any]:
        known = cases.get(e["case"])
        name = known.case.facts.case.name if known else None
        href = f"/cases/{quote(e['case'], safe='')}" if known else None
        return {**e, "name": name or e["citation"], "href": href, "agreement": agreement(e)}

    return {
        "factors": result["factors"],
        "warnings": [entry(w) for w in result["warnings"]],
        "sides": [{"side": s, "title": SIDE_TITLE[s], "entries": [entry(e) for e in result[s]]} for s in SIDES],
        "close_threshold": result["close_threshold"],
    }
