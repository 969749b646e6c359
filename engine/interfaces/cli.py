"""The command line: a thin shell over the API. Errors print as file:line: field: message, exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.input.errors import EngineError, InputError, Problem
from engine.input.model import Court, Disposition


def _engine(args):
    from engine.reasoning.decide import Engine

    return Engine(rule_paths=args.rules or None)


def _decide_one(engine, task) -> str:
    from engine.analysis.whatif import compare_profiles
    from engine.interfaces.render import render, render_comparison

    fp, profile, fmt = task
    if isinstance(profile, tuple):
        return render_comparison(compare_profiles(engine, fp, profile), fmt)
    if profile == "compare":
        return render_comparison(compare_profiles(engine, fp), fmt)
    from engine.analysis.precedents import decide_with_precedents

    return render(decide_with_precedents(engine, fp, profile), fmt)


def _load(file: str):
    """A fact pattern from a file, or from standard input when the file is `-`."""
    from engine.input.casefile import load_fact_pattern, parse_fact_pattern

    if file == "-":
        return parse_fact_pattern(sys.stdin.read(), "<stdin>")[0]
    return load_fact_pattern(file)[0]


def cmd_decide(args) -> int:
    from engine.analysis.parallel import run_all

    if args.files.count("-") > 1:
        raise InputError([Problem("-", None, None, "", "standard input can be read only once")])
    patterns = [_load(f) for f in args.files]  # validate all before running any
    tasks = [(fp, args.compare or args.profile, args.format) for fp in patterns]
    outputs = run_all(_decide_one, tasks, jobs=args.jobs, rule_paths=args.rules or None)
    if args.format == "json" and len(outputs) > 1:  # one JSON document: an array, in input order
        sys.stdout.write("[\n" + ",\n".join(o.rstrip("\n") for o in outputs) + "\n]\n")
    else:
        sys.stdout.write("".join(outputs))
    return 0


def cmd_what_if(args) -> int:
    from engine.analysis.whatif import what_if
    from engine.interfaces.render import render_what_if
    from engine.reasoning.decide import Engine

    engine = _engine(args)
    scout = Engine(engine.rulebook, backend="python")  # screens variations; durable confirms each flip
    fp = _load(args.file)
    if args.circuits:
        from engine.analysis.whatif import across_circuits
        from engine.interfaces.render import render_circuits

        sys.stdout.write(render_circuits(across_circuits(engine, fp, PROFILE_CHOICES[2:]), args.format))
        return 0
    sys.stdout.write(render_what_if(what_if(engine, fp, args.profile, args.max_changes, search=scout), args.format))
    return 0


def cmd_precedents(args) -> int:
    from engine.analysis.precedents import corpus, precedents
    from engine.interfaces.render_precedents import render_precedents

    engine = _engine(args)
    fp = _load(args.file)
    decision = engine.decide(fp, args.profile)
    pool = corpus(engine, args.cases or None)
    title = " ".join(x for x in (fp.case.name, fp.case.citation and f"({fp.case.citation})") if x) or args.file
    sys.stdout.write(render_precedents(precedents(engine, decision, args.top, pool), args.format, title))
    return 0


def cmd_why_not(args) -> int:
    from engine.analysis.whynot import why_not
    from engine.interfaces.render_precedents import render_why_not

    engine = _engine(args)
    fp = _load(args.file)
    goal = {"disposition": args.disposition} if args.disposition else {"outcome": args.outcome}
    sys.stdout.write(render_why_not(why_not(engine, fp, args.profile, **goal), args.format))
    return 0


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1; got {text!r}")
    return n


def _default_cases() -> str:
    """cases/ in the working directory, else the corpus that ships with the package."""
    from pathlib import Path

    from engine.input.casefile import default_cases_dir

    return "cases" if Path("cases").is_dir() else str(default_cases_dir())


def _run_case(engine, item):
    from engine.analysis.regression import run_case

    path, case = item
    return run_case(engine, case, path)


def cmd_test(args) -> int:
    from engine.analysis.parallel import run_all
    from engine.analysis.regression import load_cases
    from engine.interfaces.report import report_json, report_text

    engine = _engine(args)
    cases = load_cases(args.paths or [_default_cases()])  # every file validated before any runs
    if args.leave_one_out:
        from engine.analysis.precedents import leave_one_out
        from engine.interfaces.render_precedents import render_leave_one_out

        sys.stdout.write(render_leave_one_out(leave_one_out(engine, args.paths or [_default_cases()]), args.format))
        return 0
    results = run_all(_run_case, cases, jobs=args.jobs, engine=engine, rule_paths=args.rules or None)
    sys.stdout.write((report_json if args.format == "json" else report_text)(engine, results))
    return 0 if all(r.passed for r in results) else 1


def cmd_lint(args) -> int:
    from engine.reasoning.rulebook import rule_files
    from engine.reasoning.rulecache import load_checked_rulebook

    # the same check an engine makes before it runs; a rulebook that passes is cached for them
    # (keyed by the rule files and the engine's code), one with problems raises RuleError
    book = load_checked_rulebook(args.rules or None)
    print(f"lint: {len(book.rules)} rules in {len(rule_files(args.rules or None))} files: no problems")
    return 0


def cmd_schema(args) -> int:
    from engine.interfaces.docs import fact_pattern_schema

    sys.stdout.write(json.dumps(fact_pattern_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return 0


def cmd_rights(args) -> int:
    from engine.interfaces.rights_table import markdown, replace_in
    from engine.reasoning.rulebook import load_rulebook

    table = markdown(load_rulebook(args.rules or None))
    if args.write:
        path = Path(args.write)
        path.write_text(replace_in(path.read_text(), table))
        return 0
    sys.stdout.write(table)
    return 0


def cmd_vocabulary(args) -> int:
    from engine.interfaces.docs import vocabulary_markdown

    sys.stdout.write(vocabulary_markdown())
    return 0


PROFILE_CHOICES = ["majority", "dissent"] + [c for c in Court.__args__ if c not in ("scotus", "district")]  # type: ignore[attr-defined]


def _profile_list(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in PROFILE_CHOICES]
    if unknown or len(names) < 2:
        raise argparse.ArgumentTypeError(
            f"expected two or more of {', '.join(PROFILE_CHOICES)} separated by commas; got {text!r}"
        )
    return names


def cmd_serve(args) -> int:
    from engine.interfaces.web.serve import serve

    return serve(args.host, args.port, args.rules or None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="appealable", description="Can the official appeal the denial of qualified immunity now?"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("decide", help="decide appellate jurisdiction for fact-pattern or case files")
    p.add_argument("files", nargs="+", metavar="FILE", help="YAML or JSON files; - reads standard input")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.add_argument(
        "--profile",
        choices=PROFILE_CHOICES + ["compare"],
        default="majority",
        metavar="PROFILE",
        help="majority (the case's court; in Smith the 7th Cir. majority), dissent (Sykes, C.J.), a court whose "
        "practice to apply (1st-cir ... 11th-cir, dc-cir), or compare (majority and dissent)",
    )
    p.add_argument(
        "--compare",
        type=_profile_list,
        metavar="A,B,...",
        help="decide under each profile and show where each pair parts, e.g. 7th-cir,6th-cir,dissent",
    )
    p.add_argument("--rules", nargs="*", metavar="RULES", help="rule files or folders (default: rules/)")
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="decide the files across N processes (output in input order)"
    )
    p.set_defaults(run=cmd_decide)
    w = sub.add_parser("what-if", help="find the smallest changes of fact or argument that flip the disposition")
    w.add_argument("file", metavar="FILE")
    w.add_argument("--profile", choices=PROFILE_CHOICES, default="majority", metavar="PROFILE")
    w.add_argument(
        "--circuits",
        action="store_true",
        help="instead: in which courts of appeals, under their practice, would this be appealable?",
    )
    w.add_argument("--max-changes", type=int, choices=[1, 2], default=2)
    w.add_argument("--format", choices=["text", "json"], default="text")
    w.add_argument("--rules", nargs="*", metavar="RULES")
    w.set_defaults(run=cmd_what_if)
    t = sub.add_parser("test", help="run the case corpus against the rules; report accuracy and rule coverage")
    t.add_argument("paths", nargs="*", metavar="PATH", help="case files or folders (default: cases/)")
    t.add_argument("--format", choices=["text", "json"], default="text")
    t.add_argument("--rules", nargs="*", metavar="RULES")
    t.add_argument("--jobs", type=int, default=1, metavar="N", help="run the cases across N processes")
    t.add_argument(
        "--leave-one-out",
        action="store_true",
        help="predict each decided case from its closest precedents alone (no disposition rule), beside the "
        "rules' accuracy and the majority class; list where precedent and rules disagree",
    )
    t.set_defaults(run=cmd_test)
    pr = sub.add_parser("precedents", help="the decided cases most on point for review and for dismissal")
    pr.add_argument("file", metavar="FILE", help="a fact-pattern or case file; - reads standard input")
    pr.add_argument("--top", type=_positive, default=3, metavar="N", help="cases per side (default 3)")
    pr.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    pr.add_argument("--profile", choices=PROFILE_CHOICES, default="majority", metavar="PROFILE")
    pr.add_argument("--cases", nargs="*", metavar="PATH", help="the corpus of decided cases (default: cases/)")
    pr.add_argument("--rules", nargs="*", metavar="RULES")
    pr.set_defaults(run=cmd_precedents)
    wn = sub.add_parser(
        "why-not", help="why the rules did not give a disposition or outcome: what failed, what would change it"
    )
    wn.add_argument("file", metavar="FILE", help="a fact-pattern or case file; - reads standard input")
    goal = wn.add_mutually_exclusive_group(required=True)
    goal.add_argument("--disposition", choices=list(Disposition.__args__))  # type: ignore[attr-defined]
    goal.add_argument("--outcome", choices=["dismissed", "affirmed_denial", "reversed_granted", "in_parts"])
    wn.add_argument("--profile", choices=PROFILE_CHOICES, default="majority", metavar="PROFILE")
    wn.add_argument("--format", choices=["text", "json"], default="text")
    wn.add_argument("--rules", nargs="*", metavar="RULES")
    wn.set_defaults(run=cmd_why_not)
    li = sub.add_parser("lint", help="check rule files against the fact vocabulary and the stage order")
    li.add_argument("rules", nargs="*", metavar="RULES", help="rule files or folders (default: rules/)")
    li.set_defaults(run=cmd_lint)
    s = sub.add_parser("schema", help="print the JSON Schema of a fact pattern")
    s.set_defaults(run=cmd_schema)
    v = sub.add_parser("vocabulary", help="print the vocabulary (docs/vocabulary.md): every fact, field and value")
    v.set_defaults(run=cmd_vocabulary)
    r = sub.add_parser("rights", help="print the rights table (right, courts, date, authority) as Markdown")
    r.add_argument("--markdown", action="store_true", help="Markdown (the only format; accepted for clarity)")
    r.add_argument("--rules", nargs="*", help="rule files or folders (default: rules/)")
    r.add_argument("--write", metavar="README", help="replace the table between its markers in this file")
    r.set_defaults(run=cmd_rights)
    v = sub.add_parser("serve", help="start the workbench: a local web page and HTTP JSON API")
    v.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 lets anyone on the network in)",
    )
    v.add_argument("--port", type=int, default=8000)
    v.add_argument("--rules", nargs="*", metavar="RULES")
    v.set_defaults(run=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return exc.exit_code
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
