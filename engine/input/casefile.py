"""Case files: a decided (or hypothetical) appeal, its source, and what the court held."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from engine.input.errors import InputError, Problem
from engine.input.loader import MAX_BYTES, Marks, parse_yaml, read_yaml, validate
from engine.input.model import Court, Disposition, FactPattern, Strict

Outcome = Literal[
    "dismissed",
    "affirmed_denial",
    "reversed_granted",
    "reversed_in_part",
    "vacated_remanded",
    "affirmed_grant",
    "reversed_grant",
]
ProngExpect = Literal["reviewable", "not_reviewable"]


class PartExpectation(Strict):
    """What the court held on one claim (or for one appellant): format 2."""

    disposition: Disposition | None = None
    prongs: dict[Literal["violation", "clearly_established"], ProngExpect] = Field(default_factory=dict)
    outcome: Outcome | None = None


class ProfileExpectation(Strict):
    """What another doctrinal view (the Smith dissent) or another court's practice would decide."""

    disposition: Disposition
    expect_rules: list[str] = Field(default_factory=list)


class Divergence(Strict):
    """A documented difference between the court's result and this rulebook's doctrine.

    The regression still pins the engine's answer (`engine_disposition`), so a rule change
    that moves it is caught, and the report lists every divergence instead of hiding it.
    """

    engine_disposition: Disposition
    reason: str = Field(min_length=20)


class Expected(Strict):
    """What the court held; only closed-set values, so it cannot disagree with itself."""

    disposition: Disposition
    prongs: dict[Literal["violation", "clearly_established"], ProngExpect] = Field(default_factory=dict)
    outcome: Outcome | None = None
    merits: Literal["reasonable", "unreasonable", "violation", "no_violation"] | None = None
    clearly_established: bool | None = None
    expect_rules: list[str] = Field(default_factory=list)
    forbid_rules: list[str] = Field(default_factory=list)
    profiles: dict[str, ProfileExpectation] = Field(default_factory=dict)
    claims: dict[str, PartExpectation] = Field(default_factory=dict)
    appellants: dict[str, PartExpectation] = Field(default_factory=dict)
    issues: dict[str, Literal["reviewable", "not_reviewable", "undetermined"]] = Field(default_factory=dict)
    divergence: Divergence | None = None

    @field_validator("profiles")
    @classmethod
    def _known_profiles(cls, profiles: dict[str, ProfileExpectation]) -> dict[str, ProfileExpectation]:
        known = ("majority", "dissent") + tuple(Court.__args__)  # type: ignore[attr-defined]
        for name in profiles:
            if name not in known:
                raise ValueError(
                    f"unknown profile '{name}' (expected majority, dissent or a court: {', '.join(known[2:])})"
                )
        return profiles


class Source(Strict):
    """Where the facts and the holding come from; a case without a source is not evidence."""

    citation: str
    court: Court
    year: int = Field(ge=1789, le=2100)
    url: str = Field(pattern=r"^https?://")
    pins: dict[str, str] = Field(default_factory=dict)
    verified: Literal["opinion-text", "holding-only", "unverified"]
    holding_summary: str


class CaseFile(Strict):
    """One case in the corpus (hypotheticals may omit the source and say what they vary)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    facts: FactPattern
    expected: Expected
    source: Source | None = None
    based_on: str | None = None
    notes: str | None = None


def default_cases_dir() -> Path:
    """The corpus shipped inside an installed wheel (engine/cases), else the checkout's cases/."""
    packaged = Path(__file__).resolve().parents[1] / "cases"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "cases"


def load_case(path: str | Path) -> CaseFile:
    """Read and validate one case file; its id must be its file name."""
    data, marks = read_yaml(path)
    case = validate(CaseFile, data, marks, str(path))
    if case.id != Path(path).stem:
        line = marks.get(("id",), (None, None))[0]
        raise InputError(
            [Problem(str(path), line, None, "id", f"id '{case.id}' must equal the file name '{Path(path).stem}'")]
        )
    if case.source is None and not is_hypothetical(path):
        line = marks.get(("id",), (1, 1))[0]
        raise InputError(
            [
                Problem(
                    str(path),
                    line,
                    None,
                    "source",
                    "a decided case needs a source block (citation, url, pins, verified); only files under "
                    "cases/hypotheticals/ may omit it",
                )
            ]
        )
    return case


def is_hypothetical(path: str | Path) -> bool:
    """A hypothetical varies a decided case; it is no decision of a court (and may omit `source`)."""
    return "hypotheticals" in Path(path).parts


def load_fact_pattern(path: str | Path) -> tuple[FactPattern, CaseFile | None]:
    """A fact pattern from a bare fact-pattern file or from a case file's `facts` block."""
    data, marks = read_yaml(path)
    if isinstance(data, dict) and "facts" in data:
        case = load_case(path)
        return case.facts, case
    return validate(FactPattern, data, marks, str(path)), None


def read_text(text: str, file: str) -> tuple[object, Marks]:
    """Parse YAML (or JSON, which is YAML) that arrived as text: standard input, an upload, a request."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise InputError([Problem(file, None, None, "", f"input is {size} bytes; the limit is {MAX_BYTES}")])
    return parse_yaml(text, file)


def fact_pattern_from(data: object, marks: Marks, file: str) -> tuple[FactPattern, CaseFile | None]:
    """Validate parsed text as a fact pattern, or as a case file whose `facts` block is one.

    Text has no file name, so a case file's id is not held to one (load_case does that for files).
    """
    if isinstance(data, dict) and "facts" in data:
        case = validate(CaseFile, data, marks, file)
        return case.facts, case
    return validate(FactPattern, data, marks, file), None


def parse_fact_pattern(text: str, file: str = "<stdin>") -> tuple[FactPattern, CaseFile | None]:
    """A fact pattern from text, with every problem positioned in that text as the CLI prints it."""
    data, marks = read_text(text, file)
    return fact_pattern_from(data, marks, file)


def case_files(paths: list[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(p.rglob("*.yaml")))
        elif p.exists():
            out.append(p)
        else:
            raise InputError([Problem(str(p), None, None, "", "no such file or directory")])
    return out
