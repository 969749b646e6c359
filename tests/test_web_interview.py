"""The interview asks format 2: every path of the fact pattern once, nested lists, errors by the field."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from fastapi.testclient import TestClient

from engine.input.model import FactPattern
from engine.interfaces.web.app import create_app
from engine.interfaces.web.interview import Interview, list_patterns, parse_path, schema_paths
from engine.interfaces.web.service import Workbench
from tests.conftest import run_cli
from tests.test_web_pages import check_page, new_draft


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(workbench=Workbench()))


def test_every_schema_path_is_asked_by_exactly_one_question():
    interview = Interview()
    asked = Counter(interview.asked_paths())
    schema = Counter(p for p in schema_paths(FactPattern) if not interview.is_not_asked(p))
    twice = sorted(p for p, n in asked.items() if n > 1)
    unasked = sorted(p for p in schema if p not in asked)
    unknown = sorted(p for p in asked if p not in schema)
    assert (twice, unasked, unknown) == ([], [], [])
    assert all(not q.generated for p in interview.pages for q in p.questions), "a field fell back to its name"
    assert {p.list for p in interview.pages if p.is_list} == set(list_patterns(FactPattern))


def test_every_question_path_exists_and_every_not_asked_path_says_why():
    interview = Interview()
    every = set(schema_paths(FactPattern))
    for name, why in interview.not_asked.items():
        assert any(p == name or p.startswith(name + ".") for p in every), name
        assert len(why) > 20
    for page in interview.pages:
        for q in page.questions:
            prefix = f"{page.list}[]." if page.is_list else ""
            assert any(p == prefix + q.path or p.startswith(prefix + q.path + ".") for p in every), q.path
            assert q.label and (q.help == "") == (q.authority == ""), f"{page.id}: {q.path} help without authority"


def test_written_questions_carry_doctrine_for_the_format_two_fields():
    interview = Interview()
    want = {
        "appellants": ["role"],
        "claims": ["against"],
        "claim-arguments": ["except", "legal_core", "concession_rejected"],
        "claim-disputes": ["element", "plaintiff_memory"],
        "claim-dispute-record": ["kind", "shows", "covers"],
        "issues": ["kind", "immunity_from_suit", "intertwined_with"],
    }
    for page, paths in want.items():
        qs = {q.path: q for q in interview.by_id[page].questions}
        for path in paths:
            assert qs[path].help and qs[path].authority, f"{page}: {path}"
    assert "Swint" in {q.path: q for q in interview.by_id["appellants"].questions}["role"].authority


def post(client, url, data):
    got = client.post(url, data=data, follow_redirects=False)
    assert got.status_code == 303, (url, got.status_code, re.findall(r'class="error-message"[^>]*>(.*?)</p>', got.text))
    return got.headers["location"]


TWO = {
    "case": {"case.name": "Doe v. City of Eastfield", "case.court": "7th-cir", "case.events_date": "2019-05-04"},
    "order": {"order.ruling": "denied", "order.defense": "qualified_immunity", "order.basis": "factual_disputes"},
}


def build_two_claims(client) -> str:
    """The appeal of the browser test, answered through the interview's own forms."""
    d = new_draft(client)
    post(client, f"/drafts/{d}/q/case", TWO["case"])
    for i, (key, role) in enumerate((("officer", "officer"), ("city", "municipality"))):
        post(client, f"/drafts/{d}/list/appellants/add", {})
        post(client, f"/drafts/{d}/list/appellants/{i}", {f"appellants[{i}].key": key, f"appellants[{i}].role": role})
    claims = [("force", "excessive_force", "non_deadly"), ("arrest", "false_arrest", "none")]
    for c, (key, kind, force) in enumerate(claims):
        post(client, f"/drafts/{d}/list/claims/add", {})
        base = {
            f"claims[{c}].key": key,
            f"claims[{c}].kind": kind,
            f"claims[{c}].force": force,
            f"claims[{c}].against": "officer",
        }
        where = post(client, f"/drafts/{d}/list/claims/{c}", {**base, "add": "claim-disputes"})
        assert where.endswith(f"/list/claim-disputes/{c}.0")
        dispute = "resisted" if c == 0 else "pulled-away"
        p = f"claims[{c}].disputes[0]"
        post(
            client,
            where,
            {
                f"{p}.key": dispute,
                f"{p}.about": "whether Doe pulled away",
                f"{p}.bears_on": "resistance",
                f"{p}.video": "ambiguous" if c == 0 else "none",
                f"{p}.plaintiff_scene.resistance": "none",
                f"{p}.defendant_scene.resistance": "active",
            },
        )
        where = post(client, f"/drafts/{d}/list/claims/{c}", {**base, "add": "claim-arguments"})
        a = f"claims[{c}].arguments[0]"
        answers = {f"{a}.key": f"arg-{key}", f"{a}.appellant": "officer"}
        if c == 0:
            answers |= {f"{a}.prong": "clearly_established", f"{a}.accepts_plaintiff_version": "true"}
        else:
            answers |= {f"{a}.prong": "violation", f"{a}.relies_on@{dispute}": "essential"}
        post(client, where, answers)
    post(client, f"/drafts/{d}/q/order", TWO["order"])
    post(client, f"/drafts/{d}/list/issues/add", {})
    post(
        client,
        f"/drafts/{d}/list/issues/0",
        {
            "issues[0].key": "city-liability",
            "issues[0].kind": "municipal_liability",
            "issues[0].raised_by": "city",
            "issues[0].intertwined_with": "force",
        },
    )
    return d


