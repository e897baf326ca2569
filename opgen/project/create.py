"""Render the project template and move the result into DIR: a transaction.

The project is rendered by cookiecutter into a temporary directory beside DIR (same file
system), its config validated there by opgen's loader, and only then moved in: renamed to DIR
when DIR does not exist; file by file (hard links, which never replace a file) into an existing
directory, keeping every file already there. A failure midway removes what this run moved in and
nothing else; the temporary directory always goes. cookiecutter's `generate_context` and
`generate_files` are used directly: its `cookiecutter()` entry point would read ~/.cookiecutterrc
and write a replay file to the home directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opgen.config import Level, load_packages, validate_configs
from opgen.project.context import config_path, template_context
from opgen.resources import templates_dir


class ProjectError(Exception):
    """The project cannot be created; nothing was left behind."""

    def __init__(self, *messages: str, diagnostics: tuple[str, ...] = ()) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.diagnostics = diagnostics
        """Formatted config diagnostics (`file:line:col: error: ...`), printed as they are."""


@dataclass(frozen=True)
class CreateReport:
    directory: Path
    package: str
    created: tuple[str, ...]
    """Files this run wrote, relative to the directory, sorted."""
    kept: tuple[str, ...]
    """Files the template has that were already there and were left alone (with --force)."""
    backends: tuple[str, ...]


def template_dir() -> Path:
    return templates_dir() / "project"


def template_variables() -> dict[str, Any]:
    """The template's cookiecutter.json: its variables, defaults and prompts."""
    with open(template_dir() / "cookiecutter.json", encoding="utf-8") as f:
        variables: dict[str, Any] = json.load(f)
    return variables


def check_target(directory: Path, force: bool) -> None:
    """Refuse a target that is not an empty or missing directory (unless `force`), before
    anything is written."""
    if os.path.lexists(directory) and not directory.is_dir():
        raise ProjectError(f"'{directory}' exists and is not a directory")
    parent = directory.absolute().parent
    if not parent.is_dir():
        raise ProjectError(f"the parent directory of '{directory}' does not exist")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise ProjectError(
            f"'{directory}' exists and is not empty; use --force to add the project's files "
            "to it (files already there are kept, none is deleted)"
        )


def create_project(
    directory: Path,
    config: bytes,
    answers: Mapping[str, str],
    *,
    shape: str,
    project: str,
    force: bool = False,
) -> CreateReport:
    """Create the project in `directory` around `config` (the XML of one package). `answers`
    holds the template's prompted variables; `shape` is the starter shape's name, or "onnx"."""
    check_target(directory, force)
    parent = directory.absolute().parent
    scratch = Path(tempfile.mkdtemp(prefix=f".{directory.name[:40]}.opgen-new-", dir=parent))
    try:
        rendered = _render(scratch, config, answers, shape, project)
        if not os.path.lexists(directory):
            os.rename(rendered.root, directory)
            return CreateReport(directory, rendered.package, rendered.files, (), rendered.backends)
        created, kept = _merge(rendered.root, directory, rendered.files)
        return CreateReport(directory, rendered.package, created, kept, rendered.backends)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass(frozen=True)
class _Rendered:
    root: Path
    package: str
    files: tuple[str, ...]
    backends: tuple[str, ...]


def _render(
    scratch: Path, config: bytes, answers: Mapping[str, str], shape: str, project: str
) -> _Rendered:
    from cookiecutter.generate import generate_files  # type: ignore[import-untyped]

    staging = scratch / "config"
    staging.mkdir()
    probe = staging / "config.xml"
    probe.write_bytes(config)
    result = validate_configs([probe])
    if not result.ok:
        raise ProjectError(
            "the project's config does not validate",
            diagnostics=tuple(d.format() for d in result.diagnostics if d.level is Level.ERROR),
        )
    (package,) = load_packages([probe])
    variables = {
        **template_variables(),
        **answers,
        "project_slug": "project",  # the rendered directory's name, inside the scratch space
        "_opgen": template_context(package, shape, project),
        "_template": str(template_dir()),
        "_output_dir": str(scratch),
    }
    variables.pop("__prompts__", None)
    root = Path(
        generate_files(
            repo_dir=str(template_dir()),
            context={"cookiecutter": variables},
            output_dir=str(scratch / "render"),
            accept_hooks=False,
        )
    )
    target = root / config_path(package.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    probe.replace(target)
    files = tuple(sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir()))
    return _Rendered(root, package.name, files, tuple(b.value for b in package.backends))


def _merge(
    source: Path, directory: Path, files: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Link each of `files` from `source` into `directory` where no file is; on a failure,
    remove what was linked and the directories made, and raise."""
    for relpath in files:  # first every check, so a refusal writes nothing
        for parent in reversed(Path(relpath).parents[:-1]):
            there = directory / parent
            if os.path.lexists(there) and (there.is_symlink() or not there.is_dir()):
                raise ProjectError(
                    f"'{there}' exists and is not a directory; the project needs "
                    f"{parent.as_posix()}/ there"
                )
    created: list[Path] = []
    made: list[Path] = []
    kept: list[str] = []
    try:
        for relpath in files:
            target = directory / relpath
            for parent in reversed(Path(relpath).parents[:-1]):
                if not os.path.lexists(directory / parent):
                    (directory / parent).mkdir()
                    made.append(directory / parent)
            try:
                os.link(source / relpath, target)  # never replaces a file that is there
            except FileExistsError:
                kept.append(relpath)
                continue
            created.append(target)
    except OSError as exc:
        for path in reversed(created):
            path.unlink(missing_ok=True)
        for path in reversed(made):
            with contextlib.suppress(OSError):  # not empty: someone else wrote there meanwhile
                path.rmdir()
        raise ProjectError(f"cannot write into '{directory}': {exc}") from None
    written = tuple(p.relative_to(directory).as_posix() for p in created)
    return written, tuple(kept)
