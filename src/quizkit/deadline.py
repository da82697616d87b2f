# A time limit on author code graded in this thread at build time: Python's own interrupt when it runs out.
"""`Deadline`: KeyboardInterrupt in this thread once a time limit has passed, as the page's Stop does in Pyodide.

The content check grades every solution, starter and known-wrong attempt in this interpreter
(`quizkit.course`): a child process each would cost it seconds. Code that never ends (a `while`
whose condition never changes) would then hang the check and the build with it, with no word of
which file. The runner already turns an interrupt in learner code into a result and stops calling
it (`runner.observe`), so the limit raises what the page's Stop raises there.

A timer thread raises the interrupt asynchronously (`PyThreadState_SetAsyncExc`, CPython only: this
module is build-time code, never imported by the page's Python), and again every `AGAIN_S` until the
block ends, in case the code caught it. An interrupt not yet raised when the block ends is cleared,
so none fires later in code that has nothing to do with it.
"""

from __future__ import annotations

import ctypes
import threading
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from types import TracebackType

AGAIN_S = 0.05
"""Seconds between interrupts once the limit has passed, until the code gives up the thread."""

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


class Deadline:
    """`with Deadline(seconds) as limit:` the block, interrupted if it runs longer; `limit.expired` says if it did.

    A KeyboardInterrupt of the deadline's own that reaches the end of the block is swallowed there; one that
    comes from elsewhere (the author pressed Ctrl+C) goes on as ever.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._done = False
        self._thread = 0
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Self:
        self._thread = threading.get_ident()
        self._arm(self.seconds)
        return self

    def _arm(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            _set_async_exc(ctypes.c_ulong(self._thread), ctypes.py_object(KeyboardInterrupt))
            self._arm(AGAIN_S)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> bool:
        while True:
            try:
                with self._lock:  # once `_done` is set here, the timer cannot fire again
                    self._done = True
                    if self._timer is not None:
                        self._timer.cancel()
                    if self.expired:
                        _set_async_exc(ctypes.c_ulong(self._thread), None)  # one raised but not yet delivered: never
                break
            except KeyboardInterrupt:  # ours, delivered just before it could be cleared: again, to be sure of it
                if not self.expired:
                    raise
        return self.expired and kind is KeyboardInterrupt
