# The files the command line reads: what cannot be read is refused in one line, before it is read.
"""Input files of `quizkit` commands: a program to grade, a quiz's answers, a profile, a rules file.

Each is refused with a `UsageError` (`quizkit: cannot read FILE: why`, exit 2) when it is missing, is
not a regular file (a named pipe waits for a writer for good, `/dev/zero` never ends) or is larger than
its kind ever is. Text is read as Python and JSON read a file: UTF-8, with or without a byte order mark
(Notepad writes one). Standard library only.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit.quiz import variant
from quizkit.terminal import visible

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from quizkit.quiz import QuizResult

MB = 2**20
MAX_SOURCE_BYTES = 10 * MB
"""`grade`: the largest program read. The longest solution is a few KB: no program a learner writes comes near."""
MAX_INPUT_BYTES = 4 * MB
"""`quiz --answers` and `profile`: the largest file read (the example profile is about 2 KB; a 33 MB one took
more than 30 s and 1.5 GB before it was refused)."""

_SHOWN = 40
"""The most characters of an unread answer a warning shows."""

_NOT_FILES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "Is a directory"),
    (stat.S_ISFIFO, "Is a named pipe (FIFO), not a file"),
    (stat.S_ISCHR, "Is a character device, not a file"),
    (stat.S_ISBLK, "Is a block device, not a file"),
    (stat.S_ISSOCK, "Is a socket, not a file"),
)
"""What a path that is not a regular file is, in the words of `strerror` ("Is a directory")."""


class UsageError(Exception):
    """Bad input on the command line (a missing file, an output that cannot be written): `quizkit: message`, exit 2."""


def readable(name: str, *, most: int | None = None, what: str = "") -> Path:
    """The path of an input file that another reader reads (a profile, a rules file), or a `UsageError` saying why not.

    Args:
        name: The file as the command line names it.
        most: Its largest size in bytes, if it has one.
        what: What it is, for the message of one too large (`a profile`).
    """
    path = Path(name)
    try:
        _check(name, path.stat(), most, what)
        with path.open("rb"):
            pass
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    return path


def read_bytes(name: str, *, most: int, what: str) -> bytes:
    """The bytes of an input file of at most `most` bytes, or a `UsageError` saying why not.

    The file is opened without waiting and checked once open: a named pipe put in its place after a check
    would otherwise block the open.
    """
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            _check(name, os.fstat(fd), most, what)
        except BaseException:
            os.close(fd)
            raise
        with open(fd, "rb") as file:  # noqa: PTH123 - a descriptor, not a path
            data = file.read(most + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > most:  # it grew after the check
        raise UsageError(_too_large(name, len(data), most, what))
    return data


def utf8(data: bytes) -> str:
    """`data` as text, as Python and JSON read a file: UTF-8, with or without a byte order mark, which is left out.

    Raises:
        UnicodeDecodeError: Not UTF-8; its offsets count in `data`, the mark included.
    """
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        skipped = len(data) - len(body)
        raise UnicodeDecodeError(exc.encoding, data, exc.start + skipped, exc.end + skipped, exc.reason) from None


def _check(name: str, info: os.stat_result, most: int | None, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        why = next((words for test, words in _NOT_FILES if test(info.st_mode)), "Is not a regular file")
        raise UsageError(f"cannot read {name}: {why}")
    if most is not None and info.st_size > most:
        raise UsageError(_too_large(name, info.st_size, most, what))


def _too_large(name: str, size: int, most: int, what: str) -> str:
    return f"cannot read {name}: File too large ({size / MB:.1f} MB; {what} may be at most {most // MB} MB)"


# ---------------------------------------------------------------- quiz answers


def read_answers(name: str, compiled: Mapping[str, Any]) -> dict[str, Any]:
    """The answers file of `quiz --answers`: a JSON object of question id -> answer; ids the quiz lacks are warned of."""
    try:
        text = utf8(read_bytes(name, most=MAX_INPUT_BYTES, what="an answers file"))
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read answers from {name}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                         f"offset {exc.start}); save it as UTF-8") from None
    try:
        answers = json.loads(text, parse_int=_whole_number)
    except RecursionError:
        raise UsageError(f"cannot read answers from {name}: nested too deeply") from None
    except ValueError as exc:
        raise UsageError(f"cannot read answers from {name}: {exc}") from None
    ids = [q["id"] for q in compiled["questions"]]
    if not isinstance(answers, dict):
        kind = {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(type(answers), "a number")
        raise UsageError(f"{name}: expected a JSON object of question id -> answer, like {{\"{ids[0] if ids else 'id'}\": "
                         f"...}}, got {kind}")
    unknown = [key for key in answers if key not in ids]
    if unknown:
        print(f"quizkit: warning: {name}: no question {', '.join(map(repr, unknown))} in quiz '{compiled['id']}' "
              f"(ignored); its questions: {', '.join(ids)}", file=sys.stderr)
    return answers


def _whole_number(text: str) -> int:
    """A whole number of an answers file; one past Python's limit on digits is too long, said without Python's advice."""
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"a number of {len(text.lstrip('-'))} digits is too long") from None


def warn_unread(name: str, compiled: Mapping[str, Any], answers: Mapping[str, Any], result: QuizResult,
                seed: int | None) -> None:
    """Warn of each answer given that could not be read (`"maybe"` for true or false), saying what was expected.

    It counts as not answered, as in the page; an answer left empty (null, "", [], {}) is not warned of.
    """
    questions = {q["id"]: q for q in compiled["questions"]}
    for item in result.questions:
        given = answers.get(item.id)
        if item.answered or given is None or (isinstance(given, str | list | dict) and not given):
            continue
        shown = json.dumps(given, ensure_ascii=False)
        shown = visible(shown if len(shown) <= _SHOWN else shown[:_SHOWN - 3] + "...")
        print(f"quizkit: warning: {name}: could not read the answer to {item.id!r} ({shown}): "
              f"{_expected(variant(questions[item.id], seed)[1])}; counted as not answered", file=sys.stderr)


def _expected(question: Mapping[str, Any]) -> str:
    """What an answers file must give for `question`: `true or false expected`, `one option id expected (a, b)`."""
    def ids(key: str) -> str:
        return ", ".join(str(part["id"]) for part in question.get(key, ()))

    kind = question["type"]
    if kind == "single":
        return f"one option id expected ({ids('options')})"
    if kind == "multiple":
        return f"a list of option ids expected ({ids('options')})"
    if kind == "true_false":
        return "true or false expected"
    if kind == "match":
        return f"an object of item id -> choice id expected (items {ids('items')}; choices {ids('choices')})"
    if kind == "order":
        return f"a list of every item id, in order, expected ({ids('items')})"
    return "a number expected"
