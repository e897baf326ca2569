"""The config layer: OpDef XML files in, validated packages (or diagnostics) out.

load (loader.py) -> build (builder.py) -> merge by PackageName (here) -> check (checks.py)
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path

from opgen.config.builder import BuiltConfig, build_config
from opgen.config.checks import check_package
from opgen.config.diagnostics import ConfigError, Diagnostic, Diagnostics, Level
from opgen.config.loader import load_config
from opgen.model import Backend, OpDef, Package, SourceLocation

__all__ = [
    "ConfigError",
    "Diagnostic",
    "Level",
    "ValidationResult",
    "load_packages",
    "validate_configs",
]


@dataclass(frozen=True)
class ValidationResult:
    packages: tuple[Package, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.level is Level.ERROR for d in self.diagnostics)


def validate_configs(paths: Iterable[str | PathLike[str]]) -> ValidationResult:
    """Load, merge and check configs; never raises for bad input, returns every diagnostic."""
    with _no_cycle_collection():
        return _validate(paths)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while configs are read: the model is frozen and acyclic, and
    with tens of thousands of live objects each collection would walk them all again (it took
    a third of the time for 1,000 ops). Reference counting still frees everything; the
    collector resumes, as it was, afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validate(paths: Iterable[str | PathLike[str]]) -> ValidationResult:
    diagnostics = Diagnostics()
    built: list[BuiltConfig] = []
    seen: dict[Path, Path] = {}
    for raw in paths:
        path = Path(raw)
        key = path.resolve()
        if key in seen:
            diagnostics.warning(
                SourceLocation(path, 1, 1), f"config also given as '{seen[key]}'; reading it once"
            )
            continue
        seen[key] = path
        loaded = load_config(path, diagnostics)
        if loaded is not None:
            built.append(build_config(loaded, diagnostics))

    packages = tuple(_merge(group, diagnostics) for group in _group_by_package(built))
    for package in packages:
        check_package(package, diagnostics)
    return ValidationResult(packages, tuple(diagnostics.items))


def load_packages(paths: Iterable[str | PathLike[str]]) -> list[Package]:
    """The packages the configs declare; raises ConfigError carrying every diagnostic on errors."""
    result = validate_configs(paths)
    if not result.ok:
        raise ConfigError(result.diagnostics)
    return list(result.packages)


def _group_by_package(built: Sequence[BuiltConfig]) -> list[list[BuiltConfig]]:
    groups: dict[str, list[BuiltConfig]] = {}
    for config in built:
        groups.setdefault(config.package_name, []).append(config)
    return list(groups.values())


def _merge(group: list[BuiltConfig], diagnostics: Diagnostics) -> Package:
    first = group[0].config
    for other in group[1:]:
        for attribute in ("domain", "version"):
            if getattr(other.config, attribute) != getattr(first, attribute):
                diagnostics.warning(
                    other.config.location,
                    f"{attribute.capitalize()} '{getattr(other.config, attribute)}' differs from "
                    f"'{getattr(first, attribute)}' in {first.path} for the same package; "
                    "it has no effect on generated code",
                )
    ops = [op for config in group for op in config.ops]
    supplementals = tuple(s for config in group for s in config.supplementals)
    # SupportedOps in a supplemental list adds that list's backend to the op.
    extra: dict[str, list[Backend]] = {}
    for sup in supplementals:
        if sup.backend in Backend._value2member_map_:
            for name, _ in sup.supported_ops:
                extra.setdefault(name, []).append(Backend(sup.backend))
    merged: list[OpDef] = []
    for op in ops:
        backends = tuple(dict.fromkeys((*op.backends, *extra.get(op.name, ()))))
        merged.append(replace(op, backends=backends) if backends != op.backends else op)
    return Package(
        name=group[0].package_name,
        configs=tuple(c.config for c in group),
        ops=tuple(merged),
        supplementals=supplementals,
    )
