"""One generation at a time per package: an flock on `<Package>/.opgen/lock`.

The lock file holds the holder's pid, for the message a waiting run shows. It is unlinked by its
holder at release (so a finished package has no stray lock file); a waiter that then gets the
lock on the unlinked file notices that the path no longer names its file and tries again, the
usual protocol for removable lock files. A run waits a bounded time, then fails naming the holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opgen.writer.fs import WriteError, about, describe, lstat, make_dirs, remove_empty_dirs

LOCK = ".opgen/lock"
POLL_SECONDS = 0.05

WaitCallback = Callable[[Path, "int | None"], None]
"""Told once, when a run starts waiting: the package directory and the holder's pid (if known)."""


@dataclass(frozen=True)
class HeldLock:
    package_dir: Path
    fd: int
    created: tuple[Path, ...]
    """Directories this run created to hold the lock (removed again if the run fails)."""

    def release(self, *, failed: bool) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.package_dir / LOCK)  # while still holding it: see the module docstring
        os.close(self.fd)
        if failed:
            remove_empty_dirs(list(self.created))


def _holder(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _open(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise WriteError(f"cannot lock {path}: it is {describe(st)}, not a regular file")
    return fd


def acquire(package_dir: Path, *, timeout: float, on_wait: WaitCallback | None) -> HeldLock:
    path = package_dir / LOCK
    note = f" (while creating its lock file {path})"
    start = time.monotonic()
    deadline = start + timeout
    created: list[Path] = []
    announced = False
    while True:
        with about(package_dir, note):
            created += make_dirs(path.parent)
        try:
            with about(package_dir, note):
                try:
                    fd = _open(path)
                except FileNotFoundError:
                    continue  # a failed run just removed the directory it had made: remake it
        except WriteError:
            remove_empty_dirs(created)
            raise
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _holder(fd)
            os.close(fd)
            # The holder writes its pid just after locking: give it a moment before announcing.
            if not announced and (pid is not None or time.monotonic() - start > 0.5):
                if on_wait is not None:
                    on_wait(package_dir, pid)
                announced = True
            if time.monotonic() >= deadline:
                remove_empty_dirs(created)
                holder = f"pid {pid}" if pid is not None else "pid unknown"
                raise WriteError(
                    f"another opgen generation of {package_dir} ({holder}) is still running; "
                    f"gave up waiting for it after {timeout:g} s"
                ) from None
            time.sleep(POLL_SECONDS)
            continue
        seen, mine = lstat(path), os.fstat(fd)
        if seen is None or (seen.st_dev, seen.st_ino) != (mine.st_dev, mine.st_ino):
            os.close(fd)  # its holder released and unlinked it before we got it: try again
            continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        return HeldLock(package_dir, fd, tuple(created))
