"""The reference side of :mod:`opgen.onnx.runner`: :mod:`opgen.runtime.reference` (shared with
``opgen test``), its failures as :class:`RunError`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from opgen.onnx.run_models import RunError
from opgen.runtime import reference as _reference
from opgen.runtime.reference import Reference

__all__ = ["Reference", "call_reference", "load_reference"]


def load_reference(reference: Reference) -> dict[str, Callable[..., Any]]:
    """The functions of ``reference`` by name (:func:`opgen.runtime.reference.load_reference`)."""
    try:
        return _reference.load_reference(reference)
    except _reference.ReferenceModuleError as exc:
        raise RunError(str(exc)) from None


def call_reference(
    reference: Mapping[str, Callable[..., Any]],
    op: str,
    inputs: list[Any],
    params: Mapping[str, object],
    outputs: int,
) -> list[Any]:
    """Call the reference of ``op``; its result as ``outputs`` arrays."""
    try:
        return _reference.call_reference(reference, op, inputs, params, outputs)
    except _reference.ReferenceModuleError as exc:
        raise RunError(str(exc)) from None
