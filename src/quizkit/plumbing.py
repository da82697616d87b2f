# What of a notebook cell is plumbing around `check()`, not the learner's answer.
"""Find and blank the statements of a cell (or file) that only serve `check()`.

`check` grades the whole cell that defines a function, and the code graded runs where there
is no `check`: a statement that calls it would stop the answer with a NameError. Plumbing is
a top-level import of `quizkit.notebook`, and any top-level statement that calls `check` (or
an alias it was imported as, or `something.check`) or IPython's `get_ipython()` (a magic such as
`%time`, as IPython runs it), or reads a name such a statement bound:
`result = check(...)`, `print(check(...))`, `result.status`. A compound statement (`if
__name__ == "__main__":`, `for`, `try`...) whose every statement is plumbing is plumbing as a
whole; one that only partly is keeps the rest, imports included (code may expect them to
fail where it is graded: `except ImportError`). An `elif` whose test serves `check` goes with
the rest of its chain (`elif check(...): ... else: ...`), as an `if` would. Function and class bodies are the learner's:
a variable called `check` in them is left alone. Standard library only.
"""

from __future__ import annotations

import ast

NOTEBOOK_MODULE = "quizkit.notebook"

_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar, ast.Match)
_Blank = tuple[ast.stmt, bool]
"""A statement to blank, and whether `pass` must stand in for it (the last statement of a block that stays)."""


def without_plumbing(text: str) -> str:
    """`text` with notebook plumbing blanked out, keeping every other line where it was.

    Text Python cannot parse is returned as it is: grading it reports the error at its line.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text
    cell = _Cell(tree)
    blanks: list[_Blank] = []
    for node in tree.body:
        whole, partly = cell.plumbing(node)
        blanks.extend([(node, False)] if whole else partly)
    return _blanked(text, blanks)


def imports_notebook(node: ast.stmt) -> bool:
    """Whether `node` is `from quizkit.notebook import ...` or `import quizkit.notebook`."""
    if isinstance(node, ast.ImportFrom):
        return node.module == NOTEBOOK_MODULE and node.level == 0
    return isinstance(node, ast.Import) and any(alias.name == NOTEBOOK_MODULE for alias in node.names)


class _Cell:
    """The names that call `check` in one cell, and those that plumbing bound so far (in the order the code runs)."""

    def __init__(self, tree: ast.Module) -> None:
        self.checks = {"check"} | {alias.asname for node in tree.body if isinstance(node, ast.ImportFrom)
                                   and imports_notebook(node) for alias in node.names
                                   if alias.name == "check" and alias.asname}
        self.bound: set[str] = set()

    def plumbing(self, node: ast.stmt) -> tuple[bool, list[_Blank]]:
        """(whether `node` is plumbing as a whole, what to blank in it where it is kept)."""
        if isinstance(node, ast.Import | ast.ImportFrom):
            return imports_notebook(node), []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return False, []
        if isinstance(node, _COMPOUND) and not self._header_serves(node):
            return self._compound(node)
        if self._serves(node):
            self.bound.update(_stored(node))
            return True, []
        return False, []

    def _compound(self, node: ast.stmt) -> tuple[bool, list[_Blank]]:
        """A block whose header serves no `check`: plumbing as a whole when every statement of every body is."""
        whole, partly = True, []
        for body in _bodies(node):
            if len(body) == 1 and _is_elif(node, body[0]):
                is_whole, inner = self._elif(body[0])
                whole = whole and is_whole
                partly.extend(inner)
                continue
            found = [(statement, *self.plumbing(statement)) for statement in body]
            whole = whole and all(is_whole for _, is_whole, _ in found)
            # An import stays in a block that stays: the code around it may expect it to fail (`except ImportError`).
            blank = [is_whole and not isinstance(statement, ast.Import | ast.ImportFrom) for statement, is_whole, _ in found]
            for index, ((statement, is_whole, inner), blanked) in enumerate(zip(found, blank, strict=True)):
                if blanked:
                    partly.append((statement, all(blank) and index == 0))
                elif not is_whole:
                    partly.extend(inner)
        if whole:
            self.bound.update(_stored(node))
        return whole, partly

    def _elif(self, node: ast.stmt) -> tuple[bool, list[_Blank]]:
        """An `elif`: blanked from `elif` to the end of its chain when its test serves `check`, else its bodies' plumbing.

        Its test runs only where the learner's do not hold: kept, `elif check(...)` stopped the graded code
        with a NameError. One whose test serves nothing keeps it (an `elif` cannot be blanked alone).
        """
        serves = self._header_serves(node)
        whole, inner = self.plumbing(node)
        return whole, [(node, False)] if serves else inner

    def _header_serves(self, node: ast.stmt) -> bool:
        """Whether what a statement runs besides its bodies (an `if`'s test, a `for`'s iterable) serves `check`."""
        return any(self._serves(part) for part in _header(node))

    def _serves(self, node: ast.AST) -> bool:
        """Whether `node` calls `check` or `get_ipython`, or reads a name plumbing bound.

        IPython runs a magic (`%time`, `!ls`, `f?`) as a `get_ipython()...` call, which cannot run where code is graded.
        """
        for part in ast.walk(node):
            if isinstance(part, ast.Call) and (
                    (isinstance(part.func, ast.Name) and part.func.id in {*self.checks, "get_ipython"})
                    or (isinstance(part.func, ast.Attribute) and part.func.attr == "check")):
                return True
            if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Load) and part.id in self.bound:
                return True
        return False


def _header(node: ast.stmt) -> list[ast.AST]:
    """What a compound statement runs besides its bodies: a test, an iterable, the items of a `with`."""
    return [child for child in ast.iter_child_nodes(node)
            if not isinstance(child, ast.stmt | ast.excepthandler | ast.match_case)]


def _bodies(node: ast.stmt) -> list[list[ast.stmt]]:
    """A compound statement's blocks of statements, each not empty."""
    bodies = [getattr(node, name, []) for name in ("body", "orelse", "finalbody")]
    bodies += [handler.body for handler in getattr(node, "handlers", [])]
    bodies += [case.body for case in getattr(node, "cases", [])]
    return [body for body in bodies if body]


def _is_elif(parent: ast.stmt, child: ast.stmt) -> bool:
    """Whether `child` is the `elif` of `parent` (it starts at the `elif`, where a nested `if` would be indented)."""
    return isinstance(parent, ast.If) and isinstance(child, ast.If) and child.col_offset == parent.col_offset


def _stored(node: ast.AST) -> set[str]:
    return {part.id for part in ast.walk(node) if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Store)}


def _blanked(text: str, blanks: list[_Blank]) -> str:
    """`text` with each statement of `blanks` made an empty line, or `pass` where the block or the line needs one.

    Offsets are in UTF-8 bytes, as `ast` counts them; lines are split where Python splits them.
    """
    lines = text.encode("utf-8", "surrogatepass").splitlines(keepends=True)
    for node, needs_pass in sorted(blanks, key=lambda blank: (blank[0].lineno, blank[0].col_offset), reverse=True):
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        before, after = lines[first][:node.col_offset], lines[last][node.end_col_offset or 0:]
        alone = not before.strip() and (not after.strip() or after.lstrip().startswith(b"#"))
        lines[first:last + 1] = [b"\n" if alone and not needs_pass else before + b"pass" + after] + [b"\n"] * (last - first)
    return b"".join(lines).decode("utf-8", "surrogatepass")
