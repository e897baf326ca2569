"""The HTP backend's side of an op package, for packages built against opgen's host emulation.

Design note. The real HTP backend never calls createOpImpl (it is NULL): it finds ops through the
package's C++ registry (DEF_PACKAGE_OP and friends) and picks, per node, the registration whose
argument types fit and whose cost is lowest. opgen's emulation headers (templates/htp/static)
build that registry on the host and export it through a small C ABI (opgen_host_abi.h). This
executor follows the backend's steps with numpy arrays:

    provider -> interface 1.4 -> init -> getInfo -> validateOpConfig (Qnn_OpConfig_t, with the
    tensors' scale/offset) -> param order (reorder, defaults, drop, skip) -> backfill to rank 4
    and adjust axis params -> bind outputs, inputs, params (scalars as 1x1x1x1 tensors) ->
    select the registration (arity, types, lowest cost) -> execute -> check the output guards
    (see .guard: 128-aligned, the padding to whole vectors writable) -> copy the outputs back.

    with register("build/x86_64-linux-clang/libQnnMyPkg.so:MyPkgInterfaceProvider:HTP") as pkg:
        (y,) = pkg.execute("Relu", [x_u8], outputs=[(x_u8.shape, "uint8")],
                           quant={"in": (0.05, -128), "out": (0.05, -128)})

Quantization follows QNN: real = scale * (q + offset). A status other than Success raises
:class:`GraphStatusError` naming the package, the op and the status. A library built against the
vendor SDK has no opgen entry points and is refused when registered.
"""

from __future__ import annotations

import ctypes
import logging
import weakref
from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.runtime import abi
from opgen.runtime.abi import htp as htp_abi
from opgen.runtime.errors import OpPackageError, PackageLoadError
from opgen.runtime.gpu_infra import deliver_log
from opgen.runtime.guard import check_all
from opgen.runtime.htp_registry import (
    HtpRegistration,
    HtpRegistry,
    cost_name,
    read_registry,
    select,
)
from opgen.runtime.htp_tensors import (
    HtpTensor,
    Quant,
    adjust_axis,
    bind_output,
    bind_tensor,
    order_params,
    param_tensor,
    relaxed,
)
from opgen.runtime.library import Interface
from opgen.runtime.opconfig import build_op_config
from opgen.runtime.package import OpPackage
from opgen.runtime.quant import QuantPlan, quantize, set_quants
from opgen.runtime.request import (
    OpRequest,
    OutputRequest,
    ParamValue,
)

#: Bytes the package may write into the message buffer of one call.
MESSAGE_BYTES = 1 << 16
_LEVELS = {0: logging.ERROR, 1: logging.WARNING, 2: logging.INFO, 3: logging.INFO}
QuantValue = Quant | tuple[float, int]

__all__ = ["GraphStatusError", "HtpFp16OpPackage", "HtpOpPackage", "Quant"]


class GraphStatusError(OpPackageError):
    """An HTP op returned a GraphStatus other than Success."""

    def __init__(self, status: int, *, package: str, op: str, log: Sequence[str]) -> None:
        self.status = status
        self.status_name = htp_abi.status_name(status)
        super().__init__(
            f"execute failed with GraphStatus {self.status_name} ({status})",
            package=package,
            op=op,
            stage="execute",
            log=log,
        )


class _LogSink:
    """The ``logInitialize`` callback of one library (kept for the life of the process, as the
    library may keep it); messages go to the registered package, which is weakly held."""

    def __init__(self) -> None:
        self.owner: weakref.ref[HtpOpPackage] | None = None
        self.callback = abi.QnnLog_Callback_t(self._log)

    def _log(self, fmt: bytes | None, level: int, _timestamp: int, args: int | None) -> None:
        deliver_log(self.owner, fmt, level, args)


_LOG_SINKS: dict[str, _LogSink] = {}


