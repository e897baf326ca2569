"""opgen: a declarative op-package generator and custom-op SDK for QNN-style OpDef configs.

The public API for tools that need what configs declare without generating anything:

    >>> import opgen
    >>> packages = opgen.load_packages(["my_ops.xml"])  # raises opgen.ConfigError on errors
    >>> [op.name for op in packages[0].ops]
"""

from opgen.config import ConfigError, Diagnostic, ValidationResult, load_packages, validate_configs
from opgen.model import Backend, BackendPackage, Datatype, OpDef, Package, Rank, TensorSpec

__version__ = "0.1.0"

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
