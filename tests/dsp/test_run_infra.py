"""The UDO global infrastructure the DSP executor hands to packages, called through the function
pointers of the structure (as an op calls them): the allocator, output sizes checked against the
allocation, zero D32 paddings, no VTCM, worker threads, and calls with a foreign per-op token."""

from __future__ import annotations

import ctypes

from opgen.runtime.abi import dsp as dsp_abi
from opgen.runtime.dsp_infra import MAX_WORKER_THREADS, Infrastructure


def services() -> tuple[Infrastructure, dsp_abi.Udo_HexNNv2GlobalInfra_t]:
    infra = Infrastructure()
    wrapper = dsp_abi.QnnDspOpPackage_GlobalInfrastructure_t.from_address(infra.address)
    dsp = wrapper.dspGlobalInfra.contents
    assert (dsp.dspInfraVersion.major, dsp.dspInfraVersion.minor, dsp.dspInfraVersion.teeny) == (
        1,
        6,
        0,
    )
    assert dsp.infraType == dsp_abi.Udo_HexNNInfraType_t.UDO_INFRA_HEXNN_V2
    return infra, dsp.hexNNv2Infra


def test_allocator_is_usable() -> None:
    _, fns = services()
    block = fns.udoMemalign(128, 1024)
    assert block and block % 128 == 0
    ctypes.memset(block, 7, 1024)
    fns.udoFree(block)
    zeros = fns.udoCalloc(16, 4)
    assert ctypes.string_at(zeros, 64) == bytes(64)
    fns.udoFree(zeros)
    fns.udoFree(fns.udoMalloc(10))


def test_output_sizes_are_checked_and_recorded() -> None:
    infra, fns = services()
    token, record = infra.open_op((96, 8))
    assert fns.udoSetOutputTensorSize(token, 0, 96) == 0
    assert fns.udoSetOutputTensorSize(token, 1, 9) != 0
    assert fns.udoSetOutputTensorSize(token, 2, 1) != 0
    assert record.sizes == [96, None]
    assert record.problems == [
        "udoSetOutputTensorSize: output 1 needs 9 bytes, but 8 are allocated",
        "udoSetOutputTensorSize: output 2 does not exist (the op has 2)",
    ]
    fp32 = dsp_abi.Udo_DataType_t.UDO_DATATYPE_FLOAT_32
    # D32 with zero paddings is a plain shape: 1 * 2 * 1 * 1 float = 8 bytes for output 1.
    assert fns.udoSetOutputD32ShapeSizePaddings(token, 1, 1, 2, 0, 0, 1, 0, 0, 1, 0, 0, fp32) == 0
    assert record.sizes == [96, 8]
    assert fns.udoSetOutputD32ShapeSizePaddings(token, 1, 1, 1, 0, 0, 1, 4, 0, 1, 0, 0, fp32) != 0
    assert "D32 paddings" in record.problems[-1]
    infra.close_op(token)


def test_paddings_vtcm_and_worker_threads() -> None:
    infra, fns = services()
    token, record = infra.open_op((4,))
    pads = [ctypes.c_uint32(99) for _ in range(6)]
    assert fns.udoGetInputD32Paddings(token, 0, *(ctypes.pointer(p) for p in pads)) == 0
    assert [p.value for p in pads] == [0] * 6
    assert (fns.udoGetVtcmSize(token), fns.udoGetVtcmPtr(token), fns.udoVtcmIsReal(token)) == (
        0,
        None,
        0,
    )
    seen: list[tuple[int | None, int | None]] = []
    worker = dsp_abi.workerThread_t(lambda op, data: seen.append((op, data)))
    worker_address = ctypes.cast(worker, ctypes.c_void_p).value
    fns.udoRunWorkerThreads(token, 3, worker_address, 1234)
    assert seen == [(token, 1234)] * 3 and record.worker_calls == 3
    fns.udoRunWorkerThreads(token, MAX_WORKER_THREADS + 1, worker_address, None)
    fns.udoRunWorkerThreads(token, 1, None, None)
    assert len(seen) == 3
    assert record.problems == [
        f"udoRunWorkerThreads asked for {MAX_WORKER_THREADS + 1} threads (at most "
        f"{MAX_WORKER_THREADS})",
        "udoRunWorkerThreads was given no worker function (NULL)",
    ]


def test_a_foreign_token_is_refused_and_reported() -> None:
    infra, fns = services()
    token, record = infra.open_op((4,))
    assert fns.udoSetOutputTensorSize(token + 1000, 0, 4) != 0
    assert record.sizes == [None]
    assert "unknown per-op infrastructure" in record.problems[0]
    infra.close_op(token)
    assert fns.udoSetOutputTensorSize(token, 0, 4) != 0  # closed: unknown too
