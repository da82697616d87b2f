# The `quizkit` command: list, check, grade, rules, quiz (and profile, with the activity).
"""Command line interface: list, check, grade, rules, quiz, profile.

Exit codes: 0 ok, 1 failed or invalid content, 2 usage error (a bad option, a missing or
unreadable input file, an output that cannot be written), 130 (128 + SIGINT, the shell's code)
when interrupted (Ctrl-C), 141 (128 + SIGPIPE, as a killed process reports it) when the reader
of the output went away (`quizkit list | head`). Content problems are printed as
`file:line: message`, never as a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from quizkit.course import Course, check_course
from quizkit.errors import ContentError
from quizkit.exercise import LESSONS
from quizkit.inputs import (
    MAX_INPUT_BYTES,
    MAX_SOURCE_BYTES,
    UsageError,
    read_answers,
    read_bytes,
    readable,
    utf8,
    warn_unread,
)
from quizkit.isolate import DEFAULT_MEMORY_MB, Limits, grade_isolated
from quizkit.load import DEFAULT_RULES
from quizkit.model import figure_as_dict
from quizkit.quiz import grade_attempt, presented
from quizkit.terminal import visible
from quizkit.typed import FIGURE_MARK

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from quizkit.grader import Grade

OK, FAILED, USAGE = 0, 1, 2
INTERRUPTED = 128 + 2
"""The shell's code for a process ended by SIGINT (Ctrl-C): an interrupt is no usage error."""
BROKEN_PIPE = 128 + 13
"""The shell's code for a process ended by SIGPIPE: what `quizkit list | head` gives when `head` stops reading."""
MIN_MEMORY_MB, MAX_MEMORY_MB = 32, 16384
"""`grade --memory` bounds. A correct solution's child needs about 17 MB of address space (Python 3.11 on Linux,
every exercise's solution: 16 MB crashes the interpreter before the learner's code runs); 32 MB leaves room for
other Pythons and platforms. Above 16 GB no exercise needs more, and the limit in bytes must fit the system's."""
DEFAULT_STALE_MONTHS = 12
"""`rules --stale`: a figure not confirmed within this many months is listed."""


def _rules_path(args: argparse.Namespace) -> Path | None:
    return readable(args.rules) if args.rules else None


def _course(args: argparse.Namespace) -> Course:
    return Course.load(_content(args), _rules_path(args))


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
    items.sort(key=lambda item: (item["kind"] != "exercise", _lesson_place(item)))  # the course's order
    if args.json:
        _print_json(items)
        return OK
    width = max((len(str(item["id"])) for item in items), default=0)
    title_width = max((len(str(item["title"])) for item in items), default=0)
    for item in items:
        print(f"{item['kind']:<9} {item['id']:<{width}}  {item['title']:<{title_width}}  {_from_here(str(item['file']))}")
    print()
    print("Grade your code for an exercise: quizkit grade EXERCISE-ID FILE.py")
    print("Take a quiz in the terminal: quizkit quiz QUIZ-ID")
    return OK


def _lesson_place(item: Mapping[str, object]) -> int:
    """Where an exercise's lesson area, or a lesson's quiz, comes in the course (`exercise.LESSONS`); the rest last."""
    key = item["lesson"] if item["kind"] == "exercise" else item["id"]
    return LESSONS.index(str(key)) if key in LESSONS else len(LESSONS)


