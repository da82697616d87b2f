# The `quizkit` command: list, check, grade, rules, quiz (and profile, with the activity).
"""Command line interface: list, check, grade, rules, quiz, profile.

Exit codes: 0 ok, 1 failed or invalid content, 2 usage error. Content problems are
printed as `file:line: message`, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit.course import Course, check_course
from quizkit.errors import ContentError
from quizkit.isolate import DEFAULT_MEMORY_MB, Limits, grade_isolated
from quizkit.load import DEFAULT_RULES
from quizkit.model import figure_as_dict
from quizkit.quiz import grade_attempt, presented

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

OK, FAILED, USAGE = 0, 1, 2


def _course(args: argparse.Namespace) -> Course:
    return Course.load(_content(args), Path(args.rules) if args.rules else None)


def _content(args: argparse.Namespace) -> Path:
    """The content folder: `--content`, else `QUIZKIT_CONTENT`, else an `exercises` folder at or above here.

    Finding none is a usage error (exit 2) saying where we looked, rather than an empty course
    whose every exercise is unknown.
    """
    from quizkit.course import CONTENT_DIR, CONTENT_ENV, ContentNotFoundError, find_content  # noqa: PLC0415
    from quizkit.load import EXERCISE_FILE, QUIZ_DIR, exercise_folders, quiz_files  # noqa: PLC0415

    if args.content:
        path = Path(args.content)
        if path.is_dir() and (exercise_folders(path) or quiz_files(path)):
            return path
        found = "no such folder" if not path.is_dir() else f"that folder holds no {EXERCISE_FILE} files nor {QUIZ_DIR}/*.yml"
        message = f"--content {args.content}: {found}; point it at the course's `{CONTENT_DIR}` folder."
    else:
        try:
            return find_content()
        except ContentNotFoundError as exc:
            how = (" Or pass --content PATH." if exc.env else
                   f" Run quizkit in the course folder, pass --content PATH, or set {CONTENT_ENV} to the course's "
                   f"`{CONTENT_DIR}` folder.")
            message = f"{exc}{how}"
    print(f"quizkit: {message}", file=sys.stderr)
    raise SystemExit(USAGE)


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def cmd_list(args: argparse.Namespace) -> int:
    """Exercises and quizzes with their ids and files."""
    course = _course(args)
    items: list[dict[str, object]] = [{"kind": "exercise", "id": e.id, "title": e.title, "lesson": e.lesson,
              "file": str(course.files[f"exercise:{e.id}"])} for e in course.exercises.values()]
    items += [{"kind": "quiz", "id": q.id, "title": q.title, "lesson": q.lesson, "questions": len(q.questions),
               "file": str(course.files[f"quiz:{q.id}"])} for q in course.quizzes.values()]
    if args.json:
        _print_json(items)
    else:
        for item in items:
            print(f"{item['kind']:<9} {item['id']:<28} {item['file']}")
    return OK


def cmd_check(args: argparse.Namespace) -> int:
    """Validate all content; one `file:line: message` per problem."""
    problems = check_course(_course(args))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return FAILED
    print("content OK")
    return OK


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade a solution file for an exercise."""
    course = _course(args)
    try:
        exercise = course.exercise(args.exercise)
    except KeyError as exc:
        print(f"quizkit: {exc.args[0]}", file=sys.stderr)
        return USAGE
    try:
        source = Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"quizkit: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return USAGE
    except UnicodeDecodeError as exc:
        print(f"quizkit: {args.file} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
              "save it as UTF-8", file=sys.stderr)
        return USAGE
    limits = Limits(seconds=args.timeout or exercise.timeout_s, memory_mb=args.memory)
    result = grade_isolated(exercise, source, course.rules, limits)
    if args.json:
        _print_json(result.to_data())
    else:
        if result.output:
            print(result.output.rstrip("\n"))
        if result.error:
            print(result.error.traceback or result.error.message)
        for check in result.checks:
            print(f"{'PASS' if check.passed else 'FAIL'} {check.id}: {check.message}")
            if check.misconception:
                print(f"     {check.misconception}")
        if result.internal:
            print(f"internal error: {result.internal}")
        print(result.status)
    return OK if result.passed else FAILED


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the rules, or the path of the rules file in use."""
    path = Path(args.rules) if args.rules else DEFAULT_RULES
    if args.path:
        print(path.resolve())
        return OK
    from quizkit.load import load_rules  # noqa: PLC0415

    rules = load_rules(path)
    figures = rules.figures
    if args.stale:
        from datetime import date  # noqa: PLC0415

        from quizkit.model import stale_figures  # noqa: PLC0415

        figures = {f.id: f for f in stale_figures(rules, date.today(), args.months)}  # noqa: DTZ011 - the maintainer's day
        if not args.json:
            print(f"{len(figures)} figure(s) not confirmed within {args.months} months (oldest first):")
    if args.json:
        _print_json({"title": rules.title, "figures": {fid: figure_as_dict(f) for fid, f in figures.items()}})
        return OK
    for fid, figure in figures.items():
        value = figure.none_means if figure.value is None else figure.value
        mark = "" if figure.in_article else "  (beyond the article)"
        print(f"{fid:<42} {value!s:<24} {figure.source}, {figure.as_of}{mark}")
    return OK


def _letters(count: int) -> list[str]:
    return [chr(ord("a") + i) for i in range(count)]


def _ask(question: dict[str, Any], read: Callable[[str], str]) -> object:
    """Ask one question as `presented` shows it; options and items are lettered in the order shown."""
    print(f"\n{question['text']}")
    kind = question["type"]
    if kind in ("single", "multiple"):
        letters = dict(zip(_letters(len(question["options"])), question["options"], strict=True))
        for letter, option in letters.items():
            print(f"  {letter}) {option['text']}")
        raw = read("answer (" + ("one letter" if kind == "single" else "letters, comma-separated") + "): ")
        picks = [letters[p].get("id") if p in letters else p for p in (part.strip().lower() for part in raw.split(","))
                 if p]
        return picks[0] if kind == "single" and picks else picks
    if kind == "true_false":
        return {"t": True, "true": True, "f": False, "false": False}.get(read("true or false: ").strip().lower())
    if kind == "match":
        choices = dict(zip(_letters(len(question["choices"])), question["choices"], strict=True))
        print("  choices: " + "; ".join(f"{letter}) {c['text']}" for letter, c in choices.items()))
        matched = {}
        for item in question["items"]:
            pick = read(f"  {item['text']} -> letter: ").strip().lower()
            if pick in choices:
                matched[item["id"]] = choices[pick]["id"]
        return matched
    if kind == "order":
        items = dict(zip(_letters(len(question["items"])), question["items"], strict=True))
        for letter, item in items.items():
            print(f"  {letter}) {item['text']}")
        raw = read("letters in order, comma-separated: ")
        return [items[p]["id"] if p in items else p for p in (part.strip().lower() for part in raw.split(",")) if p]
    return read(f"number{' (' + question['unit'] + ')' if question.get('unit') else ''}: ")


def cmd_quiz(args: argparse.Namespace) -> int:
    """Take a quiz in the terminal, or grade a file of answers; `--seed` draws the variants and the order."""
    course = _course(args)
    try:
        course.quiz(args.quiz)
    except KeyError as exc:
        print(f"quizkit: {exc.args[0]}", file=sys.stderr)
        return USAGE
    compiled = course.compiled_quizzes[args.quiz]
    seed = args.seed
    if args.answers:
        try:
            answers = json.loads(Path(args.answers).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"quizkit: cannot read answers from {args.answers}: {exc}", file=sys.stderr)
            return USAGE
    else:
        if seed is None:
            seed = secrets.randbits(32)
        print(f"{compiled['title']} (seed {seed}: run with --seed {seed} to get the same numbers and order)")
        answers = {q["id"]: _ask(q, input) for q in presented(compiled, seed)}
    result = grade_attempt(compiled, answers, seed=seed)
    if args.json:
        _print_json(result.to_data())
    else:
        for item in result.questions:
            verdict = "right" if item.correct else ("not answered" if not item.answered else "wrong")
            print(f"{item.id}: {verdict}. {item.feedback} {item.explanation}".rstrip())
        print(f"score: {result.score}/{result.total}")
    return OK if result.score == result.total else FAILED


def cmd_profile(args: argparse.Namespace) -> int:
    """Analyse a profile file: the same analysis as the activity page."""
    from quizkit.analysis import ProfileInputError, analyse, read_profile, report_markdown  # noqa: PLC0415
    from quizkit.load import load_rules, read_yaml  # noqa: PLC0415

    rules = load_rules(Path(args.rules) if args.rules else None)
    document = read_yaml(Path(args.file))
    try:
        profile = read_profile(rules, document.data)
    except ProfileInputError as exc:
        for name, message in exc.errors.items():
            print(f"{args.file}:{document.line(tuple(name.split('.')))}: {name}: {message}", file=sys.stderr)
        return FAILED
    result = analyse(rules, profile)
    if args.json:
        _print_json(result)
    else:
        print(report_markdown(rules, profile, result), end="")
    return OK


def cmd_export(args: argparse.Namespace) -> int:
    """Export the quizzes as QTI, or the built course as a SCORM 1.2 package; what a format cannot hold goes to stderr."""
    if args.format == "qti":
        from quizkit.export.qti import export_qti  # noqa: PLC0415

        course = _course(args)
        if course.problems:
            for problem in course.problems:
                print(problem, file=sys.stderr)
            return FAILED
        package = export_qti(course.compiled_quizzes.values(), version=args.version, title=course.rules.title)
        for skipped in package.skipped:
            print(f"quizkit: {skipped}", file=sys.stderr)
        output = Path(args.output or f"quizzes-qti{args.version.replace('.', '')}.zip")
        package.write(output)
        print(f"{output}: QTI {args.version}, {len(course.compiled_quizzes)} quizzes, "
              f"{len(package.skipped)} question(s) not exported")
        return OK
    from quizkit.export.scorm import ScormError, export_scorm  # noqa: PLC0415

    output = Path(args.output or "course-scorm12.zip")
    try:
        report = export_scorm(Path(args.config), output, mastery_score=args.mastery_score, score=args.score)
    except ScormError as exc:
        print(f"quizkit: {exc}", file=sys.stderr)
        return FAILED
    print(report)
    return OK


def _seed(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 0xFFFFFFFF:  # noqa: PLR2004
        raise argparse.ArgumentTypeError("a seed is a whole number from 0 to 4294967295")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value <= 600:  # noqa: PLR2004 - ten minutes is more than any exercise needs
        raise argparse.ArgumentTypeError("give a number of seconds between 0 and 600")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one subcommand per task."""
    main = argparse.ArgumentParser(prog="quizkit", description="Rules, grading and content checks of the Connects Learning Hub.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--rules", help="rules file to use instead of the course's own")
    common.add_argument("--content", help="content folder (default: $QUIZKIT_CONTENT, else `exercises` at or above here)")
    sub = main.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", parents=[common], help="list exercises and quizzes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)
    p = sub.add_parser("check", parents=[common], help="validate all content")
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("grade", parents=[common], help="grade a solution file (its code runs in a child process with limits)")
    p.add_argument("exercise")
    p.add_argument("file")
    p.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                   help="time the code may run (default: the exercise's own limit, as in the page: 3 s for most)")
    p.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"memory the code may use (default: {DEFAULT_MEMORY_MB} MB)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_grade)
    p = sub.add_parser("rules", parents=[common], help="print the plan rules")
    p.add_argument("--json", action="store_true")
    p.add_argument("--path", action="store_true", help="print the path of the rules file in use")
    p.add_argument("--stale", action="store_true", help="list only the figures not confirmed within --months months")
    p.add_argument("--months", type=int, default=12, help="with --stale: how recent a confirmation must be (default 12)")
    p.set_defaults(run=cmd_rules)
    p = sub.add_parser("quiz", parents=[common], help="take a quiz")
    p.add_argument("quiz")
    p.add_argument("--answers", help="JSON file of answers (question id -> answer) to grade without asking")
    p.add_argument("--seed", type=_seed, help="draw the variants and the option order from this seed (0 to 4294967295); "
                   "with --answers, the seed the answers were given for (default: each question's first variant)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_quiz)
    p = sub.add_parser("profile", parents=[common], help="analyse a profile file (the activity, in the terminal)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_profile)
    p = sub.add_parser("export", help="export the quizzes (QTI) or the course (SCORM 1.2) for an LMS")
    formats = p.add_subparsers(dest="format", required=True)
    q = formats.add_parser("qti", parents=[common], help="every quiz as an IMS QTI content package (zip)")
    q.add_argument("--version", choices=("2.1", "1.2"), default="2.1", help="QTI version (default 2.1; 1.2 holds no "
                   "match or order questions, which are then listed on stderr)")
    q.add_argument("-o", "--output", metavar="FILE", help="the zip to write (default: quizzes-qti21.zip)")
    q.set_defaults(run=cmd_export)
    q = formats.add_parser("scorm", help="the built course as a SCORM 1.2 package (zip, one SCO)")
    q.add_argument("-o", "--output", metavar="FILE", help="the zip to write (default: course-scorm12.zip)")
    q.add_argument("--config", default="mkdocs.yml", help="the MkDocs config to build (default: mkdocs.yml)")
    q.add_argument("--mastery-score", type=int, metavar="0-100",
                   help="score to pass (default: `scorm: mastery_score` of the quizkit plugin; none: completed, not passed)")
    q.add_argument("--score", metavar="QUIZ|all", help="what the score is made of: a quiz id, or `all` quizzes "
                   "(default: `scorm: score` of the quizkit plugin, else `final`)")
    q.set_defaults(run=cmd_export)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return FAILED
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
