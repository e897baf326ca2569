"""The default range table: every scalar datatype at and beyond its ends, rank expressions at each
end of the ranks the first input allows, list and fill leaves, hostile sizes.

A row is either refused (the exact diagnostic, at the `<Default>` line) or accepted; accepted rows
are declared in one generated CPU package whose kernel copies every parameter's bytes into its
output, so the test compares the value the kernel received, bit for bit, with the exact value.
"""

from __future__ import annotations

import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import opgen
from opgen.config import Level
from opgen.generate import generate
from opgen.runtime import CpuOpPackage, register
from tests import factories as f
from tests.conftest import build_package

I64_MIN, I64_MAX, U64_MAX = -(2**63), 2**63 - 1, 2**64 - 1
F32_MAX = float.fromhex("0x1.fffffep+127")
F64_MAX = float.fromhex("0x1.fffffffffffffp+1023")


@dataclass(frozen=True)
class Row:
    name: str
    datatype: str
    default: str
    expected: object
    """Accepted: the exact value (a list for tensor params: at(0), at(1), ...). Refused: the
    exact diagnostic message (a str starting with "!")."""
    rank: str = "SCALAR"
    input_rank: str = "ND"
    extra: tuple[str, ...] = ()
    """More datatypes (a parameter of several types travels as a double)."""


# Rank expressions: `at` gives the value at the lowest and highest allowed rank ((0, 8) for ND).
@dataclass(frozen=True)
class At:
    low: int
    high: int


ACCEPTED = [
    Row("i8_min", "INT_8", "-128", -128),
    Row("i8_max", "INT_8", "127", 127),
    Row("i16_min", "INT_16", "-32768", -32768),
    Row("i16_max", "INT_16", "32767", 32767),
    Row("i32_min", "INT_32", "-2147483648", -(2**31)),
    Row("i32_max", "INT_32", "2147483647", 2**31 - 1),
    Row("i64_min", "INT_64", str(I64_MIN), I64_MIN),
    Row("i64_max", "INT_64", str(I64_MAX), I64_MAX),
    Row("i64_big", "INT_64", "-5000000000", -5000000000),
    Row("u8_min", "UINT_8", "0", 0),
    Row("u8_max", "UINT_8", "255", 255),
    Row("u16_max", "UINT_16", "65535", 65535),
    Row("u32_max", "UINT_32", "4294967295", 2**32 - 1),
    Row("u64_min", "UINT_64", "0", 0),
    Row("u64_max", "UINT_64", str(U64_MAX), U64_MAX),
    Row("u64_top", "UINT_64", str(2**63), 2**63),
    Row("f16_max", "FLOAT_16", "65504", 65504.0),
    Row("f16_min", "FLOAT_16", "-65504.0", -65504.0),
    Row("f16_rounds_down", "FLOAT_16", "65519", 65504.0),  # below the midpoint to 65536
    Row("f16_tenth", "FLOAT_16", "0.1", float.fromhex("0x1.998p-4")),
    Row("f16_subnormal", "FLOAT_16", "6e-8", 2.0**-24),
    Row("f32_max", "FLOAT_32", "3.4028234663852886e38", F32_MAX),
    Row("f32_max_int", "FLOAT_32", str(2**128 - 2**103 - 1), F32_MAX),  # just below rounding up
    Row("f32_min", "FLOAT_32", "-3.4028234e38", -F32_MAX),
    Row("f32_int_1e30", "FLOAT_32", str(10**30), float(np.float32(1e30))),
    # 2^60+2^36+1: rounded directly it is 2^60+2^37; through a double it would become 2^60.
    Row("f32_int_direct", "FLOAT_32", str(2**60 + 2**36 + 1), float.fromhex("0x1.000002p+60")),
    Row("f32_tenth", "FLOAT_32", "0.1", float(np.float32(0.1))),
    Row("f32_subnormal", "FLOAT_32", "1.4e-45", 2.0**-149),
    Row("f32_negative_zero", "FLOAT_32", "-0.0", -0.0),
    Row("f64_max", "FLOAT_64", "1.7976931348623157e308", F64_MAX),
    Row("f64_int_2p53_plus_1", "FLOAT_64", str(2**53 + 1), 2.0**53),  # ties to even
    Row("f64_int_1e99", "FLOAT_64", "1" + "0" * 99, 1e99),
    Row("f64_tiny", "FLOAT_64", "5e-324", 5e-324),
    Row("b_true", "BOOL_8", "true", True),
    Row("b_false", "BOOL_8", "false", False),
    Row("b_one", "BOOL_8", "1", True),
    Row("b_zero", "BOOL_8", "0", False),
    Row("r_i8_top", "INT_8", "15*N+7", At(7, 127)),
    Row("r_i8_bottom", "INT_8", "-16*N", At(0, -128)),
    Row("r_u8_top", "UINT_8", "31*N+7", At(7, 255)),
    Row("r_i32_last_axis", "INT_32", "N-1", At(-1, 7)),
    Row("r_u32_rank", "UINT_32", "N", At(0, 8)),
    Row("r_i64_neg", "INT_64", "-N", At(0, -8)),
    Row("r_u64_big", "UINT_64", f"N+{2**62}", At(2**62, 2**62 + 8)),
    Row("r_i16_low", "INT_16", "4096*N-32768", At(-32768, 0)),
    Row("t_i32_ends", "INT_32", "{-2147483648, 2147483647}", [-(2**31), 2**31 - 1], "1D"),
    Row("t_u64_2p53", "UINT_64", f"{{{2**53}, 0}}", [2**53, 0], "1D"),
    Row("t_i64_neg_2p53", "INT_64", f"{{{-(2**53)}}}", [-(2**53)], "1D"),
    Row(
        "t_f32_rounded",
        "FLOAT_32",
        "{0.1, 1e30}",
        [float(np.float32(0.1)), float(np.float32(1e30))],
        "1D",
    ),
    Row("t_f16_fill", "FLOAT_16", "{0.1,..,0.1}", "fill", "1D"),
    Row("t_i8_fill", "INT_8", "{-128,..,-128}", "fill", "1D"),
    Row("t_u8_2d", "UINT_8", "[[0, 255], [N, 1]]", [0, 255, At(0, 8), 1], "2D"),
    Row("t_f64_list", "FLOAT_64", "{1e308, -5e-324}", [1e308, -5e-324], "1D"),
    Row("m_i64_f32", "INT_64", str(2**53), float(2**53), extra=("FLOAT_32",)),
    Row("m_i32_u32", "INT_32", "4294967295", float(2**32 - 1), extra=("UINT_32",)),
]
FILLS = {"t_f16_fill": float.fromhex("0x1.998p-4"), "t_i8_fill": -128.0}

