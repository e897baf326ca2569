"""What the CPU and GPU executors share: creating ops, running them once, freeing leftovers."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from os import PathLike
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

import numpy.typing as npt

from opgen.runtime.errors import OpPackageError
from opgen.runtime.library import Interface
from opgen.runtime.package import OpPackage
from opgen.runtime.request import OpRequest, OutputRequest, ParamValue


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
        op = self.create(op_type, inputs, params, outputs, param_types=param_types)
        with op:
            return op.execute()

    def _forget(self, op: OpT) -> None:
        self._live.pop(id(op), None)

    def _free_all(self) -> None:
        for op in list(self._live.values()):
            try:
                op.free()
            except OpPackageError as exc:
                self._logger.warning("%s", exc)
