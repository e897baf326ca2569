"""The UDO global infrastructure the DSP executor gives a package: the host's side of the services
a Hexagon NN v2 op calls back into (udo/UdoImplDsp.h).

* ``udoMalloc``/``udoCalloc``/``udoMemalign``/``udoFree`` are the C library's own functions.
* ``udoSetOutputTensorSize(opInfra, k, bytes)`` checks ``bytes`` against what the runtime
  allocated for output ``k`` and records it (refused, with a non-zero return, when it does not
  fit); ``udoSetOutputD32ShapeSizePaddings`` does the same for zero paddings.
* ``udoGetInputD32Paddings`` reports zero paddings (the host's tensors are plain).
* VTCM: size 0, no pointer, ``udoVtcmIsReal`` 0.
* ``udoRunWorkerThreads(opInfra, n, fn, data)`` calls ``fn(opInfra, data)`` n times, in turn.

The per-op infrastructure token an op gets in createOperation (and hands back to these calls)
names an :class:`OpRecord`: the allocation sizes of its outputs, the sizes it set, and what went
wrong. A callback never raises (ctypes would only print it): a problem is recorded, and the
executor raises it once executeOp returns.
"""

from __future__ import annotations

import ctypes
import itertools
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from opgen.runtime import abi
from opgen.runtime.abi import dsp as dsp_abi
from opgen.runtime.gpu_infra import deliver_log

if TYPE_CHECKING:
    from opgen.runtime.package import OpPackage

#: More threads than this in one udoRunWorkerThreads call is taken for garbage (a v66 has 4-6).
MAX_WORKER_THREADS = 1024
#: Bytes per element of each UDO datatype (for udoSetOutputD32ShapeSizePaddings).
UDO_ITEM_SIZES = {
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_FLOAT_16: 2,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_FLOAT_32: 4,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_FIXED_8: 1,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_FIXED_16: 2,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_FIXED_32: 4,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_UINT_8: 1,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_UINT_16: 2,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_UINT_32: 4,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_INT_8: 1,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_INT_16: 2,
    dsp_abi.Udo_DataType_t.UDO_DATATYPE_INT_32: 4,
}


@dataclass
class OpRecord:
    """What the services know about one created operation."""

    capacities: tuple[int, ...]
    """Bytes allocated for each output."""
    sizes: list[int | None] = field(default_factory=list)
    """What udoSetOutputTensorSize set for each output (None: never called)."""
    problems: list[str] = field(default_factory=list)
    worker_calls: int = 0

    def __post_init__(self) -> None:
        self.sizes = [None] * len(self.capacities)


def _libc_function(name: str, fallback: str | None = None) -> Any:
    libc = ctypes.CDLL(None)
    found = getattr(libc, name, None)
    if found is None and fallback is not None:
        found = getattr(libc, fallback)
    return found


