"""The workbench in a real browser: Debian's Chromium, driven by Playwright, against `appealable serve`.

The server is the real command in its own process on a free port (Datasette's pattern). The interview
is filled like ALKiln's story tables: the filler walks a case's facts and sets each control by its
`name` (the field's path), and fails on any value it found no control for. Screenshots of each page
go to test-results/ (git-ignored), kept by CI as artefacts.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SMITH, run_cli

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on this machine (apt-get install -y chromium; .ci/run does)"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "test-results"
XSS = "<script>alert(1)</script>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    cli = Path(sys.executable).parent / "appealable"
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(cli), "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path_factory.mktemp("cwd"),
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            pytest.fail(f"appealable serve exited ({proc.returncode}):\n{log.read_text()}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"appealable serve did not answer:\n{log.read_text()}")
            time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
    # Playwright's dead greenlets are cyclic garbage; collected at an arbitrary later moment (seen: the
    # end of the session) their deallocation intermittently crashed the interpreter. Collect them now.
    gc.collect()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    expected = "status of 422"  # a page shown again with its problems answers 422, as GOV.UK's pattern says
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and expected not in m.text else None)
    pg.set_default_timeout(15_000)
    yield pg
    context.close()
    assert not errors, errors  # no script error, no CSP violation, no missing asset


def shot(pg, name: str) -> None:
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def h1(pg) -> str:
    return pg.locator("h1").first.inner_text().strip()


# -- the story-table filler ------------------------------------------------------------------------


class Filler:
    """Sets each control named by a path to a value from the facts; remembers what it could not place."""

    def __init__(self, pg):
        self.pg = pg
        self.unused: list[str] = []

    def fill(self, path: str, value) -> None:
        pg = self.pg
        if isinstance(value, dict):
            for k, v in value.items():
                self.fill(f"{path}.{k}", v)
            return
        if isinstance(value, list) and value and isinstance(value[0], dict):  # the reliance table
            for link in value:
                pg.locator(f'select[name="{path}@{link["dispute"]}"]').select_option(link.get("reliance", "essential"))
            return
        if isinstance(value, list):
            for v in value:
                box = pg.locator(f'input[type=checkbox][name="{path}"][value="{v}"]')
                if box.count() != 1:
                    self.unused.append(f"{path}={v}")
                    continue
                box.check()
            return
        text = (
            "true"
            if value is True
            else "false"
            if value is False
            else value.isoformat()
            if isinstance(value, dt.date)
            else str(value)
        )
        controls = pg.locator(f'[name="{path}"]')
        if controls.count() == 0:
            self.unused.append(path)
            return
        first = controls.first
        kind = first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind == "input:radio":
            pg.locator(f'input[type=radio][name="{path}"][value="{text}"]').check()
        elif kind.startswith("select"):
            first.select_option(text)
        else:
            first.fill(text)

    def save(self) -> None:
        self.pg.get_by_role("button", name="Save and continue").click()
        assert self.pg.locator(".error-summary").count() == 0, self.pg.locator(".error-summary").inner_text()


def fill_from_blank(pg, facts: dict) -> str:
    """Answer every page for these facts, starting from a blank draft; return the draft's URL."""
    pg.goto("/")
    pg.get_by_role("button", name="Start a blank fact pattern").click()
    draft = pg.url.rstrip("/")
    filler = Filler(pg)
    for section in ("case", "claim"):
        pg.goto(f"{draft}/q/{section}")
        filler.fill(section, facts.get(section, {}))
        filler.save()
    for name in ("disputes", "arguments"):
        for i, item in enumerate(facts.get(name, [])):
            pg.goto(f"{draft}/list/{name}")
            pg.get_by_role("button", name=f"Add {'an' if name == 'arguments' else 'a'} {name[:-1]}").click()
            assert pg.url.endswith(f"/list/{name}/{i}")
            if name == "disputes" and i == 2:
                shot(pg, "interview-dispute")
            for k, v in item.items():
                filler.fill(f"{name}[{i}].{k}", v)
            filler.save()
        pg.goto(f"{draft}/list/{name}")
        shot(pg, f"interview-{name}")
    for section in ("order", "scene"):
        pg.goto(f"{draft}/q/{section}")
        filler.fill(section, facts.get(section, {}))
        if section == "scene":
            shot(pg, "interview-scene")
        filler.save()
    assert filler.unused == [], f"values with no control: {filler.unused}"
    return draft


