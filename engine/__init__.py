"""appealable: can an official appeal the denial of qualified immunity right now?"""

import os

# pydantic looks for third-party plugins through package metadata on first import (~50 ms of a
# ~0.6 s command); this package uses none. A caller who wants plugins can set the variable first.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from engine.input.casefile import CaseFile, load_case, load_fact_pattern
from engine.input.errors import ContradictionError, EngineError, InputError, RuleError, RuntimeFailure
from engine.input.model import FactPattern
from engine.interfaces.render import render
from engine.reasoning.decide import Engine
from engine.reasoning.decision import Decision
from engine.reasoning.rulebook import RuleBook, load_rulebook

__all__ = [
    "CaseFile",
    "ContradictionError",
    "Decision",
    "Engine",
    "EngineError",
    "FactPattern",
    "InputError",
    "RuleBook",
    "RuleError",
    "RuntimeFailure",
    "load_case",
    "load_fact_pattern",
    "load_rulebook",
    "render",
]
