"""Phases 1b and 2 of a generation: stage, commit, roll forward; and recovery.

Everything lives in `<Package>/.opgen/`, on the package's own file system, so renames are atomic:

- staging (`staging/`): every new or changed file, every backup copy and the new manifest are
  written to numbered files there and flushed (one syncfs). A directory the new package needs
  whose parent exists (all of them, for a first generation) is built whole in `staging/tree/`,
  files included, and later moved into place by one rename; other new directories (under
  `.opgen/`) are created in place (listed first in `staging/dirs.json`, so they can be removed
  again). Nothing the user sees changes; any error here removes the staging and leaves the old
  package as it was.
- commit point: `journal.json` appears by an atomic rename. It lists the moves that turn the old
  package into the new one: backups into `backup/`, removals (a forced run's build directories
  and orphans, moved into `trash/`), new files and new directory trees into place, the manifest
  last.
- phase 2: the moves are made, then `trash/`, `staging/` and the journal are removed.

Recovery runs first in every generation, under the lock: a journal is rolled forward (a move whose
source is gone was already made, so replaying is idempotent), staging without a journal is
discarded. A killed run thus leaves the old package (no journal yet) or the new one (the journal
exists; the next run, or `recover()`, finishes it before doing anything else). Nothing is
deleted before the commit point.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path

from opgen.writer import fs
from opgen.writer.faults import Faults
from opgen.writer.fs import WriteError
from opgen.writer.plan import BACKUP_DIR, MANIFEST, WRITES, PackagePlan, safe_relpath

STAGING = ".opgen/staging"
TREE = "tree"
"""In the staging: the new directories whose parents exist, built whole (one rename each)."""
JOURNAL = ".opgen/journal.json"
TRASH = ".opgen/trash"
DIRS_LIST = "dirs.json"
JOURNAL_LIMIT = 64 << 20


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    """Both relative to the package directory."""


def _remove_tree(path: Path) -> None:
    seen = fs.lstat(path)
    if seen is None:
        return
    if fs.is_dir_or_link_to_dir(path, seen) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _new_trees(plan: PackagePlan) -> tuple[set[str], list[str]]:
    """The new directories staged as trees (every one outside `.opgen/`), and the roots among
    them: those whose parent exists, each moved into place by one rename."""
    staged: set[str] = set()
    roots: list[str] = []
    for directory in plan.new_dirs:  # parents first
        if directory == ".opgen" or directory.startswith(".opgen/"):
            continue  # backups: created in place, as before (the lock lives there)
        staged.add(directory)
        if posixpath.dirname(directory) not in staged:
            roots.append(directory)
    return staged, roots


def stage(plan: PackagePlan, faults: Faults) -> tuple[Move, ...]:
    """Phase 1b: write the new package's files into the staging; on any error, undo and raise."""
    root = plan.package_dir
    staging = root / STAGING
    moves: list[Move] = []
    counter = 0

    staging_text = str(staging)
    tree_text = f"{staging_text}/{TREE}"

    def staged() -> tuple[str, str]:
        # Strings, not Paths: this runs once per file, and pathlib's parsing is most of its cost.
        nonlocal counter
        counter += 1
        return f"{staging_text}/{counter:06d}", f"{STAGING}/{counter:06d}"

    in_trees, roots = _new_trees(plan)
    in_place = [d for d in plan.new_dirs if d not in in_trees]
    first = next((d.file.relpath for d in plan.decisions if d.action in WRITES), MANIFEST)
    done = False
    try:
        with fs.about(root / first):
            faults.step(staging)
            os.mkdir(staging)
            faults.step(staging / DIRS_LIST)
            fs.write_new(staging / DIRS_LIST, json.dumps(in_place).encode(), 0o644)
            if roots:
                os.mkdir(tree_text)
        for directory in plan.new_dirs:
            with fs.about(root / directory):
                faults.step(root / directory)
                os.mkdir(f"{tree_text}/{directory}" if directory in in_trees else root / directory)
        for relpath in plan.backups:
            source, target = root / relpath, f"{BACKUP_DIR}/{relpath}"
            path, rel = staged()
            with fs.about(root / target, f" (backing up {source})"):
                seen = os.lstat(source)
                faults.step(root / target)
                fs.copy_regular(source, seen, path)
            moves.append(Move(rel, target))
        removals = [*plan.build_dirs, *(plan.orphans if plan.force else ())]
        if removals:
            with fs.about(root / removals[0], verb="remove"):
                faults.step(root / TRASH)
                os.mkdir(root / TRASH)
        moves += [Move(r, f"{TRASH}/{i:06d}") for i, r in enumerate(removals, 1)]
        for decision in plan.decisions:
            if decision.action not in WRITES:
                continue
            f = decision.file
            if posixpath.dirname(f.relpath) in in_trees:
                path = f"{tree_text}/{f.relpath}"  # moved with its tree
            else:
                path, rel = staged()
                moves.append(Move(rel, f.relpath))
            where = root / f.relpath
            with fs.about(where):
                faults.step(where)
                fs.write_new(path, f.content, 0o755 if f.executable else 0o644)
        moves += [Move(f"{STAGING}/{TREE}/{directory}", directory) for directory in roots]
        path, rel = staged()
        with fs.about(root / MANIFEST):
            faults.step(root / MANIFEST)
            fs.write_new(path, plan.manifest, 0o644)
            moves.append(Move(rel, MANIFEST))
            faults.step(staging)
            fs.sync_filesystem(staging)
        done = True
    finally:  # on any error (or Ctrl-C): undo, and let it go on
        if not done:
            discard(root)
    return tuple(moves)


