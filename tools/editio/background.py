"""One function call run beside the caller, in a forked process, its result sent back pickled.

A build validates the edition in such a process while it transforms the
changed chapters: the two take about as long for a one-chapter edit, and a
machine has more than one core. Forking is only safe before a process has
started threads of its own (Saxon starts some), so :func:`start` says no
(returns None) once saxonche is loaded, and on systems without fork.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys


class Failed(Exception):
    """The call did not return: it raised, or its process died (:meth:`Pending.value` then makes it again)."""


class Pending:
    """A call running in a child process; :meth:`value` (or :meth:`result`) waits for it."""

    def __init__(self, pid: int, fd: int, function=None, args: tuple = ()):
        self.pid, self.fd = pid, fd
        self.function, self.args = function, args
        self._done = False

    def value(self):
        """The call's return value; if its process failed, the call is made again here, so that an error is
        raised as this process raises it."""
        try:
            return self.result()
        except Failed:
            return self.function(*self.args)

    def result(self):
        """The call's return value; :class:`Failed` if it raised or its process died."""
        if self._done:
            raise Failed("result already taken")
        self._done = True
        chunks = []
        with os.fdopen(self.fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        os.waitpid(self.pid, 0)
        try:
            ok, value = pickle.loads(b"".join(chunks))
        except Exception:
            raise Failed("the process ended without a result") from None
        if not ok:
            raise Failed(value)
        return value

    def cancel(self) -> None:
        """Stop the call (if still running) and reap its process."""
        if self._done:
            return
        self._done = True
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)


def in_shares(function, *args, shares: int) -> list:
    """``[function(*args, i, shares) for i in range(shares)]``: share 0 made here while the others are made in
    forked processes (one each); a share whose process cannot be started or fails is made here too."""
    import gc

    gc.freeze()  # the children then do not copy every page the collector would touch
    try:
        pending = [start(function, *args, i, shares) for i in range(1, shares)]
    finally:
        gc.unfreeze()
    try:
        results = [function(*args, 0, shares)]
        for i, call in enumerate(pending, start=1):
            results.append(call.value() if call is not None else function(*args, i, shares))
    except BaseException:  # an error (or Ctrl-C) here: the other shares are not wanted any more
        for call in pending:
            if call is not None:
                call.cancel()
        raise
    return results


def can_fork() -> bool:
    """Whether this process may fork a child that runs Python (see the module's docstring)."""
    return hasattr(os, "fork") and "saxonche" not in sys.modules


def start(function, *args) -> Pending | None:
    """Run ``function(*args)`` in a forked process; None if this process cannot fork safely."""
    if not can_fork():
        return None
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return Pending(pid, read_end, function, args)
    # The child: it must not keep the parent's files open (a lock held by a file descriptor would outlive a
    # killed parent), must not run the parent's exit handlers, and ends with os._exit whatever happens.
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child at once, as it does the parent
        os.closerange(3, write_end)
        os.closerange(write_end + 1, 1 << 16)
        try:
            message = pickle.dumps((True, function(*args)))
        except BaseException as exc:  # noqa: BLE001 - anything: the parent makes the call again itself
            message = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(message)
    except BaseException:  # noqa: BLE001
        status = 1
    finally:
        os._exit(status)
