"""Pieces every backend's package plan shares: config copies, bundled headers, static files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opgen.escaping import FreeText, file_stem
from opgen.model import BackendPackage, OpDef
from opgen.render import Owner, PlannedFile
from opgen.resources import templates_dir
from opgen.shapes.detect import declares_rules

#: The compiled-rule runtime in templates/common/static, shipped only where some op has rules,
#: so a package without rules is what it was before rules existed.
RULES_RUNTIME = ("include/opgen/ShapeRules.hpp", "src/utils/ShapeRules.cpp")


@dataclass(frozen=True)
class RuleCheck:
    """An op's shape and dtype rules compiled for validateOpConfig (opgen.shapes.emit_cpp)."""

    function: str
    """`opgenValidate<Op>`: `Qnn_ErrorHandle_t (const Qnn_OpConfig_t&)`."""
    definition: str
    """The C++ definition: config text in it is already escaped as string literals."""


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


def static_files(backend: str, *, exclude: Sequence[str] = ()) -> list[PlannedFile]:
    """Files a backend ships verbatim, from templates/<backend>/static/ (less `exclude`)."""
    root = templates_dir() / backend / "static"
    files = [
        PlannedFile(path.relative_to(root).as_posix(), Owner.OPGEN, source=path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]
    return [f for f in files if f.relpath not in exclude]


def cmake_files(backend: str, ctx: object) -> list[PlannedFile]:
    """`CMakeLists.txt` (templates/<backend>/CMakeLists.txt.j2) and the presets every CMake
    build shares, beside the package's Makefile: CMake builds the host library make builds."""
    presets = templates_dir() / "common" / "cmake" / "CMakePresets.json"
    return [
        PlannedFile("CMakeLists.txt", Owner.OPGEN, f"{backend}/CMakeLists.txt.j2", ctx),
        PlannedFile("CMakePresets.json", Owner.OPGEN, source=presets),
    ]


def common_static_files(checks: Sequence[RuleCheck | None]) -> list[PlannedFile]:
    """The shared support library; the rule runtime only when some op has rules."""
    with_rules = any(c is not None for c in checks)
    return static_files("common", exclude=() if with_rules else RULES_RUNTIME)


def rule_check(op: OpDef) -> RuleCheck | None:
    """The op's rules as a validateOpConfig step, None when it has none. `op` is the backend
    view's (its supplemental overrides merged), so each backend checks its own rules."""
    if not declares_rules(op):  # no rules: the grammar and the emitter stay unimported
        return None
    from opgen.shapes import rules_of
    from opgen.shapes.emit_cpp import Mode, rule_function

    compiled = rule_function(op, rules_of(op), Mode.VALIDATE)
    if compiled is None:
        return None
    return RuleCheck(compiled.name, compiled.definition)
