"""Random valid fact patterns, for property tests, differential tests and benchmarks.

Every value is drawn from the model's closed sets, so each pattern validates; the mix is
weighted toward the situations the doctrine distinguishes (video, reliance, acceptance).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from engine.input.model import FACTORS, FactPattern

SCENE_BOOLS = (
    "believed_armed",
    "weapon_in_hand",
    "shots_fired",
    "endangering_others",
    "fleeing",
    "surrendering",
    "threatening_movement",
    "threat_ceased",
    "restrained",
)


def _maybe(rng: random.Random, value: Any, p: float = 0.6) -> Any:
    return value if rng.random() < p else None


def random_scene(rng: random.Random, sparse: bool = False) -> dict[str, Any]:
    scene: dict[str, Any] = {}
    for name in SCENE_BOOLS:
        if rng.random() < (0.3 if sparse else 0.7):
            scene[name] = rng.random() < 0.5
    if rng.random() < (0.3 if sparse else 0.7):
        scene["resistance"] = rng.choice(["none", "passive", "active", "combative"])
    if not sparse and rng.random() < 0.7:
        scene["crime_severity"] = rng.choice(["serious", "moderate", "minor", "none"])
    return scene


def random_fact_pattern(rng: random.Random) -> FactPattern:
    """One valid fact pattern (as the model's closed sets allow)."""
    n_disputes = rng.randint(0, 4)
    keys = [f"d{i}" for i in range(n_disputes)]
    disputes = []
    for i, key in enumerate(keys):
        d: dict[str, Any] = {
            "key": key,
            "about": f"dispute {i}",
            "bears_on": rng.sample(FACTORS, rng.randint(0, 2)),
            "subjective_only": rng.random() < 0.15,
            "video": rng.choice(
                ["none", "ambiguous", "blatantly_contradicts_plaintiff", "blatantly_contradicts_defendant"]
            ),
        }
        if i > 0 and rng.random() < 0.15:
            d["follows"] = keys[0]
        if rng.random() < 0.7:
            d["plaintiff_scene"] = random_scene(rng, sparse=True)
            d["defendant_scene"] = random_scene(rng, sparse=True)
        disputes.append(d)
    if any(d.get("follows") for d in disputes):
        disputes[0].pop("follows", None)
    arguments = []
    for j in range(rng.randint(0, 3)):
        links = [{"dispute": k, "reliance": rng.choice(["essential", "passing"])} for k in keys if rng.random() < 0.5]
        arguments.append(
            {
                "key": f"a{j}",
                "prong": rng.choice(["violation", "clearly_established"]),
                "accepts_plaintiff_version": rng.random() < 0.4,
                "relies_on": links,
            }
        )
    force = rng.choice(["deadly", "non_deadly", "none"])
    data = {
        "case": {
            "court": rng.choice(["7th-cir", "8th-cir", "scotus"]),
            "events_date": _maybe(rng, dt.date(rng.randint(1980, 2024), rng.randint(1, 12), rng.randint(1, 28)), 0.8),
            "posture": rng.choice(["summary_judgment", "motion_to_dismiss"]),
            "appeal_from": "interlocutory" if rng.random() < 0.85 else "final_judgment",
        },
        "claim": {
            "kind": "excessive_force"
            if force != "none"
            else rng.choice(["false_arrest", "fabricated_evidence", "political_firing", "other"]),
            "force": force,
        },
        "order": {
            "ruling": rng.choices(["denied", "granted", "deferred"], [0.85, 0.1, 0.05])[0],
            "defense": rng.choices(["qualified_immunity", "absolute_immunity", "other_defense"], [0.85, 0.1, 0.05])[0],
            "basis": rng.choice(["factual_disputes", "ruling_of_law"]),
            "disputes_named": [k for k in keys if rng.random() < 0.5],
            "jury_could_find": rng.random() < 0.3,
        },
        "disputes": disputes,
        "arguments": arguments,
        "scene": random_scene(rng),
    }
    return FactPattern.model_validate(data)


def sample(n: int, seed: int = 2021) -> list[FactPattern]:
    rng = random.Random(seed)
    return [random_fact_pattern(rng) for _ in range(n)]