def _from_here(path: str) -> str:
    """`path` relative to the working folder where it is inside it (shorter to read and to type), else as it is."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


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
        source = utf8(read_bytes(args.file, most=MAX_SOURCE_BYTES, what="a program to grade"))
    except UnicodeDecodeError as exc:
        print(f"quizkit: {args.file} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
              "save it as UTF-8", file=sys.stderr)
        return USAGE
    limits = Limits(seconds=args.timeout or exercise.timeout_s, memory_mb=args.memory)
    result = grade_isolated(exercise, source, course.rules, limits)
    if args.json:
        _print_json(result.to_data())
    else:
        _print_grade(result)
    return OK if result.passed else FAILED


def _print_grade(result: Grade) -> None:
    """A grade for the terminal: what the code printed set apart, then the checks, then the verdict in words.

    Everything the code made (its output, its error, values in messages) is shown with control characters
    escaped: printed raw, they could draw a verdict and hide the real one (an escape sequence that conceals
    what follows). The status word stays first on the last line, for scripts, and no other line starts with
    learner text: the output and the error are indented (an exception's last line is `ClassName: text`, and
    a class can be called `passed`).
    """
    if result.output:
        print("Your code printed:")
        print("\n".join(f"  | {visible(line)}" for line in result.output.rstrip("\n").split("\n")))
    if result.error:
        print("\n".join(f"  {line}" for line in visible(result.error.traceback or result.error.message).split("\n")))
    for check in result.checks:
        print(f"{'PASS' if check.passed else 'FAIL'} {check.id}: {visible(check.message)}")
        if check.misconception:
            print(f"     {visible(check.misconception)}")
    if result.internal:
        print(f"internal error: {visible(result.internal)}")
    # On a page the marker links to the reference page: the terminal says once what it means.
    mark = next((found for check in result.checks if (found := FIGURE_MARK.search(check.message))), None)
    if mark is not None:
        # Not indented: under the last check it read as that check's message.
        print(f"Note: {mark.group(0)} after an answer is the month its figure was last confirmed, and how sure the "
              "course is of it (`quizkit rules` lists them).")
    print(f"{result.status}: {_verdict_words(result)}")


def _verdict_words(result: Grade) -> str:
    """The last line's words after the status: `3 of 3 checks passed`, `your code stopped with an error`."""
    if result.status in ("passed", "failed"):
        passed = sum(check.passed for check in result.checks)
        return f"{passed} of {len(result.checks)} checks passed"
    return {"error": "your code stopped with an error before it could be checked (see above)",
            "timeout": "your code ran out of time before it could be checked (see above)",
            "internal_error": "a fault in the course's grader, not in your code"}.get(result.status, "")


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the rules, or the path of the rules file in use."""
    path = _rules_path(args) or DEFAULT_RULES
    if args.path:
        print(path.resolve())
        return OK
    from quizkit.load import load_rules  # noqa: PLC0415

    rules = load_rules(path)
    figures = rules.figures
    if args.stale or args.months is not None:  # `--months N` alone asks for the same list: it has no other meaning
        from datetime import date  # noqa: PLC0415

        from quizkit.model import stale_figures  # noqa: PLC0415

        months = DEFAULT_STALE_MONTHS if args.months is None else args.months
        figures = {f.id: f for f in stale_figures(rules, date.today(), months)}  # noqa: DTZ011 - the maintainer's day
        if not args.json:
            print(f"{len(figures)} figure(s) not confirmed within {months} months (oldest first):")
    if args.json:
        _print_json({"title": rules.title, "figures": {fid: figure_as_dict(f) for fid, f in figures.items()}})
        return OK
    for fid, figure in figures.items():
        value = figure.none_means if figure.value is None else figure.value
        mark = "" if figure.in_article else "  (beyond the article)"
        print(f"{fid:<42} {value!s:<24} {figure.source}, {figure.as_of}, {figure.confidence} confidence{mark}")
    return OK


def _letters(count: int) -> list[str]:
    return [chr(ord("a") + i) for i in range(count)]


def _marks(question: Mapping[str, Any], *places: str) -> list[dict[str, str]]:
    """The figure markers a compiled question carries for `places` ("question": after its stem; "answer")."""
    figures = question.get("figures")
    return [f for f in figures if isinstance(f, dict) and f.get("place") in places] if isinstance(figures, list) else []


def _ask(question: dict[str, Any], read: Callable[[str], str], seed: int) -> object:
    """Ask one question as `presented` shows it; options and items are lettered in the order shown.

    The markers of labelled figures the stem or options show follow the stem, as on the page: `(Oct 2023 · medium)`.
    An answer that cannot be read is asked again; an empty one skips the question (None: not answered).
    """
    print(f"\n{question['text']}" + "".join(f" ({mark['text']})" for mark in _marks(question, "question")))
    kind = question["type"]
    if kind == "match":
        return _ask_match(question, read)
    if kind in ("single", "multiple"):
        letters = dict(zip(_letters(len(question["options"])), question["options"], strict=True))
        for letter, option in letters.items():
            print(f"  {letter}) {option['text']}")
        # The page says "Select all that apply." under such a question; how many are right is not told.
        how = "one letter" if kind == "single" else "select all that apply: their letters, comma-separated"
        prompt = f"answer ({how}): "

        def parse(raw: str) -> object:
            picks = [letters[p].get("id") if p in letters else p for p in _parts(raw)]
            return picks[0] if kind == "single" and len(picks) == 1 else picks
    elif kind == "order":
        letters = dict(zip(_letters(len(question["items"])), question["items"], strict=True))
        for letter, item in letters.items():
            print(f"  {letter}) {item['text']}")
        prompt = "letters in order, comma-separated: "

        def parse(raw: str) -> object:
            return [letters[p]["id"] if p in letters else p for p in _parts(raw)]
    elif kind == "true_false":
        prompt = "true or false: "

        def parse(raw: str) -> object:
            return {"t": True, "true": True, "f": False, "false": False}.get(raw.lower())
    else:
        prompt = f"number{' (' + question['unit'] + ')' if question.get('unit') else ''}: "

        def parse(raw: str) -> object:
            return raw
    return _read_until(read, prompt, parse, lambda answer: _readable(question, answer, seed), _expected(question))


def _ask_match(question: dict[str, Any], read: Callable[[str], str]) -> dict[str, str]:
    """A match question, one item at a time: a letter no choice has is asked again; an empty one skips the item."""
    choices = dict(zip(_letters(len(question["choices"])), question["choices"], strict=True))
    print("  choices: " + "; ".join(f"{letter}) {c['text']}" for letter, c in choices.items()))
    matched = {}
    for item in question["items"]:
        pick = _read_until(read, f"  {item['text']} -> letter: ", str.lower, choices.__contains__,
                           f"one of the letters {_span(choices)}")
        if pick is not None:
            matched[item["id"]] = choices[str(pick)]["id"]
    return matched


def _read_until(read: Callable[[str], str], prompt: str, parse: Callable[[str], object],
                readable: Callable[[object], bool], expected: str) -> object:
    """The answer typed after `prompt`, asked again until it can be read; None when the reader types nothing.

    An answer that could not be read (a letter no option has, `a hundred` for a number) counted as not answered and
    the quiz went on: the reader lost the point to a typo, and learned it only at the end.
    """
    while True:
        raw = read(prompt).strip()
        if not raw:
            return None
        answer = parse(raw)
        if readable(answer):
            return answer
        print(f"  Type {expected}, or press Enter to skip it.")


def _readable(question: Mapping[str, Any], answer: object, seed: int) -> bool:
    """Whether the quiz's grading reads `answer` (right or wrong), rather than counting it as not answered."""
    graded = grade_attempt({"id": "", "questions": [question]}, {question["id"]: answer}, seed=seed)
    return graded.questions[0].answered


