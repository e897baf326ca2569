"""OpenCL C rules for GPU op packages: element and by-value argument types, identifiers.

Generated kernels are OpenCL C, a different language from the C++ the rest of a package is
written in, with its own keywords (`global`, `half`, `uchar`, ...), vector types and predefined
macros. Names from a config that are fine in C++ are made safe here before they reach a `.cl`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opgen.model import Datatype, ParamKind, TensorSpec


@dataclass(frozen=True)
class DataArgType:
    """An OpenCL scalar type a kernel takes by value, and how the package passes it."""

    cl_type: str
    """OpenCL C spelling, as in the kernel signature: `float`, `uchar`."""
    arg_type: str
    """The `QnnGpu_DataKernelArgType_t` constant the argument carries."""
    builder: str
    """The `::opgen::gpu` function building such a kernel argument (GpuOpSupport.hpp)."""
    c_type: str
    """The C++ type that builder takes."""


def _data(cl_type: str, builder: str, c_type: str) -> DataArgType:
    return DataArgType(
        cl_type, f"QNN_GPU_KERNEL_ARG_CL_TYPE_{cl_type.upper()}", f"::opgen::gpu::{builder}", c_type
    )


DATA_ARG_TYPES = {
    t.cl_type: t
    for t in (
        _data("char", "dataChar", "int8_t"),
        _data("uchar", "dataUChar", "uint8_t"),
        _data("short", "dataShort", "int16_t"),
        _data("ushort", "dataUShort", "uint16_t"),
        _data("int", "dataInt", "int32_t"),
        _data("uint", "dataUInt", "uint32_t"),
        _data("long", "dataLong", "int64_t"),
        _data("ulong", "dataULong", "uint64_t"),
        _data("float", "dataFloat", "float"),
        _data("double", "dataDouble", "double"),
    )
}

# OpenCL C element type of each datatype. Fixed point travels as its integer storage type;
# the 4-bit types as bytes (two values per byte is the kernel's business); BOOL_8 as uchar
# because OpenCL `bool` has no defined size and cannot cross the host boundary.
_ELEMENT_TYPES = {
    Datatype.INT_8: "char",
    Datatype.INT_16: "short",
    Datatype.INT_32: "int",
    Datatype.INT_64: "long",
    Datatype.UINT_8: "uchar",
    Datatype.UINT_16: "ushort",
    Datatype.UINT_32: "uint",
    Datatype.UINT_64: "ulong",
    Datatype.FLOAT_16: "half",
    Datatype.FLOAT_32: "float",
    Datatype.FLOAT_64: "double",
    Datatype.SFIXED_POINT_4: "char",
    Datatype.SFIXED_POINT_8: "char",
    Datatype.SFIXED_POINT_16: "short",
    Datatype.SFIXED_POINT_32: "int",
    Datatype.UFIXED_POINT_4: "uchar",
    Datatype.UFIXED_POINT_8: "uchar",
    Datatype.UFIXED_POINT_16: "ushort",
    Datatype.UFIXED_POINT_32: "uint",
    Datatype.BOOL_8: "uchar",
}

# Extensions a type needs before kernels may compute with it.
_TYPE_EXTENSIONS = {"half": "cl_khr_fp16", "double": "cl_khr_fp64"}


def element_type(spec: TensorSpec) -> str:
    """The OpenCL C type of a tensor's elements: that of its first declared datatype."""
    for datatype in spec.datatypes:
        if datatype in _ELEMENT_TYPES:
            return _ELEMENT_TYPES[datatype]
    return "float"


def data_arg_type(spec: TensorSpec) -> DataArgType:
    """How a scalar, boolean or enumeration parameter is passed to a kernel by value.

    Enumerations pass their index as `uint`, booleans 0/1 as `uchar`; other scalars take the
    type of their first declared datatype, except that FLOAT_16 travels as `float`: a by-value
    kernel argument cannot be `half`, and the GPU interface has no half-precision data argument.
    """
    if spec.kind is ParamKind.ENUM:
        return DATA_ARG_TYPES["uint"]
    if spec.kind is ParamKind.BOOL:
        return DATA_ARG_TYPES["uchar"]
    cl_type = element_type(spec)
    return DATA_ARG_TYPES["float" if cl_type == "half" else cl_type]


def extensions_for(cl_types: list[str]) -> tuple[str, ...]:
    """The extensions kernels using these types should enable, in a stable order."""
    return tuple(sorted({_TYPE_EXTENSIONS[t] for t in cl_types if t in _TYPE_EXTENSIONS}))


# ---- identifiers -----------------------------------------------------------------------------

