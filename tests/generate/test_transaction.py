"""Generation is a transaction: whatever point a run is killed or fails at, the package is the old
one or the new one (a committed journal that any next run replays first), never a mix; and the
next run recovers by itself, leaving no staging, journal, trash or temp files.

Kill points come from the test-only hook OPGEN_TEST_FAULT (`kill@N` = SIGKILL before file
operation N), so they land exactly before and after the commit point; one run per 2,000-op case
is also killed from outside after a random delay. OPGEN_STRESS=N adds N random points per test.
"""

from __future__ import annotations

import collections
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from opgen.writer import recover
from opgen.writer.faults import Faults
from tests.generate.txn_harness import (
    STRESS,
    assert_clean_error,
    copy_package,
    counted,
    directories,
    leftovers,
    ops_config,
    popen,
    rng,
    run,
    snapshot,
    write_config,
)

PACKAGE = "Txn"


@dataclass(frozen=True)
class Scenario:
    base: Path
    """An output directory holding the old package (or nothing, for a first generation)."""
    new_config: Path
    force: bool
    old: dict[str, bytes | str]
    old_dirs: set[str]
    new: dict[str, bytes | str]
    new_dirs: set[str]
    operations: int
    commit: int

    def args(self, out: Path) -> list[str | Path]:
        return ["-p", self.new_config, "-o", out, *(["-f"] if self.force else [])]


def make_scenario(tmp: Path, count: int, *, force: bool = False, first: bool = False) -> Scenario:
    old_config = write_config(tmp / "old", ops_config(PACKAGE, count, "old"))
    new_config = write_config(tmp / "new", ops_config(PACKAGE, count, "new"))
    base = tmp / "base"
    base.mkdir()
    package = base / PACKAGE
    if not first:
        assert run("-p", old_config, "-o", base).returncode == 0
        kernel = package / "src" / "ops" / "Op1.cpp"
        kernel.write_text(kernel.read_text() + "// my kernel work\n")
        if force:  # things a forced run removes or backs up, after its commit point only
            (package / "libs" / "x86_64-linux-clang").mkdir(parents=True)
            (package / "libs" / "x86_64-linux-clang" / f"lib{PACKAGE}.so").write_bytes(b"\0lib")
            (package / "obj").mkdir()
            (package / "obj" / "Op1.o").write_bytes(b"\0obj")
            header = package / "include" / "ops" / "Op2.hpp"
            header.write_text(header.read_text() + "// hand edit\n")
    old = snapshot(package) if package.exists() else {}
    old_dirs = directories(package) if package.exists() else set()
    reference = copy_package(base, tmp / "reference")
    scenario = Scenario(base, new_config, force, old, old_dirs, {}, set(), 0, 0)
    operations, commit = counted(scenario.args(reference), tmp / "count")
    new = snapshot(reference / PACKAGE)
    assert new != old and leftovers(reference / PACKAGE) == []
    return Scenario(
        base,
        new_config,
        force,
        old,
        old_dirs,
        new,
        directories(reference / PACKAGE),
        operations,
        commit,
    )


def kill_and_recover(s: Scenario, work: Path, point: int | None, delay: float = 0.0) -> str:
    """Kill a run (at operation `point`, or from outside after `delay`), check, rerun, check."""
    out = copy_package(s.base, work)
    package = out / PACKAGE
    if point is not None:
        killed = run(*s.args(out), fault=f"kill@{point}")
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    else:
        process = popen(*s.args(out))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=300)
    state = snapshot(package) if package.exists() else {}
    journal = (package / ".opgen" / "journal.json").exists()
    if state == s.old and not journal:
        outcome = "old"
    elif state == s.new and not journal:
        outcome = "new"
    else:
        assert journal, f"killed at {point}: a mix of packages without a committed journal"
        replay = copy_package(package, work.with_name(work.name + "-replay"))
        assert recover(replay, Faults()) is True
        assert snapshot(replay) == s.new, f"killed at {point}: the journal does not give the new"
        assert set(leftovers(replay)) <= {".opgen/lock"}  # the killed run's: freed by the kernel
        outcome = "committed"
    rerun = run(*s.args(out))
    assert rerun.returncode == 0, rerun.stderr
    if outcome == "committed":
        assert "finished an interrupted generation" in rerun.stderr
    assert snapshot(package) == s.new
    assert directories(package) == s.new_dirs
    assert leftovers(package) == []
    return outcome


def kill_points(s: Scenario, extra: int) -> list[int]:
    # `commit` is the journal's rename: killed before it, the package is old; after, committed.
    around = {1, s.commit, s.commit + 1, s.operations}
    sample = rng().sample(range(1, s.operations + 1), min(extra, s.operations))
    return sorted(p for p in around | set(sample) if 1 <= p <= s.operations)