# For a 4D first input, N is 4 only: these fit there (and not for ND, see REFUSED).
ACCEPTED_4D = [
    Row("r4_u8", "UINT_8", "63*N+3", 255, input_rank="4D"),
    Row("r4_i8", "INT_8", "-32*N", -128, input_rank="4D"),
    Row("r4_u32", "UINT_32", "N-4", 0, input_rank="4D"),
]

ND = "input 'in[0]' is ND: ranks 0..8"
NOT_EXACT = (
    "is not exact as a double, which carries this parameter's value to the kernel "
    "(integers up to 2^53 are)"
)
TOO_LONG = "is too long for a number: the limit is 100 characters"
D4 = "input 'in[0]' has rank 4D"
REFUSED = [
    Row(
        "i8_min_minus_1",
        "INT_8",
        "-129",
        "!-129 is out of range for QNN_DATATYPE_INT_8 (-128..127)",
    ),
    Row("i8_max_plus_1", "INT_8", "128", "!128 is out of range for QNN_DATATYPE_INT_8 (-128..127)"),
    Row(
        "i16_min_minus_1",
        "INT_16",
        "-32769",
        "!-32769 is out of range for QNN_DATATYPE_INT_16 (-32768..32767)",
    ),
    Row(
        "i16_max_plus_1",
        "INT_16",
        "32768",
        "!32768 is out of range for QNN_DATATYPE_INT_16 (-32768..32767)",
    ),
    Row(
        "i32_min_minus_1",
        "INT_32",
        "-2147483649",
        "!-2147483649 is out of range for QNN_DATATYPE_INT_32 (-2147483648..2147483647)",
    ),
    Row(
        "i32_max_plus_1",
        "INT_32",
        "2147483648",
        "!2147483648 is out of range for QNN_DATATYPE_INT_32 (-2147483648..2147483647)",
    ),
    Row(
        "i64_min_minus_1",
        "INT_64",
        str(I64_MIN - 1),
        f"!{I64_MIN - 1} is out of range for QNN_DATATYPE_INT_64 ({I64_MIN}..{I64_MAX})",
    ),
    Row(
        "i64_max_plus_1",
        "INT_64",
        str(I64_MAX + 1),
        f"!{I64_MAX + 1} is out of range for QNN_DATATYPE_INT_64 ({I64_MIN}..{I64_MAX})",
    ),
    Row("u8_minus_1", "UINT_8", "-1", "!-1 is negative for QNN_DATATYPE_UINT_8 (0..255)"),
    Row("u8_max_plus_1", "UINT_8", "256", "!256 is out of range for QNN_DATATYPE_UINT_8 (0..255)"),
    Row(
        "u16_max_plus_1",
        "UINT_16",
        "65536",
        "!65536 is out of range for QNN_DATATYPE_UINT_16 (0..65535)",
    ),
    Row(
        "u32_max_plus_1",
        "UINT_32",
        "4294967296",
        "!4294967296 is out of range for QNN_DATATYPE_UINT_32 (0..4294967295)",
    ),
    Row("u64_minus_1", "UINT_64", "-1", f"!-1 is negative for QNN_DATATYPE_UINT_64 (0..{U64_MAX})"),
    Row(
        "u64_max_plus_1",
        "UINT_64",
        str(U64_MAX + 1),
        f"!{U64_MAX + 1} is out of range for QNN_DATATYPE_UINT_64 (0..{U64_MAX})",
    ),
    Row(
        "i32_huge",
        "INT_32",
        "9" * 100,
        f"!{'9' * 100} is out of range for QNN_DATATYPE_INT_32 (-2147483648..2147483647)",
    ),
    Row(
        "i32_fraction",
        "INT_32",
        "1.5",
        "!1.5 is not an integer, but the datatype is QNN_DATATYPE_INT_32",
    ),
    Row("f16_max_plus", "FLOAT_16", "65520", "!65520 is out of range for QNN_DATATYPE_FLOAT_16"),
    Row(
        "f16_min_minus",
        "FLOAT_16",
        "-65520.0",
        "!-65520.0 is out of range for QNN_DATATYPE_FLOAT_16",
    ),
    Row(
        "f16_underflow",
        "FLOAT_16",
        "1e-8",
        "!1e-08 is too small for QNN_DATATYPE_FLOAT_16: it rounds to 0",
    ),
    Row(
        "f32_max_int_plus_1",
        "FLOAT_32",
        str(2**128 - 2**103),
        f"!{2**128 - 2**103} is out of range for QNN_DATATYPE_FLOAT_32",
    ),
    Row("f32_1e39", "FLOAT_32", "1e39", "!1e+39 is out of range for QNN_DATATYPE_FLOAT_32"),
    Row(
        "f32_int_1e39",
        "FLOAT_32",
        str(10**39),
        f"!{10**39} is out of range for QNN_DATATYPE_FLOAT_32",
    ),
    Row(
        "f32_underflow",
        "FLOAT_32",
        "-1e-46",
        "!-1e-46 is too small for QNN_DATATYPE_FLOAT_32: it rounds to 0",
    ),
    Row("f64_inf", "FLOAT_64", "1e309", "!inf is not a finite number"),
    Row(
        "f32_rank_expr",
        "FLOAT_32",
        "N",
        "!rank expression N needs an integer datatype, not QNN_DATATYPE_FLOAT_32",
    ),
    Row(
        "b_two", "BOOL_8", "2", "!2 is not a boolean (true, false, 0 or 1) for QNN_DATATYPE_BOOL_8"
    ),
    Row(
        "b_minus_1",
        "BOOL_8",
        "-1",
        "!-1 is not a boolean (true, false, 0 or 1) for QNN_DATATYPE_BOOL_8",
    ),
    Row("i8_bool", "INT_8", "true", "!true is a boolean, but the datatype is QNN_DATATYPE_INT_8"),
    Row(
        "r_i8_nd_top",
        "INT_8",
        "16*N",
        f"!at rank 8 ({ND}), 16*N = 128 is out of range for QNN_DATATYPE_INT_8 (-128..127)",
    ),
    Row(
        "r_i8_nd_bottom",
        "INT_8",
        "-16*N-1",
        f"!at rank 8 ({ND}), -16*N-1 = -129 is out of range for QNN_DATATYPE_INT_8 (-128..127)",
    ),
    Row(
        "r_u8_nd_rank0",
        "UINT_8",
        "N-1",
        f"!at rank 0 ({ND}), N-1 = -1 is negative for QNN_DATATYPE_UINT_8 (0..255)",
    ),
    Row(
        "r_u32_negative",
        "UINT_32",
        "-N-1",
        f"!at rank 0 ({ND}), -N-1 = -1 is negative for QNN_DATATYPE_UINT_32 (0..4294967295)",
    ),
    Row(
        "r_i32_coefficient",
        "INT_32",
        "99999999999999999999*N",
        "!the coefficient of N in 99999999999999999999*N is out of range (at most 65536)",
    ),
    Row(
        "r_i64_constant",
        "INT_64",
        f"N+{2**62 + 1}",
        f"!the constant in N+{2**62 + 1} is out of range (at most 2^62 in magnitude)",
    ),
    Row(
        "r4_u8_over",
        "UINT_8",
        "64*N",
        f"!at rank 4 ({D4}), 64*N = 256 is out of range for QNN_DATATYPE_UINT_8 (0..255)",
        input_rank="4D",
    ),
    Row(
        "r4_i8_under",
        "INT_8",
        "-33*N",
        f"!at rank 4 ({D4}), -33*N = -132 is out of range for QNN_DATATYPE_INT_8 (-128..127)",
        input_rank="4D",
    ),
    Row(
        "l_i8_leaf",
        "INT_8",
        "{1, 128}",
        "!128 is out of range for QNN_DATATYPE_INT_8 (-128..127)",
        "1D",
    ),
    Row(
        "l_u8_leaf_2d",
        "UINT_8",
        "[[1, 2], [-1, 0]]",
        "!-1 is negative for QNN_DATATYPE_UINT_8 (0..255)",
        "2D",
    ),
    Row(
        "l_rank_leaf",
        "INT_8",
        "{0, 16*N}",
        f"!at rank 8 ({ND}), 16*N = 128 is out of range for QNN_DATATYPE_INT_8 (-128..127)",
        "1D",
    ),
    Row(
        "l_f16_leaf",
        "FLOAT_16",
        "{1.0, 1e5}",
        "!100000.0 is out of range for QNN_DATATYPE_FLOAT_16",
        "1D",
    ),
    Row(
        "fill_u16",
        "UINT_16",
        "{65536,..,65536}",
        "!65536 is out of range for QNN_DATATYPE_UINT_16 (0..65535)",
        "1D",
    ),
    Row(
        "fill_f32",
        "FLOAT_32",
        "{1e39,..,1e39}",
        "!1e+39 is out of range for QNN_DATATYPE_FLOAT_32",
        "1D",
    ),
    Row(
        "t_i64_not_exact",
        "INT_64",
        f"{{{2**53 + 1}}}",
        f"!{2**53 + 1} {NOT_EXACT}",
        "1D",
    ),
    Row(
        "t_u64_max",
        "UINT_64",
        f"{{{U64_MAX}}}",
        f"!{U64_MAX} {NOT_EXACT}",
        "1D",
    ),
    Row(
        "m_bool_int",
        "BOOL_8",
        "5",
        "!5 is not a boolean (true, false, 0 or 1) for QNN_DATATYPE_BOOL_8",
        extra=("INT_32",),
    ),
    Row(
        "m_not_exact",
        "INT_64",
        str(2**53 + 1),
        f"!it fits none of QNN_DATATYPE_INT_64, QNN_DATATYPE_UINT_64 ({2**53 + 1} {NOT_EXACT})",
        extra=("UINT_64",),
    ),
    Row(
        "g_digits_101",
        "INT_64",
        "1" * 101,
        f"!invalid default for 'p': '{'1' * 40}...{'1' * 10} (101 characters)' {TOO_LONG}",
    ),
    Row(
        "g_depth_9",
        "INT_8",
        "{" * 9 + "1" + "}" * 9,
        "!invalid default for 'p': lists in the default nest more than 8 deep, the highest rank",
        "1D",
    ),
    Row(
        "g_elements",
        "UINT_8",
        "{" + "0," * 65536 + "0}",
        "!invalid default for 'p': the default lists more than 65536 values and lists",
        "1D",
    ),
    Row(
        "g_underflow",
        "FLOAT_64",
        "1e-400",
        "!invalid default for 'p': '1e-400' is too small for any floating-point type",
    ),
]


