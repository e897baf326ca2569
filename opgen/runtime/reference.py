"""Reference implementations of custom ops, for ``opgen onnx run --reference`` and ``opgen test``:
numpy functions named after the op types, ``f(*inputs, **params) -> array | tuple of arrays``
(inputs in declaration order, params keyed by their XML names with the config's defaults
applied, outputs in order).

A reference is a module, the path of a ``.py`` file (imported under a private name), or a
mapping of names to functions. Loading or calling one runs the user's code: whatever it raises
becomes a :class:`ReferenceModuleError` naming the op, never a traceback. No onnx here.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np


class ReferenceModuleError(Exception):
    """A reference module that cannot be loaded, or a reference function that fails; one line."""


Reference = ModuleType | str | PathLike[str] | Mapping[str, Callable[..., Any]]


def load_reference(reference: Reference) -> dict[str, Callable[..., Any]]:
    """The functions of ``reference`` by name."""
    if isinstance(reference, Mapping):
        return dict(reference)
    module = reference if isinstance(reference, ModuleType) else _import(Path(reference))
    return {
        name: value
        for name, value in vars(module).items()
        if callable(value) and not name.startswith("_")
    }


def _import(path: Path) -> ModuleType:
    if not path.is_file():
        raise ReferenceModuleError(f"reference module '{path}': no such file")
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(f"_opgen_reference_{digest}", path)
    if spec is None or spec.loader is None:
        raise ReferenceModuleError(f"reference module '{path}': not a Python file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the user's code, at the edge: any failure is their message
        raise ReferenceModuleError(
            f"reference module '{path}' fails to import: {_describe(exc)}"
        ) from None
    return module


def call_reference(
    reference: Mapping[str, Callable[..., Any]],
    op: str,
    inputs: list[Any],
    params: Mapping[str, object],
    outputs: int,
) -> list[Any]:
    """Call the reference of ``op``; its result as ``outputs`` arrays."""
    function = reference.get(op)
    if function is None:
        raise ReferenceModuleError(f"the reference has no function '{op}'")
    try:
        result = function(*inputs, **params)
    except Exception as exc:  # the user's code, at the edge: any failure is their message
        raise ReferenceModuleError(f"the reference {op}() raised {_describe(exc)}") from None
    results = list(result) if isinstance(result, tuple | list) else [result]
    if len(results) != outputs:
        raise ReferenceModuleError(
            f"the reference {op}() returned {len(results)} output(s); the op has {outputs}"
        )
    arrays = []
    for i, value in enumerate(results):
        array = np.asarray(value)
        if array.dtype == object:
            raise ReferenceModuleError(
                f"the reference {op}() returned output {i} that is not an array"
            )
        arrays.append(array)
    return arrays


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
