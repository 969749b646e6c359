"""The HTTP JSON API through FastAPI's TestClient: the CLI's JSON, the CLI's problems, every status."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from fastapi.testclient import TestClient

from engine.input.casefile import load_case
from engine.interfaces.render import to_json
from engine.interfaces.web.app import create_app
from engine.interfaces.web.service import Workbench
from engine.reasoning.decision import SCHEMA_VERSION
from tests.conftest import ROOT, SMITH, run_cli

YAML = {"content-type": "application/yaml"}
JSON = {"content-type": "application/json"}
SMITH_TEXT = SMITH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workbench() -> Workbench:
    return Workbench()


@pytest.fixture(scope="module")
def client(workbench) -> TestClient:
    return TestClient(create_app(workbench=workbench))


def test_decide_smith_is_byte_for_byte_the_cli_json(client):
    cli = run_cli("decide", str(SMITH), "--format", "json")
    as_yaml = client.post("/api/decide", content=SMITH_TEXT, headers=YAML)
    as_json = client.post("/api/decide", content=json.dumps(yaml.safe_load(SMITH_TEXT), default=str), headers=JSON)
    assert as_yaml.status_code == as_json.status_code == 200
    assert as_yaml.text == as_json.text == cli.stdout
    assert as_yaml.headers["content-type"].startswith("application/json")
    assert len(as_yaml.headers["x-appealable-rules"]) == 64


@pytest.mark.parametrize("profile", ["majority", "dissent"])
def test_every_corpus_case_decides_as_the_engine_does(client, workbench, profile):
    for entry in workbench.cases.values():
        text = (
            (ROOT / entry.path).read_text(encoding="utf-8")
            if not entry.path.startswith("/")
            else open(entry.path).read()
        )
        got = client.post(f"/api/decide?profile={profile}", content=text, headers=YAML)
        assert got.status_code == 200, (entry.id, got.text)
        want = to_json(workbench.decide(load_case(entry.path).facts, profile)) + "\n"
        assert got.text == want, entry.id


def test_compare_and_what_if_match_the_cli(client):
    compare = client.post("/api/compare", content=SMITH_TEXT, headers=YAML)
    same = client.post("/api/decide?profile=compare", content=SMITH_TEXT, headers=YAML)
    assert compare.text == same.text == run_cli("decide", str(SMITH), "--profile", "compare", "--format", "json").stdout
    assert compare.json()["decisions"]["dissent"]["disposition"] == "appealable"
    three = client.post("/api/compare?profiles=majority,dissent,6th-cir", content=SMITH_TEXT, headers=YAML)
    cli3 = run_cli("decide", str(SMITH), "--compare", "majority,dissent,6th-cir", "--format", "json")
    assert three.status_code == 200 and three.text == cli3.stdout
    assert client.post("/api/compare?profiles=majority", content=SMITH_TEXT, headers=YAML).status_code == 422
    flips = client.post("/api/what-if?max_changes=1", content=SMITH_TEXT, headers=YAML)
    cli = run_cli("what-if", str(SMITH), "--max-changes", "1", "--format", "json")
    assert flips.status_code == 200 and flips.text == cli.stdout
    keys = [c["key"] for f in flips.json()["flips"] for c in f["changes"]]
    assert "accept:not-clearly-established" in keys


def test_reference_endpoints(client, workbench):
    assert client.get("/healthz").json()["status"] == "ok"
    schema = client.get("/api/schema").json()
    assert set(schema["properties"]) >= {"case", "claim", "order", "disputes", "arguments", "scene"}
    rules = client.get("/api/rules").json()
    assert len(rules) == len(workbench.rules) and rules[0]["href"] == f"/api/rules/{rules[0]['id']}"
    rule = client.get("/api/rules/jurisdiction.separability.back_door").json()
    assert rule["authority"][0]["cite"].startswith("Gutierrez")
    assert (
        rule["source"]["file"].startswith("rules/")
        and "- id: jurisdiction.separability.back_door" in rule["source"]["text"]
    )
    assert "smith-v-finkley-2021" in rule["fires_in"]
    cases = client.get("/api/cases").json()
    assert len(cases) == len(workbench.cases) and all(c["passed"] for c in cases)
    smith = client.get("/api/cases/smith-v-finkley-2021").json()
    assert (
        smith["expected"] == smith["actual"] == "not_appealable"
        and smith["decision"]["schema_version"] == SCHEMA_VERSION
    )


def test_openapi_documents_every_endpoint_and_the_fact_pattern(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/decide", "/api/what-if", "/api/compare", "/api/schema", "/api/rules", "/api/rules/{rule_id}"):
        assert path in spec["paths"]
    for path in ("/api/cases", "/api/cases/{case_id}", "/healthz"):
        assert path in spec["paths"]
    body = spec["paths"]["/api/decide"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/FactPattern"}
    assert body["application/json"]["example"]["case"]["name"] == "Smith v. Finkley"
    assert "Dispute" in spec["components"]["schemas"]
    docs = client.get("/api")
    assert docs.status_code == 200 and "/api/what-if" in docs.text
    assert "cdn" not in docs.text.lower() and client.get("/docs").status_code == 404


# -- every error status ---------------------------------------------------------------------------


def test_422_gives_the_cli_lines_at_their_positions(client, tmp_path):
    bad = SMITH_TEXT.replace("force: deadly", "force: lethal").replace("    court: 7th-cir\n", "    cort: 7th-cir\n", 1)
    got = client.post("/api/decide", content=bad, headers=YAML)
    assert got.status_code == 422
    body = got.json()
    assert body["title"] == "Invalid fact pattern" and got.headers["content-type"] == "application/problem+json"
    paths = {e["path"] for e in body["errors"]}
    assert {"facts.claim.force", "facts.case.cort"} <= paths
    (tmp_path / "request").write_text(bad, encoding="utf-8")
    cli = run_cli("decide", "request", cwd=tmp_path)
    assert cli.returncode == 2
    assert [f"error: {e['text']}" for e in body["errors"]] == cli.stderr.splitlines()
    force = next(e for e in body["errors"] if e["path"] == "facts.claim.force")
    assert force["line"] == 12 and force["column"] == 5 and "'lethal' is not allowed" in force["message"]


def test_400_unparsable_404_413_415(client):
    broken = client.post("/api/decide", content="case: {name: x\n", headers=YAML)
    assert broken.status_code == 400 and broken.json()["errors"][0]["text"].startswith("request:2:")
    assert client.post("/api/decide", content=b"case: \xff\n", headers=YAML).status_code == 400
    assert client.post("/api/decide", content="", headers=YAML).status_code == 400
    assert client.get("/api/rules/no.such.rule").status_code == 404
    assert client.get("/api/cases/no-such-case").json()["status"] == 404
    big = "# " + "x" * 1_000_001 + "\n"
    assert client.post("/api/decide", content=big, headers=YAML).status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(11):
            yield b"#" * 100_000 + b"\n"

    assert client.post("/api/decide", content=chunks(), headers=YAML).status_code == 413
    media = client.post("/api/decide", content="<p>", headers={"content-type": "text/html"})
    assert media.status_code == 415 and media.json()["title"] == "Unsupported media type"
    assert client.post("/api/what-if?max_changes=3", content=SMITH_TEXT, headers=YAML).status_code == 422
    assert client.post("/api/decide?profile=nobody", content=SMITH_TEXT, headers=YAML).status_code == 422


def test_a_list_or_a_scalar_is_a_positioned_422(client):
    got = client.post("/api/decide", content="[1, 2]", headers=JSON)
    assert (
        got.status_code == 422
        and got.json()["errors"][0]["text"] == "request:1:1: top level is a list; expected a mapping"
    )


def test_an_unexpected_failure_is_a_500_without_a_traceback(workbench, monkeypatch):
    client = TestClient(create_app(workbench=workbench), raise_server_exceptions=False)
    monkeypatch.setattr(workbench, "decide", lambda *a: (_ for _ in ()).throw(KeyError("secret internals")))
    got = client.post("/api/decide", content=SMITH_TEXT, headers=YAML)
    assert got.status_code == 500 and got.json() == {"status": 500, "title": "Internal error", "errors": []}
    assert "Traceback" not in got.text and "secret" not in got.text


def test_fifty_concurrent_decisions_equal_serial_ones(client, workbench):
    bodies = [(ROOT / e.path).read_text(encoding="utf-8") for e in list(workbench.cases.values())[:10]] * 5
    serial = [client.post("/api/decide", content=b, headers=YAML).text for b in bodies]
    with ThreadPoolExecutor(max_workers=16) as pool:
        parallel = list(pool.map(lambda b: client.post("/api/decide", content=b, headers=YAML).text, bodies))
    assert len(parallel) == 50 and parallel == serial


# -- safe by default --------------------------------------------------------------------------------


def test_security_headers_and_refusals(client):
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in page.headers
    cross = client.post("/api/decide", content=SMITH_TEXT, headers={**YAML, "sec-fetch-site": "cross-site"})
    assert cross.status_code == 403
    foreign = client.post(
        "/drafts", data={"blank": "1"}, headers={"origin": "http://evil.example"}, follow_redirects=False
    )
    assert foreign.status_code == 403
    assert client.get("/healthz", headers={"host": "evil.example"}).status_code == 400  # DNS rebinding


def test_precedents_endpoint_is_the_cli_json(client):
    got = client.post("/api/precedents?top=2", content=SMITH_TEXT, headers=YAML)
    assert got.status_code == 200
    assert got.text == run_cli("precedents", str(SMITH), "--top", "2", "--format", "json").stdout
    assert client.post("/api/precedents?top=0", content=SMITH_TEXT, headers=YAML).status_code == 422
