"""Compiled templates kept between runs: a Jinja bytecode cache in the user's cache directory.

Compiling opgen's templates costs more than rendering a small package, on every run. Jinja can
keep the compiled code; this module decides where, and makes sure the cache can never change
what a run produces:

- The templates stay the truth: every entry carries the SHA-1 of its template's source (Jinja's
  bucket checksum), and a template whose source changed is compiled again, whatever the cache
  holds.
- What else shapes the compiled code (Jinja's version, the interpreter, opgen's version, the
  environment's options, filter and test names) names the cache's subdirectory, so two
  installations never read each other's code.
- `$XDG_CACHE_HOME/opgen/templates/` (default `~/.cache/opgen/templates/`), created private
  (0700) and used only when it is a real directory of ours that nobody else can write to: cached
  code is code that runs. Anything else (unwritable, read-only, not ours, a link, a damaged
  entry) silently falls back to compiling. `OPGEN_TEMPLATE_CACHE=off` turns the cache off.
- Entries are written to a temporary file in the same directory, then renamed: concurrent runs
  read an old entry or a new one, never half of one. Nothing is written outside the cache dir.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

import jinja2
import jinja2.bccache

ENV_SWITCH = "OPGEN_TEMPLATE_CACHE"
_OFF = ("0", "off", "no", "false")
_OPEN_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC


def cache_base() -> Path | None:
    """The user's cache directory (XDG base directory rules), or None when there is none."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the spec: a relative value is invalid and ignored
        return Path(xdg)
    home = os.path.expanduser("~")
    return Path(home) / ".cache" if os.path.isabs(home) else None


def fingerprint(env: jinja2.Environment, opgen_version: str) -> str:
    """What, besides a template's own source, decides the code Jinja compiles from it."""
    parts = [
        jinja2.__version__,
        sys.implementation.cache_tag or sys.version,
        opgen_version,
        repr(
            (
                env.block_start_string,
                env.block_end_string,
                env.variable_start_string,
                env.variable_end_string,
                env.comment_start_string,
                env.comment_end_string,
                env.line_statement_prefix,
                env.line_comment_prefix,
                env.trim_blocks,
                env.lstrip_blocks,
                env.newline_sequence,
                env.keep_trailing_newline,
                env.autoescape,
                env.optimized,
                env.finalize is not None,
                sorted(env.filters),
                sorted(env.tests),
                sorted(env.extensions),
            )
        ),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _private_dir(path: Path) -> bool:
    """Make `path` (0700) if missing; whether it is a real directory of ours that only we write."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        seen = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(seen.st_mode)
        and seen.st_uid == os.geteuid()
        and not seen.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def template_cache(env: jinja2.Environment, opgen_version: str) -> jinja2.BytecodeCache | None:
    """The cache for `env`'s compiled templates, or None (compile every time)."""
    if os.environ.get(ENV_SWITCH, "").strip().lower() in _OFF:
        return None
    base = cache_base()
    if base is None:
        return None
    root = base / "opgen" / "templates"
    directory = root / fingerprint(env, opgen_version)
    if not (_private_dir(root) and _private_dir(directory)):
        return None
    return DirectoryCache(directory)


class DirectoryCache(jinja2.BytecodeCache):
    """One file per template; any failure to read or write is a cache miss, never an error."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.directory / f"{bucket.key}.jbc"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            fd = os.open(self._path(bucket), _OPEN_READ)
        except OSError:
            return
        try:
            with os.fdopen(fd, "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    return
                bucket.load_bytecode(f)  # checks Jinja's magic and the source's checksum
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # a damaged entry: compile, and the dump below replaces it

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        target = self._path(bucket)
        try:
            data = bucket.bytecode_to_string()
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=f".{target.name}.")
        except (OSError, TypeError):
            return  # read-only, full or vanished: this run compiled; the next one will too
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temp, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
