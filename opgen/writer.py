"""The single place that writes generated packages to disk.

Regeneration follows a generation gap: user-owned files are created once and then left alone;
opgen-owned files are refreshed. A manifest (`.opgen/manifest.json`) records the hash of every file
opgen wrote, so a user edit to an opgen-owned file is noticed and the run refuses instead of
clobbering it. Every conflict is found before the first byte is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from opgen.render import Owner, RenderedFile

MANIFEST = ".opgen/manifest.json"
BACKUP_DIR = ".opgen/backup"
BUILD_DIRS = ("libs", "obj", "build")


class WriteError(Exception):
    """Generation would lose data or leave the output directory; nothing was written."""


@dataclass
class WriteReport:
    package_dir: Path
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """User-owned files that already existed and were left as they are."""
    backed_up: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    """Files opgen wrote before that the configs no longer produce; kept unless forced."""


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def safe_relpath(relpath: str) -> PurePosixPath:
    """A relative path with no way out of its root; raises WriteError otherwise."""
    path = PurePosixPath(relpath)
    if path.is_absolute() or not path.parts or any(p in ("..", ".", "") for p in path.parts):
        raise WriteError(f"refusing to write '{relpath}': not a plain relative path")
    return path


def _contained(root: Path, relpath: str) -> Path:
    target = root / safe_relpath(relpath)
    # Resolve what exists (symlinked directories included) and check it stays under the root.
    if not target.resolve().is_relative_to(root.resolve()):
        raise WriteError(f"refusing to write '{relpath}': it resolves outside {root}")
    return target


def _read_manifest(package_dir: Path) -> dict[str, dict[str, str]]:
    path = package_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): dict(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def write_package(
    package_dir: Path, files: Sequence[RenderedFile], *, force: bool = False, dry_run: bool = False
) -> WriteReport:
    """Write `files` under `package_dir` following the ownership rules; see the module docstring."""
    report = WriteReport(package_dir)
    if package_dir.exists() and not package_dir.is_dir():
        raise WriteError(f"{package_dir} exists and is not a directory")
    manifest = _read_manifest(package_dir)
    targets = {f.relpath: _contained(package_dir, f.relpath) for f in files}
    _contained(package_dir, MANIFEST)

    # Pass 1: decide, and find every conflict before touching the disk.
    actions: list[tuple[RenderedFile, str]] = []
    conflicts: list[str] = []
    for f in files:
        target = targets[f.relpath]
        if target.is_dir() or (target.is_symlink() and not target.exists()):
            conflicts.append(f"{f.relpath} (a directory or dangling link is in the way)")
            continue
        if not target.exists():
            actions.append((f, "create"))
            continue
        current = target.read_bytes()
        if current == f.content:
            actions.append((f, "unchanged"))
        elif force:
            actions.append((f, "backup+update"))
        elif f.owner is Owner.USER:
            actions.append((f, "keep"))
        elif manifest.get(f.relpath, {}).get("sha256") == _digest(current):
            actions.append((f, "update"))
        else:
            conflicts.append(f.relpath)
    if conflicts:
        listed = "\n  ".join(conflicts)
        raise WriteError(
            f"refusing to overwrite files in {package_dir} that opgen generated and that were "
            f"edited since (or that opgen did not write):\n  {listed}\n"
            "Move your changes into the user-owned files (under src/ops/), or rerun with "
            "-f/--force-generation to regenerate (edited files are backed up under "
            f"{BACKUP_DIR}/)."
        )
    generated = {f.relpath for f in files}
    report.orphans = sorted(
        p for p in manifest if p not in generated and (package_dir / p).exists()
    )
    if dry_run:
        return report

    # Pass 2: write. Forced runs back up what they replace and clear build outputs.
    if force:
        for name in BUILD_DIRS:
            build = package_dir / name
            if build.is_dir() and not build.is_symlink():
                shutil.rmtree(build)
        for orphan in report.orphans:
            _backup(package_dir, orphan, report)
            (package_dir / orphan).unlink()
        report.orphans = []
    new_manifest: dict[str, dict[str, str]] = {}
    for f, action in actions:
        target = targets[f.relpath]
        if action == "keep":
            report.kept.append(f.relpath)
            new_manifest[f.relpath] = manifest.get(
                f.relpath, {"owner": f.owner.value, "sha256": _digest(f.content)}
            )
            continue
        if action == "backup+update":
            _backup(package_dir, f.relpath, report)
        if action != "unchanged":
            _atomic_write(target, f.content, f.executable)
        {"create": report.created, "unchanged": report.unchanged}.get(
            action, report.updated
        ).append(f.relpath)
        new_manifest[f.relpath] = {"owner": f.owner.value, "sha256": _digest(f.content)}
    for orphan in report.orphans:  # still on disk: keep tracking them
        new_manifest[orphan] = manifest[orphan]
    manifest_text = json.dumps(
        {"generator": "opgen", "files": dict(sorted(new_manifest.items()))}, indent=1
    )
    _atomic_write(package_dir / MANIFEST, (manifest_text + "\n").encode(), False)
    return report


def _backup(package_dir: Path, relpath: str, report: WriteReport) -> None:
    source = package_dir / relpath
    if not source.is_file():
        return
    target = _contained(package_dir, f"{BACKUP_DIR}/{relpath}")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    report.backed_up.append(relpath)


def _atomic_write(target: Path, content: bytes, executable: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".opgen-tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o755 if executable else 0o644)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
