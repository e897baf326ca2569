"""Pieces every backend's package plan shares: config copies, bundled headers, static files."""

from __future__ import annotations

from collections.abc import Sequence

from opgen.escaping import FreeText, file_stem
from opgen.model import BackendPackage
from opgen.render import Owner, PlannedFile
from opgen.resources import templates_dir


def banner_context(view: BackendPackage) -> FreeText:
    """The first-line notice of every opgen-owned generated file (no paths or times: stable).
    Free text: config file names may contain anything a file system allows."""
    configs = ", ".join(c.path.name for c in view.configs)
    return FreeText(
        f"opgen-owned file, generated for op package {view.name} ({view.backend.value}) from "
        f"{configs}. opgen regenerates it; edits are detected and refused."
    )


def config_copies(view: BackendPackage) -> list[PlannedFile]:
    """`config/<stem>.xml` for each contributing config. The stem is the config's, made safe
    for any file system, Makefile or shell (opgen.escaping.file_stem), so a file name cannot
    smuggle anything into the package; the suffix is always `.xml`, which the runtime looks
    for. Configs whose safe names coincide (ignoring case) get `_2`, `_3`, ..."""
    files = []
    used: set[str] = set()
    for config in view.configs:
        stem = file_stem(config.path.stem)
        name, n = f"{stem}.xml", 2
        while name.lower() in used:
            name = f"{stem}_{n}.xml"
            n += 1
        used.add(name.lower())
        files.append(PlannedFile(f"config/{name}", Owner.OPGEN, source=config.path))
    return files


def bundled_headers(backend_dirs: Sequence[str]) -> list[PlannedFile]:
    """The op-package headers opgen ships: the common ones plus the named backends' folders."""
    root = templates_dir() / "common" / "include" / "QNN"
    files = []
    for path in sorted(root.rglob("*.h")):
        rel = path.relative_to(root)
        if len(rel.parts) > 1 and rel.parts[0] not in backend_dirs:
            continue
        files.append(PlannedFile(f"include/QNN/{rel.as_posix()}", Owner.OPGEN, source=path))
    return files


def static_files(backend: str) -> list[PlannedFile]:
    """Files a backend ships verbatim, from templates/<backend>/static/."""
    root = templates_dir() / backend / "static"
    return [
        PlannedFile(path.relative_to(root).as_posix(), Owner.OPGEN, source=path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]
