"""opgen: a declarative op-package generator and custom-op SDK for QNN-style OpDef configs.

The public API for tools that need what configs declare without generating anything:

    >>> import opgen
    >>> packages = opgen.load_packages(["my_ops.xml"])  # raises opgen.ConfigError on errors
    >>> [op.name for op in packages[0].ops]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opgen.config import (
        ConfigError,
        Diagnostic,
        ValidationResult,
        load_packages,
        validate_configs,
    )
    from opgen.model import Backend, BackendPackage, Datatype, OpDef, Package, Rank, TensorSpec

__version__ = "0.1.0"

#: Each public name's module: loaded on first use, so `opgen --help` reads no config code.
_HOMES = {
    **dict.fromkeys(
        ("ConfigError", "Diagnostic", "ValidationResult", "load_packages", "validate_configs"),
        "opgen.config",
    ),
    **dict.fromkeys(
        ("Backend", "BackendPackage", "Datatype", "OpDef", "Package", "Rank", "TensorSpec"),
        "opgen.model",
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'opgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "Backend",
    "BackendPackage",
    "ConfigError",
    "Datatype",
    "Diagnostic",
    "OpDef",
    "Package",
    "Rank",
    "TensorSpec",
    "ValidationResult",
    "__version__",
    "load_packages",
    "validate_configs",
]
