"""The justification read from the outcome back: each firing with the earlier firings it stood on.

The children of a firing are the earlier firings that asserted a fact it matched (s(CASP)'s and
Blawx's trees); a matched fact no firing asserted is an entry of the fact pattern (a leaf). A firing
reached a second time is not expanded again: it is marked `repeat` and the page says "shown above".
Nothing is decided here: the tree is another reading of the trace the engine produced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Node:
    n: int  # the firing's number in the trace (1-based, as the "in order" view numbers it)
    firing: dict[str, Any]
    children: list[Node] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)  # matched facts from the fact pattern
    repeat: bool = False


def _key(fact: dict[str, Any]) -> str:
    return json.dumps(fact, sort_keys=True)


def support_tree(trace: list[dict[str, Any]]) -> list[Node]:
    """Roots first: the firings nothing later used, latest first (the appeal's outcome leads)."""
    producers: dict[str, list[int]] = {}
    for i, f in enumerate(trace):
        for fact in f.get("asserted", []):
            producers.setdefault(_key(fact), []).append(i)
    support: list[list[int]] = []
    entries: list[list[dict]] = []
    for i, f in enumerate(trace):
        kids: list[int] = []
        leaves: list[dict] = []
        for fact in f.get("matched", {}).values():
            earlier = [j for j in producers.get(_key(fact), []) if j < i]
            if earlier:
                kids += [j for j in earlier if j not in kids]
            else:
                leaves.append(fact)
        support.append(sorted(kids, reverse=True))
        entries.append(leaves)
    used = {j for kids in support for j in kids}
    shown: set[int] = set()

    def build(i: int) -> Node:
        node = Node(i + 1, trace[i], entries=entries[i])
        if i in shown:
            node.repeat = True
            return node
        shown.add(i)
        node.children = [build(j) for j in support[i]]
        return node

    return [build(i) for i in reversed(range(len(trace))) if i not in used]


def entry_words(fact: dict[str, Any]) -> str:
    """A fact from the fact pattern in a few words: its type and what names it (dispute downward-movement)."""
    kind = str(fact.get("type", "fact")).replace("_", " ")
    names = [str(fact[k]) for k in ("claim", "appellant", "key", "argument", "dispute", "name", "version") if k in fact]
    return f"{kind} {' / '.join(names)}".strip()
