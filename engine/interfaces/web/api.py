"""The HTTP JSON API: the CLI's JSON, over HTTP, with the CLI's positioned problems.

Bodies are read raw and parsed by the project's safe loader (JSON is YAML), never bound by
FastAPI, so a bad value is answered in the CLI's words at its line and column:
400 unparsable, 404 unknown id, 413 too large (security.BodyLimit), 415 other media types,
422 invalid (RFC 9457 shape: title, status, errors[{file, line, column, path, message, text}]).
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from engine.input.errors import InputError, Problem
from engine.input.model import FactPattern
from engine.interfaces.cli import PROFILE_CHOICES
from engine.interfaces.render import render_circuits, render_comparison, render_what_if, to_json
from engine.interfaces.render_precedents import render_precedents
from engine.interfaces.web.service import Workbench

MEDIA = ("application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
UNPARSABLE = ("invalid YAML", "file is empty", "file has no content", "not valid UTF-8")
REQUEST = "request"
COURTS = tuple(PROFILE_CHOICES[2:])  # the courts of appeals, as `what-if --circuits` takes them


class ApiError(Exception):
    """An HTTP answer with a problem document; raised by handlers, rendered by the app."""

    def __init__(self, status: int, title: str, problems: list[Problem] | None = None, detail: str = ""):
        self.status, self.title, self.problems, self.detail = status, title, problems or [], detail
        super().__init__(title)

    def response(self) -> JSONResponse:
        body = {"status": self.status, "title": self.title, "errors": [problem_json(p) for p in self.problems]}
        if self.detail:
            body["detail"] = self.detail
        return JSONResponse(body, status_code=self.status, media_type="application/problem+json")


def problem_json(p: Problem) -> dict:
    return {"file": p.file, "line": p.line, "column": p.column, "path": p.field, "message": p.message, "text": str(p)}


def _json(text: str) -> Response:
    return Response(text if text.endswith("\n") else text + "\n", media_type="application/json")


async def read_fact_pattern(request: Request, workbench: Workbench) -> FactPattern:
    """The request body as a fact pattern: media type, UTF-8, parse (400), validate (422)."""
    media = request.headers.get("content-type", "application/yaml").split(";")[0].strip().lower()
    if media not in MEDIA:
        raise ApiError(415, "Unsupported media type", detail=f"send {', '.join(MEDIA[:3])}; got {media}")
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = Problem(REQUEST, line, None, "", f"not valid UTF-8 (byte {exc.start}); send UTF-8")
        raise ApiError(400, "Request body is not UTF-8", [problem]) from None
    try:
        data, marks = workbench.parse(text, REQUEST)
    except InputError as exc:
        status = 400 if all(p.message.startswith(UNPARSABLE) for p in exc.problems) else 422
        raise ApiError(
            status, "Request body cannot be parsed" if status == 400 else "Invalid fact pattern", exc.problems
        ) from None
    try:
        return workbench.validate(data, marks, REQUEST)
    except InputError as exc:
        raise ApiError(422, "Invalid fact pattern", exc.problems) from None


def profile_named(name: str, allowed: list[str]) -> str:
    if name not in allowed:
        problem = Problem(
            REQUEST, None, None, "profile", f"unknown profile {name!r} (expected one of: {', '.join(allowed)})"
        )
        raise ApiError(422, "Invalid request parameters", [problem])
    return name


def profiles_named(text: str) -> tuple[str, ...]:
    """`a,b,...`: two or more profiles to compare, as `decide --compare` takes them."""
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    for n in names:
        profile_named(n, PROFILE_CHOICES)
    if len(names) < 2:
        raise ApiError(
            422, "Invalid request parameters", [Problem(REQUEST, None, None, "profiles", "name two or more profiles")]
        )
    return names


def fact_pattern_body(example: dict | None) -> dict:
    """OpenAPI for a raw body: the fact pattern's JSON Schema, in JSON or YAML, with Smith as example."""
    schema = {"$ref": "#/components/schemas/FactPattern"}
    content = {"application/json": {"schema": schema}, "application/yaml": {"schema": schema}}
    if example:
        content["application/json"]["example"] = example
    return {"requestBody": {"required": True, "content": content}}


