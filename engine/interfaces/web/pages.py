"""The HTML pages: start, interview, check, decision, compare, what-if, corpus, rules, API docs.

Every page works without JavaScript: forms post, then redirect (303) to the next page. Answers
are checked by the CLI's loader on the draft's YAML; a page with problems is shown again (422)
with each message beside its field and in a summary at the top. Pages call what the CLI calls.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from engine.input.errors import InputError, Problem
from engine.input.loader import read_yaml
from engine.input.model import DISPOSITIONS
from engine.interfaces.cli import PROFILE_CHOICES
from engine.interfaces.render import LABEL, render, to_json
from engine.interfaces.web.drafts import Draft, DraftStore
from engine.interfaces.web.interview import (
    Interview,
    Page,
    _concerns,
    _flat,
    format_at,
    get,
    join_path,
    parse_at,
    prune,
    slug,
    words,
)
from engine.interfaces.web.onpoint import on_point
from engine.interfaces.web.service import Workbench
from engine.interfaces.web.tree import entry_words, support_tree
from engine.reasoning.rulebook import STAGES

TEMPLATES = Path(__file__).with_name("templates")
PROFILES = tuple(PROFILE_CHOICES)
COURTS = PROFILES[2:]  # the courts of appeals, as `what-if --circuits` takes them
SHORT = {
    "appealable": "appealable",
    "appealable_in_part": "appealable in part",
    "not_appealable": "not appealable",
    "outside_doctrine": "outside the doctrine",
}


# Problems that only an answer on a later page can fix (an appellant's arguments are asked with the claims):
# shown on the task list and the check page, but they do not stop the user saving this page.
PENDING = ("makes no argument and raises no issue",)


class NotFound(Exception):
    """A draft, page, case or rule that does not exist: answered with a 404 page."""


class NotReady(Exception):
    """A draft that does not yet validate: answered by sending the user to its check page."""

    def __init__(self, draft_id: str):
        super().__init__(draft_id)
        self.location = f"/drafts/{draft_id}/check"


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(TEMPLATES))  # Starlette builds the environment: autoescape on
    t.env.trim_blocks = True
    t.env.globals.update(label=LABEL, short=SHORT, words=lambda v: str(v).replace("_", " "), profiles=PROFILES)
    t.env.filters["words"] = lambda v: str(v).replace("_", " ")
    t.env.filters["entry"] = entry_words
    t.env.filters["a"] = lambda noun: f"{'an' if str(noun)[:1] in 'aeiou' else 'a'} {noun}"
    return t


def build_router(workbench: Workbench, interview: Interview, drafts: DraftStore) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    tpl = templates()

    def page(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        return tpl.TemplateResponse(request, template, context, status_code=code)

    def draft_or_404(draft_id: str) -> Draft:
        draft = drafts.get(draft_id)
        if draft is None:
            raise NotFound("This draft does not exist, or the workbench was restarted (drafts live in memory only).")
        return draft

    def page_or_404(page_id: str, is_list: bool) -> Page:
        found = interview.by_id.get(page_id)
        if found is None or found.is_list != is_list:
            raise NotFound(f"There is no interview page {page_id!r}.")
        return found

    def next_url(draft: Draft, current: Page) -> str:
        """The next page this draft shows after a top-level page, or the check page."""
        pages = interview.top_pages(draft.data)
        after = interview.pages[interview.pages.index(current) + 1 :]
        nxt = next((p for p in after if p in pages), None)
        return page_url(draft, nxt) if nxt else f"/drafts/{draft.id}/check"

    def page_url(draft: Draft, p: Page, at: tuple[int, ...] | None = None) -> str:
        if not p.is_list:
            return f"/drafts/{draft.id}/q/{p.id}"
        if at is None:
            return f"/drafts/{draft.id}/list/{p.id}"
        return f"/drafts/{draft.id}/list/{p.id}/{format_at(at)}"

    def list_url(draft: Draft, p: Page, at: tuple[int, ...]) -> str:
        """Where an item's list is shown: its summary page, or (nested) its parent item's page."""
        if p.depth <= 1:
            return page_url(draft, p)
        return page_url(draft, interview.by_list[p.parent_list], at[:-1]) + f"#list-{p.id}"

    def locate(draft: Draft, problem: Problem) -> str | None:
        """The page (and field anchor) where a problem can be fixed."""
        found = interview.locate(problem.field, draft.data)
        if found is None:
            return None
        p, at, hit = found
        return page_url(draft, p, at) + (f"#{hit.id}" if hit else "")

    def statuses(draft: Draft, problems: list[Problem]) -> list[dict[str, Any]]:
        rows = []
        for p in interview.top_pages(draft.data):
            if p.is_list:
                mine = [x for x in problems if x.field.startswith(f"{p.list}[")]
            else:
                mine = [x for x in problems if (locate(draft, x) or "").split("#")[0] == page_url(draft, p)]
            count = len(draft.data.get(p.list) or []) if p.is_list else None
            rows.append({"page": p, "url": page_url(draft, p), "problems": len(mine), "count": count})
        return rows

    def summaries(draft: Draft, p: Page, at: tuple[int, ...] | None, problems: list[Problem]) -> list[dict]:
        """The items of each list inside one item (a claim's disputes), with their own problems."""
        out = []
        for child in interview.children(p):
            holder = child.base((at or ()) + (0,))[:-1]
            rows = []
            for i, item in enumerate(get(draft.data, holder) or []):
                rows.append(item_row(draft, child, (at or ()) + (i,), item, problems))
            out.append({"page": child, "rows": rows, "at": at})
        return out

    def item_row(draft: Draft, p: Page, at: tuple[int, ...], item: Any, problems: list[Problem]) -> dict:
        item = item if isinstance(item, dict) else {}
        prefix = join_path(p.base(at))
        n = sum(1 for x in problems if _concerns(prefix, x.field))
        title = item.get("key") or (
            f"{words(item['kind'])} ({words(item.get('shows', '?'))})"
            if p.list.endswith("record") and item.get("kind")
            else ""
        )
        title = title or f"{p.item} {at[-1] + 1} (no short name yet)"
        detail = (
            item.get("about") or item.get("summary") or item.get("name") or item.get("prong") or item.get("kind") or ""
        )
        return {"at": format_at(at), "n": at[-1] + 1, "title": title, "detail": words(detail), "problems": n}

    def answers(draft: Draft, problems: list[Problem]) -> list[dict]:
        """Every answer by section, each with a Change link back to its field (the check-answers list)."""

        def section(p: Page, at: tuple[int, ...] | None, title: str) -> dict:
            rows = []
            for c in interview.controls(p, draft.data, at):
                for leaf in c.children or [c]:
                    if (c.children or p.id == "scene") and not leaf.stated:
                        continue  # a scene left Not known is listed once, not forty times
                    label = f"{c.label}: {leaf.label}" if c.children else leaf.label
                    rows.append(
                        {
                            "label": label,
                            "answer": leaf.answer,
                            "href": page_url(draft, p, at) + f"?return=check#{leaf.id}",
                        }
                    )
            items = []
            for child in interview.children(p):
                holder = child.base((at or ()) + (0,))[:-1]
                for i, item in enumerate(get(draft.data, holder) or []):
                    sub_at = (at or ()) + (i,)
                    row = item_row(draft, child, sub_at, item, problems)
                    items.append(section(child, sub_at, f"{child.item.capitalize()} {i + 1}: {row['title']}"))
            return {"title": title, "url": page_url(draft, p, at), "rows": rows, "entries": items, "id": slug(title)}

        out = []
        for p in interview.top_pages(draft.data):
            if not p.is_list:
                out.append(section(p, None, p.title))
                continue
            group = {"title": p.title, "url": page_url(draft, p), "rows": [], "entries": [], "id": slug(p.title)}
            for i, item in enumerate(draft.data.get(p.list) or []):
                row = item_row(draft, p, (i,), item, problems)
                group["entries"].append(section(p, (i,), f"{p.item.capitalize()} {i + 1}: {row['title']}"))
            out.append(group)
        return out

    # -- start -------------------------------------------------------------------------------------
    @router.get("/", response_class=HTMLResponse)
    def start(request: Request) -> HTMLResponse:
        groups: dict[str, list] = {}
        for entry in workbench.cases.values():
            groups.setdefault(entry.group, []).append(entry)
        return page(request, "start.html", groups=groups)

    @router.post("/drafts")
    async def new_draft(request: Request) -> Response:
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("upload")
        case_id = form.get("case")
        if upload is not None and hasattr(upload, "read") and upload.filename:
            raw = await upload.read()
            name = Path(upload.filename).name or "upload.yaml"  # only a label; nothing is written to disk
            try:
                data, _ = workbench.parse(raw.decode("utf-8"), name)
            except UnicodeDecodeError:
                return _start_error(request, [f"{name}: not valid UTF-8; save the file as UTF-8"])
            except InputError as exc:
                return _start_error(request, [str(p) for p in exc.problems])
            if isinstance(data, dict) and isinstance(data.get("facts"), dict):
                data = data["facts"]
            if not isinstance(data, dict):
                return _start_error(request, [f"{name}:1:1: top level is a {type(data).__name__}; expected a mapping"])
            draft = drafts.create(prune(data), f"uploaded {name}", name)
        elif case_id:
            entry = workbench.cases.get(str(case_id))
            if entry is None:
                raise NotFound(f"There is no corpus case {case_id!r}.")
            raw_case, _ = read_yaml(entry.path)
            draft = drafts.create(prune(raw_case["facts"]), f"corpus case {entry.id}", f"{entry.id}.yaml")
        else:
            draft = drafts.create({}, "blank")
        target = f"/drafts/{draft.id}/decision" if form.get("then") == "decide" else f"/drafts/{draft.id}/"
        return RedirectResponse(target, status_code=303)

    def _start_error(request: Request, messages: list[str]) -> HTMLResponse:
        groups: dict[str, list] = {}
        for entry in workbench.cases.values():
            groups.setdefault(entry.group, []).append(entry)
        return page(request, "start.html", 422, groups=groups, upload_errors=messages)

    # -- the interview -----------------------------------------------------------------------------
    @router.get("/drafts/{draft_id}/", response_class=HTMLResponse)
    def tasks(request: Request, draft_id: str) -> HTMLResponse:
        draft = draft_or_404(draft_id)
        problems = interview.problems(draft.data, draft.file)
        return page(request, "tasks.html", draft=draft, rows=statuses(draft, problems), problems=problems)

    def question(
        request: Request,
        draft: Draft,
        p: Page,
        at: tuple[int, ...] | None,
        data: dict,
        problems: list[Problem] | None,
        code: int = 200,
        return_to: str = "",
    ) -> HTMLResponse:
        controls = interview.controls(p, data, at)
        unplaced = interview.attach(controls, problems) if problems else []
        mine = [(c, e) for c in _flat(controls) for e in c.errors]
        prefix = join_path(p.base(at)) if p.is_list else ""
        all_problems = interview.problems(data, draft.file) if p.is_list else []
        return page(
            request,
            "question.html",
            code,
            draft=draft,
            page=p,
            at=at,
            at_text=format_at(at) if at else "",
            number=at[-1] + 1 if at else None,
            trail=trail(draft, p, at),
            controls=controls,
            summary=mine,
            unplaced=[x for x in unplaced if _concerns(prefix, x.field)] if p.is_list else [],
            action=page_url(draft, p, at),
            back=list_url(draft, p, at) if p.is_list else f"/drafts/{draft.id}/",
            lists=summaries(draft, p, at, all_problems) if p.is_list else [],
            yaml=interview.dump(data),
            return_to=return_to or request.query_params.get("return", ""),
        )

    def trail(draft: Draft, p: Page, at: tuple[int, ...] | None) -> list[tuple[str, str]]:
        """The items above this one (Claim 1: force > Dispute 2), as links: where a nested item sits."""
        out = []
        pattern = p.parent_list
        while pattern and at:
            parent = interview.by_list[pattern]
            depth = parent.depth
            item = get(draft.data, parent.base(at[:depth])) or {}
            name = item.get("key") if isinstance(item, dict) else None
            label = f"{parent.item.capitalize()} {at[depth - 1] + 1}" + (f": {name}" if name else "")
            out.insert(0, (label, page_url(draft, parent, at[:depth])))
            pattern = parent.parent_list
        return out

    async def answer(request: Request, draft: Draft, p: Page, at: tuple[int, ...] | None) -> Response:
        form = await request.form(max_files=0, max_fields=2000)
        data = interview.update(p, draft.data, form, at)
        drafts.save(draft, data)
        problems = interview.problems(data, draft.file)
        controls = interview.controls(p, data, at)
        here = [x for x in problems if any(_concerns(c.name, x.field) for c in _flat(controls))]
        if any(not x.message.endswith(PENDING) for x in here):
            return question(request, draft, p, at, data, here, code=422, return_to=str(form.get("return") or ""))
        adding = str(form.get("add") or "")
        child = interview.by_id.get(adding)
        if child is not None and child in interview.children(p):
            data, new_at = interview.add_item(child, data, at or ())
            drafts.save(draft, data)
            return RedirectResponse(page_url(draft, child, new_at), status_code=303)
        if form.get("return") == "check":
            return RedirectResponse(f"/drafts/{draft.id}/check", status_code=303)
        return RedirectResponse(list_url(draft, p, at) if p.is_list else next_url(draft, p), status_code=303)

    @router.get("/drafts/{draft_id}/q/{page_id}", response_class=HTMLResponse)
    def ask(request: Request, draft_id: str, page_id: str) -> HTMLResponse:
        draft = draft_or_404(draft_id)
        return question(request, draft, page_or_404(page_id, False), None, draft.data, None)

    @router.post("/drafts/{draft_id}/q/{page_id}")
    async def answered(request: Request, draft_id: str, page_id: str) -> Response:
        draft = draft_or_404(draft_id)
        return await answer(request, draft, page_or_404(page_id, False), None)

    @router.get("/drafts/{draft_id}/list/{page_id}", response_class=HTMLResponse)
    def items(request: Request, draft_id: str, page_id: str) -> Response:
        draft = draft_or_404(draft_id)
        p = page_or_404(page_id, True)
        if p.depth > 1:  # a nested list is shown on its parent item's page
            raise NotFound(f"The {p.item} items are listed on the page of the item that holds them.")
        problems = interview.problems(draft.data, draft.file)
        rows = [item_row(draft, p, (i,), item, problems) for i, item in enumerate(draft.data.get(p.list) or [])]
        return page(request, "list.html", draft=draft, page=p, rows=rows, next=next_url(draft, p))

    @router.post("/drafts/{draft_id}/list/{page_id}/add")
    async def add_item(request: Request, draft_id: str, page_id: str) -> Response:
        draft = draft_or_404(draft_id)
        p = page_or_404(page_id, True)
        form = await request.form(max_files=0, max_fields=5)
        parent_at = parse_at(str(form.get("in") or "")) if p.depth > 1 else ()
        if p.depth > 1 and not interview.exists(interview.by_list[p.parent_list], draft.data, parent_at):
            raise NotFound(f"There is no item to add a {p.item} to.")
        data, at = interview.add_item(p, draft.data, parent_at or ())
        drafts.save(draft, data)
        return RedirectResponse(page_url(draft, p, at), status_code=303)

    def item_or_404(draft: Draft, p: Page, at_text: str) -> tuple[int, ...]:
        at = parse_at(at_text)
        if not interview.exists(p, draft.data, at):
            raise NotFound(f"There is no {p.item} {at_text} in this draft.")
        return at

    @router.get("/drafts/{draft_id}/list/{page_id}/{at_text}", response_class=HTMLResponse)
    def ask_item(request: Request, draft_id: str, page_id: str, at_text: str) -> HTMLResponse:
        draft = draft_or_404(draft_id)
        p = page_or_404(page_id, True)
        at = item_or_404(draft, p, at_text)
        return question(request, draft, p, at, draft.data, None)

    @router.post("/drafts/{draft_id}/list/{page_id}/{at_text}")
    async def answered_item(request: Request, draft_id: str, page_id: str, at_text: str) -> Response:
        draft = draft_or_404(draft_id)
        p = page_or_404(page_id, True)
        at = item_or_404(draft, p, at_text)
        return await answer(request, draft, p, at)

    @router.get("/drafts/{draft_id}/list/{page_id}/{at_text}/remove", response_class=HTMLResponse)
    def confirm_remove(request: Request, draft_id: str, page_id: str, at_text: str) -> HTMLResponse:
        draft = draft_or_404(draft_id)
        p = page_or_404(page_id, True)
        at = item_or_404(draft, p, at_text)
        item = get(draft.data, p.base(at))
        name = item.get("key") if isinstance(item, dict) else None
        return page(
            request,
            "remove.html",
            draft=draft,
            page=p,
            number=at[-1] + 1,
            at_text=format_at(at),
            back=list_url(draft, p, at),
            name=name or f"{p.item} {at[-1] + 1}",
        )

    @router.post("/drafts/{draft_id}/list/{page_id}/{at_text}/remove")
    def remove(draft_id: str, page_id: str, at_text: str) -> Response:
        draft = draft_or_404(draft_id)
        p = page_or_404(page_id, True)
        at = item_or_404(draft, p, at_text)
        drafts.save(draft, interview.remove_item(p, draft.data, at))
        return RedirectResponse(list_url(draft, p, at), status_code=303)

    @router.get("/drafts/{draft_id}/check", response_class=HTMLResponse)
    def check(request: Request, draft_id: str) -> HTMLResponse:
        draft = draft_or_404(draft_id)
        problems = interview.problems(draft.data, draft.file)
        listed = [{"problem": x, "href": locate(draft, x)} for x in problems]
        return page(
            request,
            "check.html",
            422 if problems else 200,
            draft=draft,
            problems=listed,
            sections=answers(draft, problems),
            yaml=interview.dump(draft.data),
        )

    # -- the decision and what follows from it -----------------------------------------------------
    def valid(draft: Draft):
        try:
            return workbench.load(interview.dump(draft.data), draft.file)
        except InputError:
            return None

    def ready(draft: Draft):
        """The draft's fact pattern; a draft with problems goes to its check page (NotReady)."""
        fp = valid(draft)
        if fp is None:
            raise NotReady(draft.id)
        return fp

    def profile_of(request: Request) -> str:
        profile = request.query_params.get("profile", "majority")
        return profile if profile in PROFILES else "majority"

    @router.get("/drafts/{draft_id}/decision", response_class=HTMLResponse)
    async def decision(request: Request, draft_id: str) -> Response:
        draft = draft_or_404(draft_id)
        fp = ready(draft)
        profile = profile_of(request)
        d, no_cases = await _thread(workbench.decide_on_point, fp, profile)
        request_body = json.dumps(fp.model_dump(mode="json", by_alias=True, exclude_none=True), indent=2)
        as_dict = d.as_dict()
        return page(
            request,
            "decision.html",
            draft=draft,
            d=as_dict,
            court=fp.case.court,
            tree=support_tree(as_dict["trace"]),
            profile=profile,
            stages=STAGES,
            request_body=request_body,
            cited=on_point(d.precedents, workbench.cases),
            no_cases=no_cases,
        )

    @router.get("/drafts/{draft_id}/compare", response_class=HTMLResponse)
    async def compare(request: Request, draft_id: str) -> Response:
        draft = draft_or_404(draft_id)
        fp = ready(draft)
        names = [n for n in request.query_params.getlist("profiles") if n in PROFILES]
        names = list(dict.fromkeys(names)) if len(set(names)) >= 2 else ["majority", "dissent"]
        result = await _thread(workbench.compare, fp, tuple(names))
        decisions = [result["decisions"][n].as_dict() for n in names]
        rows = _zip_traces([d["trace"] for d in decisions])
        parting = result["partings"][(names[0], names[1])].index
        pairs = [
            {"a": a, "b": b, "index": x.index, "left": x.left, "right": x.right}
            for (a, b), x in result["partings"].items()
        ]
        parts = _zip_parts(decisions)
        return page(
            request,
            "compare.html",
            draft=draft,
            names=names,
            decisions=decisions,
            rows=rows,
            parting=parting,
            pairs=pairs,
            parts=parts,
        )

    @router.get("/drafts/{draft_id}/circuits", response_class=HTMLResponse)
    async def circuits(request: Request, draft_id: str) -> Response:
        draft = draft_or_404(draft_id)
        fp = ready(draft)
        result = await _thread(workbench.circuits, fp, COURTS)
        rows = [{"court": c, "d": d.as_dict()} for c, d in result.items()]
        heard = [r for r in rows if r["d"]["disposition"] in ("appealable", "appealable_in_part")]
        return page(request, "circuits.html", draft=draft, rows=rows, heard=heard, own=fp.case.court, name=fp.case.name)

    @router.get("/drafts/{draft_id}/what-if", response_class=HTMLResponse)
    async def whatif(request: Request, draft_id: str) -> Response:
        draft = draft_or_404(draft_id)
        fp = ready(draft)
        profile = profile_of(request)
        max_changes = 1 if request.query_params.get("max_changes") == "1" else 2
        result = await _thread(workbench.what_if, fp, profile, max_changes)
        flips = [
            {
                "change_keys": "+".join(c.key for c in f.changes),
                "changes": f.changes,
                "disposition": f.decision.disposition,
                "outcome": f.decision.outcome,
                "step": f.parting.right or f.parting.left,
            }
            for f in result["flips"]
        ]
        return page(
            request,
            "whatif.html",
            draft=draft,
            base=result["base"],
            flips=flips,
            tried=result["tried"],
            profile=profile,
            max_changes=max_changes,
        )

    @router.post("/drafts/{draft_id}/what-if")
    async def apply_flip(request: Request, draft_id: str) -> Response:
        draft = draft_or_404(draft_id)
        fp = ready(draft)
        form = await request.form(max_files=0, max_fields=5)
        keys = [k for k in str(form.get("changes") or "").split("+") if k]
        try:
            changed = workbench.apply_changes(fp, keys)
        except InputError:
            raise NotFound("That change does not apply to this fact pattern.") from None
        profile = form.get("profile") if form.get("profile") in PROFILES else "majority"
        data = prune(changed.model_dump(mode="python", by_alias=True, exclude_defaults=True))
        new = drafts.create(data, f"{draft.origin}, with a what-if change", draft.file)
        return RedirectResponse(f"/drafts/{new.id}/decision?profile={profile}", status_code=303)

    # -- downloads ---------------------------------------------------------------------------------
    def attachment(text: str, media: str, name: str) -> Response:
        return Response(text, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})

    @router.get("/drafts/{draft_id}/fact-pattern.yaml")
    def download_yaml(draft_id: str) -> Response:
        draft = draft_or_404(draft_id)
        return attachment(interview.dump(draft.data), "application/yaml; charset=utf-8", "fact-pattern.yaml")

    @router.get("/drafts/{draft_id}/decision.json")
    async def download_json(request: Request, draft_id: str) -> Response:
        draft = draft_or_404(draft_id)
        fp = ready(draft)
        d = await _thread(workbench.decide, fp, profile_of(request))
        return attachment(to_json(d) + "\n", "application/json", "decision.json")

    @router.get("/drafts/{draft_id}/memo.md")
    async def download_memo(request: Request, draft_id: str) -> Response:
        draft = draft_or_404(draft_id)
        fp = ready(draft)
        d = await _thread(workbench.decide, fp, profile_of(request))
        return attachment(render(d, "markdown"), "text/markdown; charset=utf-8", "memo.md")

    # -- the corpus and the rules ------------------------------------------------------------------
    @router.get("/cases", response_class=HTMLResponse)
    async def cases(request: Request) -> HTMLResponse:
        results = await _thread(workbench.corpus)
        q = request.query_params
        court, disposition, status = q.get("court", ""), q.get("disposition", ""), q.get("status", "")
        rows = [
            r
            for r in results
            if (not court or workbench.cases[r.case.id].group == court or r.case.facts.case.court == court)
            and (not disposition or disposition in (r.case.expected.disposition, r.decision.disposition))
            and (not status or (status == "pass") == r.passed)
        ]
        courts = sorted({e.group for e in workbench.cases.values()} | {r.case.facts.case.court for r in results})
        cov = workbench.coverage()
        return page(
            request,
            "cases.html",
            rows=rows,
            total=len(results),
            passed=sum(r.passed for r in results),
            courts=courts,
            dispositions=DISPOSITIONS,
            court=court,
            disposition=disposition,
            status=status,
            coverage=cov,
            rules={r.id: r for r in workbench.rules},
            groups={e.id: e.group for e in workbench.cases.values()},
            case_problems=workbench.case_problems,
        )

    @router.get("/cases/{case_id}", response_class=HTMLResponse)
    async def case(request: Request, case_id: str) -> HTMLResponse:
        if case_id not in workbench.cases:
            raise NotFound(f"There is no corpus case {case_id!r}.")
        result = await _thread(workbench.result, case_id)
        return page(request, "case.html", r=result, entry=workbench.cases[case_id], d=result.decision.as_dict())

    @router.get("/rules", response_class=HTMLResponse)
    async def rules(request: Request) -> HTMLResponse:
        cov = await _thread(workbench.coverage)
        return page(request, "rules.html", rules=workbench.rules, coverage=cov, stages=STAGES)

    @router.get("/rules/{rule_id}", response_class=HTMLResponse)
    async def rule(request: Request, rule_id: str) -> HTMLResponse:
        found = workbench.rule(rule_id)
        if found is None:
            raise NotFound(f"There is no rule {rule_id!r}.")
        fired = await _thread(workbench.fired_in, rule_id)
        return page(request, "rule.html", rule=found, source=workbench.rule_source(rule_id), fired=fired)

    @router.get("/api", response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        spec = request.app.openapi()
        ops = [
            {"method": m.upper(), "path": path, "op": op}
            for path, methods in spec["paths"].items()
            for m, op in methods.items()
        ]
        return page(request, "api.html", ops=ops, spec=spec)

    @router.get("/robots.txt", response_class=PlainTextResponse)
    def robots() -> str:
        return "User-agent: *\nDisallow: /\n"

    return router


def _zip_traces(traces: list[list[dict]]) -> list[dict]:
    """The traces in step; a row is `same` when every view fired the same rule on the same facts."""
    from itertools import zip_longest

    rows = []
    for i, step in enumerate(zip_longest(*traces)):
        first = step[0]
        same = all(
            f is not None and first is not None and (f["rule"], f["matched"]) == (first["rule"], first["matched"])
            for f in step
        )
        rows.append({"n": i + 1, "cells": step, "same": same})
    return rows


def _zip_parts(decisions: list[dict]) -> list[dict]:
    """Each part (claim, appellant) of the appeal with its disposition under every view, in the first view's order."""
    keys = list(dict.fromkeys((p["claim"], p["appellant"]) for d in decisions for p in d.get("parts") or []))
    out = []
    for claim, appellant in keys:
        cells = [
            next((p for p in d.get("parts") or [] if (p["claim"], p["appellant"]) == (claim, appellant)), None)
            for d in decisions
        ]
        same = len({(c or {}).get("disposition") for c in cells}) == 1
        out.append({"claim": claim, "appellant": appellant, "cells": cells, "same": same})
    return out


async def _thread(fn, *args):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)