_KEYWORDS = frozenset(
    """
    auto break case char const continue default do double else enum extern float for goto if
    inline int long register restrict return short signed sizeof static struct switch typedef
    union unsigned void volatile while _Bool _Complex _Imaginary bool half uchar ushort uint
    ulong size_t ptrdiff_t intptr_t uintptr_t true false NULL
    global local constant private generic kernel read_only write_only read_write uniform pipe
    complex imaginary quad
    image1d_t image1d_array_t image1d_buffer_t image2d_t image2d_array_t image3d_t
    image2d_depth_t image2d_array_depth_t image2d_msaa_t image2d_array_msaa_t
    image2d_msaa_depth_t image2d_array_msaa_depth_t sampler_t event_t queue_t ndrange_t
    clk_event_t reserve_id_t cl_mem_fence_flags memory_scope memory_order atomic_flag
    atomic_int atomic_uint atomic_long atomic_ulong atomic_float atomic_double
    atomic_intptr_t atomic_uintptr_t atomic_size_t atomic_ptrdiff_t
    MAXFLOAT HUGE_VAL HUGE_VALF INFINITY NAN ENDIAN_LITTLE IMAGE_SUPPORT FAST_RELAXED_MATH
    """.split()  # noqa: SIM905 (a word list reads better than quoted strings)
)
# Built-in functions: implementations may define them as macros (pocl maps `max` to `_cl_max`),
# so a parameter with such a name is renamed too, which also keeps the built-in callable.
_BUILTINS = frozenset(
    """
    acos acosh acospi asin asinh asinpi atan atan2 atanh atanpi atan2pi cbrt ceil copysign cos
    cosh cospi erfc erf exp exp2 exp10 expm1 fabs fdim floor fma fmax fmin fmod fract frexp
    hypot ilogb ldexp lgamma lgamma_r log log2 log10 log1p logb mad maxmag minmag modf nan
    nextafter pow pown powr remainder remquo rint rootn round rsqrt sin sincos sinh sinpi sqrt
    tan tanh tanpi tgamma trunc
    abs abs_diff add_sat hadd rhadd clamp clz ctz mad_hi mad_sat max min mul_hi rotate sub_sat
    upsample popcount mad24 mul24
    degrees mix radians step smoothstep sign
    cross dot distance length normalize fast_distance fast_length fast_normalize
    isequal isnotequal isgreater isgreaterequal isless islessequal islessgreater isfinite isinf
    isnan isnormal isordered isunordered signbit any all bitselect select
    shuffle shuffle2 printf vec_step barrier mem_fence read_mem_fence write_mem_fence prefetch
    enqueue_kernel enqueue_marker ndrange_1D ndrange_2D ndrange_3D retain_event release_event
    create_user_event set_user_event_status capture_event_profiling_info is_valid_event
    to_global to_local to_private read_pipe write_pipe
    """.split()  # noqa: SIM905
)
_BUILTIN_PREFIXES = tuple(
    """
    convert_ as_ vload vstore read_image write_image get_ atomic_ atom_ native_ half_ async_
    wait_group_ work_group_ sub_group_ reserve_ commit_
    """.split()  # noqa: SIM905
)
_VECTOR_OR_MATRIX = re.compile(
    r"(char|uchar|short|ushort|int|uint|long|ulong|float|double|half|bool|quad)"
    r"(2|3|4|8|16)(x(2|3|4|8|16))?\Z"
)
# Predefined macro families: limits, math constants, fences, image/sampler flags, versions.
_MACRO_PREFIXES = tuple(
    """
    CL_ CLK_ FLT_ DBL_ HALF_ M_ FP_ CHAR_ SCHAR_ UCHAR_ SHRT_ USHRT_ INT_ UINT_ LONG_ ULONG_ __
    """.split()  # noqa: SIM905
)


def is_reserved(name: str) -> bool:
    """Whether `name` is an OpenCL C keyword, type, built-in function or predefined macro."""
    return (
        name in _KEYWORDS
        or name in _BUILTINS
        or _VECTOR_OR_MATRIX.match(name) is not None
        or name.startswith(_MACRO_PREFIXES + _BUILTIN_PREFIXES)
    )


def identifier(name: str, taken: set[str]) -> str:
    """A kernel-signature identifier for `name` (already a C identifier), unique among `taken`
    (which it extends): reserved OpenCL C names get a trailing underscore (`local` -> `local_`,
    `max` -> `max_`).
    """
    candidate = name + "_" if is_reserved(name) else name
    base, n = candidate, 2
    while candidate in taken:
        candidate = f"{base}{n}"
        n += 1
    taken.add(candidate)
    return candidate


def kernel_name(op_name: str) -> str:
    """The `__kernel` function name of an op: the op name itself when it mixes upper and lower
    case (`Relu`), which no OpenCL C keyword, built-in function or macro does; otherwise the op
    name with `_op` appended (`relu_op`, `MAX_op`), which none ends with."""
    if any(c.isupper() for c in op_name) and any(c.islower() for c in op_name):
        return op_name
    return op_name + "_op"
