"""The vocabulary is documented, in one table, and the schema editors read is valid and current."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from engine.input.casefile import case_files
from engine.interfaces.docs import SCHEMA_DRAFT, fact_pattern_schema, vocabulary_markdown
from engine.reasoning.schema import BASE_FACTS
from engine.reasoning.vocabulary import FACTS, VALUE_SET, VALUES

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = fact_pattern_schema()


def test_every_fact_type_and_field_the_rules_read_has_a_sentence_and_an_example():
    assert sorted(FACTS) == sorted(BASE_FACTS)
    for fact, fields in BASE_FACTS.items():
        documented = set(FACTS[fact]) - {""}
        assert documented == set(fields), (
            f"{fact}: undocumented {set(fields) - documented}, stale {documented - set(fields)}"
        )
        for field, (sentence, example) in FACTS[fact].items():
            assert sentence.endswith(".") and example, f"{fact}.{field}"


def test_every_closed_set_value_has_a_meaning():
    for fact, fields in BASE_FACTS.items():
        for field, allowed in fields.items():
            if not isinstance(allowed, tuple) or set(allowed) <= {True, False, "unknown"}:
                continue
            name = VALUE_SET.get(f"{fact}.{field}")
            assert name, f"{fact}.{field} has no value set in VALUE_SET"
            assert set(allowed) <= set(VALUES[name]), f"{fact}.{field}: {set(allowed) - set(VALUES[name])}"


def test_every_field_of_the_json_schema_has_a_description():
    models = {"FactPattern": SCHEMA, **SCHEMA["$defs"]}
    missing = [
        f"{model}.{field}"
        for model, definition in models.items()
        for field, prop in definition.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert missing == []


def test_the_schema_declares_its_draft_and_id_and_is_valid():
    assert SCHEMA["$schema"] == SCHEMA_DRAFT and SCHEMA["$id"].startswith("urn:appealable:")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", case_files([ROOT / "cases"]), ids=lambda p: p.stem)
def test_the_schema_accepts_every_fact_pattern_in_the_corpus(path):
    facts = yaml.safe_load(path.read_text())["facts"]
    as_json = json.loads(json.dumps(facts, default=str))  # dates as ISO strings, as in JSON
    errors = [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(as_json)]
    assert errors == []


def test_the_schema_rejects_a_value_outside_a_closed_set():
    bad = {"scene": {"crime_severity": "petty"}}
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(bad))


def test_docs_vocabulary_md_is_current():
    committed = (ROOT / "docs" / "vocabulary.md").read_text()
    assert committed == vocabulary_markdown(), "run: appealable vocabulary > docs/vocabulary.md"
