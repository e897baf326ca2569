"""One generation at a time per package: a second run waits (saying for which pid), then applies
its config on top of the first one's package, or gives up after OPGEN_LOCK_TIMEOUT; two runs of
different configs into one directory give exactly one of the two sequential outcomes, and it builds.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import opgen
from opgen.generate import plan_outputs
from opgen.writer import write_package
from tests import factories as f
from tests.conftest import build_package
from tests.generate.txn_harness import (
    STRESS,
    assert_clean_error,
    leftovers,
    popen,
    run,
    snapshot,
    write_config,
)

PACKAGE = "Race"


def race_configs(tmp: Path, count: int) -> tuple[Path, Path]:
    """Same package, same op names and config file name; different params and inputs."""
    gain = f.param("gain", mandatory=False, default="1.5")
    steps = f.param("steps", "QNN_DATATYPE_INT_32", mandatory=False, default="3")
    two_inputs = [f.tensor("Input", "in[0]"), f.tensor("Input", "in[1]")]
    a = f.config(PACKAGE, [f.op(f"Op{i}", params=[gain]) for i in range(count)])
    b = f.config(PACKAGE, [f.op(f"Op{i}", inputs=two_inputs, params=[steps]) for i in range(count)])
    return write_config(tmp / "a", a), write_config(tmp / "b", b)


def sequential(out: Path, first: Path, second: Path) -> dict[str, bytes | str]:
    for config in (first, second):
        result = run("-p", config, "-o", out)
        assert result.returncode == 0, result.stderr
    return snapshot(out / PACKAGE)


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 120  # a hang guard, not a timing assertion
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


@contextmanager
def held_lock(package: Path) -> Iterator[None]:
    """Hold the package's lock from this process, the way a running generation does."""
    (package / ".opgen").mkdir(parents=True, exist_ok=True)
    fd = os.open(package / ".opgen" / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)


def test_a_second_run_waits_for_the_first_then_applies_its_config(tmp_path: Path) -> None:
    a, b = race_configs(tmp_path, 12)
    out, release = tmp_path / "out", tmp_path / "release"
    first = popen("-p", a, "-o", out, fault=f"pause@5:{release}")  # stops while staging
    wait_for(Path(f"{release}.paused"))
    second = popen("-p", b, "-o", out)
    assert second.stderr is not None
    ready, _, _ = select.select([second.stderr], [], [], 120)
    assert ready, "the second run neither waited nor said so"
    line = second.stderr.readline().strip()
    assert line == f"waiting for another opgen generation of {out / PACKAGE} (pid {first.pid})"
    release.write_text("")
    _, first_err = first.communicate(timeout=300)
    _, second_err = second.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert snapshot(out / PACKAGE) == sequential(tmp_path / "ab", a, b)
    assert leftovers(out / PACKAGE) == []
    copy = tmp_path / "build" / PACKAGE
    shutil.copytree(out / PACKAGE, copy)
    build_package(copy)


def test_concurrent_runs_of_different_configs_give_one_of_the_two_packages(
    tmp_path: Path,
) -> None:
    a, b = race_configs(tmp_path, 40)
    outcomes = {"a then b": sequential(tmp_path / "ab", a, b)}
    outcomes["b then a"] = sequential(tmp_path / "ba", b, a)
    seen = []
    for round_ in range(2 + STRESS):
        out = tmp_path / f"race-{round_}"
        runs = [popen("-p", config, "-o", out) for config in (a, b)]
        for process in runs:
            _, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
        result = snapshot(out / PACKAGE)
        (outcome,) = [name for name, expected in outcomes.items() if expected == result]
        seen.append(outcome)
        assert leftovers(out / PACKAGE) == []
    print(f"concurrent rounds: {seen}")


def test_a_held_lock_times_out_with_a_message_naming_the_holder(tmp_path: Path) -> None:
    a, _ = race_configs(tmp_path, 2)
    out = tmp_path / "out"
    package = out / PACKAGE
    with held_lock(package):
        result = run("-p", a, "-o", out, env={"OPGEN_LOCK_TIMEOUT": "0.3"})
        (error,) = assert_clean_error(result, package)
        holder = f"another opgen generation of {package} (pid {os.getpid()})"
        assert f"{holder} is still running" in error
        assert f"waiting for {holder}" in result.stderr
        assert sorted(p.name for p in package.rglob("*")) == [".opgen", "lock"]
    result = run("-p", a, "-o", out)
    assert result.returncode == 0, result.stderr
    assert leftovers(package) == []


def test_a_run_writing_several_packages_writes_none_while_one_is_locked(tmp_path: Path) -> None:
    first = write_config(tmp_path / "c", f.config("First", [f.op("A")]), "first.xml")
    second = write_config(tmp_path / "c", f.config("Second", [f.op("B")]), "second.xml")
    out = tmp_path / "out"
    with held_lock(out / "Second"):
        result = run("-p", first, "-p", second, "-o", out, env={"OPGEN_LOCK_TIMEOUT": "0.2"})
        assert_clean_error(result, out / "Second")
        assert not (out / "First").exists()  # locked first (sorted order), then given back


def test_a_dry_run_needs_no_lock(tmp_path: Path) -> None:
    a, _ = race_configs(tmp_path, 2)
    (output,) = plan_outputs(opgen.load_packages([a]), tmp_path / "out")
    with held_lock(output.directory):
        report = write_package(output.directory, output.files, dry_run=True)
    assert len(report.created) == len(output.files)
    assert not (output.directory / "Makefile").exists()