def _datatypes(row: Row) -> tuple[str, ...]:
    return tuple(f"QNN_DATATYPE_{d}" for d in (row.datatype, *row.extra))


def _param(row: Row, name: str) -> str:
    return f.tensor(
        "Parameter", name, _datatypes(row), row.rank, mandatory=False, default=row.default
    )


def _config(rows: list[Row], op: str = "Echo", input_rank: str = "ND") -> str:
    return f.op(
        op,
        inputs=[f.tensor("Input", "in[0]", rank=input_rank)],
        outputs=[f.tensor("Output", "out[0]", ("QNN_DATATYPE_UINT_8",), rank="1D")],
        params=[_param(r, r.name) for r in rows],
    )


# ---- refused rows --------------------------------------------------------------------------


@pytest.mark.parametrize("row", REFUSED, ids=lambda r: r.name)
def test_refused_defaults_have_the_exact_diagnostic_at_their_line(row: Row, tmp_path: Path) -> None:
    text = f.config(
        "RangePkg", [_config([Row(**{**row.__dict__, "name": "p"})], input_rank=row.input_rank)]
    )
    path = f.write(tmp_path, "range.xml", text)
    result = opgen.validate_configs([path])
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    assert len(errors) == 1, result.diagnostics
    (error,) = errors
    line = next(i for i, t in enumerate(text.split("\n"), 1) if "<Default>" in t)
    assert (error.file, error.line, error.column) == (path, line, 3)
    message = row.expected
    assert isinstance(message, str)
    if message.startswith("!invalid default"):
        assert error.message == message[1:]
    else:
        assert (
            error.message == f"default '{_shown(row.default)}' of 'p' does not fit: {message[1:]}"
        )