def _parts(raw: str) -> list[str]:
    return [part for part in (part.strip().lower() for part in raw.split(",")) if part]


def _span(letters: Mapping[str, object]) -> str:
    """`a to d`: the letters shown."""
    shown = list(letters)
    return f"{shown[0]} to {shown[-1]}" if len(shown) > 1 else shown[0]


def _expected(question: Mapping[str, Any]) -> str:
    """What to type for a question whose answer could not be read, after "Type"."""
    kind = question["type"]
    if kind == "single":
        return f"one of the letters {_span(dict.fromkeys(_letters(len(question['options']))))}"
    if kind == "multiple":
        return f"letters from {_span(dict.fromkeys(_letters(len(question['options']))))}, with commas between them"
    if kind == "order":
        return (f"each of the letters {_span(dict.fromkeys(_letters(len(question['items']))))} once, in order, "
                "with commas between them")
    if kind == "true_false":
        return "true or false (or t or f)"
    return "a number in digits, with a point or a comma for decimals (for example 13.50 or 13,50)"  # as the page says


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
        answers = read_answers(args.answers, compiled)
    else:
        if seed is None:
            seed = secrets.randbits(32)
        print(f"{compiled['title']} (seed {seed}: run with --seed {seed} to get the same numbers and order)")
        answers = _take(compiled, seed)
    result = grade_attempt(compiled, answers, seed=seed)
    if args.answers:
        warn_unread(args.answers, compiled, answers, result, seed)
    questions = {q["id"]: q for q in compiled["questions"]}
    if args.json:
        data = result.to_data()
        for item in data["questions"]:
            item["figures"] = questions[item["id"]].get("figures", [])
        _print_json(data)
    else:
        # After the explanation, as on the page; with --answers no stem was shown, so its markers come here too.
        places = ("question", "answer") if args.answers else ("answer",)
        # In the order asked, by number: the learner saw neither the ids nor the quiz's own order.
        order = [question["id"] for question in (presented(compiled, seed) if seed is not None else compiled["questions"])]
        by_id = {item.id: item for item in result.questions}
        for number, question_id in enumerate(order, 1):
            item = by_id[question_id]
            verdict = "right" if item.correct else ("not answered" if not item.answered else "wrong")
            print(" ".join([f"Question {number}: {verdict}.", *(text for text in (item.feedback, item.explanation) if text)]))
            marks = _marks(questions[item.id], *places)
            if marks:
                print("   " + "; ".join(f"{mark['label']} ({mark['text']})" for mark in marks))
            if not item.correct:  # the page's "Review:" link, under the feedback
                print(f"   Review: {_section(course, item.section)}")
        print(f"score: {result.score}/{result.total}")
    return OK if result.score == result.total else FAILED


