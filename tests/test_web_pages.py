"""The workbench's HTML without a browser: accessible markup, no inline script, escaping, the interview's data."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Optional

import pytest
import yaml
from fastapi.testclient import TestClient
from pydantic import create_model

from engine.input.model import FactPattern
from engine.interfaces.web.app import create_app
from engine.interfaces.web.interview import Interview
from engine.interfaces.web.service import Workbench
from tests.conftest import SMITH, run_cli

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(workbench=Workbench()))


def new_draft(client: TestClient, **form) -> str:
    got = client.post("/drafts", data=form or {"blank": "1"}, follow_redirects=False)
    assert got.status_code == 303
    return got.headers["location"].split("/")[2]


class Page(HTMLParser):
    """Collects what the checks need: ids, labels, controls, links, scripts, inline styles and handlers."""

    def __init__(self, html: str):
        super().__init__()
        self.ids, self.labels_for, self.controls, self.hrefs, self.problems = set(), set(), [], [], []
        self.stack: list[str] = []
        self.in_label = 0
        self.legend_fieldsets = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.labels_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append((a.get("id"), self.in_label > 0))
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "script" and not a.get("src"):
            self.problems.append("inline <script>")
        if tag == "script" and a.get("src", "").startswith(("http:", "https:", "//")):
            self.problems.append(f"script from elsewhere: {a['src']}")
        if tag == "style" or "style" in a:
            self.problems.append(f"inline style on <{tag}>")
        self.problems += [f"inline handler {k} on <{tag}>" for k in a if k.startswith("on")]

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label -= 1


def check_page(html: str) -> None:
    page = Page(html)
    assert not page.problems, page.problems
    unlabelled = [cid for cid, wrapped in page.controls if not wrapped and cid not in page.labels_for]
    assert not unlabelled, f"controls without a label: {unlabelled}"
    dangling = [h for h in page.hrefs if h.startswith("#") and h[1:] not in page.ids]
    assert not dangling, f"links to missing ids: {dangling}"


def test_every_page_is_labelled_and_has_no_inline_script_or_style(client):
    draft = new_draft(client, case="smith-v-finkley-2021")
    urls = [
        "/",
        "/cases",
        "/cases/smith-v-finkley-2021",
        "/rules",
        "/rules/jurisdiction.separability.back_door",
        "/api",
    ]
    urls += [f"/drafts/{draft}/{u}" for u in ("", "q/case", "q/claim", "q/order", "q/scene", "list/disputes", "check")]
    urls += [f"/drafts/{draft}/{u}" for u in ("list/disputes/2", "list/arguments/1", "list/disputes/0/remove")]
    urls += [
        f"/drafts/{draft}/{u}" for u in ("decision", "decision?profile=dissent", "compare", "what-if?max_changes=1")
    ]
    for url in urls:
        got = client.get(url)
        assert got.status_code == 200, url
        check_page(got.text)


def test_an_invalid_value_is_shown_beside_its_field_in_the_cli_words(client, tmp_path):
    draft = new_draft(client)
    got = client.post(f"/drafts/{draft}/q/case", data={"case.name": "X", "case.events_date": "2017-13-45"})
    assert got.status_code == 422
    assert got.text.startswith("<!doctype html>") and "<title>Error: " in got.text
    (tmp_path / "draft.yaml").write_text(client.get(f"/drafts/{draft}/fact-pattern.yaml").text, encoding="utf-8")
    cli = run_cli("decide", "draft.yaml", cwd=tmp_path).stderr.strip()  # the CLI on the draft's own YAML
    message = cli.split("case.events_date: ", 1)[1]
    beside = re.search(r'<p class="error-message" id="case-events-date-error-1">.*?</span> (.*?)</p>', got.text, re.S)
    assert beside and beside.group(1).replace("&#39;", "'") == message
    assert 'href="#case-events-date"' in got.text  # the summary links to the field
    check_page(got.text)


def test_user_text_is_escaped_everywhere(client):
    draft = new_draft(client)
    client.post(f"/drafts/{draft}/q/case", data={"case.name": XSS})
    client.post(f"/drafts/{draft}/list/disputes/add")
    client.post(f"/drafts/{draft}/list/disputes/0", data={"disputes[0].key": "x", "disputes[0].about": XSS})
    for url in ("decision", "list/disputes", "check", "compare"):
        html = client.get(f"/drafts/{draft}/{url}").text
        assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    memo = client.get(f"/drafts/{draft}/memo.md").text
    assert "<script>" not in memo and "&lt;script&gt;" in memo


def test_remove_asks_first_then_removes(client):
    draft = new_draft(client, case="smith-v-finkley-2021")
    confirm = client.get(f"/drafts/{draft}/list/disputes/5/remove")
    assert "Remove dispute 6 (shoot-me-remark)?" in confirm.text
    client.post(f"/drafts/{draft}/list/disputes/5/remove")
    text = client.get(f"/drafts/{draft}/fact-pattern.yaml").text
    assert "shoot-me-remark" not in text and "why-stahl-shot" in text


def test_a_removed_dispute_still_named_elsewhere_is_a_problem_to_fix(client):
    draft = new_draft(client, case="smith-v-finkley-2021")
    client.post(f"/drafts/{draft}/list/disputes/2/remove")
    check = client.get(f"/drafts/{draft}/check")
    assert check.status_code == 422
    assert "order.disputes_named[0]: names unknown dispute &#39;downward-movement&#39;" in check.text
    assert f'href="/drafts/{draft}/q/order#order-disputes-named"' in check.text
    assert client.get(f"/drafts/{draft}/decision", follow_redirects=False).headers["location"].endswith("/check")


def test_what_if_apply_forks_a_new_draft(client):
    draft = new_draft(client, case="smith-v-finkley-2021")
    page = client.get(f"/drafts/{draft}/what-if?max_changes=1").text
    assert 'value="accept:not-clearly-established"' in page
    got = client.post(f"/drafts/{draft}/what-if", data={"changes": "accept:not-clearly-established"})
    assert got.status_code == 200 and '<h1 class="disposition appealable_in_part"' in got.text
    assert client.post(f"/drafts/{draft}/what-if", data={"changes": "nonsense"}).status_code == 404


def test_downloads_decide_as_the_cli(client, tmp_path):
    draft = new_draft(client, case="smith-v-finkley-2021")
    got = client.get(f"/drafts/{draft}/fact-pattern.yaml")
    assert got.headers["content-disposition"] == 'attachment; filename="fact-pattern.yaml"'
    (tmp_path / "fp.yaml").write_text(got.text, encoding="utf-8")
    want = run_cli("decide", str(SMITH), "--format", "json").stdout
    assert run_cli("decide", "fp.yaml", "--format", "json", cwd=tmp_path).stdout == want
    assert client.get(f"/drafts/{draft}/decision.json").text == want
    assert client.get(f"/drafts/{draft}/memo.md").text.startswith("# Bench memo")


def test_upload_starts_a_draft_and_problems_use_the_file_name(client):
    bad = SMITH.read_text(encoding="utf-8").replace("video: ambiguous", "video: unclear", 1)
    got = client.post(
        "/drafts", files={"upload": ("smith.yaml", bad.encode(), "application/yaml")}, follow_redirects=True
    )
    assert got.status_code == 200
    check = client.get(str(got.url).replace("/drafts/", "/drafts/", 1) + "check")
    assert "smith.yaml:" in check.text and "disputes[2].video: &#39;unclear&#39; is not allowed" in check.text
    junk = client.post("/drafts", files={"upload": ("x.yaml", b"a: [", "application/yaml")})
    assert junk.status_code == 422 and "x.yaml:" in junk.text


def test_unknown_drafts_cases_rules_pages_are_404_pages(client):
    for url in ("/drafts/nope/", "/cases/nope", "/rules/nope", "/drafts/nope/decision"):
        got = client.get(url)
        assert got.status_code == 404 and "<h1>Not found</h1>" in got.text


def test_corpus_filters_by_court_disposition_and_result(client):
    everything = client.get("/cases").text
    assert "smith-v-finkley-2021" in everything and "Rule coverage" in everything
    scotus = client.get("/cases?court=scotus").text
    assert "johnson-v-jones-1995" in scotus and "smith-v-finkley-2021" not in scotus
    appealable = client.get("/cases?disposition=appealable").text
    assert "plumhoff-v-rickard-2014" in appealable and "smith-v-finkley-2021" not in appealable
    assert "0 cases shown" in client.get("/cases?status=fail").text


ROUND_ONE = {
    "case": ["case.name", "case.citation", "case.court", "case.events_date", "case.posture", "case.appeal_from"],
    "claim": ["claim.kind", "claim.force"],
    "order": ["order.ruling", "order.defense", "order.basis", "order.disputes_named", "order.jury_could_find"],
    "disputes": ["key", "about", "plaintiff_version", "defendant_version", "bears_on", "subjective_only", "video"]
    + ["follows", "plaintiff_scene", "defendant_scene"],
    "arguments": ["key", "prong", "summary", "accepts_plaintiff_version", "relies_on"],
}


def test_every_round_one_field_has_a_written_question():
    interview = Interview()
    for page, paths in ROUND_ONE.items():
        written = [q.path for q in interview.by_id[page].questions if not q.generated]
        assert set(paths) <= set(written), page
    assert all(not q.generated for q in interview.by_id["scene"].questions)


def test_a_new_optional_model_field_reaches_the_interview_without_code():
    Extended = create_model("Extended", __base__=FactPattern, appeal_note=(Optional[str], None))  # noqa: UP045
    interview = Interview(model=Extended)
    more = interview.by_id["more"]
    controls = interview.controls(more, {})
    note = next(c for c in controls if c.name == "appeal_note")
    assert note.kind == "text" and note.label == "Appeal note (appeal_note)"


def test_canonical_yaml_of_a_case_validates_and_round_trips():
    data = yaml.safe_load(SMITH.read_text(encoding="utf-8"))["facts"]
    assert Interview.problems(data) == []
    assert yaml.safe_load(Interview.dump(data)) == data
