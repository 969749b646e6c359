"""The decision of an appeal in parts: parts and issues, the tree of reasons, compare, which courts would hear it,
and the decided cases most on point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

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


# -- the cases most on point -----------------------------------------------------------------------

YAML = {"content-type": "application/yaml"}


def on_point(html: str) -> str:
    """The decision page's "Cases most on point" section."""
    return html.split('<section class="on-point" id="precedents"', 1)[1].split("</section>", 1)[0]


def listed(section: str) -> list[str]:
    return re.findall(r'<li class="precedent" id="precedent-([^"]+)">', section)


def test_smiths_page_cites_the_cases_most_on_point_as_the_cli_ranks_them(client):
    d = new_draft(client, case="smith-v-finkley-2021")
    html = client.get(f"/drafts/{d}/decision").text
    check_page(html)
    section = on_point(html)
    assert '<h2 id="precedents-heading">Cases most on point</h2>' in section
    assert '<h3 id="precedents-reviewable">For review (the court heard the appeal)</h3>' in section
    assert '<h3 id="precedents-dismissed">For dismissal</h3>' in section
    want = client.post("/api/precedents", content=SMITH.read_bytes(), headers=YAML).json()  # the CLI's JSON
    assert listed(section) == [e["case"] for side in ("reviewable", "dismissed") for e in want[side]]
    assert "smith-v-finkley-2021" not in listed(section) and "Smith v. Finkley" not in section  # not its own
    first = want["dismissed"][0]
    entry = section.split(f'id="precedent-{first["case"]}">', 1)[1].split("</li>", 1)[0]
    assert str(escape(first["citation"])) in entry and str(escape(first["why"].capitalize())) in entry
    assert f'<span class="disposition {first["disposition"]}">' in entry and "agrees with the rules" in entry
    assert ", ".join(f.replace("_", " ") for f in first["shared"]) in entry
    links = re.findall(r'<h4><a href="(/cases/[^"]+)">([^<]+)</a></h4>', section)
    assert len(links) == len(listed(section)) >= 1
    for href, name in links:
        got = client.get(href)
        assert got.status_code == 200 and f"<h1>{name}</h1>" in got.text


def test_a_draft_outside_the_corpus_is_shown_its_precedents(client, two):
    section = on_point(client.get(f"/drafts/{two}/decision").text)
    body = client.get(f"/drafts/{two}/fact-pattern.yaml").content
    want = client.post("/api/precedents", content=body, headers=YAML).json()
    assert listed(section) == [e["case"] for side in ("reviewable", "dismissed") for e in want[side]]
    assert listed(section) and '<a href="/cases/' in section


def test_a_corpus_that_cannot_be_decided_costs_the_section_not_the_decision(tmp_path):
    (tmp_path / "7th-cir").mkdir()
    (tmp_path / "7th-cir" / SMITH.name).write_bytes(SMITH.read_bytes())
    (tmp_path / "7th-cir" / "broken.yaml").write_text("id: broken\nfacts: {case: {court: mars}}\n", encoding="utf-8")
    mine = TestClient(create_app(workbench=Workbench(cases_dir=tmp_path)))
    d = new_draft(mine, case="smith-v-finkley-2021")
    got = mine.get(f"/drafts/{d}/decision")
    assert got.status_code == 200
    assert '<h1 class="disposition not_appealable" id="disposition">Not appealable</h1>' in got.text
    section = on_point(got.text)
    assert "The closest decided cases could not be found:" in section and "broken.yaml" in section
    assert listed(section) == []


def test_close_cases_that_went_the_other_way_come_first_and_point_to_their_entry(client):
    entry = client.app.state.workbench.cases["ralston-v-cannon-2018"]
    want = client.post("/api/precedents", content=Path(entry.path).read_bytes(), headers=YAML).json()
    assert want["warnings"]  # this case has them: it is here to show them
    html = client.get(f"/drafts/{new_draft(client, case='ralston-v-cannon-2018')}/decision").text
    check_page(html)  # every "#precedent-..." link lands on an entry of the page
    section = on_point(html)
    warned = re.findall(
        r'<p class="close-other-way"><strong>Close, and went the other way:</strong> <a href="#precedent-([^"]+)"',
        section,
    )
    assert warned == [w["case"] for w in want["warnings"]]
    assert section.index("Close, and went the other way") < section.index('<h3 id="precedents-reviewable">')
