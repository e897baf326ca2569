"""What the CPU and GPU executors share: creating ops, running them once, freeing leftovers."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from opgen.runtime import abi
from opgen.runtime.errors import OpPackageError, OpRequestError
from opgen.runtime.library import Interface
from opgen.runtime.package import OpPackage
from opgen.runtime.request import OpRequest, OutputRequest, ParamValue


class BoundOp:
    """What every created op (CpuOp, GpuOp) shares: the freed check, freeOpImpl, rebinding
    arrays of the same shapes, and use as a context manager that frees on exit."""

    def __init__(self, package: OpExecutor[Any], op_type: str) -> None:
        self._package = package
        self.op_type = op_type
        self._handle: int | None = None

    def free(self) -> None:
        """freeOpImpl; further executions raise. Safe to call twice."""
        handle, self._handle = self._handle, None
        self._package._forget(self)
        if handle is None or not self._package.registered:
            return
        mark = self._package._message_count
        code = self._package.interface.table.freeOpImpl(handle)
        if code != abi.QNN_SUCCESS:
            raise self._package._failure("freeOpImpl", code, self.op_type, mark)

    def __enter__(self: _B) -> _B:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.free()

    def _require_live(self) -> None:
        if self._handle is None or not self._package.registered:
            raise OpRequestError("the op was freed", package=self._package.name, op=self.op_type)

    def _checked(
        self, bound: Sequence[npt.NDArray[Any]], arrays: Sequence[Any], role: str
    ) -> list[npt.NDArray[Any]]:
        """New arrays for a created op: as many, and each like the one it replaces."""
        if len(arrays) != len(bound):
            raise OpRequestError(
                f"the op was created with {len(bound)} {role}(s), got {len(arrays)}",
                package=self._package.name,
                op=self.op_type,
            )
        new = []
        for i, (old, value) in enumerate(zip(bound, arrays, strict=True)):
            array = np.ascontiguousarray(value) if role == "input" else value
            if (
                not isinstance(array, np.ndarray)
                or array.dtype != old.dtype
                or array.shape != old.shape
                or not array.flags.c_contiguous
                or (role == "output" and not array.flags.writeable)
            ):
                raise OpRequestError(
                    f"{role} {i} must be a C-contiguous {old.dtype} array of shape {old.shape}, "
                    "as when the op was created (create a new op otherwise)",
                    package=self._package.name,
                    op=self.op_type,
                )
            new.append(array)
        return new


_B = TypeVar("_B", bound=BoundOp)


class CreatedOp(Protocol):
    """An op created in a package (CpuOp, GpuOp): execute it any number of times, then free it."""

    def execute(self) -> list[npt.NDArray[Any]]: ...

    def free(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


OpT = TypeVar("OpT", bound=CreatedOp)


class OpExecutor(OpPackage, Generic[OpT]):
    """An OpPackage that creates ops (opImpls) and tracks them, so close() frees leftovers."""

    required_slots = (*OpPackage.required_slots, "createOpImpl", "freeOpImpl")

    def __init__(
        self, interface: Interface, configs: Sequence[str | PathLike[str]] | None = None
    ) -> None:
        super().__init__(interface, configs)
        self._live: dict[int, OpT] = {}  # created and not yet freed
        self._node_ids = itertools.count()

    def create(
        self,
        op_type: str,
        inputs: Sequence[npt.ArrayLike],
        params: Mapping[str, ParamValue] | None = None,
        outputs: Sequence[OutputRequest] | None = None,
        *,
        param_types: Mapping[str, Any] | None = None,
    ) -> OpT:
        """Validate and create one op; execute it as often as needed, then free it."""
        request = self.request(op_type, inputs, params, outputs, param_types=param_types)
        node_name = f"{op_type}_{next(self._node_ids)}"
        self.validate(request, node_name)
        op = self._new_op(request, node_name)
        self._live[id(op)] = op
        return op

    def _new_op(self, request: OpRequest, node_name: str) -> OpT:
        """Create the op in the package (createOpImpl); each executor makes its own kind."""
        raise NotImplementedError

    def execute(
        self,
        op_type: str,
        inputs: Sequence[npt.ArrayLike],
        params: Mapping[str, ParamValue] | None = None,
        outputs: Sequence[OutputRequest] | None = None,
        *,
        param_types: Mapping[str, Any] | None = None,
    ) -> list[npt.NDArray[Any]]:
        """Create, execute and free one op; returns its outputs."""
        return self.run_request(
            self.request(op_type, inputs, params, outputs, param_types=param_types)
        )

    def run_request(
        self, request: OpRequest, stage: Callable[[str], None] | None = None
    ) -> list[npt.NDArray[Any]]:
        """Validate, create, execute and free the op of a built request; returns its outputs.

        ``stage`` is told each interface stage before it starts (the worker process reports
        them, so a crash names the stage it happened in).
        """
        report = stage or (lambda _: None)
        node_name = f"{request.op_type}_{next(self._node_ids)}"
        report("validateOpConfig")
        self.validate(request, node_name)
        report("createOpImpl")
        op = self._new_op(request, node_name)
        self._live[id(op)] = op
        try:
            report("execute")
            results = op.execute()
        finally:
            report("freeOpImpl")
            op.free()
        return results

    def _forget(self, op: object) -> None:
        self._live.pop(id(op), None)

    def _free_all(self) -> None:
        for op in list(self._live.values()):
            try:
                op.free()
            except OpPackageError as exc:
                self._logger.warning("%s", exc)