class Infrastructure:
    """The ``Udo_DspGlobalInfrastructure_t`` (and its QNN wrapper) given to one library's init.

    A library stays loaded for the life of the process and may keep the pointer, so the structure
    and its callbacks do too (one per library, see :data:`INFRASTRUCTURES`), with the
    ``logInitialize`` callback; the package its messages go to is weakly held (``owner``).
    """

    def __init__(self) -> None:
        self.owner: weakref.ref[OpPackage] | None = None
        self.log_callback = abi.QnnLog_Callback_t(self._log)
        self._ops: dict[int, OpRecord] = {}
        self._tokens = itertools.count(1)  # 0 would read as NULL
        infra = dsp_abi.Udo_DspGlobalInfrastructure_t()
        infra.dspInfraVersion = dsp_abi.Udo_Version_t(*dsp_abi.UDO_API_VERSION)
        infra.infraType = dsp_abi.Udo_HexNNInfraType_t.UDO_INFRA_HEXNN_V2
        services = infra.hexNNv2Infra
        self._callbacks = (
            dsp_abi.udoSetOutputTensorSize_t(self._set_output_tensor_size),
            dsp_abi.udoGetInputD32Paddings_t(self._get_input_d32_paddings),
            dsp_abi.udoSetOutputD32ShapeSizePaddings_t(self._set_output_d32),
            dsp_abi.udoGetVtcmSize_t(lambda _infra: 0),
            dsp_abi.udoGetVtcmPtr_t(lambda _infra: None),
            dsp_abi.udoVtcmIsReal_t(lambda _infra: 0),
            dsp_abi.udoRunWorkerThreads_t(self._run_worker_threads),
        )
        (
            services.udoSetOutputTensorSize,
            services.udoGetInputD32Paddings,
            services.udoSetOutputD32ShapeSizePaddings,
            services.udoGetVtcmSize,
            services.udoGetVtcmPtr,
            services.udoVtcmIsReal,
            services.udoRunWorkerThreads,
        ) = self._callbacks
        # The allocator is the C library's: no Python on the op's allocation path.
        services.udoMalloc = ctypes.cast(_libc_function("malloc"), dsp_abi.udoMalloc_t)
        services.udoCalloc = ctypes.cast(_libc_function("calloc"), dsp_abi.udoCalloc_t)
        services.udoMemalign = ctypes.cast(
            _libc_function("memalign", "aligned_alloc"), dsp_abi.udoMemalign_t
        )
        services.udoFree = ctypes.cast(_libc_function("free"), dsp_abi.udoFree_t)
        self.dsp = infra
        self.qnn = dsp_abi.QnnDspOpPackage_GlobalInfrastructure_t(ctypes.pointer(infra))

    @property
    def address(self) -> int:
        """What init receives (``QnnOpPackage_GlobalInfrastructure_t``)."""
        return ctypes.addressof(self.qnn)

    def _log(self, fmt: bytes | None, level: int, _timestamp: int, args: int | None) -> None:
        deliver_log(self.owner, fmt, level, args)

    # ---- per-op records --------------------------------------------------------------------------

    def open_op(self, capacities: tuple[int, ...]) -> tuple[int, OpRecord]:
        """A new per-op token and its record."""
        token = next(self._tokens)
        record = OpRecord(capacities)
        self._ops[token] = record
        return token, record

    def close_op(self, token: int) -> None:
        self._ops.pop(token, None)

    def _record(self, op_infra: int | None, service: str) -> OpRecord | None:
        record = self._ops.get(op_infra or 0)
        if record is None:
            # No record to put it in: every live op gets it, so the failure still surfaces.
            for live in self._ops.values():
                live.problems.append(
                    f"{service} was called with an unknown per-op infrastructure "
                    f"{op_infra or 0:#x} (not the one createOperation got)"
                )
        return record

    # ---- the services ----------------------------------------------------------------------------

    def _set_output_tensor_size(self, op_infra: int | None, index: int, size: int) -> int:
        record = self._record(op_infra, "udoSetOutputTensorSize")
        return 1 if record is None else _set_size(record, index, size, "udoSetOutputTensorSize")

    def _get_input_d32_paddings(self, _op_infra: int | None, _index: int, *pads: Any) -> int:
        for pad in pads:  # the host's tensors are plain: no padding anywhere
            if pad:
                pad[0] = 0
        return 0

    def _set_output_d32(self, op_infra: int | None, index: int, *args: int) -> int:
        record = self._record(op_infra, "udoSetOutputD32ShapeSizePaddings")
        if record is None:
            return 1
        batch, height, h_before, h_after, width, w_before, w_after = args[:7]
        depth, d_before, d_after, datatype = args[7:]
        if any((h_before, h_after, w_before, w_after, d_before, d_after)):
            record.problems.append(
                f"udoSetOutputD32ShapeSizePaddings asked for D32 paddings on output {index}: "
                "the host runs plain tensors only"
            )
            return 1
        item = UDO_ITEM_SIZES.get(datatype)  # type: ignore[call-overload]
        if item is None:
            record.problems.append(
                f"udoSetOutputD32ShapeSizePaddings: output {index} has unknown datatype "
                f"{datatype:#x}"
            )
            return 1
        size = batch * height * width * depth * item
        return _set_size(record, index, size, "udoSetOutputD32ShapeSizePaddings")

    def _run_worker_threads(
        self, op_infra: int | None, count: int, worker: int | None, user_data: int | None
    ) -> None:
        record = self._record(op_infra, "udoRunWorkerThreads")
        if record is None:
            return
        if not worker:
            record.problems.append("udoRunWorkerThreads was given no worker function (NULL)")
            return
        if count > MAX_WORKER_THREADS:
            record.problems.append(
                f"udoRunWorkerThreads asked for {count} threads (at most {MAX_WORKER_THREADS})"
            )
            return
        function = dsp_abi.workerThread_t(worker)
        for _ in range(count):  # in turn: each worker runs to its end before the next starts
            function(op_infra, user_data)
        record.worker_calls += count


def _set_size(record: OpRecord, index: int, size: int, service: str) -> int:
    if index >= len(record.capacities):
        record.problems.append(
            f"{service}: output {index} does not exist (the op has {len(record.capacities)})"
        )
        return 1
    capacity = record.capacities[index]
    if size > capacity:
        record.problems.append(
            f"{service}: output {index} needs {size} bytes, but {capacity} are allocated"
        )
        return 1
    record.sizes[index] = size
    return 0


INFRASTRUCTURES: dict[str, Infrastructure] = {}
