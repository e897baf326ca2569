"""Failures are exceptions that name the package, the op and the reason: error statuses, C++
exceptions, set_dims mismatches, unrunnable registrations, bad requests, vendor-built libraries."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import (
    GraphStatusError,
    HtpOpPackage,
    OpPackageError,
    OpRequestError,
    PackageLoadError,
    register,
)
from opgen.runtime.package import EXECUTORS, executor_class
from tests.htp import htppkg


def test_an_error_status_names_package_op_and_status(htp: HtpOpPackage) -> None:
    with pytest.raises(GraphStatusError) as caught:
        htp.execute("Failing", [np.zeros((1, 3), np.float32)])
    error = caught.value
    assert (error.package, error.op, error.status, error.status_name) == (
        "TestHtpPkg",
        "Failing",
        3,
        "ErrorPrecision",
    )
    assert "TestHtpPkg: op Failing: execute failed with GraphStatus ErrorPrecision (3)" in str(
        error
    )
    assert "failing: depth 3 is not supported" in str(error)  # what errlog said


def test_errlog_returns_error_fatal(htp: HtpOpPackage) -> None:
    with pytest.raises(GraphStatusError, match=r"ErrorFatal \(-1\).*beta must be positive"):
        htp.execute("Softmax", [np.zeros((2, 2), np.float32)], {"beta": -1.0})


def test_an_index_out_of_range_is_an_error_not_a_crash(htp: HtpOpPackage) -> None:
    with pytest.raises(
        GraphStatusError, match=r"ErrorFatalException.*index \(0,0,0,7\) is out of range"
    ):
        htp.execute("Failing", [np.zeros((1, 5), np.float32)])


def test_set_dims_never_resizes(htp: HtpOpPackage) -> None:
    with pytest.raises(
        GraphStatusError, match=r"ErrorDimensions.*set_dims\(\[1,1,1,99\]\).*\[1,1,1,6\]"
    ):
        htp.execute("Failing", [np.zeros((1, 6), np.float32)])


def test_crouton_only_registrations_do_not_run_on_the_host(htp: HtpOpPackage) -> None:
    with pytest.raises(OpPackageError, match="QUint8CroutonTensor is a crouton layout") as caught:
        htp.execute("Crouton", [np.zeros(4, np.uint8)], quant={"in[0]": (1, 0), "out[0]": (1, 0)})
    assert caught.value.op == "Crouton"


def test_tcm_registrations_are_never_chosen(htp: HtpOpPackage) -> None:
    x = np.ones((1, 3), np.float16)
    (y,) = htp.execute("HalfScale", [x], {"factor": 2.0})  # the TCM twin is FREE but unusable
    assert y.tolist() == [[2.0, 2.0, 2.0]]


def test_no_registration_fits(htp: HtpOpPackage) -> None:
    pattern = (
        r"no registration runs.*halfScaleImpl<PlainFloat16Tensor>: output 0: PlainFloat16Tensor"
    )
    with pytest.raises(OpPackageError, match=pattern):
        htp.execute("HalfScale", [np.zeros(3, np.float32)], {"factor": 1.0})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"params": {"t": np.array([1], np.int32)}}, "mandatory parameter 'f' is missing"),
        ({"quant": {"nothing": (1.0, 0)}}, "--quant names no tensor: nothing"),
        ({"quant": {"in[0]": (1.0, 0)}}, "FLOAT_32: a scale and offset apply to integer"),
        (
            {"quant": {"t": (0.0, 0)}, "params": {"f": 1.0, "t": np.array([1], np.int32)}},
            "scale must be positive",
        ),
    ],
)
def test_bad_requests(htp: HtpOpPackage, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(OpRequestError, match=message):
        htp.execute("ParamZoo", [np.zeros((2, 2), np.float32)], **kwargs)  # type: ignore[arg-type]


def test_declared_fixed_point_needs_its_encoding(htp_library: Path) -> None:
    config = htppkg.SOURCE / "config" / "TestHtpPkg.xml"
    with HtpOpPackage.register(htppkg.spec(htp_library), configs=[config]) as declared:
        x = np.array([0, 5, 200], np.uint8)
        with pytest.raises(OpRequestError, match=r"tensor 'y' is UFIXED_POINT_8: give its scale"):
            declared.execute("Relu", [x], quant={"x": (1.0, -5)})
        (y,) = declared.execute("Relu", [x], quant={"x": (1.0, -5), "y": (1.0, -5)})
        assert y.tolist() == [5, 5, 200]  # declared names work as --quant names


def test_64_bit_tensors_are_refused(htp: HtpOpPackage) -> None:
    with pytest.raises(OpRequestError, match="INT_64, which HTP tensors cannot hold"):
        htp.execute("Relu", [np.zeros(3, np.int64)])


def test_validate_op_config_sees_the_encoding(htp: HtpOpPackage) -> None:
    # The test package refuses Requant unless the output's scale/offset is in the op config.
    pattern = (
        r"validateOpConfig failed with error 3110.*package log: TestHtpPkg: Requant needs a "
        r"UFIXED_POINT_8 output with a scale \(got datatype 0x332\)"
    )  # what the package logged through the logInitialize callback
    with pytest.raises(OpPackageError, match=pattern):
        htp.execute(
            "Requant",
            [np.zeros(3, np.float32)],
            outputs=[((3,), np.int32)],
            quant={"out[0]": (1.0, 0)},
        )


def test_a_vendor_built_library_is_refused(vendor_library: Path) -> None:
    pattern = r"not an HTP package built against opgen's host emulation\. A package built against"
    with pytest.raises(PackageLoadError, match=pattern + r" the vendor's HTP SDK runs only in"):
        register(f"{vendor_library}:VendorPkgInterfaceProvider:HTP")


def test_an_htp_package_registered_as_cpu_is_refused(htp_library: Path) -> None:
    with pytest.raises(
        PackageLoadError, match="exports opgen_htp_registry: it is an HTP op package"
    ):
        register(f"{htp_library}:{htppkg.PROVIDER}:CPU")


def test_executors_are_found_without_package_importing_them() -> None:
    assert executor_class("HTP") is HtpOpPackage
    assert set(EXECUTORS) == {"CPU", "GPU", "HTP", "HTP_FP16", "DSP"}
    source = Path(__file__).resolve().parents[2] / "opgen" / "runtime" / "package.py"
    imported = {
        node.module
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not imported & {"opgen.runtime.cpu", "opgen.runtime.gpu", "opgen.runtime.htp"}
