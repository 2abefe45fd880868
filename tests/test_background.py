"""A call run beside the caller in a forked process (editio.background), as a build runs its validation."""

from __future__ import annotations

import fcntl
import os
import sys
import time

import pytest

from editio import background

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _answer(n: int) -> dict:
    return {"pid": os.getpid(), "squares": [i * i for i in range(n)]}


def _raises() -> None:
    raise ValueError("no such thing")


def _dies() -> None:
    os._exit(7)


def _sleeps(seconds: float) -> str:
    time.sleep(seconds)
    return "slept"


@pytest.fixture(autouse=True)
def forkable(monkeypatch):
    """This test process may have loaded saxonche (other tests transform); these calls never touch it."""
    monkeypatch.setattr(background, "can_fork", lambda: True)


def test_the_result_comes_back_from_another_process():
    pending = background.start(_answer, 200_000)  # a result larger than a pipe's buffer
    result = pending.result()
    assert result["squares"][-1] == 199_999 ** 2 and len(result["squares"]) == 200_000
    assert result["pid"] != os.getpid()


@pytest.mark.parametrize("function", [_raises, _dies])
def test_a_call_that_raises_or_dies_is_reported_as_failed(function):
    pending = background.start(function)
    with pytest.raises(background.Failed):
        pending.result()


def _dies_unless_in(pid: int) -> int:
    if os.getpid() != pid:
        os._exit(7)
    return os.getpid()


def test_value_makes_a_failed_call_again_here():
    """What every caller does with a child that failed: the call is made in this process, where its error (if
    it raises) is raised as usual."""
    assert background.start(_dies_unless_in, os.getpid()).value() == os.getpid()
    assert background.start(_answer, 3).value()["pid"] != os.getpid()  # a call that worked is not made again
    with pytest.raises(ValueError, match="no such thing"):
        background.start(_raises).value()


def _share(parent: int, dies: int, first: int, step: int) -> tuple:
    if first == dies and os.getpid() != parent:
        os._exit(7)
    return first, step, os.getpid()


def test_in_shares_makes_share_0_here_and_the_others_beside_and_again_here_if_they_fail():
    here = os.getpid()
    made = background.in_shares(_share, here, 2, shares=3)
    assert [(first, step) for first, step, _ in made] == [(0, 3), (1, 3), (2, 3)]
    assert made[0][2] == here and made[1][2] != here  # share 1 in a child
    assert made[2][2] == here  # its child died: made here


def _share_0_fails(seconds: float, share: int, shares: int) -> int:
    if share == 0:
        raise ValueError("share 0 is broken")
    time.sleep(seconds)
    return share


def test_in_shares_stops_the_other_shares_when_share_0_fails(monkeypatch):
    """An error here (an invalid chapter, Ctrl-C) ends the call at once: the other shares' processes are stopped
    and reaped, not left running (or blocked on a full pipe) after the caller has given up."""
    started_here, real_start = [], background.start
    monkeypatch.setattr(background, "start", lambda *a: started_here.append(real_start(*a)) or started_here[-1])
    started = time.monotonic()
    with pytest.raises(ValueError, match="share 0 is broken"):
        background.in_shares(_share_0_fails, 30, shares=3)
    assert time.monotonic() - started < 10
    assert len(started_here) == 2
    for pending in started_here:
        with pytest.raises(ChildProcessError):
            os.waitpid(pending.pid, os.WNOHANG)  # already reaped: neither running nor a zombie


def test_cancel_stops_the_call_and_reaps_its_process():
    pending = background.start(_sleeps, 30)
    started = time.monotonic()
    pending.cancel()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pending.pid, os.WNOHANG)  # already reaped: no zombie left


def test_the_child_does_not_keep_the_parents_lock(tmp_path):
    """A build's output lock is a file descriptor: a child that kept it would outlive a killed build."""
    lock = tmp_path / "lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    pending = background.start(_sleeps, 4)
    os.close(fd)  # the parent lets go while the child still runs
    other = os.open(lock, os.O_RDWR)
    deadline, locked = time.monotonic() + 2, False
    try:
        while not locked and time.monotonic() < deadline:  # the child closes its copies just after the fork
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
            except BlockingIOError:
                time.sleep(0.02)
    finally:
        os.close(other)
        pending.cancel()
    assert locked, "the child process still holds the lock"


def test_no_fork_once_saxon_threads_may_run(monkeypatch):
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "saxonche", object())
    assert background.start(_answer, 1) is None