def _section(course: Course, section: str) -> str:
    """A question's lesson section in words: `Lesson 1: ..., section “When your Connects arrive” (docs/lessons/...#refills)`.

    The page links "Review: <heading>" there; the terminal gave no section at all. The heading is found by its
    `{#anchor}` in the lesson page beside the content folder (as `workbooks.page_order` finds it); without it, the path.
    """
    path, _, anchor = section.partition("#")
    where = f"docs/{section}"
    try:
        text = (course.root.parent / "docs" / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return where
    title = re.search(r"^# (.+?)(?: \{[^}]*\})?$", text, re.MULTILINE)
    heading = re.search(rf"^#+ (.+?) \{{#{re.escape(anchor)}\b[^}}]*\}}$", text, re.MULTILINE) if anchor else None
    words = [title.group(1)] if title else []
    if heading:
        words.append(f"section “{heading.group(1)}”")
    return f"{', '.join(words)} ({where})" if words else where


def _take(compiled: Mapping[str, Any], seed: int) -> dict[str, object]:
    """Ask each question in the terminal; when the input ends, the answers given so far (the rest are not answered)."""
    questions = presented(compiled, seed)
    answers: dict[str, object] = {}
    try:
        for number, question in enumerate(questions, 1):
            print(f"\nQuestion {number} of {len(questions)}", end="")  # `_ask` starts the stem on a new line
            answers[question["id"]] = _ask(question, _answer, seed)
    except EOFError:
        print()  # ends the prompt's line
        print(f"quizkit: input ended after {len(answers)} of {len(questions)} questions; the rest count as not answered",
              file=sys.stderr)
    return answers


def _answer(prompt: str = "") -> str:
    """`input`, except that a Ctrl-C which comes as the prompt goes out still interrupts.

    `input` flushes its prompt and drops whatever the flush raised, KeyboardInterrupt included (CPython's
    `builtin_input`): the reader's Ctrl-C was lost there and the quiz went on waiting for an answer. Where Python
    started with its stdin closed (`sys.stdin` is None), the input has ended at once. An answer that comes from a
    file or a pipe is shown after its prompt, as a terminal echoes what the reader types.
    """
    print(prompt, end="", flush=True)
    line = _read_line(sys.stdin) if sys.stdin is not None else ""
    if not line:
        raise EOFError
    answer = line.removesuffix("\n").removesuffix("\r")  # a file written on Windows ends its lines in \r\n
    if not sys.stdin.isatty():
        print(answer)
    return answer


def _read_line(stream: TextIO) -> str:
    """A line of `stream`; bytes that are not text in its encoding become U+FFFD, an answer that matches nothing.

    Read strictly (a UTF-8 locale's stdin), one such byte ended the quiz with a traceback.
    """
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream with no bytes under it (a StringIO)
        return stream.readline()
    return buffer.readline().decode(stream.encoding or "utf-8", errors="replace")  # type: ignore[no-any-return]


def cmd_profile(args: argparse.Namespace) -> int:
    """Analyse a profile file: the same analysis as the activity page."""
    from quizkit.analysis import ProfileInputError, analyse, read_profile, report_markdown  # noqa: PLC0415
    from quizkit.load import load_rules, read_yaml  # noqa: PLC0415

    rules_path, profile_path = _rules_path(args), readable(args.file, most=MAX_INPUT_BYTES, what="a profile")
    rules = load_rules(rules_path)
    document = read_yaml(profile_path)
    try:
        profile = read_profile(rules, document.data)  # it bounds `today` too: a projection must stay within the calendar
        result = analyse(rules, profile)
    except ProfileInputError as exc:
        for name in exc.errors:
            print(f"{args.file}:{document.line(tuple(name.split('.')))}: {exc.problem(name)}", file=sys.stderr)
        return FAILED
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
        try:
            package.write(output)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
        print(f"{output}: QTI {args.version}, {len(course.compiled_quizzes)} quizzes, "
              f"{len(package.skipped)} question(s) not exported")
        return OK
    from quizkit.export.scorm import ScormError, export_scorm  # noqa: PLC0415

    output = Path(args.output or "course-scorm12.zip")
    if output.is_dir():  # before the build, which takes a while
        raise UsageError(f"cannot write {output}: Is a directory")
    config = readable(args.config)
    try:
        report = export_scorm(config, output, mastery_score=args.mastery_score, score=args.score)
    except ScormError as exc:
        print(f"quizkit: {exc}", file=sys.stderr)
        return FAILED
    except OSError as exc:  # the package itself (the build's own faults are a ScormError)
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(report)
    return OK


def _number(text: str, kind: Callable[[str], float], low: float, high: float, message: str) -> float:
    """An option's number, or argparse's usage error (exit 2) with `message` for text that is not one or is out of range."""
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{message}, not {text!r}")
    return value


def _seed(text: str) -> int:
    return int(_number(text, int, 0, 0xFFFFFFFF, "a seed is a whole number from 0 to 4294967295"))


def _seconds(text: str) -> float:
    # Ten minutes is more than any exercise needs; above zero: float("nan") fails both comparisons.
    value = _number(text, float, 0, 600, "give a number of seconds above 0 and at most 600")
    if value == 0:
        raise argparse.ArgumentTypeError(f"give a number of seconds above 0 and at most 600, not {text!r}")
    return value


def _memory(text: str) -> int:
    return int(_number(text, int, MIN_MEMORY_MB, MAX_MEMORY_MB,
                       f"give a whole number of MB from {MIN_MEMORY_MB} to {MAX_MEMORY_MB} (below {MIN_MEMORY_MB}, "
                       "Python itself may not start)"))


def _months(text: str) -> int:
    return int(_number(text, int, 1, float("inf"), "give a whole number of months, 1 or more"))


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one subcommand per task."""
    main = argparse.ArgumentParser(prog="quizkit", description="Rules, grading and content checks of the Connects Learning Hub.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--rules", help="rules file to use instead of the course's own")
    common.add_argument("--content", help="content folder (default: $QUIZKIT_CONTENT, else `exercises` at or above here)")
    sub = main.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", parents=[common], help="list exercises and quizzes")
    p.add_argument("--json", action="store_true", help="print them as JSON: kind, id, title, lesson, file")
    p.set_defaults(run=cmd_list)
    p = sub.add_parser("check", parents=[common], help="validate all content")
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("grade", parents=[common], help="grade a solution file (its code runs in a child process with limits)")
    p.add_argument("exercise", help="the exercise's id (see `quizkit list`)")
    p.add_argument("file", help="the Python file to grade")
    p.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                   help="time the code may run (default: the exercise's own limit, as in the page: 3 s for most)")
    p.add_argument("--memory", type=_memory, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"memory the code may use, {MIN_MEMORY_MB} to {MAX_MEMORY_MB} (default: {DEFAULT_MEMORY_MB} MB)")
    p.add_argument("--json", action="store_true", help="print the grade as JSON: status, output, error, each check")
    p.set_defaults(run=cmd_grade)
    p = sub.add_parser("rules", parents=[common], help="print the plan rules")
    p.add_argument("--json", action="store_true", help="print the figures as JSON, every field (confidence too)")
    p.add_argument("--path", action="store_true", help="print the path of the rules file in use")
    p.add_argument("--stale", action="store_true", help="list only the figures not confirmed within --months months")
    p.add_argument("--months", type=_months, metavar="N", help="how recent a confirmation must be, in months "
                   f"(default {DEFAULT_STALE_MONTHS}); implies --stale")
    p.set_defaults(run=cmd_rules)
    p = sub.add_parser("quiz", parents=[common], help="take a quiz")
    p.add_argument("quiz", help="the quiz's id (see `quizkit list`)")
    p.add_argument("--answers", help="JSON file of answers (question id -> answer) to grade without asking")
    p.add_argument("--seed", type=_seed, help="draw the variants and the option order from this seed (0 to 4294967295); "
                   "with --answers, the seed the answers were given for (default: each question's first variant)")
    p.add_argument("--json", action="store_true", help="print the result as JSON: score, each question's verdict, "
                   "feedback and figure markers")
    p.set_defaults(run=cmd_quiz)
    p = sub.add_parser("profile", parents=[common], help="analyse a profile file (the activity, in the terminal)")
    p.add_argument("file", help="the profile, a YAML or JSON file (see exercises/profiles/example.yml)")
    p.add_argument("--json", action="store_true", help="print the analysis as JSON, as the activity page computes it")
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
        code = int(args.run(args))
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more, and point stdout at devnull so the flush at
        # exit does not fail again (Python docs, "Note on SIGPIPE").
        with contextlib.suppress(OSError, ValueError, AttributeError):  # not a real file (tests): nothing to redirect
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, sys.stdout.fileno())
            finally:
                os.close(devnull)
        return BROKEN_PIPE
    except UsageError as exc:
        print(f"quizkit: {exc}", file=sys.stderr)
        return USAGE
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        # After the `^C` a terminal echoes, on a line of its own.
        print(f"{_line_break_on_a_terminal()}quizkit: interrupted", file=sys.stderr)
        return INTERRUPTED
    return code


def _line_break_on_a_terminal() -> str:
    """A line break when stderr is a terminal (its cursor may be after a prompt or an echoed `^C`), else nothing."""
    try:
        return "\n" if sys.stderr.isatty() else ""
    except (AttributeError, ValueError):  # no stderr, or a closed one
        return ""


if __name__ == "__main__":
    sys.exit(main())