def _shown(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:40]}...{text[-10:]} ({len(text)} characters)"


# ---- accepted rows: the value in a built kernel --------------------------------------------

SLOT = 8  # bytes per value in the kernel's output
SLOTS = 5  # per parameter: a scalar, or numElements and at(0..3) of a tensor


def _kernel(op: str, rows: list[Row]) -> str:
    lines = []
    for i, row in enumerate(rows):
        base = i * SLOTS * SLOT
        if row.rank == "SCALAR":
            lines.append(f"  std::memcpy(out + {base}, &op.{row.name}, sizeof(op.{row.name}));")
            continue
        lines.append(f"  put(out + {base}, static_cast<double>(op.{row.name}.numElements()));")
        for j in range(SLOTS - 1):
            guard = f"op.{row.name}.isFill() || {j} < op.{row.name}.numElements()"
            lines.append(
                f"  if ({guard}) put(out + {base + (j + 1) * SLOT}, op.{row.name}.at({j}));"
            )
    body = "\n".join(lines)
    return f"""
#include <cstring>
#include "ops/{op}.hpp"
namespace RangePkg {{
namespace {op} {{
[[maybe_unused]] static void put(uint8_t* at, double value) {{
  std::memcpy(at, &value, sizeof(value));
}}
Qnn_ErrorHandle_t execute(const Op& op) {{
  uint8_t* out = op.out_0.data<uint8_t>();
{body}
  return QNN_SUCCESS;
}}
}}  // namespace {op}
}}  // namespace RangePkg
"""