def test_a_two_claim_two_appellant_appeal_built_from_blank(client, tmp_path):
    d = build_two_claims(client)
    check = client.get(f"/drafts/{d}/check")
    assert check.status_code == 200, check.text
    check_page(check.text)
    for text in ("Claim 1: force", "Dispute 1: resisted", "Argument 1: arg-arrest", "Issue 1: city-liability"):
        assert text in check.text
    assert f'href="/drafts/{d}/list/claim-disputes/0.0?return=check#claims-0-disputes-0-video"' in check.text
    (tmp_path / "fp.yaml").write_text(client.get(f"/drafts/{d}/fact-pattern.yaml").text, encoding="utf-8")
    decided = yaml.safe_load(run_cli("decide", "fp.yaml", "--format", "json", cwd=tmp_path).stdout)
    assert decided["disposition"] == "appealable_in_part"
    assert client.get(f"/drafts/{d}/decision.json").json() == decided
    tasks = client.get(f"/drafts/{d}/").text
    assert "The claims on appeal" in tasks and "The plaintiff&#39;s claim" not in tasks  # format 1 pages hide


def test_nested_pages_show_their_place_their_lists_and_errors_by_the_field(client):
    d = build_two_claims(client)
    claim = client.get(f"/drafts/{d}/list/claims/0").text
    check_page(claim)
    assert 'id="list-claim-disputes"' in claim and f'href="/drafts/{d}/list/claim-disputes/0.0"' in claim
    got = client.post(
        f"/drafts/{d}/list/claim-disputes/1.0",
        data={
            "claims[1].disputes[0].key": "pulled-away",
            "claims[1].disputes[0].about": "x",
            "claims[1].disputes[0].element": "malice",
        },
    )
    assert got.status_code == 422
    check_page(got.text)
    cli_words = "&#39;malice&#39; is not an element of a false_arrest claim"
    assert re.search(r'id="claims-1-disputes-0-element-error-1">.*?' + cli_words, got.text, re.S)
    assert 'href="#claims-1-disputes-0-element"' in got.text and "Claim 2: arrest" in got.text


def test_record_evidence_is_added_and_removed_within_a_dispute(client):
    d = build_two_claims(client)
    where = post(
        client,
        f"/drafts/{d}/list/claim-disputes/0.0",
        {"claims[0].disputes[0].key": "resisted", "claims[0].disputes[0].about": "x", "add": "claim-dispute-record"},
    )
    assert where.endswith("/list/claim-dispute-record/0.0.0")
    back = post(
        client,
        where,
        {"claims[0].disputes[0].record[0].kind": "audio", "claims[0].disputes[0].record[0].shows": "ambiguous"},
    )
    assert back.endswith("/list/claim-disputes/0.0#list-claim-dispute-record")
    data = yaml.safe_load(client.get(f"/drafts/{d}/fact-pattern.yaml").text)
    assert data["claims"][0]["disputes"][0]["record"] == [{"kind": "audio", "shows": "ambiguous"}]
    confirm = client.get(f"/drafts/{d}/list/claim-dispute-record/0.0.0/remove")
    assert "Remove record item 1" in confirm.text
    post(client, f"/drafts/{d}/list/claim-dispute-record/0.0.0/remove", {})
    data = yaml.safe_load(client.get(f"/drafts/{d}/fact-pattern.yaml").text)
    assert "record" not in data["claims"][0]["disputes"][0]
    assert client.get(f"/drafts/{d}/list/claim-dispute-record/0.0.5").status_code == 404
    assert client.get(f"/drafts/{d}/list/claim-disputes/nonsense").status_code == 404


def test_under_each_question_the_rules_that_read_its_field(client):
    d = new_draft(client, case="smith-v-finkley-2021")
    page = client.get(f"/drafts/{d}/list/disputes/2").text
    video = page.split('id="disputes-2-video"', 1)[1].split("</fieldset>", 1)[0]
    assert 'href="/rules/jurisdiction.genuineness.ambiguous_video_leaves_dispute"' in video
    about = client.get(f"/drafts/{d}/q/case").text.split('id="case-name"', 1)[1].split("</div>", 1)[0]
    assert "No rule reads this field" in about


def test_issue_immunity_from_suit_reads_back_as_a_boolean(client):
    d = new_draft(client)
    post(client, f"/drafts/{d}/list/appellants/add", {})
    post(client, f"/drafts/{d}/list/appellants/0", {"appellants[0].key": "deputy"})
    post(client, f"/drafts/{d}/list/issues/add", {})
    post(
        client,
        f"/drafts/{d}/list/issues/0",
        {
            "issues[0].key": "state",
            "issues[0].kind": "state_law_immunity",
            "issues[0].raised_by": "deputy",
            "issues[0].immunity_from_suit": "true",
        },
    )
    data = yaml.safe_load(client.get(f"/drafts/{d}/fact-pattern.yaml").text)
    assert data["issues"][0]["immunity_from_suit"] is True
    assert parse_path("claims[1].disputes[0].key") == ["claims", 1, "disputes", 0, "key"]
