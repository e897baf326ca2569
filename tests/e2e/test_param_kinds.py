"""Every kind of parameter, from config to kernel: declared C types, defaults, enums, tensors.

One generated package whose kernel writes the values it received into its output, so the test
sees exactly what generated binding code handed to the user's kernel.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import opgen
from opgen.generate import generate
from opgen.runtime import CpuOpPackage, OpPackageError, register
from tests import factories as f
from tests.conftest import build_package

PARAMS = [
    f.param("flag", "QNN_DATATYPE_BOOL_8", mandatory=False),
    f.param(
        "mode",
        "QNN_DATATYPE_UINT_32",
        mandatory=False,
        enum=["nearest", "linear", "cubic"],
        default="linear",
    ),
    f.param("axis", "QNN_DATATYPE_INT_32", mandatory=False, default="N-1"),
    f.param("scale", mandatory=False, default="0.5"),
    f.param("small", "QNN_DATATYPE_INT_8", mandatory=False, default="-3"),
    f.param("count", "QNN_DATATYPE_UINT_16", mandatory=False, default="7"),
    f.param("pads", "QNN_DATATYPE_INT_32", rank="2D", mandatory=False, default="[[1, 2], [3, 4]]"),
    f.param("fill", "QNN_DATATYPE_FLOAT_32", rank="1D", mandatory=False, default="{5,..,5}"),
    f.param("k", "QNN_DATATYPE_UINT_32"),
]

# The kernel reports each value in declaration order; tensors as (given, elements, sum, at(0)).
KERNEL = r"""
#include "ops/Echo.hpp"
namespace ParamPkg {
namespace Echo {
Qnn_ErrorHandle_t execute(const Op& op) {
  float* out = op.out_0.data<float>();
  double padSum = 0.0;
  for (size_t i = 0; i < op.pads.numElements(); ++i) padSum += op.pads.at(i);
  const double values[] = {
      op.flag ? 1.0 : 0.0, static_cast<double>(static_cast<uint32_t>(op.mode)),
      static_cast<double>(op.axis), op.scale, static_cast<double>(op.small),
      static_cast<double>(op.count), op.pads.given() ? 1.0 : 0.0,
      static_cast<double>(op.pads.numElements()), padSum, op.fill.isFill() ? 1.0 : 0.0,
      op.fill.at(3), static_cast<double>(op.k),
      op.mode == ModeEnum::cubic ? 1.0 : 0.0};
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); ++i) {
    out[i] = static_cast<float>(values[i]);
  }
  return QNN_SUCCESS;
}
}  // namespace Echo
}  // namespace ParamPkg
"""
FIELDS = [
    "flag",
    "mode",
    "axis",
    "scale",
    "small",
    "count",
    "pads_given",
    "pads_elements",
    "pads_sum",
    "fill_is_fill",
    "fill_at_3",
    "k",
    "mode_is_cubic",
]


@pytest.fixture(scope="module")
def echo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CpuOpPackage]:
    root = tmp_path_factory.mktemp("params")
    config = f.write(root, "params.xml", f.config("ParamPkg", [f.op("Echo", params=PARAMS)]))
    generate(opgen.load_packages([config]), root)
    (root / "ParamPkg" / "src" / "ops" / "Echo.cpp").write_text(KERNEL)
    with register(str(build_package(root / "ParamPkg"))) as package:
        assert isinstance(package, CpuOpPackage)
        yield package


def run(package: CpuOpPackage, shape: tuple[int, ...], **params: object) -> dict[str, float]:
    x = np.zeros(shape, np.float32)
    (out,) = package.execute("Echo", [x], params, [((len(FIELDS),), np.float32)])
    return dict(zip(FIELDS, out.tolist(), strict=True))


def test_defaults_are_applied_when_the_node_omits_params(echo: CpuOpPackage) -> None:
    got = run(echo, (2, 3, 4), k=9)
    assert got == {
        "flag": 0.0,  # implicit false
        "mode": 1.0,  # the label 'linear'
        "axis": 2.0,  # N-1 with N = rank 3 of the first input
        "scale": 0.5,
        "small": -3.0,
        "count": 7.0,
        "pads_given": 0.0,
        "pads_elements": 4.0,
        "pads_sum": 10.0,
        "fill_is_fill": 1.0,
        "fill_at_3": 5.0,  # {5,..,5}: every index reads 5
        "k": 9.0,
        "mode_is_cubic": 0.0,
    }


def test_rank_expression_follows_the_first_input(echo: CpuOpPackage) -> None:
    assert run(echo, (8,), k=1)["axis"] == 0.0
    assert run(echo, (1, 1, 1, 1, 1), k=1)["axis"] == 4.0


def test_given_values_reach_the_kernel_with_their_types(echo: CpuOpPackage) -> None:
    got = run(
        echo,
        (2,),
        k=4,
        flag=True,
        mode="cubic",
        axis=-1,
        scale=2.25,
        small=-128,
        count=65535,
        pads=np.array([[1, 1, 1], [2, 2, 2]], np.int32),
        fill=np.array([0.5, 1.5, 2.5, 3.5], np.float32),
    )
    assert got["flag"] == 1.0 and got["mode"] == 2.0 and got["mode_is_cubic"] == 1.0
    assert (got["axis"], got["scale"], got["small"], got["count"]) == (-1.0, 2.25, -128.0, 65535.0)
    assert (got["pads_given"], got["pads_elements"], got["pads_sum"]) == (1.0, 6.0, 9.0)
    assert (got["fill_is_fill"], got["fill_at_3"]) == (0.0, 3.5)


def test_an_enum_value_out_of_range_is_refused(echo: CpuOpPackage) -> None:
    with pytest.raises(OpPackageError, match="enumeration"):
        run(echo, (2,), k=1, mode=3)


def test_a_tensor_param_of_the_wrong_rank_is_refused(echo: CpuOpPackage) -> None:
    with pytest.raises(OpPackageError, match="rank 1, expected 2"):
        run(echo, (2,), k=1, pads=np.array([1, 2], np.int32))
