"""Malformed fact patterns and rule files: each gives its expected one-line error and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.interfaces.cli import main

BAD = Path(__file__).parent / "fixtures" / "bad"
BAD_RULES = Path(__file__).parent / "fixtures" / "bad_rules"

# file -> the start of its (first) error line after "error: <path>"
EXPECTED = {
    "alias-bomb.yaml": ": document expands to more than",
    "bad-boolean.yaml": ":2:3: order.jury_could_find: 'maybe' is not true or false",
    "bad-court.yaml": ":2:3: case.court: '12th-cir' is not allowed",
    "bad-date.yaml": ":2:16: case.events_date: cannot read value '2017-13-45'",
    "bad-force.yaml": ":3:3: claim.force: 'lethal' is not allowed",
    "bad-indent.yaml": ":3:11: invalid YAML: mapping values are not allowed",
    "bad-prong.yaml": ":3:5: arguments[0].prong: 'third' is not allowed",
    "bad-video.yaml": ":4:5: disputes[0].video: 'grainy' is not allowed",
    "dispute-follows-itself.yaml": ":4:5: disputes[0].follows: follows unknown dispute 'a'",
    "duplicate-dispute-key.yaml": ":4:5: disputes[1].key: dispute key 'a' is used twice",
    "duplicate-key.yaml": ":3:3: case.court: duplicate key 'court' (first at line 2)",
    "empty.yaml": ": file is empty",
    "merge-key.yaml": ":3:3: case: merge keys ('<<') are not supported",
    "missing-key.yaml": ":2:5: disputes[0].key: required field is missing",
    "negative-seconds.yaml": ":2:3: scene.seconds_since_threat: Input should be greater than or equal to 0",
    "not-utf8.yaml": ":3: not valid UTF-8",
    "only-comment.yaml": ": file has no content",
    "section-not-mapping.yaml": ":1:1: case: expected a mapping of fields here",
    "top-level-list.yaml": ":1:1: top level is a list; expected a mapping",
    "unclosed-flow.yaml": ":2:1: invalid YAML: ",
    "unclosed-quote.yaml": ":3:1: invalid YAML: found unexpected end of stream",
    "unknown-dispute-reference.yaml": ":5:9: arguments[0].relies_on[0].dispute: unknown dispute 'ghost'",
    "unknown-field-typo.yaml": ":2:3: case.cort: unknown field; did you mean 'court'?",
}
RULE_EXPECTED = {
    "unknown-fact-type.yaml": "condition on unknown fact type 'disput'; did you mean 'dispute'?",
    "unknown-field.yaml": "fact 'dispute' has no field 'vidoe'; did you mean 'video'?",
    "impossible-value.yaml": "'dispute.video' can never be 'grainy'",
    "unbound-slot.yaml": "explanation slot '$z.key' names 'z', which no earlier positive condition binds",
    "late-negation.yaml": "negation over 'disposition', which is derived in this or a later stage",
    "no-pin.yaml": "has pin 'passim', which names no page",
    "undisclosed-dissent-pin.yaml": "pins slip op. 50, 51, past the majority's last page (44): that is a separate opinion",
    "duplicate-id.yaml": "duplicate rule id 'test.dup.one'",
    "code-in-template.yaml": "explanation has a brace that is not a {bind.field} slot",
    "dead-field.yaml": "'dispute.subjective_only' accepts every value it can take [True, False]: the test is dead",
}


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) + len(RULE_EXPECTED) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fact_pattern(name, capsys):
    path = BAD / name
    assert main(["decide", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    first = captured.err.splitlines()[0]
    assert first.startswith(f"error: {path}{EXPECTED[name]}"), first
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("name", sorted(RULE_EXPECTED))
def test_bad_rule_file(name, capsys):
    path = BAD_RULES / name
    assert main(["lint", str(path)]) == 2
    captured = capsys.readouterr()
    assert RULE_EXPECTED[name] in captured.err, captured.err
    assert all(line.startswith(f"error: {path}:") for line in captured.err.splitlines())