@pytest.mark.parametrize(
    ("count", "force", "first", "extra"),
    [(30, False, False, 2), (6, True, False, 1), (4, False, True, 0)],
    ids=["regeneration", "forced-regeneration", "first-generation"],
)
def test_a_kill_at_any_point_leaves_old_or_new_and_the_next_run_recovers(
    tmp_path: Path, count: int, force: bool, first: bool, extra: int
) -> None:
    s = make_scenario(tmp_path, count, force=force, first=first)
    points = kill_points(s, extra + STRESS)
    outcomes = collections.Counter(
        kill_and_recover(s, tmp_path / f"kill-{point}", point) for point in points
    )
    print(
        f"{count} ops, force={force}, first={first}: {s.operations} operations, "
        f"commit at {s.commit}; kill points {points}: {dict(outcomes)}"
    )
    # The points straddle the commit point: both sides were really exercised.
    assert outcomes["old"] >= 2 and outcomes["committed"] >= 2


@pytest.mark.parametrize(
    "first",
    [pytest.param(True, marks=pytest.mark.slow), False],
    ids=["first-generation", "regeneration"],
)
def test_a_killed_2000_op_generation_recovers(tmp_path: Path, first: bool) -> None:
    s = make_scenario(tmp_path, 2000, first=first)
    random = rng()
    if first:  # killed from outside, at a random moment (anywhere, even after it finished)
        outcome = kill_and_recover(s, tmp_path / "killed", None, random.uniform(0.3, 3.0))
    else:  # killed in the middle of its renames: the hardest point to recover from
        point = random.randint(s.commit + 1, s.operations - 1)
        outcome = kill_and_recover(s, tmp_path / "killed", point)
        assert outcome == "committed"
    print(f"2000 ops, first={first}: {s.operations} operations, commit at {s.commit}: {outcome}")


@pytest.mark.slow
def test_kills_from_outside_after_random_delays(tmp_path: Path) -> None:
    s = make_scenario(tmp_path, 300)
    random = rng()
    delays = [random.uniform(0.2, 2.5) for _ in range(2 * max(STRESS, 1))]
    outcomes = collections.Counter(
        kill_and_recover(s, tmp_path / f"kill-{i}", None, delay) for i, delay in enumerate(delays)
    )
    print(f"300 ops, SIGKILL after random delays: {dict(outcomes)}")


def test_a_failure_before_the_commit_point_leaves_the_old_package_untouched(
    tmp_path: Path,
) -> None:
    s = make_scenario(tmp_path, 6, force=True)
    for point in sorted({1, 3, s.commit - 1}):
        out = copy_package(s.base, tmp_path / f"fail-{point}")
        package = out / PACKAGE
        result = run(*s.args(out), fault=f"fail@{point}:ENOSPC")
        errors = assert_clean_error(result, package)
        assert any("No space left on device" in e for e in errors), result.stderr
        assert snapshot(package) == s.old  # libs/ and obj/ included: nothing deleted
        assert directories(package) == s.old_dirs
        assert leftovers(package) == []


def test_a_failure_after_the_commit_point_is_completed_by_the_next_run(tmp_path: Path) -> None:
    s = make_scenario(tmp_path, 6, force=True)
    out = copy_package(s.base, tmp_path / "failed")
    package = out / PACKAGE
    result = run(*s.args(out), fault=f"fail@{s.commit + 3}:EIO")
    (error,) = assert_clean_error(result, package)
    assert "Input/output error" in error and "rerun opgen to complete it" in error
    rerun = run(*s.args(out))
    assert rerun.returncode == 0, rerun.stderr
    assert "finished an interrupted generation" in rerun.stderr
    assert snapshot(package) == s.new and leftovers(package) == []


def test_a_regeneration_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path / "cfg", ops_config(PACKAGE, 3, "old"))
    out = tmp_path / "out"
    assert run("-p", config, "-o", out).returncode == 0
    manifest = out / PACKAGE / ".opgen" / "manifest.json"
    before = manifest.stat().st_mtime_ns
    assert counted(["-p", config, "-o", out], tmp_path / "count") == (0, 0)
    assert manifest.stat().st_mtime_ns == before
    assert leftovers(out / PACKAGE) == []


def test_a_commit_whose_journal_is_in_place_is_finished_even_if_its_flush_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal rename succeeded, then flushing its directory failed: the package is
    committed, so the failing run itself rolls it forward instead of leaving it half done."""
    from opgen.config import validate_configs
    from opgen.generate import GenerationError, generate
    from opgen.writer import transaction

    s = make_scenario(tmp_path, 4)
    out = copy_package(s.base, tmp_path / "flush")
    real = transaction.fs.fsync_dir
    calls: list[Path] = []

    def failing_once(path: Path) -> None:
        calls.append(path)
        if len(calls) == 1:  # the flush right after the journal's rename
            raise OSError(5, "Input/output error")
        real(path)

    monkeypatch.setattr(transaction.fs, "fsync_dir", failing_once)
    result = validate_configs([s.new_config])
    assert result.ok
    with pytest.raises(GenerationError, match="Input/output error"):
        generate(result.packages, out)
    assert calls, "the flush after the commit was never reached"
    package = out / PACKAGE
    assert snapshot(package) == s.new and leftovers(package) == []
