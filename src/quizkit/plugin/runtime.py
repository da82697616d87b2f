# Writes the browser runtime into the built site: Pyodide, the quizkit wheel, rules.json.
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from quizkit.model import Rules


def write_runtime(site_dir: Path, rules: Rules, *, pyodide_url: str = "") -> None:
    """Write what exercise pages need under `site_dir/assets/quizkit/`.

    To be completed by the browser-exercises work: copy Pyodide from node_modules
    (unless `pyodide_url` points elsewhere), build and copy the quizkit wheel, write
    the rules as JSON.
    """
    del site_dir, rules, pyodide_url
