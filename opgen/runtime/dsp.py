"""The DSP backend's side of an op package (legacy UDO, Hexagon v65/v66), for host-built packages.

There is no x86 DSP backend: a DSP op package is a Hexagon library loaded into the DSP skel.
Built for the host (``make dsp_x86``), it runs here the way the DSP backend drives it:

    provider -> interface 1.4 -> init(QnnDspOpPackage_GlobalInfrastructure_t -> the UDO global
    infrastructure, see .dsp_infra) -> getInfo (operationInfo: one UDO function table per op)
    -> per node: validateOpConfig -> Qnn_Param_t to Udo_Param_t -> validateOp ->
    createOpFactory(UDO_CORETYPE_DSP, {graphId}) -> queryOp (counts, quantization, layouts)
    -> createOperation(factory, per-op infrastructure, inputs, outputs) -> executeOp(blocking)
    -> the output sizes and dimensions the op set -> releaseOp -> releaseOpFactory
    -> terminate at close.

    with OpPackage.register("build/x86_64/libMyPkg.so:MyPkgInterfaceProvider:DSP") as pkg:
        (y,) = pkg.execute("Relu", [x_u8], quant={"in": (0.05, -128), "out": (0.05, -128)})

Quantized tensors are UFIXED_POINT_8 (or 16) with QNN's scale/offset (real = scale * (q +
offset)), passed to the op as TF min/max; see :mod:`.dsp_tensors`. Tensors keep their rank.
Outputs must come back in the shape they were allocated with. A UDO function returning an
error raises :class:`UdoCallError` naming the package, the op, the function and the UDO code.
"""

from __future__ import annotations

import ctypes
import itertools
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.runtime import abi
from opgen.runtime.abi import dsp as dsp_abi
from opgen.runtime.dsp_infra import INFRASTRUCTURES, Infrastructure, OpRecord
from opgen.runtime.dsp_quant import check_query
from opgen.runtime.dsp_table import OperationInfo, UdoCallError, operation_tables
from opgen.runtime.dsp_tensors import (
    absent,
    bind_input,
    bind_output,
    convert_params,
    fill_tensor,
    output_problem,
)
from opgen.runtime.errors import OpPackageError
from opgen.runtime.guard import GuardedOutput, check_all
from opgen.runtime.htp_tensors import Quant
from opgen.runtime.opconfig import BuiltOpConfig, build_op_config
from opgen.runtime.package import OpPackage
from opgen.runtime.quant import QuantPlan, quantize, set_quants
from opgen.runtime.request import OpRequest, OutputRequest, ParamValue

QuantValue = Quant | tuple[float, int]
Stage = Callable[[str], None]

__all__ = ["DspOpPackage", "Quant", "UdoCallError"]


