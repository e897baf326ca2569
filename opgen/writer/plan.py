"""Phase 1a of a generation: decide what happens to every file, touching nothing.

The generation gap: user-owned files are created once and then left alone; opgen-owned files are
refreshed. The manifest (`.opgen/manifest.json`) records the hash of every file opgen wrote, so
a user edit to an opgen-owned file is noticed and the run refuses instead of clobbering it.
Everything that would stop the run is found here, before anything is written: edited files,
anything but a regular file where a file goes (FIFOs, links, directories, devices are refused
without being opened), a file where a directory goes, names too long for the file system,
directories that cannot be written or that sit on another file system than `.opgen/`.
"""

from __future__ import annotations

import enum
import errno
import hashlib
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from opgen.render import Owner, RenderedFile
from opgen.writer import fs
from opgen.writer.fs import WriteError

MANIFEST = ".opgen/manifest.json"
BACKUP_DIR = ".opgen/backup"
BUILD_DIRS = ("libs", "obj", "build")
#: The option that overwrites edited opgen-owned files (`opgen generate` and the vendor CLI).
OVERWRITE_EDITED_FLAG = "--overwrite-edited"
MANIFEST_LIMIT = 64 << 20


class Action(enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    KEEP = "keep"  # a user-owned file that exists: left as it is
    REPLACE = "replace"  # forced: backed up, then rewritten


WRITES = (Action.CREATE, Action.UPDATE, Action.REPLACE)


@dataclass(frozen=True)
class Decision:
    file: RenderedFile
    action: Action


@dataclass(frozen=True)
class PackagePlan:
    package_dir: Path
    decisions: tuple[Decision, ...]
    orphans: tuple[str, ...]
    """Files opgen wrote before that the configs no longer produce (removed when forced)."""
    backups: tuple[str, ...]
    """Files copied to `.opgen/backup/` before they are replaced or removed."""
    build_dirs: tuple[str, ...]
    """Build outputs removed by a forced run."""
    new_dirs: tuple[str, ...]
    """Directories to create, parents first."""
    manifest: bytes
    manifest_changed: bool
    force: bool

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.manifest_changed
            or self.backups
            or self.build_dirs
            or (self.force and self.orphans)
            or any(d.action in WRITES for d in self.decisions)
        )


def safe_relpath(relpath: str) -> PurePosixPath:
    """A relative path with no way out of its root; raises WriteError otherwise."""
    path = PurePosixPath(relpath)
    if path.is_absolute() or not path.parts or any(p in ("..", ".", "") for p in path.parts):
        raise WriteError(f"refusing to write '{relpath}': not a plain relative path")
    return path


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_manifest(package_dir: Path) -> tuple[dict[str, dict[str, str]], bytes | None]:
    """The recorded files (none when the manifest is missing or not JSON), and its raw text."""
    path = package_dir / MANIFEST
    with fs.about(path, verb="read"):
        raw = fs.read_small(path, MANIFEST_LIMIT)
    if raw is None:
        return {}, None
    try:
        files = json.loads(raw.decode("utf-8")).get("files", {})
        if not isinstance(files, dict):
            return {}, raw
        return {str(k): dict(v) for k, v in files.items()}, raw
    except (ValueError, AttributeError, TypeError):
        return {}, raw


class _Directories:
    """What the directories on the way to each target are, looked up once each."""

    def __init__(self, root: Path, device: int | None) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.device = device
        self.root_exists = fs.lstat(root) is not None
        self.missing: set[PurePosixPath] = set()
        self.checked: dict[PurePosixPath, str | None] = {}
        self.usable: dict[Path, str | None] = {}

    def problem(self, target: Path, directory: PurePosixPath) -> str | None:
        """Why `target` cannot be written into `directory` (relative to the root), or None."""
        existing = PurePosixPath()
        for depth in range(1, len(directory.parts) + 1):
            prefix = PurePosixPath(*directory.parts[:depth])
            if prefix not in self.checked:
                self.checked[prefix] = self._check(prefix)
            problem = self.checked[prefix]
            if problem is not None:
                return problem
            if prefix in self.missing:
                for deeper in range(depth + 1, len(directory.parts) + 1):
                    self.missing.add(PurePosixPath(*directory.parts[:deeper]))
                break
            existing = prefix
        if not self.root_exists:
            return None  # a dry run for a package that does not exist yet
        ancestor = self.root / existing
        if fs.name_too_long(target, ancestor, len(target.relative_to(ancestor).parts)):
            return os.strerror(errno.ENAMETOOLONG)
        if ancestor not in self.usable:
            self.usable[ancestor] = self._usable(ancestor)
        return self.usable[ancestor]

    def _check(self, prefix: PurePosixPath) -> str | None:
        path = self.root / prefix
        seen = fs.lstat(path)
        if seen is None:
            self.missing.add(prefix)
            return None
        if not fs.is_dir_or_link_to_dir(path, seen):
            return f"Not a directory ({path} is {fs.describe(seen)})"
        if not path.resolve().is_relative_to(self.real_root):
            return f"{path} resolves outside {self.root}"
        return None

    def _usable(self, directory: Path) -> str | None:
        """Files are renamed into `directory`: it must be writable and on the staging's device."""
        if not os.access(directory, os.W_OK | os.X_OK):
            return f"Permission denied ({directory} is not writable)"
        if self.device is not None and os.stat(directory).st_dev != self.device:
            return f"{directory} is on another file system than {self.root / '.opgen'}"
        return None


