"""What the runtime knows about a package's ops beyond getInfo: their OpDef declarations.

A generated package keeps copies of its configs in ``<pkg>/config/*.xml`` and builds its host
library into ``<pkg>/libs/<target>/lib<Package>.so``; from a library at that place the configs
are found without being named. They tell the runtime input and output names, parameter
datatypes and kinds. Configs that are missing or do not load leave the runtime on its fallbacks
(Python types decide datatypes), with a warning; configs the user names must load.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import opgen
from opgen.model import Backend, OpDef
from opgen.runtime.errors import PackageLoadError

_LOG = logging.getLogger("opgen.runtime")


def find_configs(library: str | PathLike[str]) -> list[Path]:
    """``<pkg>/config/*.xml`` for a library at ``<pkg>/libs/<target>/lib*.so`` (CPU, GPU) or
    ``<pkg>/build/<target>/lib*.so`` (HTP); else []."""
    path = Path(library)
    if path.parent.parent.name not in ("libs", "build"):
        return []
    config_dir = path.parent.parent.parent / "config"
    return sorted(config_dir.glob("*.xml")) if config_dir.is_dir() else []


def declarations_for(
    configs: Sequence[str | PathLike[str]],
    library: str,
    package_name: str,
    target: str,
    *,
    explicit: bool,
) -> dict[str, OpDef]:
    """:func:`load_declarations`, with a warning (and no declarations) when there are no
    configs: the library was copied out of its package, or built by another tool."""
    if configs:
        return load_declarations(configs, package_name, target, explicit=explicit)
    _LOG.warning(
        "no OpDef configs found for %s (a generated package keeps them in <pkg>/config/, "
        "next to its libs/ or build/): without the op declarations, parameter datatypes "
        "follow the values given (3 is INT_32, 3.0 FLOAT_32) and tensors have no names; "
        "give the configs (--config CONFIG.xml; Python: configs=[...])",
        library,
    )
    return {}


def load_declarations(
    configs: Sequence[str | PathLike[str]],
    package_name: str,
    target: str,
    *,
    explicit: bool,
) -> dict[str, OpDef]:
    """The ops of ``package_name`` for ``target`` that ``configs`` declare, by name.

    Problems raise PackageLoadError when the configs were named by the user (``explicit``), and
    otherwise give a warning and an empty mapping.
    """
    try:
        packages = opgen.load_packages(configs)
    except opgen.ConfigError as exc:
        first = "; ".join(str(exc).splitlines()[:2])
        return _unusable(f"the configs do not load: {first}", configs, explicit)
    package = next((p for p in packages if p.name == package_name), None)
    if package is None:
        names = ", ".join(p.name for p in packages) or "none"
        return _unusable(f"they declare {names}, not {package_name}", configs, explicit)
    backend = next((b for b in Backend if b.value == target), None)
    if backend is None or backend not in package.backends:
        return _unusable(f"no op of {package_name} targets {target}", configs, explicit)
    return {op.name: op for op in package.resolve(backend).ops}


def _unusable(
    reason: str, configs: Sequence[str | PathLike[str]], explicit: bool
) -> dict[str, OpDef]:
    listed = ", ".join(str(c) for c in configs)
    message = f"cannot use the op declarations in {listed}: {reason}"
    if explicit:
        raise PackageLoadError(message)
    _LOG.warning("%s; datatypes follow the Python values", message)
    return {}
