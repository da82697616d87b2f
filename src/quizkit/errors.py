# Errors shared by the core: content faults carry where they happened.
from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]
"""Where a value sits in a content document: keys and list indexes from the root."""


class QuizkitError(Exception):
    """Base class of every error quizkit raises on purpose."""


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with authored content, located as precisely as we know."""

    message: str
    file: str = "<data>"
    line: int = 0
    path: Path = ()

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(QuizkitError):
    """Authored content (rules, exercises, quizzes) is invalid.

    Raised by `from_data` constructors with a `path` into the document; the YAML
    loader turns that path into a file and line so authors see `file:line: message`.
    """

    def __init__(self, message: str, *, path: Path = (), file: str = "<data>", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.file = file
        self.line = line

    def problem(self) -> ContentProblem:
        """This error as a located problem."""
        return ContentProblem(self.message, self.file, self.line, self.path)

    def __str__(self) -> str:
        return str(self.problem())


def at(path: Path, error: ContentError) -> ContentError:
    """Prefix `path` to an error raised for a nested document."""
    return ContentError(error.message, path=(*path, *error.path), file=error.file, line=error.line)
