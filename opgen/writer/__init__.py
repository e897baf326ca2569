"""The single place that writes generated packages to disk: a locked, journaled transaction.

A generation of one or more package directories goes:

1. lock every package directory, in sorted order (`lock.py`: an flock on `.opgen/lock`; a second
   run waits a bounded time, telling the user which pid it waits for, then fails);
2. recover each package: finish a committed but interrupted generation, drop an uncommitted one
   (`transaction.py`);
3. plan every package (`plan.py`): decide what happens to each file and find every conflict and
   every obstacle before anything is written; a run with conflicts writes nothing;
4. stage every package (new files, backup copies, manifest into `.opgen/staging/`, flushed); an
   error in any package discards all stagings, leaving every old package as it was;
5. commit every package (its journal appears atomically), then roll each forward.

Why a journal rather than building a new tree and swapping it in: the package directory also holds
the user's kernels and build outputs (and maybe their shell's working directory), so it must stay
the same directory; renaming single files within one file system is atomic, and a journal written
before the first rename makes the whole set of renames complete-able after any interruption.
Dry runs and `opgen validate` only plan, without the lock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen.render import RenderedFile
from opgen.writer import lock, transaction
from opgen.writer.faults import Faults
from opgen.writer.fs import WriteError, about
from opgen.writer.lock import WaitCallback
from opgen.writer.plan import (
    BACKUP_DIR,
    BUILD_DIRS,
    MANIFEST,
    OVERWRITE_EDITED_FLAG,
    Action,
    PackagePlan,
    plan_package,
    safe_relpath,
)
from opgen.writer.transaction import recover

__all__ = [
    "BACKUP_DIR",
    "BUILD_DIRS",
    "DEFAULT_LOCK_TIMEOUT",
    "MANIFEST",
    "OVERWRITE_EDITED_FLAG",
    "WaitCallback",
    "WriteError",
    "WriteReport",
    "recover",
    "safe_relpath",
    "write_package",
    "write_packages",
]

DEFAULT_LOCK_TIMEOUT = 60.0


@dataclass(frozen=True)
class WriteReport:
    package_dir: Path
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    """User-owned files that already existed and were left as they are."""
    backed_up: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()
    """Files opgen wrote before that the configs no longer produce; kept unless forced."""
    recovered: bool = False
    """An interrupted generation of this package was finished first."""


def _report(plan: PackagePlan, recovered: bool) -> WriteReport:
    def having(*actions: Action) -> tuple[str, ...]:
        return tuple(d.file.relpath for d in plan.decisions if d.action in actions)

    return WriteReport(
        plan.package_dir,
        created=having(Action.CREATE),
        updated=having(Action.UPDATE, Action.REPLACE),
        unchanged=having(Action.UNCHANGED),
        kept=having(Action.KEEP),
        backed_up=plan.backups,
        orphans=() if plan.force else plan.orphans,
        recovered=recovered,
    )


def write_package(
    package_dir: Path,
    files: Sequence[RenderedFile],
    *,
    force: bool = False,
    dry_run: bool = False,
    overwrite_edited: bool = False,
) -> WriteReport:
    """Write one package (see `write_packages`); a dry run only plans, without the lock."""
    if dry_run:
        plan = plan_package(
            package_dir, files, force=force, device=None, overwrite_edited=overwrite_edited
        )
        return _report(plan, False)
    return write_packages([(package_dir, files)], force=force, overwrite_edited=overwrite_edited)[0]


def write_packages(
    packages: Sequence[tuple[Path, Sequence[RenderedFile]]],
    *,
    force: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    on_wait: WaitCallback | None = None,
    overwrite_edited: bool = False,
) -> list[WriteReport]:
    """Write every package or none (see the module docstring); reports in the order given.
    ``overwrite_edited`` replaces edited opgen-owned files (each backed up first) rather than
    refusing; user-owned files stay as they are (``force`` rewrites those too)."""
    for package_dir, _ in packages:
        if os.path.lexists(package_dir) and not os.path.isdir(package_dir):
            raise WriteError(f"cannot write {package_dir}: it exists and is not a directory")
    faults = Faults.from_env()
    held: list[lock.HeldLock] = []
    failed = True
    try:
        for package_dir in sorted({d for d, _ in packages}):
            held.append(lock.acquire(package_dir, timeout=lock_timeout, on_wait=on_wait))
        recovered = {h.package_dir: recover(h.package_dir, faults) for h in held}
        plans: list[PackagePlan] = []
        problems: list[str] = []
        for package_dir, files in packages:
            with about(package_dir / ".opgen"):
                device = os.stat(package_dir / ".opgen").st_dev
            try:
                plans.append(
                    plan_package(
                        package_dir,
                        files,
                        force=force,
                        device=device,
                        overwrite_edited=overwrite_edited,
                    )
                )
            except WriteError as exc:
                problems += exc.messages
        if problems:
            raise WriteError(*problems)
        changing = [p for p in plans if p.changes_anything]
        staged: list[tuple[PackagePlan, tuple[transaction.Move, ...]]] = []
        try:
            for plan in changing:
                staged.append((plan, transaction.stage(plan, faults)))
        except WriteError:
            for plan, _ in staged:
                transaction.discard(plan.package_dir)
            raise
        committed: list[PackagePlan] = []
        try:
            for plan, moves in staged:
                transaction.commit(plan.package_dir, moves, faults)
                committed.append(plan)
        except WriteError:
            failing = len(committed)
            for plan, _ in staged[failing + 1 :]:
                transaction.discard(plan.package_dir)
            # Finish what is new already, the failing package too if its journal got in place
            # (a failed fsync after the rename); without a journal roll_forward does nothing.
            for plan in [*committed, staged[failing][0]]:
                with contextlib.suppress(WriteError):
                    transaction.roll_forward(plan.package_dir, faults)
            raise
        failed = False  # committed: from here on, an error is completed by the next run
        for plan, _ in staged:
            transaction.roll_forward(plan.package_dir, faults)
        faults.finish()
        return [_report(plan, recovered[plan.package_dir]) for plan in plans]
    finally:
        for h in reversed(held):
            with contextlib.suppress(OSError):
                h.release(failed=failed)