class HtpOpPackage(OpPackage):
    """An HTP op package built against opgen's host emulation, registered with the runtime."""

    target = "HTP"
    #: HTP_FP16: FLOAT_32 inputs and outputs reach the ops as FLOAT_16 (relaxed precision).
    relaxed_precision = False

    def __init__(
        self, interface: Interface, configs: Sequence[str | PathLike[str]] | None = None
    ) -> None:
        super().__init__(interface, configs)
        handle = interface.handle
        if not hasattr(handle, htp_abi.REGISTRY_SYMBOL):
            raise PackageLoadError(
                f"'{interface.library}' exports no {htp_abi.REGISTRY_SYMBOL}: it is not an HTP "
                "package built against opgen's host emulation. A package built against the "
                "vendor's HTP SDK runs only in the vendor's HTP backend or simulator; build it "
                "with `make htp_x86` without QNN_SDK_ROOT to run it here",
                package=self._name,
            )
        self._registry_fn = htp_abi.OpgenHtpRegistryFn_t((htp_abi.REGISTRY_SYMBOL, handle))
        self._cost_fn = htp_abi.OpgenHtpCostFn_t((htp_abi.COST_SYMBOL, handle))
        self._execute_fn = htp_abi.OpgenHtpExecuteFn_t((htp_abi.EXECUTE_SYMBOL, handle))
        self._registry: HtpRegistry | None = None

    def init(self) -> None:
        sink = _LOG_SINKS.setdefault(self.interface.library, _LogSink())
        previous = sink.owner
        sink.owner = weakref.ref(self)
        table = self.interface.table
        if table.logInitialize:  # 3000 (already initialised) keeps the callback given before
            table.logInitialize(sink.callback, abi.QnnLog_Level_t.QNN_LOG_LEVEL_DEBUG)
        try:
            super().init()
        except OpPackageError:
            sink.owner = previous
            raise
        if self._registry is None:
            self._registry = read_registry(self._registry_fn, self._name)
        if self._registry.package_name != self.info.package_name:
            self._logger.warning(
                "the registry belongs to package '%s', getInfo names '%s'",
                self._registry.package_name,
                self.info.package_name,
            )
        for name in self._registry.empty_declarations:
            self._logger.warning(
                "DECLARE_PKG_OPS_OPTS_LIST(%s) has no op file: it registers nothing", name
            )

    @property
    def registry(self) -> HtpRegistry:
        if self._registry is None:
            raise PackageLoadError("the package was never registered", package=self._name)
        return self._registry

    def describe(self) -> list[tuple[str, str]]:
        registry = self.registry
        rows = [
            ("host emulation", f"opgen HTP host ABI {htp_abi.OPGEN_HTP_HOST_ABI_VERSION}"),
            (
                "optimization rules",
                f"{registry.ignored_rules} (optimization rules and tensor properties are accepted "
                "and ignored on the host)",
            ),
        ]
        for op in self.info.operations:
            regs = registry.for_op(op)
            text = "; ".join(f"{r.function} {r.type_suffix} cost {cost_name(r)}" for r in regs)
            rows.append((f"  {op}", text or "no DEF_PACKAGE_OP (reachable only through rules)"))
        return rows

    def describe_json(self) -> dict[str, object]:
        registry = self.registry
        return {
            "ignored_optimization_rules": registry.ignored_rules,
            "registrations": {
                op: [r.to_json() for r in registry.for_op(op)] for op in self.info.operations
            },
            "param_orders": {
                op: [
                    {"name": e.name, "mandatory": e.mandatory, "default": e.default is not None}
                    for e in entries
                ]
                for op, entries in registry.param_orders.items()
            },
        }

    # ---- running an op --------------------------------------------------------------------------

    def execute(
        self,
        op_type: str,
        inputs: Sequence[npt.ArrayLike],
        params: Mapping[str, ParamValue] | None = None,
        outputs: Sequence[OutputRequest] | None = None,
        *,
        param_types: Mapping[str, Any] | None = None,
        quant: Mapping[str, QuantValue] | None = None,
    ) -> list[npt.NDArray[Any]]:
        """Run one op once and return its outputs.

        ``quant`` maps tensor names (declared input/output names, ``in[i]``, ``out[i]``, or a
        tensor param's name) to ``(scale, offset)`` in QNN's convention.
        """
        request = self.request(op_type, inputs, params, outputs, param_types=param_types)
        request, plan = quantize(request, dict(quant or {}), self.declaration(op_type))
        self._validate_quantized(request, plan)
        registry = self.registry
        ordered, dropped = order_params(request.params, registry.param_orders.get(op_type), op_type)
        for name in dropped:
            self._logger.info("%s: param '%s' is not in the param order: dropped", op_type, name)
        rank = request.inputs[0].array.ndim if request.inputs else 4
        ordered = [adjust_axis(p, rank) if p.name in registry.axis_params else p for p in ordered]
        outs, ins = request.outputs, request.inputs
        if self.relaxed_precision:  # the graph stays float32; the ops see float16
            outs = tuple(relaxed(t, values=False) for t in outs)
            ins = tuple(relaxed(t, values=True) for t in ins)
        bound_out = [
            bind_output(n, t, q, op_type)
            for n, t, q in zip(plan.output_names, outs, plan.outputs, strict=True)
        ]
        bound_in = [
            bind_tensor(n, t, q, op_type)
            for n, t, q in zip(plan.input_names, ins, plan.inputs, strict=True)
        ]
        bound_in += [param_tensor(p, plan.params.get(p.name), op_type) for p in ordered]
        chosen = select(
            registry.for_op(op_type),
            [t.signature for t in bound_out],
            [t.signature for t in bound_in],
            lambda r: self._cost(r, bound_out, bound_in),
            package=self._name,
            op=op_type,
        )
        self._logger.debug("%s runs %s %s", op_type, chosen.function, chosen.type_suffix)
        guards = [t.guard for t in bound_out if t.guard is not None]
        for guard in guards:  # after the cost functions, which see the outputs too
            guard.arm()
        status, log = self._call(chosen, bound_out, bound_in, None)
        if status != 0:
            raise GraphStatusError(status, package=self._name, op=op_type, log=log)
        labels = self.output_labels(op_type, len(outs))
        check_all(guards, labels, package=self._name, op=op_type)  # as CPU and GPU do
        results = []
        for tensor, bound in zip(request.outputs, bound_out, strict=True):
            array = tensor.array
            values = bound.view(array.shape)
            array[...] = values != 0 if array.dtype == np.bool_ else values
            results.append(array)
        return results

    def _validate_quantized(self, request: OpRequest, plan: QuantPlan) -> None:
        """validateOpConfig with each quantized tensor's scale and offset in the config."""
        self._require_registered(request.op_type)
        built = build_op_config(request, self._name, f"{request.op_type}_0")
        set_quants(built.config, request, plan)
        mark = self._message_count
        code = self.interface.table.validateOpConfig(built.config)
        if code != abi.QNN_SUCCESS:
            raise self._failure("validateOpConfig", code, request.op_type, mark)

    def _cost(
        self, registration: HtpRegistration, outs: list[HtpTensor], ins: list[HtpTensor]
    ) -> float:
        if not registration.has_cost_function:
            return registration.cost
        cost = ctypes.c_double()
        status, log = self._call(registration, outs, ins, cost)
        if status != 0:
            raise GraphStatusError(status, package=self._name, op=registration.op_name, log=log)
        return cost.value

    def _call(
        self,
        registration: HtpRegistration,
        outs: list[HtpTensor],
        ins: list[HtpTensor],
        cost: ctypes.c_double | None,
    ) -> tuple[int, list[str]]:
        out_array = (htp_abi.OpgenHtpTensor * max(len(outs), 1))(*(t.descriptor for t in outs))
        in_array = (htp_abi.OpgenHtpTensor * max(len(ins), 1))(*(t.descriptor for t in ins))
        messages = ctypes.create_string_buffer(MESSAGE_BYTES)
        if cost is None:
            status = self._execute_fn(
                registration.index,
                len(outs),
                out_array,
                len(ins),
                in_array,
                messages,
                MESSAGE_BYTES,
            )
        else:
            status = self._cost_fn(
                registration.index,
                len(outs),
                out_array,
                len(ins),
                in_array,
                ctypes.byref(cost),
                messages,
                MESSAGE_BYTES,
            )
        log = []
        for line in messages.value.decode("utf-8", "replace").splitlines():
            level, _, text = line.partition("\t")
            self._report(_LEVELS.get(int(level) if level.isdigit() else 0, logging.DEBUG), text)
            log.append(text)
        return int(status), log


class HtpFp16OpPackage(HtpOpPackage):
    """An HTP package run in relaxed precision, as HTP_FP16 graphs are: the graph's FLOAT_32
    tensors are cast to FLOAT_16 for the ops and back, so float16 registrations are chosen."""

    target = "HTP_FP16"
    relaxed_precision = True