class DspOpPackage(OpPackage):
    """A DSP (UDO) op package built for the host, registered with the runtime."""

    target = "DSP"

    def init(self) -> None:
        infrastructure = INFRASTRUCTURES.setdefault(self.interface.library, Infrastructure())
        previous = infrastructure.owner
        infrastructure.owner = weakref.ref(self)
        table = self.interface.table
        if table.logInitialize:  # 3000 (already initialised) keeps the callback given before
            table.logInitialize(infrastructure.log_callback, abi.QnnLog_Level_t.QNN_LOG_LEVEL_DEBUG)
        try:
            super().init()
        except OpPackageError:
            infrastructure.owner = previous  # a still-registered sibling keeps its messages
            raise
        try:
            self._operations = self._read_operation_info()
        except OpPackageError:
            self.close()
            raise
        self._graph_ids = itertools.count(1)
        self._execution_ids = itertools.count(1)

    def _global_infrastructure(self) -> int | None:
        return self._infrastructure.address

    @property
    def _infrastructure(self) -> Infrastructure:
        return INFRASTRUCTURES[self.interface.library]

    def operation_info(self, op_type: str) -> OperationInfo:
        self._require_registered(op_type)
        return self._operations[op_type]

    def describe(self) -> list[tuple[str, str]]:
        version = ".".join(map(str, dsp_abi.UDO_API_VERSION))
        rows = [
            (
                "UDO infrastructure",
                f"Hexagon NN v2, UDO API {version} (on the host: plain tensors, no VTCM, "
                "worker threads run in turn)",
            )
        ]
        for op in self.info.operations:
            entry = self._operations[op]
            text = (
                f"{entry.static_params} static param(s), {entry.inputs} input(s), "
                f"{entry.outputs} output(s)"
            )
            rows.append((f"  {op}", text))
        return rows

    def describe_json(self) -> dict[str, object]:
        return {
            "udo_api_version": ".".join(map(str, dsp_abi.UDO_API_VERSION)),
            "operation_info": {
                op: {"static_params": e.static_params, "inputs": e.inputs, "outputs": e.outputs}
                for op, e in self._operations.items()
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
        stage: Stage | None = None,
    ) -> list[npt.NDArray[Any]]:
        """Run one op once (one node, start to end) and return its outputs.

        ``quant`` maps tensor names (declared input/output names, ``in[i]``, ``out[i]``, or a
        tensor param's name) to ``(scale, offset)`` in QNN's convention. ``stage`` is told each
        interface function before it is called (the worker process reports them).
        """
        report = stage or (lambda _: None)
        mark = self._message_count  # an error quotes what the package logged since
        request = self.request(op_type, inputs, params, outputs, param_types=param_types)
        entry = self.operation_info(op_type)
        request, plan = quantize(request, dict(quant or {}), self.declaration(op_type))
        report("validateOpConfig")
        built = self._validate(request, plan)
        keep: list[Any] = [built]
        udo_params, count = convert_params(built.config, op_type, keep)
        name = op_type.encode()
        table = entry.table
        report("validateOp")
        self._check("validateOp", table.validateOp(name, count, udo_params), op_type, mark)
        factory = ctypes.c_void_p()
        factory_infra = dsp_abi.Udo_HexNNv2OpFactoryInfra_t(next(self._graph_ids))
        report("createOpFactory")
        code = table.createOpFactory(
            dsp_abi.Udo_CoreType_t.UDO_CORETYPE_DSP,
            ctypes.byref(factory_infra),
            name,
            count,
            udo_params,
            ctypes.byref(factory),
        )
        self._check("createOpFactory", code, op_type, mark)
        if not factory.value:
            raise OpPackageError(
                "createOpFactory returned success but no factory (NULL)",
                package=self._name,
                op=op_type,
                stage="createOpFactory",
            )
        try:
            report("queryOp")
            counts = self._query(table, name, count, udo_params, request, plan, mark)
            results = self._run(table, factory.value, request, plan, counts, report, mark)
        except OpPackageError:
            self._release("releaseOpFactory", table.releaseOpFactory, factory.value, op_type)
            raise
        report("releaseOpFactory")
        self._release("releaseOpFactory", table.releaseOpFactory, factory.value, op_type, mark)
        return results

    def _run(
        self,
        table: dsp_abi.QnnDspOpPackage_OperationInfo_t,
        factory: int,
        request: OpRequest,
        plan: QuantPlan,
        counts: tuple[int, int],
        report: Stage,
        mark: int,
    ) -> list[npt.NDArray[Any]]:
        """createOperation, executeOp, releaseOp; ``counts`` are queryOp's: the tensors the
        request leaves out (optional ones) travel as absent, with layout UDO_LAYOUT_NULL."""
        op = request.op_type
        keep: list[Any] = []
        n_in, n_out = counts
        bound_in = [bind_input(t) for t in request.inputs]
        guards = [bind_output(t) for t in request.outputs]
        ins = (dsp_abi.Udo_TensorParam_t * max(n_in, 1))()
        outs = (dsp_abi.Udo_TensorParam_t * max(n_out, 1))()
        for i in range(len(bound_in), n_in):
            absent(ins[i], keep)
        for i in range(len(guards), n_out):
            absent(outs[i], keep)
        for i, (tensor, bound) in enumerate(zip(request.inputs, bound_in, strict=True)):
            fill_tensor(
                ins[i],
                datatype=tensor.datatype,
                shape=tensor.array.shape,
                data=bound.buffer.ctypes.data,
                quant=plan.inputs[i],
                what=f"input {i}",
                op=op,
                keep=keep,
            )
        for i, (tensor, guard) in enumerate(zip(request.outputs, guards, strict=True)):
            fill_tensor(
                outs[i],
                datatype=tensor.datatype,
                shape=tensor.array.shape,
                data=guard.writable.ctypes.data,
                quant=plan.outputs[i],
                what=f"output {i}",
                op=op,
                keep=keep,
            )
        expected_types = [outs[i].dataType for i in range(len(guards))]
        infrastructure = self._infrastructure
        capacities = (*(g.nbytes for g in guards), *(0 for _ in range(len(guards), n_out)))
        token, record = infrastructure.open_op(capacities)
        try:
            operation = ctypes.c_void_p()
            report("createOperation")
            code = table.createOperation(
                factory, token, n_in, ins, n_out, outs, ctypes.byref(operation)
            )
            self._check("createOperation", code, op, mark)
            if not operation.value:
                raise OpPackageError(
                    "createOperation returned success but no operation (NULL)",
                    package=self._name,
                    op=op,
                    stage="createOperation",
                )
            try:
                for guard in guards:
                    guard.arm()
                report("executeOp")
                code = table.executeOp(
                    operation.value, True, next(self._execution_ids), dsp_abi.Udo_ExternalNotify_t()
                )
                self._check("executeOp", code, op, mark, record)
                self._check_outputs(request, outs, guards, expected_types, record)
            except OpPackageError:
                self._release("releaseOp", table.releaseOp, operation.value, op)
                raise
            report("releaseOp")
            self._release("releaseOp", table.releaseOp, operation.value, op, mark)
        finally:
            infrastructure.close_op(token)
        results = []
        for tensor, guard in zip(request.outputs, guards, strict=True):
            array = tensor.array
            array[...] = guard.body != 0 if array.dtype == np.bool_ else guard.body
            results.append(array)
        return results

    # ---- the steps ------------------------------------------------------------------------------

    def _validate(self, request: OpRequest, plan: QuantPlan) -> BuiltOpConfig:
        """validateOpConfig, with each quantized tensor's scale and offset in the config."""
        self._require_registered(request.op_type)
        built = build_op_config(request, self._name, f"{request.op_type}_0")
        set_quants(built.config, request, plan)
        mark = self._message_count
        code = self.interface.table.validateOpConfig(built.config)
        if code != abi.QNN_SUCCESS:
            raise self._failure("validateOpConfig", code, request.op_type, mark)
        return built

    def _query(
        self,
        table: dsp_abi.QnnDspOpPackage_OperationInfo_t,
        name: bytes,
        count: int,
        udo_params: Any,
        request: OpRequest,
        plan: QuantPlan,
        mark: int,
    ) -> tuple[int, int]:
        """queryOp; its input and output counts (checked against the request)."""
        n_in, n_out = ctypes.c_uint32(), ctypes.c_uint32()
        arrays = [ctypes.POINTER(ctypes.c_uint32)() for _ in range(4)]
        code = table.queryOp(
            name,
            count,
            udo_params,
            ctypes.byref(n_in),
            ctypes.byref(arrays[0]),
            ctypes.byref(arrays[1]),
            ctypes.byref(n_out),
            ctypes.byref(arrays[2]),
            ctypes.byref(arrays[3]),
        )
        self._check("queryOp", code, request.op_type, mark)
        counts = (n_in.value, n_out.value)
        check_query(request, plan, counts, arrays, self._name)
        return counts

    def _check(
        self, stage: str, code: int, op: str, mark: int, record: OpRecord | None = None
    ) -> None:
        problems = record.problems if record else []
        if code != dsp_abi.Udo_ErrorType_t.UDO_NO_ERROR:
            log = [*self._since(mark), *problems]
            raise UdoCallError(stage, code, package=self._name, op=op, log=log)
        if problems:
            raise OpPackageError(
                "executeOp returned success, but " + "; ".join(problems),
                package=self._name,
                op=op,
                stage="executeOp",
                log=self._since(mark),
            )

    def _check_outputs(
        self,
        request: OpRequest,
        outs: Any,
        guards: list[GuardedOutput],
        expected_types: list[int],
        record: OpRecord,
    ) -> None:
        """What the op says about its outputs: a size set for each, in the allocated shape."""
        op = request.op_type
        labels = self.output_labels(op, len(guards))
        for k, (tensor, guard) in enumerate(zip(request.outputs, guards, strict=True)):
            label = f"output {k}" + (f" '{labels[k]}'" if labels and k < len(labels) else "")
            problem = output_problem(
                label, tensor.array.shape, outs[k], record.sizes[k], guard.nbytes, expected_types[k]
            )
            if problem is not None:
                raise OpPackageError(
                    f"executeOp returned success, but {problem}",
                    package=self._name,
                    op=op,
                    stage="executeOp",
                )
        check_all(guards, labels, package=self._name, op=op)

    def _release(
        self, stage: str, function: Any, handle: int, op: str, mark: int | None = None
    ) -> None:
        """releaseOp/releaseOpFactory; a failure raises, unless another error is on its way
        (no ``mark``): then it is only a warning."""
        code = function(handle)
        if code == dsp_abi.Udo_ErrorType_t.UDO_NO_ERROR:
            return
        log = self._since(mark) if mark is not None else []
        error = UdoCallError(stage, code, package=self._name, op=op, log=log)
        if mark is not None:
            raise error
        self._logger.warning("%s", error)

    # ---- getInfo's operationInfo ----------------------------------------------------------------

    def _read_operation_info(self) -> dict[str, OperationInfo]:
        pointer = ctypes.POINTER(abi.QnnOpPackage_Info_t)()
        mark = self._message_count
        code = self.interface.table.getInfo(ctypes.byref(pointer))
        if code != abi.QNN_SUCCESS:
            raise self._failure("getInfo", code, None, mark)
        return operation_tables(pointer.contents, self.info.operations, self._name, self._logger)
