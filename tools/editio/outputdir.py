"""The output folder of a build: locking, staging, the atomic swap, repair after a kill, and the stat cache.

A build writes into a staging folder beside the output (``.site.tmp-XXXX`` for
``site/``) and swaps it in only when it is complete: on Linux with
``renameat2(RENAME_EXCHANGE)``, which exchanges the two folders in one atomic
step; elsewhere with two renames (``site`` -> ``.site.old-XXXX``, staging ->
``site``). A kill between those two renames leaves ``.site.old-XXXX``
complete, and the next build renames it back before doing anything else. An
error, Ctrl-C or ``kill -9`` at any other moment leaves the previous output as
it was; the next build deletes leftover staging folders. A lock file
(``.site.lock``) keeps two builds of one output from running at once.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import usage_error

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; two builds of one output must not be started at once
    fcntl = None

CACHE_FORMAT = "editio-stat-cache/1"


def hash_bytes(*parts: bytes | str) -> str:
    """A short content hash of ``parts`` (each length-prefixed, so ("ab", "c") differs from ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def hash_file(path: str | Path) -> str:
    """The content hash of a file, through the stat cache."""
    return STATS.digest(path)


class StatCache:
    """Content hashes of files by (inode, size, mtime, ctime), so unchanged files are not read again.

    Kept beside the output (``.site.stat-cache.json``), not in it: it is
    machine-local and only ever saves work. An entry is used only if every
    stat field still matches; inputs changed less than :attr:`RACY` seconds
    before they were hashed are not remembered, because a second save within
    the file system's timestamp granularity could keep the same stat fields.
    """

    RACY = 2.0

    def __init__(self):
        self.path: Path | None = None
        self.known: dict[str, list] = {}  # as loaded
        self.entries: dict[str, list] = {}  # what this build saw: only these are saved again
        self.dirty = False

    def load(self, path: Path) -> None:
        self.path, self.known, self.entries, self.dirty = path, {}, {}, False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == CACHE_FORMAT and isinstance(data.get("entries"), dict):
                self.known = data["entries"]
        except (OSError, ValueError, AttributeError):
            pass

    @staticmethod
    def _stamp(st: os.stat_result) -> list:
        return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]

    def digest(self, path: str | Path, data: bytes | None = None) -> str:
        """The hash of the file at ``path`` (of ``data``, if the caller has already read it)."""
        key = str(path)
        st = os.stat(path)
        stamp = self._stamp(st)
        entry = self.entries.get(key) or self.known.get(key)
        if data is None and isinstance(entry, list) and len(entry) == 5 and entry[:4] == stamp \
                and isinstance(entry[4], str):
            if key not in self.entries:
                self.entries[key] = entry
                self.dirty = True
            return entry[4]
        if data is None:
            with open(path, "rb") as fh:
                data = fh.read()
        digest = hash_bytes(data)
        if time.time() - st.st_mtime > self.RACY:
            self.entries[key] = stamp + [digest]
            self.dirty = True
        return digest

    def remember(self, folder: Path, files: dict[str, str]) -> None:
        """Record files editio itself has just written into ``folder`` (``{rel: hash}``)."""
        root = str(folder)
        for rel, digest in files.items():
            path = os.path.join(root, rel)
            try:
                self.entries[path] = self._stamp(os.stat(path)) + [digest]
            except OSError:
                continue
        self.dirty = True

    def save(self) -> None:
        """Write the entries of the files this build saw (atomically; a failure only loses the cache)."""
        if not (self.dirty and self.path) or self.entries == self.known:
            return
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}")
        try:
            tmp.write_text(json.dumps({"format": CACHE_FORMAT, "entries": self.entries}), encoding="utf-8")
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            tmp.unlink(missing_ok=True)


#: The stat cache of this process; a build loads the one beside its output.
STATS = StatCache()


def stat_cache_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.stat-cache.json"


@contextmanager
def locked(out_dir: Path):
    """Hold ``.NAME.lock`` beside the output for the whole build (released by the OS on kill)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise usage_error(out_dir, "another editio build is writing this output right now", "build.locked",
                              "wait for it to finish") from None
        _recover(out_dir)
        yield
    finally:
        os.close(fd)


def _recover(out_dir: Path) -> None:
    """Undo what a killed build left behind: restore a half-swapped output, delete staging folders."""
    parent, name = out_dir.parent, out_dir.name
    olds = sorted(parent.glob(f".{name}.old-*"))
    if not out_dir.exists() and olds:
        os.rename(olds[-1], out_dir)  # killed between the two renames of the fallback swap
        olds = olds[:-1]
    for stale in olds + sorted(parent.glob(f".{name}.tmp-*")):
        shutil.rmtree(stale, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False if the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Make ``staging`` the output; the previous output is deleted only after."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        shutil.rmtree(staging)  # now holds the previous output
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rmdir(old)
    os.rename(out_dir, old)
    os.rename(staging, out_dir)
    shutil.rmtree(old)


class Stage:
    """The staging folder: files are written or hard-linked into it, with their hashes recorded."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        os.chmod(self.dir, 0o755)
        self.written: dict[str, str] = {}
        self._root = str(self.dir)  # paths as strings: a build links thousands of files, and pathlib is slow
        self._folders: set[str] = {""}

    def publish(self) -> None:
        """Swap the staging folder in as the output and remember the hashes of its files."""
        _swap_in(self.dir, self.out_dir)
        # stat only now: deleting the previous output changed the ctime of files linked from it
        STATS.remember(self.out_dir, self.written)

    def _target(self, rel: str) -> str:
        """Where ``rel`` goes, its folder made; a file already staged there is removed first, since it may be a
        hard link to the previous output, which writing through it would change in place."""
        folder = rel.rpartition("/")[0]
        if folder not in self._folders:  # thousands of files share a few folders
            os.makedirs(os.path.join(self._root, folder), exist_ok=True)
            self._folders.add(folder)
        target = os.path.join(self._root, rel)
        if rel in self.written:
            os.unlink(target)
        return target

    def write(self, rel: str, data: bytes) -> str:
        """Write a new file; returns its hash."""
        with open(self._target(rel), "wb") as fh:
            fh.write(data)
        digest = self.written[rel] = hash_bytes(data)
        return digest

    def link(self, rel: str, src: str | Path, digest: str) -> None:
        """Take an unchanged file from the previous output (a hard link: files are never changed in place)."""
        dst = self._target(rel)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
        self.written[rel] = digest

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
