"""ONNX models: custom-node recognition, check, annotate, draft, run with op packages.

The public API lives in submodules that import ``onnx``; this package imports it only when one
of the names below is first used, so ``opgen --help`` (which loads :mod:`opgen.onnx.cli`) never
imports onnx or numpy.

* :func:`load_model` reads a model file, raising :class:`ModelError` with a one-line message;
* :func:`custom_nodes` finds the nodes the vendor converter treats as custom (:class:`CustomNode`);
* :func:`node_params` maps a node's attributes to an op's params (:class:`NodeMappingError`).
* :func:`run` runs a model on the host with op packages, :func:`compare` against a reference.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opgen.onnx.match import (
        CustomNode,
        ModelError,
        NodeMappingError,
        attribute_value,
        custom_nodes,
        load_model,
        node_params,
    )
    from opgen.onnx.runner import Comparison, RunError, compare, run

__all__ = [
    "Comparison",
    "CustomNode",
    "ModelError",
    "NodeMappingError",
    "RunError",
    "attribute_value",
    "compare",
    "custom_nodes",
    "load_model",
    "node_params",
    "run",
]

_RUNNER = ("Comparison", "RunError", "compare", "run")
_LAZY = {name: "opgen.onnx.runner" if name in _RUNNER else "opgen.onnx.match" for name in __all__}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'opgen.onnx' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