def commit(package_dir: Path, moves: tuple[Move, ...], faults: Faults) -> None:
    """The commit point: the journal appears atomically, naming every move of phase 2."""
    text = json.dumps({"opgen_journal": 1, "moves": [[m.source, m.target] for m in moves]})
    draft = package_dir / STAGING / "journal"
    done = False
    try:
        with fs.about(package_dir / MANIFEST):
            faults.step(draft)
            fs.write_new(draft, text.encode(), 0o644, durable=True)
            faults.step(package_dir / JOURNAL)
            os.replace(draft, package_dir / JOURNAL)
            faults.committed()
        done = True
    finally:
        if not done:
            discard(package_dir)
    with fs.about(package_dir / JOURNAL):
        fs.fsync_dir(package_dir / ".opgen")


def _read_journal(package_dir: Path) -> list[Move] | None:
    path = package_dir / JOURNAL
    with fs.about(path, " (the journal of an interrupted generation)", verb="read"):
        raw = fs.read_small(path, JOURNAL_LIMIT)
    if raw is None:
        return None
    try:
        moves = [Move(str(s), str(t)) for s, t in json.loads(raw.decode("utf-8"))["moves"]]
        for move in moves:
            safe_relpath(move.source), safe_relpath(move.target)
    except (ValueError, KeyError, TypeError, WriteError) as exc:
        raise WriteError(
            f"cannot finish the interrupted generation of {package_dir}: its journal {path} is "
            f"damaged ({exc}); check the package, then delete {package_dir / '.opgen'}/journal.json"
            " and staging/"
        ) from exc
    return moves


def _replace(source: str, target: str) -> None:
    """os.replace; a staged tree whose directory exists by now (made outside opgen, after the
    plan) is merged into it entry by entry, as the files would have been moved one by one."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not os.path.isdir(source):
            raise
        for name in sorted(os.listdir(source)):
            _replace(f"{source}/{name}", f"{target}/{name}")
        os.rmdir(source)


def roll_forward(package_dir: Path, faults: Faults) -> bool:
    """Phase 2 (also the recovery of a committed run): make the journal's moves, clean up.

    Returns whether there was a journal. An error names the file it was moving into place.
    """
    moves = _read_journal(package_dir)
    if moves is None:
        return False
    note = "; the generation is committed: rerun opgen to complete it"
    moved = False
    # Directories checked (or made) by this roll-forward: each once, not once per file in it.
    ensured: set[str] = set()
    base = str(package_dir)
    for move in moves:
        # Strings, not Paths, in this per-file loop (the relpaths were checked by _read_journal).
        source, target = f"{base}/{move.source}", f"{base}/{move.target}"
        if fs.lstat(source) is None:
            continue  # made before an interruption
        with fs.about(target, note):
            parent = os.path.dirname(target)
            if parent not in ensured:
                fs.make_dirs(Path(parent))
                ensured.add(parent)
            faults.step(target)
            _replace(source, target)
        moved = True
    if moved:
        with fs.about(package_dir, note):
            fs.sync_filesystem(package_dir / ".opgen")
    for internal in (TRASH, STAGING):
        with fs.about(package_dir / internal, note):
            faults.step(package_dir / internal)
            _remove_tree(package_dir / internal)
    with fs.about(package_dir / JOURNAL, note):
        faults.step(package_dir / JOURNAL)
        os.unlink(package_dir / JOURNAL)
        fs.fsync_dir(package_dir / ".opgen")
    return True


def discard(package_dir: Path) -> None:
    """Drop an uncommitted staging: its files, and the directories it created if still empty."""
    staging = package_dir / STAGING
    try:
        listed = fs.read_small(staging / DIRS_LIST, JOURNAL_LIMIT)
        created = [package_dir / safe_relpath(d) for d in json.loads(listed or b"[]")]
    except (OSError, ValueError, TypeError, WriteError):
        created = []
    for internal in (STAGING, TRASH):
        with contextlib.suppress(OSError):  # best effort: the next run discards what is left
            _remove_tree(package_dir / internal)
    fs.remove_empty_dirs(created)


def recover(package_dir: Path, faults: Faults) -> bool:
    """Under the lock: finish a committed generation, or drop an uncommitted one.

    Returns whether a committed generation was finished.
    """
    if roll_forward(package_dir, faults):
        return True
    if fs.lstat(package_dir / STAGING) is not None or fs.lstat(package_dir / TRASH) is not None:
        discard(package_dir)
    return False
