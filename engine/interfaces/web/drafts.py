"""Drafts: fact patterns being written, kept in memory only (a restart loses them; the YAML is the save).

Ids are unguessable (`secrets.token_urlsafe`), the store is bounded (least recently used goes first),
and nothing is written to disk, so no request can name a path.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

MAX_DRAFTS = 500


@dataclass
class Draft:
    id: str
    data: dict[str, Any]
    origin: str  # where it started: blank, a corpus case, an upload, a what-if
    file: str = "draft.yaml"  # the name problems are reported under
    history: list[str] = field(default_factory=list)


class DraftStore:
    def __init__(self, limit: int = MAX_DRAFTS):
        self._drafts: OrderedDict[str, Draft] = OrderedDict()
        self._lock = threading.Lock()
        self.limit = limit

    def create(self, data: dict[str, Any], origin: str, file: str = "draft.yaml") -> Draft:
        draft = Draft(secrets.token_urlsafe(12), data, origin, file)
        with self._lock:
            self._drafts[draft.id] = draft
            while len(self._drafts) > self.limit:
                self._drafts.popitem(last=False)
        return draft

    def get(self, draft_id: str) -> Draft | None:
        with self._lock:
            draft = self._drafts.get(draft_id)
            if draft is not None:
                self._drafts.move_to_end(draft_id)
            return draft

    def save(self, draft: Draft, data: dict[str, Any]) -> None:
        with self._lock:
            draft.data = data