_SCALAR_FORMATS = {
    "INT_8": "b", "INT_16": "h", "INT_32": "i", "INT_64": "q",
    "UINT_8": "B", "UINT_16": "H", "UINT_32": "I", "UINT_64": "Q",
    "FLOAT_16": "f", "FLOAT_32": "f", "FLOAT_64": "d", "BOOL_8": "?",
}  # fmt: skip


@pytest.fixture(scope="module")
def range_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated package with its echo kernels, not built."""
    root = tmp_path_factory.mktemp("ranges")
    ops = [_config(ACCEPTED, "Echo"), _config(ACCEPTED_4D, "Echo4", "4D")]
    config = f.write(root, "ranges.xml", f.config("RangePkg", ops))
    generate(opgen.load_packages([config]), root)
    for op, rows in (("Echo", ACCEPTED), ("Echo4", ACCEPTED_4D)):
        (root / "RangePkg" / "src" / "ops" / f"{op}.cpp").write_text(_kernel(op, rows))
    return root / "RangePkg"


@pytest.fixture(scope="module")
def range_package(range_source: Path) -> Iterator[CpuOpPackage]:
    with register(str(build_package(range_source))) as package:
        assert isinstance(package, CpuOpPackage)
        yield package


def test_default_literals_build_warning_free_with_clang(range_source: Path, tmp_path: Path) -> None:
    if shutil.which("clang++") is None:
        pytest.skip("clang++ is not installed")
    copy = tmp_path / "RangePkg"
    shutil.copytree(range_source, copy, ignore=shutil.ignore_patterns("libs", "obj"))
    build_package(copy, cxx="clang++")  # -Werror: INT64_MIN, UINT64_MAX, float literals...


def _received(package: CpuOpPackage, op: str, rows: list[Row], rank: int) -> dict[str, object]:
    x = np.zeros((1,) * rank, np.float32)
    size = len(rows) * SLOTS * SLOT
    (out,) = package.execute(op, [x], {}, [((size,), np.uint8)])
    data = out.tobytes()
    got: dict[str, object] = {}
    for i, row in enumerate(rows):
        base = i * SLOTS * SLOT
        if row.rank == "SCALAR":
            fmt = "d" if row.extra else _SCALAR_FORMATS[row.datatype]
            (got[row.name],) = struct.unpack_from("<" + fmt, data, base)
        else:
            (count,) = struct.unpack_from("<d", data, base)
            shown = SLOTS - 1 if row.expected == "fill" else int(count)
            got[row.name] = list(struct.unpack_from(f"<{shown}d", data, base + SLOT))
    return got


def _expected(row: Row, at_high: bool) -> object:
    def pick(value: object) -> object:
        if isinstance(value, At):
            return value.high if at_high else value.low
        return value

    if row.expected == "fill":
        return [FILLS[row.name]] * (SLOTS - 1)
    if isinstance(row.expected, list):
        return [pick(v) for v in row.expected]
    return pick(row.expected)


def _same(a: object, b: object) -> bool:
    """Equal, and for floats bit for bit (so -0.0 is not 0.0)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return struct.pack("<d", float(a)) == struct.pack("<d", float(b))  # type: ignore[arg-type]
    return a == b


@pytest.mark.parametrize("rank", [0, 8], ids=["lowest-rank", "highest-rank"])
def test_accepted_defaults_reach_the_kernel_exactly(range_package: CpuOpPackage, rank: int) -> None:
    got = _received(range_package, "Echo", ACCEPTED, rank)
    wrong = {
        r.name: (got[r.name], _expected(r, rank == 8))
        for r in ACCEPTED
        if not _same(got[r.name], _expected(r, rank == 8))
    }
    assert wrong == {}


def test_rank_expressions_for_a_4d_input(range_package: CpuOpPackage) -> None:
    got = _received(range_package, "Echo4", ACCEPTED_4D, 4)
    assert got == {r.name: r.expected for r in ACCEPTED_4D}


def test_the_table_covers_every_scalar_datatype_at_both_ends() -> None:
    datatypes = {"INT_8", "INT_16", "INT_32", "INT_64", "UINT_8", "UINT_16", "UINT_32"}
    datatypes |= {"UINT_64", "FLOAT_16", "FLOAT_32", "FLOAT_64", "BOOL_8"}
    assert {r.datatype for r in ACCEPTED if r.rank == "SCALAR"} == datatypes
    assert {r.datatype for r in REFUSED if r.rank == "SCALAR"} == datatypes
