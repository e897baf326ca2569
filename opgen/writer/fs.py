"""File-system primitives of the writer: look before opening, never follow a link, never read whole.

Every path is lstat'ed first; only regular files are opened, with O_NOFOLLOW|O_NONBLOCK (a FIFO
or a link swapped in after the lstat cannot block or redirect us), and the opened file is checked
to be the one that was looked at. Contents are compared by size first, then in chunks, so a huge
file costs at most one chunk of memory. Errors name the path they are about: `about(target)`
turns an OSError from any step into a WriteError naming the target (never an internal file).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20
PATH_MAX = 4096
"""Linux's limit on a path passed to a system call, terminating NUL included."""

_OPEN_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_OPEN_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class WriteError(Exception):
    """Generation cannot go ahead, or could not finish; each message names the file it is about."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages: tuple[str, ...] = messages


@contextlib.contextmanager
def about(target: Path | str, note: str = "", verb: str = "write") -> Iterator[None]:
    """Report an OSError of the enclosed steps as a failure to write (or read) `target`."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise WriteError(f"cannot {verb} {target}: {reason}{note}") from exc


def lstat(path: Path | str) -> os.stat_result | None:
    """The path's own status, or None when nothing is there (or a file sits above it)."""
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def describe(st: os.stat_result) -> str:
    mode = st.st_mode
    for test, name in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def is_dir_or_link_to_dir(path: Path, st: os.stat_result) -> bool:
    return stat.S_ISDIR(st.st_mode) or (stat.S_ISLNK(st.st_mode) and path.is_dir())


def open_regular(path: Path, seen: os.stat_result) -> int:
    """Open the regular file `seen` describes, refusing anything swapped in since the lstat."""
    fd = os.open(path, _OPEN_READ)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != (seen.st_dev, seen.st_ino):
        os.close(fd)
        raise OSError(errno.EAGAIN, "the file changed while opgen was reading it", str(path))
    return fd


def _chunks(fd: int) -> Iterator[bytes]:
    while chunk := os.read(fd, CHUNK):
        yield chunk


def same_content(path: Path, seen: os.stat_result, content: bytes) -> bool:
    """Whether the regular file holds exactly `content`: size first, then chunk by chunk."""
    if seen.st_size != len(content):
        return False
    fd = open_regular(path, seen)
    try:
        offset = 0
        for chunk in _chunks(fd):
            if content[offset : offset + len(chunk)] != chunk:
                return False
            offset += len(chunk)
        return offset == len(content)
    finally:
        os.close(fd)


def file_digest(path: Path, seen: os.stat_result) -> str:
    fd = open_regular(path, seen)
    try:
        digest = hashlib.sha256()
        for chunk in _chunks(fd):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)


def read_small(path: Path, limit: int) -> bytes | None:
    """An internal file (manifest, journal), or None when missing; non-regular or huge ones fail."""
    seen = lstat(path)
    if seen is None:
        return None
    if not stat.S_ISREG(seen.st_mode):
        raise OSError(errno.EINVAL, f"it is {describe(seen)}, not a regular file", str(path))
    if seen.st_size > limit:
        raise OSError(errno.EFBIG, f"it is larger than {limit} bytes", str(path))
    fd = open_regular(path, seen)
    try:
        return b"".join(_chunks(fd))
    finally:
        os.close(fd)


def write_new(path: Path | str, content: bytes, mode: int, *, durable: bool = False) -> None:
    """Create `path` (which must not exist) with `content`; fsynced if `durable`.

    Staged files are not fsynced one by one: `sync_filesystem` flushes them all at once.
    """
    fd = os.open(path, _OPEN_NEW, 0o600)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view[:CHUNK]) :]
        os.fchmod(fd, mode)
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def copy_regular(source: Path, seen: os.stat_result, path: Path | str) -> None:
    """Copy the regular file `source` to the new file `path`, with its mode and times."""
    src = open_regular(source, seen)
    try:
        dst = os.open(path, _OPEN_NEW, 0o600)
        try:
            for chunk in _chunks(src):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(dst, view) :]
            os.fchmod(dst, stat.S_IMODE(seen.st_mode))
        finally:
            os.close(dst)
    finally:
        os.close(src)
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns), follow_symlinks=False)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_filesystem(path: Path) -> None:
    """Flush everything written to the file system of `path`: one syncfs(2), not an fsync a file.

    Thousands of fsyncs cost seconds; syncfs costs one flush (os.sync where syncfs is missing).
    """
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        os.sync()
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        if syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(path))
    finally:
        os.close(fd)


def name_max(directory: Path) -> int:
    """The longest file name (in bytes) the file system of `directory` takes."""
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def name_too_long(path: Path, limit: int, depth: int) -> bool:
    """Whether creating `path` would fail with ENAMETOOLONG (checked before anything is written).

    `depth` is how many trailing components of `path` do not exist yet; they are measured against
    `limit`, the NAME_MAX of their nearest existing ancestor (`name_max`).
    """
    if len(os.fsencode(path)) >= PATH_MAX:
        return True
    return any(len(os.fsencode(part)) > limit for part in path.parts[-depth:] if depth)


def make_dirs(path: Path) -> list[Path]:
    """`mkdir -p` that refuses to go through anything but directories; returns what it created."""
    created: list[Path] = []
    current = Path(path.anchor) if path.is_absolute() else Path()
    try:
        for part in path.parts[1:] if path.is_absolute() else path.parts:
            current = current / part
            seen = lstat(current)
            if seen is None:
                os.mkdir(current)
                created.append(current)
            elif not is_dir_or_link_to_dir(current, seen):
                raise OSError(errno.ENOTDIR, f"Not a directory ({current} is {describe(seen)})")
    except OSError:
        remove_empty_dirs(created)  # a failed mkdir -p leaves nothing behind
        raise
    return created


def remove_empty_dirs(created: list[Path]) -> None:
    """Undo `make_dirs`: remove what it created, deepest first, if still empty."""
    for directory in reversed(created):
        with contextlib.suppress(OSError):
            os.rmdir(directory)