def build_router(workbench: Workbench, smith: dict | None) -> APIRouter:
    router = APIRouter()
    errors = {
        400: {"description": "the body cannot be parsed (YAML/JSON syntax, not UTF-8)"},
        413: {"description": "the body is over 1 MB"},
        415: {"description": "not JSON or YAML"},
        422: {"description": "the fact pattern is invalid: every problem at its line, in the CLI's words"},
    }
    body = fact_pattern_body(smith)

    @router.post("/api/decide", tags=["decide"], responses=errors, openapi_extra=body)
    async def decide(
        request: Request, profile: str = Query("majority", description=", ".join(PROFILE_CHOICES) + " or compare")
    ) -> Response:
        """Decide jurisdiction for one fact pattern: the JSON of `appealable decide --format json`."""
        profile_named(profile, PROFILE_CHOICES + ["compare"])
        fp = await read_fact_pattern(request, workbench)
        if profile == "compare":
            return _json(render_comparison(await _run(workbench.compare, fp), "json"))
        return _json(to_json(await _run(workbench.decide, fp, profile)))

    @router.post("/api/compare", tags=["decide"], responses=errors, openapi_extra=body)
    async def compare(
        request: Request, profiles: str = Query("majority,dissent", description="two or more profiles, comma-separated")
    ) -> Response:
        """Several views side by side (`decide --compare`), and for each pair the first rule where they part."""
        names = profiles_named(profiles)
        fp = await read_fact_pattern(request, workbench)
        return _json(render_comparison(await _run(workbench.compare, fp, names), "json"))

    @router.post("/api/circuits", tags=["decide"], responses=errors, openapi_extra=body)
    async def circuits(request: Request) -> Response:
        """In which courts of appeals, under their practice, the appeal would be heard now (`what-if --circuits`)."""
        fp = await read_fact_pattern(request, workbench)
        return _json(render_circuits(await _run(workbench.circuits, fp, COURTS), "json"))

    @router.post("/api/what-if", tags=["decide"], responses=errors, openapi_extra=body)
    async def what_if(
        request: Request,
        profile: str = Query("majority", description=", ".join(PROFILE_CHOICES)),
        max_changes: int = Query(2, ge=1, le=2),
    ) -> Response:
        """The smallest sets of changes (one, then two) that flip the disposition: `appealable what-if`."""
        profile_named(profile, PROFILE_CHOICES)
        fp = await read_fact_pattern(request, workbench)
        return _json(render_what_if(await _run(workbench.what_if, fp, profile, max_changes), "json"))

    @router.post("/api/precedents", tags=["decide"], responses=errors, openapi_extra=body)
    async def precedents(
        request: Request,
        profile: str = Query("majority", description=", ".join(PROFILE_CHOICES)),
        top: int = Query(3, ge=1, le=20),
    ) -> Response:
        """The decided cases most on point for review and for dismissal: `appealable precedents --format json`."""
        profile_named(profile, PROFILE_CHOICES)
        fp = await read_fact_pattern(request, workbench)
        return _json(render_precedents(await _run(workbench.precedents, fp, profile, top), "json"))

    @router.get("/api/schema", tags=["reference"])
    def schema() -> JSONResponse:
        """The JSON Schema of a fact pattern (`appealable schema`)."""
        return JSONResponse(FactPattern.model_json_schema())

    @router.get("/api/rules", tags=["reference"])
    def rules() -> JSONResponse:
        """Every rule: id, title, stage, profiles and where to read it."""
        return JSONResponse(
            [
                {"id": r.id, "title": r.title, "stage": r.stage, "profiles": r.profiles, "href": f"/api/rules/{r.id}"}
                for r in workbench.rules
            ]
        )

    @router.get("/api/rules/{rule_id}", tags=["reference"], responses={404: {"description": "no such rule"}})
    def rule(rule_id: str) -> JSONResponse:
        """One rule: its fields, its authorities, its source text, and the corpus cases it fires in."""
        found = workbench.rule(rule_id)
        if found is None:
            raise ApiError(404, "Unknown rule", detail=f"no rule has the id {rule_id!r}")
        return JSONResponse(
            {
                **found.model_dump(mode="json"),
                "source": workbench.rule_source(rule_id),
                "fires_in": workbench.fired_in(rule_id),
            }
        )

    @router.get("/api/cases", tags=["corpus"])
    def cases() -> JSONResponse:
        """Every corpus case with its expected and actual disposition (`appealable test --format json`)."""
        return JSONResponse([{**r.row(), "href": f"/api/cases/{r.case.id}"} for r in workbench.corpus()])

    @router.get("/api/cases/{case_id}", tags=["corpus"], responses={404: {"description": "no such case"}})
    def case(case_id: str) -> JSONResponse:
        """One case: its facts, what the court held, what the rules decide, and whether they agree."""
        result = workbench.result(case_id)
        if result is None:
            raise ApiError(404, "Unknown case", detail=f"no corpus case has the id {case_id!r}")
        return JSONResponse(
            {
                **result.row(),
                "facts": result.case.facts.model_dump(mode="json", by_alias=True, exclude_none=True),
                "expected_detail": result.case.expected.model_dump(mode="json", by_alias=True, exclude_none=True),
                "decision": json.loads(to_json(result.decision)),
            }
        )

    @router.get("/healthz", tags=["reference"])
    def healthz() -> JSONResponse:
        """Alive, with how many rules and cases are loaded and the rules' sha256."""
        return JSONResponse(
            {
                "status": "ok",
                "rules": len(workbench.rules),
                "cases": len(workbench.cases),
                "rules_sha256": workbench.rules_sha256,
            }
        )

    return router


async def _run(fn, *args):
    """Run an engine call in a worker thread: the event loop keeps serving while the lock is held."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)
