"""Helpers of the transaction, lock and fault tests: run the generator, snapshot a package."""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tests import factories as f

FAULT_ENV = "OPGEN_TEST_FAULT"
STRESS = int(os.environ.get("OPGEN_STRESS", "0") or 0)
"""Extra random kill points / race rounds per test (CI runs the bounded default)."""
INTERNAL = {".opgen/lock", ".opgen/staging", ".opgen/journal.json", ".opgen/trash"}
GENERATOR = "from opgen.cli import vendor_main; vendor_main()"


def rng() -> random.Random:
    seed = int(os.environ.get("OPGEN_STRESS_SEED", "7"))
    return random.Random(seed)


def run(
    *args: str | Path,
    fault: str | None = None,
    env: dict[str, str] | None = None,
    memory_limit: int | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """The vendor CLI as a user runs it (timeout only guards against hangs)."""
    environment = {**os.environ, **(env or {})}
    environment.pop(FAULT_ENV, None)
    if fault is not None:
        environment[FAULT_ENV] = fault
    preexec: Callable[[], None] | None = None
    if memory_limit is not None:
        limit = memory_limit

        def preexec() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [sys.executable, "-c", GENERATOR, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        preexec_fn=preexec,
    )


def popen(*args: str | Path, fault: str | None = None) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault is not None:
        environment[FAULT_ENV] = fault
    return subprocess.Popen(
        [sys.executable, "-c", GENERATOR, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


def _internal(rel: str) -> bool:
    return any(rel == i or rel.startswith(i + "/") for i in INTERNAL)


def snapshot(package: Path) -> dict[str, bytes | str]:
    """Every file of the package (build outputs, manifest and backups included) but .opgen's
    transaction internals; links and special files by what they are, without opening them."""
    out: dict[str, bytes | str] = {}
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package).as_posix()
        if _internal(rel):
            continue
        if path.is_symlink():
            out[rel] = f"link:{os.readlink(path)}"
        elif path.is_file():
            out[rel] = path.read_bytes()
        elif not path.is_dir():
            out[rel] = "special"
    return out


def directories(package: Path) -> set[str]:
    return {
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_dir() and not p.is_symlink() and not _internal(p.relative_to(package).as_posix())
    }


def leftovers(package: Path) -> list[str]:
    """Transaction internals or temp files still present (there must be none after a run)."""
    found = [i for i in sorted(INTERNAL) if os.path.lexists(package / i)]
    found += [p.as_posix() for p in package.rglob(".opgen-tmp-*")]
    return found


def copy_package(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


def assert_clean_error(result: subprocess.CompletedProcess[str], *names: str | Path) -> list[str]:
    """Exit 1, one-line `error:` messages naming `names`, never a temp file or a traceback."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors, result.stderr
    for bad in ("Traceback", "internal error", ".opgen/staging", ".opgen-tmp", ".opgen/journal"):
        assert bad not in result.stderr, result.stderr
    for name in names:
        assert str(name) in result.stderr, (name, result.stderr)
    return errors


def ops_config(package: str, count: int, variant: str) -> str:
    """`old`: ops Op0..; `new`: a param on every op, Op0 dropped (an orphan), two ops added."""
    if variant == "old":
        return f.config(package, [f.op(f"Op{i}") for i in range(count)])
    gain = f.param("gain", mandatory=False, default="2.0")
    ops = [f.op(f"Op{i}", params=[gain]) for i in range(1, count + 2)]
    return f.config(package, ops)


def write_config(directory: Path, text: str, name: str = "pkg.xml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return f.write(directory, name, text)


def counted(args: Sequence[str | Path], count_file: Path) -> tuple[int, int]:
    """Run once with the operation counter: (operations, operation of the commit point)."""
    result = run(*args, fault=f"count:{count_file}")
    assert result.returncode == 0, result.stderr
    total, commit = (int(x) for x in count_file.read_text().split())
    return total, commit
