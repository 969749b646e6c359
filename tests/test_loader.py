"""The loader: safe YAML, duplicate keys, line numbers, every problem at once."""

from __future__ import annotations

import pytest

from engine.input.errors import InputError
from engine.input.loader import MAX_BYTES, parse_yaml, read_yaml, validate
from engine.input.model import FactPattern


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as exc:
        data, marks = parse_yaml(text, "f.yaml")
        validate(FactPattern, data, marks, "f.yaml")
    return [str(p) for p in exc.value.problems]


def test_duplicate_key_names_both_lines():
    assert problems("case:\n  court: 7th-cir\n  court: 8th-cir\n") == [
        "f.yaml:3:3: case.court: duplicate key 'court' (first at line 2); a key may appear once"
    ]


def test_unknown_field_suggests_the_close_name():
    [msg] = problems("claim:\n  forse: deadly\n")
    assert msg.startswith("f.yaml:2:3: claim.forse: unknown field; did you mean 'force'?")


def test_every_problem_of_a_file_is_reported_at_once():
    msgs = problems("case:\n  court: 12th-cir\nclaim:\n  force: lethal\n")
    assert [m.split(":")[1] for m in msgs] == ["2", "4"]


def test_enum_error_lists_the_allowed_values():
    [msg] = problems("disputes:\n  - {key: a, about: x, video: grainy}\n")
    assert "'grainy' is not allowed (expected 'none', 'blatantly_contradicts_plaintiff'" in msg


def test_broken_references_are_reported_where_they_occur():
    msgs = problems(
        "disputes:\n  - {key: a, about: x}\n  - {key: a, about: y}\n"
        "arguments:\n  - key: x\n    prong: violation\n    relies_on: [{dispute: ghost}]\n"
    )
    assert msgs[0].startswith("f.yaml:3:") and "disputes[1].key: dispute key 'a' is used twice" in msgs[0]
    assert msgs[1].startswith("f.yaml:7:") and "arguments[0].relies_on[0].dispute: unknown dispute 'ghost'" in msgs[1]


def test_empty_and_comment_only_files_are_errors():
    for text in ("", "   \n", "# nothing\n"):
        with pytest.raises(InputError):
            parse_yaml(text, "f.yaml")


def test_syntax_error_has_line_and_column():
    with pytest.raises(InputError) as exc:
        parse_yaml("case:\n  court: 7th-cir\n   posture: trial\n", "f.yaml")
    assert str(exc.value).startswith("f.yaml:3:")


def test_alias_expansion_bomb_stops_early():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    prev = "a"
    for name in "bcdefg":
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]\n"
        prev = name
    with pytest.raises(InputError, match="alias/anchor expansion"):
        parse_yaml(bomb, "f.yaml")


def test_merge_keys_are_refused():
    with pytest.raises(InputError, match="merge keys"):
        parse_yaml("b: &b {court: 7th-cir}\ncase:\n  <<: *b\n", "f.yaml")


def test_unsafe_tags_are_refused():
    for text in (
        "case: !!python/object/apply:os.system ['echo hi']\n",
        "case: !!python/name:os.system\n",
        "case: !custom {a: 1}\n",
    ):
        with pytest.raises(InputError, match="not allowed|invalid YAML"):
            parse_yaml(text, "f.yaml")


def test_oversized_and_non_utf8_files(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(InputError, match="the limit is"):
        read_yaml(big)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"case:\n  name: caf\xe9\n")
    with pytest.raises(InputError, match="not valid UTF-8") as exc:
        read_yaml(latin)
    assert ":2:" in str(exc.value)


def test_wrong_top_level_type():
    data, marks = parse_yaml("- a\n- b\n", "f.yaml")
    with pytest.raises(InputError, match="top level is a list; expected a mapping"):
        validate(FactPattern, data, marks, "f.yaml")


def test_impossible_date_is_an_error_not_a_traceback():
    with pytest.raises(InputError, match="month must be in 1..12"):
        parse_yaml("case:\n  events_date: 2017-13-45\n", "f.yaml")
