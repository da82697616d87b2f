"""`quizkit.deadline`: author code that never ends is interrupted at its limit, and nothing of it fires later."""

from __future__ import annotations

import threading
import time

import pytest

from quizkit.deadline import AGAIN_S, Deadline


def endless() -> None:
    while True:
        pass


def test_a_loop_is_interrupted_once_its_time_is_up() -> None:
    began = time.monotonic()
    with Deadline(0.2) as limit:
        endless()
    assert limit.expired
    assert time.monotonic() - began >= 0.2


def test_code_that_catches_the_interrupt_is_interrupted_again_until_it_gives_up() -> None:
    caught = 0

    def stubborn() -> None:
        nonlocal caught
        while True:
            try:
                endless()
            except KeyboardInterrupt:
                caught += 1
                if caught == 3:
                    return

    with Deadline(0.1) as limit:
        stubborn()
    assert limit.expired
    assert caught == 3


def test_code_that_ends_in_time_is_left_alone_and_nothing_fires_later() -> None:
    with Deadline(0.1) as limit:
        total = sum(range(1000))
    assert not limit.expired
    assert total == 499500
    deadline = time.monotonic() + 0.1 + 5 * AGAIN_S
    while time.monotonic() < deadline:  # an interrupt left pending would be raised in this loop
        pass


def test_an_interrupt_of_the_author_s_own_goes_on() -> None:
    """Ctrl+C (here raised by the code itself) before the limit is not the deadline's to swallow."""
    with pytest.raises(KeyboardInterrupt), Deadline(5):
        raise KeyboardInterrupt


def test_it_interrupts_the_thread_it_was_entered_in() -> None:
    """`mkdocs serve` builds in a thread of its own: the limit must stop that thread's code, not the main one's."""
    expired: list[bool] = []

    def build() -> None:
        with Deadline(0.1) as limit:
            endless()
        expired.append(limit.expired)

    thread = threading.Thread(target=build)
    thread.start()
    thread.join(10)
    assert expired == [True]