def plan_package(
    package_dir: Path,
    files: Sequence[RenderedFile],
    *,
    force: bool,
    device: int | None,
    overwrite_edited: bool = False,
) -> PackagePlan:
    """Decide every action; raise one WriteError listing every problem; nothing is written.
    ``overwrite_edited``: replace edited opgen-owned files (backed up) instead of refusing."""
    manifest, old_manifest = read_manifest(package_dir)
    dirs = _Directories(package_dir, device)
    decisions: list[Decision] = []
    edited: list[str] = []
    blocked: list[str] = []
    for f in files:
        rel = safe_relpath(f.relpath)
        target = package_dir / rel
        problem = dirs.problem(target, rel.parent)
        seen = fs.lstat(target) if problem is None else None
        if problem is None and seen is not None and not stat.S_ISREG(seen.st_mode):
            problem = f"it is {fs.describe(seen)}, not a regular file (opgen does not open it)"
        if problem is not None:
            blocked.append(f"cannot write {target}: {problem}")
            continue
        with fs.about(target):
            action = _decide(f, target, seen, manifest, force, edited, overwrite_edited)
            decisions.append(Decision(f, action))
    generated = {f.relpath for f in files}
    orphans = []
    for relpath in sorted(manifest):
        if relpath in generated:
            continue
        try:
            rel = safe_relpath(relpath)
        except WriteError:
            continue  # not a path opgen could have written: forget it
        seen = fs.lstat(package_dir / rel)
        regular = seen is not None and stat.S_ISREG(seen.st_mode)
        if regular and dirs.problem(package_dir / rel, rel.parent) is None:
            orphans.append(relpath)
    backups = [*orphans] if force else []
    backups += [d.file.relpath for d in decisions if d.action is Action.REPLACE]
    for relpath in backups:
        target = package_dir / BACKUP_DIR / relpath
        problem = dirs.problem(target, PurePosixPath(BACKUP_DIR, relpath).parent)
        seen = fs.lstat(target) if problem is None else None
        if problem is None and seen is not None and not stat.S_ISREG(seen.st_mode):
            problem = f"it is {fs.describe(seen)}, not a regular file"
        if problem is not None:
            blocked.append(f"cannot back up {package_dir / relpath} to {target}: {problem}")
    if blocked or edited:
        raise WriteError(*blocked, *([_edited_message(package_dir, edited)] if edited else []))

    build_dirs = []
    if force:
        for name in BUILD_DIRS:
            seen = fs.lstat(package_dir / name)
            if seen is not None and stat.S_ISDIR(seen.st_mode):
                build_dirs.append(name)
    new_manifest = _manifest(decisions, manifest, [] if force else orphans)
    return PackagePlan(
        package_dir=package_dir,
        decisions=tuple(decisions),
        orphans=tuple(orphans),
        backups=tuple(backups),
        build_dirs=tuple(build_dirs),
        new_dirs=tuple(str(d) for d in sorted(dirs.missing, key=lambda p: (len(p.parts), p))),
        manifest=new_manifest,
        manifest_changed=new_manifest != old_manifest,
        force=force,
    )


def _decide(
    f: RenderedFile,
    target: Path,
    seen: os.stat_result | None,
    manifest: dict[str, dict[str, str]],
    force: bool,
    edited: list[str],
    overwrite_edited: bool,
) -> Action:
    if seen is None:
        return Action.CREATE
    if fs.same_content(target, seen, f.content):
        return Action.UNCHANGED
    if force:
        return Action.REPLACE
    if f.owner is Owner.USER:
        return Action.KEEP
    if manifest.get(f.relpath, {}).get("sha256") == fs.file_digest(target, seen):
        return Action.UPDATE
    if overwrite_edited:
        return Action.REPLACE
    edited.append(f.relpath)
    return Action.KEEP


def _edited_message(package_dir: Path, edited: list[str]) -> str:
    listed = "\n  ".join(edited)
    return (
        f"refusing to overwrite files in {package_dir} that opgen generated and that were "
        f"edited since (or that opgen did not write):\n  {listed}\n"
        "Move your changes into the user-owned files (under src/ops/), or rerun with\n"
        f"  {OVERWRITE_EDITED_FLAG}: regenerate these files (each backed up under "
        f"{BACKUP_DIR}/ first), keeping your kernels and every other file you own as they are;\n"
        "  -f/--force-generation: regenerate the whole package from scratch, your kernels "
        f"too (edited ones backed up under {BACKUP_DIR}/), and remove libs/, obj/ and build/."
    )


def _manifest(
    decisions: list[Decision], old: dict[str, dict[str, str]], kept_orphans: list[str]
) -> bytes:
    entries: dict[str, dict[str, str]] = {}
    for d in decisions:
        fresh = {"owner": d.file.owner.value, "sha256": _digest(d.file.content)}
        kept = d.action is Action.KEEP
        entries[d.file.relpath] = old.get(d.file.relpath, fresh) if kept else fresh
    for orphan in kept_orphans:  # still on disk: keep tracking them
        entries[orphan] = old[orphan]
    text = json.dumps({"generator": "opgen", "files": dict(sorted(entries.items()))}, indent=1)
    return (text + "\n").encode()