def smith_facts() -> dict:
    return yaml.safe_load(SMITH.read_text(encoding="utf-8"))["facts"]


# -- the stories -----------------------------------------------------------------------------------


def test_smith_from_blank_is_not_appealable(page):
    draft = fill_from_blank(page, smith_facts())
    page.goto(f"{draft}/check")
    assert "No problems" in page.inner_text("main")
    shot(page, "check")
    page.get_by_role("link", name="See the decision").click()
    assert h1(page) == "Not appealable"
    cited = page.locator("#precedents")
    assert cited.get_by_role("heading", name="Cases most on point").is_visible()
    assert cited.get_by_role("heading", name="For dismissal").is_visible()
    assert cited.locator("li.precedent h4 a").first.is_visible()
    shot(page, "decision")
    body = page.request.get(f"{draft}/decision.json").text()
    assert json.loads(body) == json.loads(run_cli("decide", str(SMITH), "--format", "json").stdout)


def test_what_if_flip_argues_prong_two_on_smiths_version(page):
    page.goto("/")
    page.get_by_label("Corpus case or hypothetical").select_option("smith-v-finkley-2021")
    page.get_by_role("button", name="Decide it").click()
    assert h1(page) == "Not appealable"
    page.get_by_role("link", name="What would flip it?").click()
    shot(page, "what-if")
    flip = page.locator("li.flip").filter(
        has_text="argues not-clearly-established (clearly_established) on the plaintiff's version"
    )
    assert flip.count() == 1
    flip.get_by_role("button").click()
    assert h1(page) == "Appealable in part"
    assert "jurisdiction.separability.accepts_plaintiff_facts" in page.inner_text("main")
    page.get_by_role("link", name="Compare the majority and the dissent").click()
    assert page.locator("table.compare").first.is_visible()
    shot(page, "compare")


def test_an_invalid_value_shows_its_error_beside_the_field(page, tmp_path):
    page.goto("/")
    page.get_by_role("button", name="Start a blank fact pattern").click()
    draft = page.url.rstrip("/")
    page.goto(f"{draft}/q/case")
    page.get_by_label("Date of the events").fill("2017-13-45")
    page.get_by_role("button", name="Save and continue").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert summary.is_visible() and page.evaluate("document.activeElement.className") == "error-summary"
    field = page.locator(".field.has-error")
    beside = field.locator(".error-message").inner_text().replace("Error:", "").strip()
    (tmp_path / "draft.yaml").write_text(page.request.get(f"{draft}/fact-pattern.yaml").text(), encoding="utf-8")
    cli = run_cli("decide", "draft.yaml", cwd=tmp_path).stderr
    assert beside in cli and "case.events_date" in cli
    assert field.locator("input").get_attribute("name") == "case.events_date"
    shot(page, "interview-error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.name") == "case.events_date"


def test_script_in_user_text_renders_as_text(page):
    page.goto("/")
    page.get_by_role("button", name="Start a blank fact pattern").click()
    draft = page.url.rstrip("/")
    page.goto(f"{draft}/q/case")
    page.get_by_label("Name of the case").fill(XSS)
    page.get_by_role("button", name="Save and continue").click()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{draft}/decision")
    assert XSS in page.locator(".caption").first.inner_text()
    assert page.locator("main script").count() == 0 and dialogs == []


