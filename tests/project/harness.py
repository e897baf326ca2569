"""Running `opgen new` as a user does (a subprocess), and looking at what it left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: What `opgen new` writes into a project, whatever the options.
PROJECT_FILES = (
    ".github/workflows/ci.yml",
    ".gitignore",
    "Makefile",
    "README.md",
    "pytest.ini",
    "reference.py",
    "tests/test_ops.py",
)


def project_files(package: str) -> set[str]:
    return {*PROJECT_FILES, f"config/{package}.xml"}


def opgen_new(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`opgen new ARGS` in `cwd`; `stdin` answers the prompts (None: no terminal, no input)."""
    command = [sys.executable, "-m", "opgen", "new", *args]
    feed = {"stdin": subprocess.DEVNULL} if stdin is None else {"input": stdin}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, **feed)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (relative path -> bytes), symlinks as their target."""
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relpath = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[relpath] = b"-> " + str(path.readlink()).encode()
        elif path.is_file():
            out[relpath] = path.read_bytes()
    return out
