"""A DSP package's UDO function tables (getInfo's ``operationInfo``) and the error of a UDO call."""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from opgen.runtime import abi
from opgen.runtime.abi import dsp as dsp_abi
from opgen.runtime.errors import OpPackageError, PackageLoadError


class UdoCallError(OpPackageError):
    """A UDO function of the op's table returned an error (``code`` is the Udo_ErrorType_t)."""

    def __init__(
        self, stage: str, code: int, *, package: str, op: str, log: Sequence[str] = ()
    ) -> None:
        name = dsp_abi.udo_error_name(code)
        super().__init__(
            f"{stage} failed with UDO error {code} ({name})",
            package=package,
            op=op,
            stage=stage,
            code=code,
            log=log,
        )
        self.code_name = name  # a UDO code, not a Qnn_ErrorHandle_t


@dataclass(frozen=True)
class OperationInfo:
    """One op's entry of getInfo's operationInfo (a copy: the function pointers stay valid)."""

    op_type: str
    static_params: int
    inputs: int
    outputs: int
    table: dsp_abi.QnnDspOpPackage_OperationInfo_t


def operation_tables(
    info: abi.QnnOpPackage_Info_t,
    names: Sequence[str],
    package: str,
    logger: logging.Logger,
) -> dict[str, OperationInfo]:
    """Each op's table, by the name at the same index of ``operationNames``; a missing array,
    entry or function is a PackageLoadError."""
    if names and not info.operationInfo:
        raise PackageLoadError(
            "getInfo gives no operationInfo (the UDO function tables of a DSP package): "
            "it is not a DSP op package",
            package=package,
        )
    size = ctypes.sizeof(dsp_abi.QnnDspOpPackage_OperationInfo_t)
    found: dict[str, OperationInfo] = {}
    for i, op in enumerate(names):
        address = info.operationInfo[i]
        if not address:
            raise PackageLoadError(f"getInfo: operationInfo {i} ({op}) is NULL", package=package)
        table = dsp_abi.QnnDspOpPackage_OperationInfo_t.from_buffer_copy(
            ctypes.string_at(address, size)
        )
        missing = [slot for slot in dsp_abi.UDO_FUNCTIONS if not getattr(table, slot)]
        if missing:
            raise PackageLoadError(
                f"getInfo: the operationInfo of {op} leaves NULL: {', '.join(missing)}",
                package=package,
            )
        op_type = (table.opType or b"").decode("utf-8", "replace")
        if op_type != op:
            logger.warning(
                "getInfo: operationInfo %d is for '%s', operationNames says '%s'", i, op_type, op
            )
        found[op] = OperationInfo(
            op, table.numOfStaticParams, table.numOfInputs, table.numOfOutputs, table
        )
    return found
