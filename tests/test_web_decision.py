"""The decision of an appeal in parts: parts and issues, the tree of reasons, compare, which courts would hear it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from engine.interfaces.web.app import create_app
from engine.interfaces.web.service import Workbench
from engine.interfaces.web.tree import support_tree
from tests.conftest import SMITH, run_cli
from tests.test_web_interview import build_two_claims
from tests.test_web_pages import check_page, new_draft


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(workbench=Workbench()))


@pytest.fixture(scope="module")
def two(client) -> str:
    return build_two_claims(client)


def test_parts_and_issues_tables_with_the_court_and_practice(client, two):
    html = client.get(f"/drafts/{two}/decision").text
    check_page(html)
    assert '<h1 class="disposition appealable_in_part" id="disposition">Appealable in part</h1>' in html
    parts = html.split('<table class="parts">', 1)[1].split("</table>", 1)[0]
    assert re.search(r"force \(excessive force\).*?officer \(officer\).*?appealable", parts, re.S)
    assert re.search(r"arrest \(false arrest\).*?not appealable", parts, re.S)
    issues = html.split('<table class="issues">', 1)[1].split("</table>", 1)[0]
    assert "city-liability (municipal liability)" in issues and ">reviewable<" in issues and "pendent" in issues
    assert "<dt>Practice applied</dt><dd>7th-cir: gutierrez back door</dd>" in html


def test_the_tree_reads_back_from_the_outcome(client):
    trace = json.loads(run_cli("decide", str(SMITH), "--format", "json").stdout)["trace"]
    roots = support_tree(trace)
    top = roots[0]
    assert top.firing["rule"] == trace[-1]["rule"] and top.n == len(trace)  # the appeal's outcome leads
    chain, node = [], top
    while node.children:
        chain.append(node.firing["rule"])
        node = node.children[0]
    assert "jurisdiction.disposition.not_appealable" in chain
    inseparable = next(r for r in roots if r.firing["rule"] == "jurisdiction.johnson.prong_not_reviewable")
    back_door = inseparable.children[0].children[0]
    assert back_door.firing["rule"] == "jurisdiction.separability.back_door"
    below = {c.firing["rule"] for c in back_door.children}
    assert "jurisdiction.materiality.counterfactual_changes_outcome" in below
    shown = [n for n in _walk(roots) if not n.repeat]
    assert len({n.n for n in shown}) == len(shown) == len(trace)  # each firing expanded once; repeats point up

    d = new_draft(client, case="smith-v-finkley-2021")
    html = client.get(f"/drafts/{d}/decision").text
    assert 'id="tree"' in html and "(shown above)" in html and 'data-scope="#tree"' in html
    assert re.search(r'href="#tree-(\d+)"', html) and "which you entered: <code>dispute" in html


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n.children)


def test_compare_any_views_with_parts_and_pairs(client, two):
    html = client.get(f"/drafts/{two}/compare?profiles=majority&profiles=6th-cir&profiles=9th-cir").text
    check_page(html)
    assert "decide --compare majority,6th-cir,9th-cir" in html
    assert "Part by part" in html and "Where each pair parts" in html


def test_which_courts_would_hear_it_page_and_api(client, two, tmp_path):
    html = client.get(f"/drafts/{two}/circuits").text
    check_page(html)
    text = client.get(f"/drafts/{two}/fact-pattern.yaml").text
    (tmp_path / "fp.yaml").write_text(text, encoding="utf-8")
    cli = run_cli("what-if", "fp.yaml", "--circuits", "--format", "json", cwd=tmp_path).stdout
    api = client.post("/api/circuits", content=text, headers={"content-type": "application/yaml"})
    assert api.status_code == 200 and api.text == cli
    heard = sum(c["disposition"] in ("appealable", "appealable_in_part") for c in json.loads(cli)["circuits"].values())
    assert f"<strong>{heard} of {len(json.loads(cli)['circuits'])}</strong>" in html
    assert "(this case's court)" in html
    bad = client.post("/api/circuits", content=b"case: {court: mars}", headers={"content-type": "application/yaml"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "case.court"


def test_api_compare_matches_the_cli(client, tmp_path):
    body = Path(SMITH).read_bytes()
    got = client.post("/api/compare?profiles=majority,7th-cir,6th-cir", content=body)
    want = run_cli("decide", str(SMITH), "--compare", "majority,7th-cir,6th-cir", "--format", "json").stdout
    assert got.status_code == 200 and got.text == want