def test_download_the_yaml_and_it_decides_as_the_cli(page, tmp_path):
    page.goto("/")
    page.get_by_label("Corpus case or hypothetical").select_option("smith-v-finkley-2021")
    page.get_by_role("button", name="Decide it").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="The fact pattern (YAML)").click()
    path = tmp_path / "fact-pattern.yaml"
    info.value.save_as(path)
    mine = run_cli("decide", str(path), "--format", "json").stdout
    assert mine == run_cli("decide", str(SMITH), "--format", "json").stdout


def test_keyboard_alone_reaches_a_decision(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Decide it":
            break
    else:
        pytest.fail("Tab never reached the Decide it button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/decision")
    assert h1(page) == "Not appealable"


def test_corpus_rules_api_pages_and_print(page):
    page.goto("/cases")
    assert "smith-v-finkley-2021" in page.inner_text("main")
    page.get_by_label("Result").select_option("fail")
    page.get_by_role("button", name="Filter").click()
    assert "status=fail" in page.url
    page.goto("/cases")
    shot(page, "corpus")
    page.goto("/rules/jurisdiction.separability.back_door")
    assert "Gutierrez v. Kermon" in page.inner_text("main")
    shot(page, "rule")
    page.goto("/api")
    shot(page, "api")
    page.goto("/")
    shot(page, "start")
    page.get_by_role("button", name="Decide it").click()
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible() and page.locator("h1").is_visible()
    if os.environ.get("APPEALABLE_PDF", "1") == "1":
        page.pdf(path=str(SHOTS / "decision-print.pdf"))


# -- format 2: an appeal in parts, built from blank --------------------------------------------------

TWO_CLAIMS = """
case: {name: Doe v. City of Eastfield, court: 7th-cir, events_date: 2019-05-04}
appellants:
  - {key: officer, name: Officer Roe, role: officer}
  - {key: city, name: City of Eastfield, role: municipality}
claims:
  - key: force
    kind: excessive_force
    force: non_deadly
    against: [officer]
    disputes:
      - key: resisted
        about: whether Doe pulled away before the takedown
        bears_on: [resistance]
        video: ambiguous
        record: [{kind: officer_testimony, shows: supports_defendant}]
        plaintiff_scene: {resistance: none}
        defendant_scene: {resistance: active}
    arguments:
      - {key: not-clearly-established, appellant: officer, prong: clearly_established, accepts_plaintiff_version: true}
  - key: arrest
    kind: false_arrest
    force: none
    against: [officer]
    disputes:
      - key: pulled-away
        about: whether Doe pulled away from the officer before the arrest
        bears_on: [resistance]
        plaintiff_scene: {resistance: none}
        defendant_scene: {resistance: active}
    arguments:
      - {key: probable-cause, appellant: officer, prong: violation, relies_on: [{dispute: pulled-away, reliance: essential}]}
order: {ruling: denied, defense: qualified_immunity, basis: factual_disputes, disputes_named: [resisted]}
issues:
  - {key: city-liability, kind: municipal_liability, raised_by: city, intertwined_with: force}
scene: {crime_severity: minor, force_used: takedown}
"""


def press_tab_to(pg, text: str, limit: int = 200) -> None:
    """Move the focus with Tab alone until it rests on the control whose accessible text starts so."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.textContent.trim()").startswith(text):
            return
    pytest.fail(f"Tab never reached {text!r}")


def fill_item(pg, filler: Filler, path: str, item: dict) -> None:
    for k, v in item.items():
        if k not in ("disputes", "arguments", "record"):
            filler.fill(f"{path}.{k}", v)


def test_two_claims_two_appellants_from_blank_is_appealable_in_part(page, tmp_path):
    facts = yaml.safe_load(TWO_CLAIMS)
    page.goto("/")
    page.get_by_role("button", name="Start a blank fact pattern").click()
    page.get_by_role("link", name="The case and the court").click()
    filler = Filler(page)
    filler.fill("case", facts["case"])
    filler.save()
    assert h1(page) == "Who appeals"  # the next page of a blank draft
    for i, appellant in enumerate(facts["appellants"]):
        page.get_by_role("button", name="Add an appellant").click()
        fill_item(page, filler, f"appellants[{i}]", appellant)
        filler.save()  # "makes no argument" waits for the claims: it does not block this page
    page.get_by_role("link", name="Continue").click()
    assert h1(page) == "The claims on appeal"
    for c, claim in enumerate(facts["claims"]):
        page.get_by_role("button", name="Add a claim").click()
        fill_item(page, filler, f"claims[{c}]", claim)
        for name in ("disputes", "arguments"):
            for i, item in enumerate(claim[name]):
                if c == 0 and name == "disputes":  # keyboard alone: Tab to the button inside the claim's form
                    press_tab_to(page, "Add a dispute")
                    with page.expect_navigation():
                        page.keyboard.press("Enter")
                else:
                    page.get_by_role(
                        "button", name=f"Add {'an argument' if name == 'arguments' else 'a dispute'}"
                    ).click()
                assert h1(page) == f"{name[:-1].capitalize()} {i + 1}"
                assert page.locator("nav.trail").inner_text().startswith(f"Claim {c + 1}: {claim['key']}")
                path = f"claims[{c}].{name}[{i}]"
                fill_item(page, filler, path, item)
                for j, evidence in enumerate(item.get("record", [])):
                    page.get_by_role("button", name="Add a record item").click()
                    fill_item(page, filler, f"{path}.record[{j}]", evidence)
                    filler.save()
                    shot(page, "interview-format2-dispute")
                filler.save()
                assert h1(page) == f"Claim {c + 1}"  # back on the claim, its lists below its fields
        shot(page, f"interview-format2-claim-{c + 1}")
        filler.save()
    page.get_by_role("link", name="Continue").click()
    assert h1(page) == "The district court's order"  # the single-claim pages are hidden now
    filler.fill("order", facts["order"])
    filler.save()
    assert h1(page) == "Issues on neither prong of qualified immunity"
    page.get_by_role("button", name="Add an issue").click()
    fill_item(page, filler, "issues[0]", facts["issues"][0])
    filler.save()
    page.get_by_role("link", name="Continue").click()
    filler.fill("scene", facts["scene"])
    filler.save()
    assert filler.unused == [], f"values with no control: {filler.unused}"
    assert h1(page) == "Check your answers" and "No problems" in page.inner_text("main")
    assert "Record item 1: officer testimony (supports defendant)" in page.inner_text("main")
    shot(page, "check-format2")
    page.get_by_role("link", name="See the decision").click()
    assert h1(page) == "Appealable in part"
    parts = page.locator("table.parts")
    assert parts.locator("tbody tr").count() == 2
    assert "not appealable" in parts.locator("tr", has_text="arrest").inner_text()
    assert "reviewable" in page.locator("table.issues").inner_text()
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.screenshot(path=str(SHOTS / "decision-parts-top.png"))
    shot(page, "decision-parts")
    (tmp_path / "two.yaml").write_text(TWO_CLAIMS, encoding="utf-8")
    draft = page.url.split("/decision")[0]
    assert page.request.get(f"{draft}/decision.json").json() == json.loads(
        run_cli("decide", str(tmp_path / "two.yaml"), "--format", "json").stdout
    )

    tree = page.locator("#tree")
    closed = tree.locator("details:not([open])")
    assert closed.count() > 0
    page.locator("#why").scroll_into_view_if_needed()
    page.get_by_role("button", name="Expand all of the tree").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#tree details:not([open])').length === 0")
    assert closed.count() == 0
    page.get_by_role("button", name="Collapse all of the tree").click()
    assert tree.locator("details[open]").count() == 0
    rule = tree.locator("a.rule").first.get_attribute("href")
    assert rule.startswith("/rules/")

    page.get_by_role("link", name="Which courts would hear this now?").click()
    assert h1(page) == "Which courts would hear this now?"
    assert page.locator("table.circuits tbody tr").count() == 12
    shot(page, "circuits")
    page.goto(f"{draft}/compare?profiles=majority&profiles=6th-cir&profiles=dissent")
    assert page.locator("table.parts").is_visible()
    shot(page, "compare-format2")
