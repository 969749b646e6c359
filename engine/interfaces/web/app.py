"""The workbench application: the pages, the JSON API, static files, and the safety middleware."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from engine.input.errors import ContradictionError, EngineError, Problem, RuntimeFailure
from engine.input.model import FactPattern
from engine.interfaces.web import api, pages
from engine.interfaces.web.drafts import DraftStore
from engine.interfaces.web.interview import Interview
from engine.interfaces.web.readers import Readers
from engine.interfaces.web.security import LOOPBACK, BodyLimit, SecurityHeaders
from engine.interfaces.web.service import Workbench

STATIC = Path(__file__).with_name("static")
log = logging.getLogger("appealable.web")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("appealable")
    except Exception:  # not installed (a bare checkout on sys.path)
        return "0+unknown"


def create_app(
    rule_paths: list[str | Path] | None = None,
    cases_dir: str | Path | None = None,
    allowed_hosts: list[str] | None = None,
    workbench: Workbench | None = None,
) -> FastAPI:
    """Load and lint the rules, index the corpus, and wire the routes (once, at start-up)."""
    workbench = workbench or Workbench(rule_paths, cases_dir)
    interview = Interview()
    interview.readers = Readers(workbench.engine.rulebook)
    version = _version()
    app = FastAPI(
        title="appealable",
        version=version,
        description="Can an official appeal the denial of qualified immunity right now? "
        "The same decisions and JSON as the `appealable` command line.",
        docs_url=None,  # FastAPI's docs pages load scripts from a CDN; /api is served from here
        redoc_url=None,
    )
    app.state.workbench = workbench
    smith = workbench.cases.get("smith-v-finkley-2021")
    example = smith.case.facts.model_dump(mode="json", by_alias=True, exclude_none=True) if smith else None
    app.include_router(api.build_router(workbench, example))
    app.include_router(pages.build_router(workbench, interview, DraftStore()))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.exception_handler(api.ApiError)
    async def api_error(request: Request, exc: api.ApiError) -> Response:
        return exc.response()

    @app.exception_handler(pages.NotReady)
    async def not_ready(request: Request, exc: pages.NotReady) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(pages.NotFound)
    async def not_found(request: Request, exc: pages.NotFound) -> Response:
        return _error_page(request, 404, "Not found", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return api.ApiError(exc.status_code, str(exc.detail)).response()
        return _error_page(request, exc.status_code, str(exc.detail), "")

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        problems = [Problem("request", None, None, ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
        if _wants_json(request):
            return api.ApiError(422, "Invalid request parameters", problems).response()
        return _error_page(request, 422, "Invalid request", "; ".join(str(p) for p in problems))

    @app.exception_handler(EngineError)
    async def engine_error(request: Request, exc: EngineError) -> Response:
        """The rules engine failed or contradicted itself: name the firings, never a traceback."""
        detail = str(exc)
        if isinstance(exc, ContradictionError):
            detail += " (" + "; ".join(getattr(f, "because", "") for f in exc.firings) + ")"
        status = 500 if isinstance(exc, (RuntimeFailure, ContradictionError)) else 422
        return api.ApiError(status, type(exc).__name__, detail=detail).response()

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"status": 500, "title": "Internal error", "errors": []}, status_code=500)

    def _error_page(request: Request, status: int, title: str, detail: str) -> Response:
        t = pages.templates()
        return t.TemplateResponse(
            request, "error.html", {"title": title, "detail": detail, "status": status}, status_code=status
        )

    original_openapi = app.openapi

    def openapi() -> dict:
        """FastAPI's document, plus the fact pattern's JSON Schema (bodies are read raw, not bound)."""
        if app.openapi_schema:
            return app.openapi_schema
        spec = original_openapi()
        schema = FactPattern.model_json_schema(ref_template="#/components/schemas/{model}")
        components = spec.setdefault("components", {}).setdefault("schemas", {})
        components.update(schema.pop("$defs", {}))
        components["FactPattern"] = schema
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]

    headers = [(b"x-appealable-version", version.encode()), (b"x-appealable-rules", workbench.rules_sha256.encode())]
    app.add_middleware(SecurityHeaders, extra=headers)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or [*LOOPBACK, "testserver"])
    app.add_middleware(BodyLimit)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in ("/healthz", "/openapi.json")
