"""Generated names are injective: no two config places give one C++ identifier in one scope.

`generated_identifiers` lists, for one backend's view of a package, every identifier the generated
code declares (per C++ scope) with the config place it comes from; it spells them with the same
functions the backends use (opgen/naming.py, typed_view, opencl), so the check sees what the
templates write. `check_names` reports each clash at the second place, with a note at the first,
and each op or package name whose file names exceed the file system's limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from opgen import naming, naming_dsp, reserved_names
from opgen.backends.field_names import param_names, tensor_names
from opgen.config.diagnostics import Diagnostics
from opgen.model import (
    Backend,
    BackendPackage,
    OpDef,
    Package,
    ParamKind,
    SourceLocation,
    TensorRole,
    TensorSpec,
)

GLOBAL = "the global scope"
MACROS = "the macros"
HTP_ARGUMENTS = "the arguments of HTP op function "
HTP_BACKENDS = (Backend.HTP, Backend.HTP_FP16)


@dataclass(frozen=True)
class Place:
    """Where an identifier comes from: a config element, or (location None) opgen itself."""

    what: str
    """For messages: `op 'A'`, `input 'x' of op 'A'`, `the generated code`."""
    location: SourceLocation | None
    field: bool = False
    """A field of an op's `Op` struct or an argument of an HTP op function (clashes between
    two of them are the tensor check's, checks.py)."""


class Identifier(NamedTuple):
    """A named tuple, not a dataclass: a package lists some 30 per op, and this is cheaper."""

    scope: str
    name: str
    place: Place
    derived: bool = True
    """False where the identifier is the config name itself (checked as a name, checks.py) or
    made safe by construction (enum constants, OpenCL kernel arguments)."""


_GENERATED = Place("the generated code", None)

# The checks ask about each name several times (per backend, per scope); the answers are pure.
identifier_problem = lru_cache(maxsize=8192)(naming.identifier_problem)
tensor_identifier = lru_cache(maxsize=8192)(naming.tensor_identifier)


def generated_identifiers(view: BackendPackage) -> list[Identifier]:
    """Every identifier the package generated for `view` declares, in config order."""
    if view.backend in HTP_BACKENDS:
        return _htp_identifiers(view)
    if view.backend is Backend.DSP:
        return _dsp_identifiers(view)
    ids: list[Identifier] = []
    package = view.name
    config = view.configs[0].location if view.configs else None
    pkg = Place(f"package '{package}'", config)
    gpu = view.backend is Backend.GPU
    if not naming.package_name_problem(package):
        ids.append(Identifier(GLOBAL, package, pkg, derived=False))
        ids.append(Identifier(GLOBAL, naming.interface_provider(package), pkg))
        if gpu:
            ids.append(Identifier(GLOBAL, naming.last_error_function(package), pkg))
    ids += [Identifier(GLOBAL, name, _GENERATED) for name in naming.INTERFACE_NAMES]
    seen: set[str] = set()
    for op in view.ops:
        # A duplicate op, or a name that is no identifier, is the name checks' to report.
        if op.name in seen or identifier_problem(op.name):
            continue
        seen.add(op.name)
        ids += _op_identifiers(package, op, gpu)
    return ids


# Spelled per op by _op_identifiers, in this order (gpu.py and cpu.py spell them the same way).
_OP_GLOBALS = (
    naming.inputs_array,
    naming.outputs_array,
    naming.params_array,
    naming.num_params_constant,
    naming.validate_function,
    naming.create_function,
)


def _op_identifiers(package: str, op: OpDef, gpu: bool) -> list[Identifier]:
    # A list, positional tuples and local names: this runs for every op (some 30 names each).
    ids: list[Identifier] = []
    add = ids.append
    name = op.name
    here = Place(f"op '{name}'", op.name_at)
    namespace = f"namespace {package}::{name}"
    struct = f"struct {package}::{name}::Op"
    add(Identifier(f"namespace {package}", name, here, False))
    add(Identifier(MACROS, naming.header_guard(package, name), here, True))
    for function in _OP_GLOBALS:
        add(Identifier(GLOBAL, function(name), here, True))
    last = naming.kernel_source_symbol(name) if gpu else naming.impl_struct(name)
    add(Identifier(GLOBAL, last, here, True))
    add(Identifier(namespace, "Op", _GENERATED, True))
    add(Identifier(struct, "Op", _GENERATED, True))  # a member cannot be named like its class
    add(Identifier(namespace, "configureLaunch" if gpu else "execute", _GENERATED, True))
    if gpu:
        add(Identifier(namespace, "kKernelName", _GENERATED, True))
    places: list[tuple[Place, str]] = []
    for spec in op.inputs + op.outputs:
        if identifier_problem(tensor_identifier(spec.name)):
            continue
        view = tensor_names(name, spec)
        place = Place(f"{spec.role.value} '{spec.name}' of op '{name}'", spec.name_at, field=True)
        places.append((place, view.field))
        add(Identifier(GLOBAL, view.types_array, place, True))
        add(Identifier(struct, view.field, place, False))
    for spec in op.params:
        if identifier_problem(spec.name):
            continue
        # The names alone (param_view spells them the same way): defaults do not change names,
        # and may be invalid here (the default checks report it).
        pv = param_names(name, spec)
        place = Place(f"parameter '{spec.name}' of op '{name}'", spec.name_at, field=True)
        add(Identifier(GLOBAL, pv.types_array, place, True))
        add(Identifier(struct, pv.field, place, False))
        if pv.enum_type is not None:
            enum_place = Place(f"enumeration parameter '{spec.name}' of op '{name}'", spec.name_at)
            add(Identifier(namespace, pv.enum_type, enum_place, True))
            add(Identifier(struct, pv.enum_type, enum_place, True))  # the field's type, used there
            scope = f"enum class {pv.enum_type} of '{spec.name}'"
            for constant, raw in zip(pv.enum_constants, spec.enum_values, strict=True):
                label = Place(f"label {raw!r} of '{spec.name}'", spec.name_at)
                add(Identifier(scope, constant, label, False))
        if spec.kind is not ParamKind.TENSOR:
            places.append((place, pv.field))
    if gpu:
        from opgen.backends import opencl  # here: only GPU packages need it imported

        # The OpenCL kernel: its name and arguments, in binding order (as gpu.py binds them).
        kernel = f"the kernel file src/ops/{name}.cl"
        add(Identifier(kernel, opencl.kernel_name(name), here, False))
        taken: set[str] = set()
        arguments = f"the arguments of kernel {name}"
        for place, field in places:
            add(Identifier(arguments, opencl.identifier(field, taken), place, False))
    return ids


def _valid_ops(view: BackendPackage) -> list[OpDef]:
    """Ops whose names are identifiers, each once (the name checks report the others)."""
    seen: set[str] = set()
    ops = []
    for op in view.ops:
        if op.name not in seen and not identifier_problem(op.name):
            seen.add(op.name)
            ops.append(op)
    return ops


def _htp_identifiers(view: BackendPackage) -> list[Identifier]:
    """The HTP interface (entry points, per-op table namespaces) and op files (op functions,
    default symbols, arguments); spelled as opgen/backends/htp.py spells them."""
    ids: list[Identifier] = []
    package = view.name
    config = view.configs[0].location if view.configs else None
    pkg = Place(f"package '{package}'", config)
    if not naming.package_name_problem(package):
        for role in naming.HTP_PACKAGE_FUNCTIONS:
            ids.append(Identifier(GLOBAL, naming.htp_package_function(package, role), pkg))
        ids.append(Identifier(GLOBAL, naming.interface_provider(package), pkg))
    ids += [Identifier(GLOBAL, name, _GENERATED) for name in naming.HTP_INTERFACE_NAMES]
    ops = _valid_ops(view)
    functions = naming.htp_function_names([op.name for op in view.ops])
    for op in ops:
        ids += _htp_op_identifiers(op, functions[op.name])
    return ids


def _htp_op_identifiers(op: OpDef, function: str) -> Iterator[Identifier]:
    from opgen.backends import htp_signature  # here: only HTP packages need it imported

    name = op.name
    here = Place(f"op '{name}'", op.name_at)
    tables = f"namespace {naming.htp_table_namespace(name)}"
    op_file = f"the op file src/ops/{name}.cpp"
    yield Identifier("namespace opgen_htp_tables", naming.htp_ops_table(name), here)
    yield Identifier(GLOBAL, naming.htp_table_namespace(name), here)
    yield from (Identifier(tables, table, _GENERATED) for table in naming.HTP_TABLE_NAMES)
    for _, variant in htp_signature.arities(op, function):
        yield Identifier(GLOBAL, variant, here)  # templates with external linkage
        yield Identifier(op_file, variant, here)
    arguments = HTP_ARGUMENTS + function
    for spec in op.tensors():
        field = tensor_identifier(spec.name)  # a parameter's name is its own
        if identifier_problem(field):
            continue
        place = Place(f"{spec.role.value} '{spec.name}' of op '{name}'", spec.name_at, field=True)
        yield Identifier(tables, naming.htp_types_table(spec.role.value, field), place)
        yield Identifier(arguments, field, place, derived=False)
        if spec.role is TensorRole.PARAM and not spec.mandatory:
            yield Identifier(op_file, naming.htp_default_symbol(spec.name), place)
            if spec.kind is ParamKind.TENSOR:
                yield Identifier(op_file, naming.htp_default_data(spec.name), place)
                yield Identifier(op_file, naming.htp_default_dims(spec.name), place)


def _dsp_identifiers(view: BackendPackage) -> list[Identifier]:
    """The DSP package: DspOps.hpp (per-op vendor names, typed params, enum types), the
    interface (entry points, dispatchers, per-op table namespaces) and the op files' statics;
    spelled as opgen/backends/dsp.py spells them. Ops whose lowered names repeat an earlier
    op's are left to the case check (_check_file_names), which reports them once."""
    ids: list[Identifier] = []
    package = view.name
    config = view.configs[0].location if view.configs else None
    pkg = Place(f"package '{package}'", config)
    ops: dict[str, OpDef] = {}
    for op in _valid_ops(view):
        ops.setdefault(naming_dsp.dsp_op_stem(op.name), op)
    if not naming.package_name_problem(package):
        ids.append(Identifier(MACROS, naming_dsp.dsp_header_guard(package), pkg))
        for role in naming_dsp.DSP_PACKAGE_FUNCTIONS:
            ids.append(Identifier(GLOBAL, naming_dsp.dsp_package_function(package, role), pkg))
        ids.append(Identifier(GLOBAL, naming.interface_provider(package), pkg))
        if any(p.kind is ParamKind.ENUM for op in ops.values() for p in op.params):
            ids.append(Identifier(GLOBAL, package, pkg, derived=False))  # enum types' namespace
    ids += [Identifier(GLOBAL, name, _GENERATED) for name in naming_dsp.DSP_INTERFACE_NAMES]
    for op in ops.values():
        ids += _dsp_op_identifiers(package, op)
    return ids


def _dsp_op_identifiers(package: str, op: OpDef) -> Iterator[Identifier]:
    name = op.name
    here = Place(f"op '{name}'", op.name_at)
    tables = f"namespace {naming.htp_table_namespace(name)}"
    params_struct = f"struct {naming_dsp.dsp_op_name(name, 'Params')}"
    yield Identifier(GLOBAL, naming.htp_table_namespace(name), here)
    for role in naming_dsp.DSP_OP_ROLES:
        yield Identifier(GLOBAL, naming_dsp.dsp_op_name(name, role), here)
    for function in naming_dsp.dsp_op_functions(name):
        yield Identifier(GLOBAL, function, here)
    for role in naming_dsp.DSP_OP_FILE_ROLES:
        # Statics of src/ops/<Op>.cpp, where every DspOps.hpp name is in scope too.
        yield Identifier(GLOBAL, naming_dsp.dsp_op_static(name, role), here)
    yield from (Identifier(tables, table, _GENERATED) for table in naming_dsp.DSP_TABLE_NAMES)
    for spec in op.tensors():
        field = naming.tensor_identifier(spec.name)
        if naming.identifier_problem(field):
            continue
        place = Place(f"{spec.role.value} '{spec.name}' of op '{name}'", spec.name_at, field=True)
        yield Identifier(tables, naming.htp_types_table(spec.role.value, field), place)
        if spec.role is not TensorRole.PARAM:
            continue
        yield Identifier(params_struct, field, place, derived=False)
        if spec.kind is ParamKind.ENUM:
            yield Identifier(f"namespace {package}", name, here, derived=False)
            yield from _dsp_enum_identifiers(package, name, spec, tables)
        elif spec.kind is ParamKind.TENSOR and spec.default is not None:
            for symbol in (
                naming_dsp.dsp_default_tensor,
                naming_dsp.dsp_default_data,
                naming_dsp.dsp_default_dims,
            ):
                yield Identifier(tables, symbol(field), place)


def _dsp_enum_identifiers(
    package: str, op: str, spec: TensorSpec, tables: str
) -> Iterator[Identifier]:
    pv = param_names(op, spec)  # as param_view spells them
    assert pv.enum_type is not None
    place = Place(f"enumeration parameter '{spec.name}' of op '{op}'", spec.name_at)
    yield Identifier(tables, naming_dsp.dsp_labels_array(spec.name), place)
    yield Identifier(f"namespace {package}::{op}", pv.enum_type, place)
    for constant, raw in zip(pv.enum_constants, spec.enum_values, strict=True):
        label = Place(f"label {raw!r} of '{spec.name}'", spec.name_at)
        scope = f"enum class {pv.enum_type} of '{spec.name}'"
        yield Identifier(scope, constant, label, derived=False)


def check_names(package: Package, diagnostics: Diagnostics) -> None:
    for backend in package.backends:
        _check_identifiers(generated_identifiers(package.resolve(backend)), diagnostics)
    _check_file_names(package, diagnostics)


def _check_identifiers(ids: list[Identifier], diagnostics: Diagnostics) -> None:
    first: dict[tuple[str, str], Place] = {}
    reported: set[tuple[str, str, str]] = set()
    against_generated: set[str] = set()
    for ident in ids:
        key = (ident.scope, ident.name)
        earlier = first.setdefault(key, ident.place)
        place = ident.place
        if place.location is None and earlier.location is not None:
            earlier, place = place, earlier  # opgen's own name, listed after the config's
        if earlier is place or place.location is None:
            continue
        if earlier.field and place.field and ident.scope.startswith(("struct ", HTP_ARGUMENTS)):
            continue  # two fields or arguments: reported by the tensor check with its own message
        where = f"in {ident.scope}"
        if earlier.location is None:
            if place.what in against_generated:
                continue  # one message per config place (package 'fptr' meets five typedefs)
            against_generated.add(place.what)
            diagnostics.error(
                place.location,
                f"{place.what} gives the C++ name '{ident.name}' {where}, which the generated "
                "code declares itself",
            )
            continue
        pair = (ident.name, earlier.what, place.what)
        if earlier.what == place.what or pair in reported:
            continue  # one place giving a name twice, or a clash seen in another scope
        reported.add(pair)
        diagnostics.error(
            place.location,
            f"{place.what} gives the C++ name '{ident.name}' {where}, as {earlier.what} does",
        )
        diagnostics.note(earlier.location, f"{earlier.what} is declared here")
    # Derived names must not be macros, nor (at global scope) names the headers declare there.
    macros, globals_ = reserved_names.macros(), reserved_names.globals_()
    for ident in ids:
        place = ident.place
        if place.location is None or not ident.derived or ident.scope == MACROS:
            continue
        origin = macros.get(ident.name)
        if origin is None and ident.scope == GLOBAL:
            origin = globals_.get(ident.name)
        if origin is not None:
            diagnostics.error(
                place.location,
                f"{place.what} gives the C++ name '{ident.name}' in {ident.scope}, which "
                f"{naming.describe(origin)} already declares",
            )


def _check_file_names(package: Package, diagnostics: Diagnostics) -> None:
    problem = naming.file_name_problem(naming.package_file_names(package.name))
    if problem:
        for config in package.configs:
            diagnostics.error(config.location, f"package name {_short(package.name)} {problem}")
    folded: dict[str, OpDef] = {}
    for op in package.ops:
        backends = tuple(b.value for b in op.backends)
        problem = naming.file_name_problem(naming.op_file_names(op.name, backends))
        if problem:
            diagnostics.error(op.name_at, f"op name {_short(op.name)} {problem}")
        # Case-insensitive file systems (macOS, Windows) would make src/ops/Relu.cpp and
        # src/ops/relu.cpp one file.
        other = folded.setdefault(op.name.casefold(), op)
        if other.name != op.name:
            files = (
                f"(src/ops/{op.name}.cpp, ...) would be one file on a case-insensitive file system"
            )
            if Backend.DSP in op.backends and Backend.DSP in other.backends:
                # The DSP names are built on the lowered op name (naming_dsp.dsp_op_stem).
                execute = naming_dsp.dsp_op_name(op.name, "_executeOp")
                message = (
                    f"so their DSP names ({execute}, ...) would be one, and their files {files}"
                )
            else:
                message = f"so their files {files}"
            diagnostics.error(
                op.name_at, f"op '{op.name}' and op '{other.name}' differ only in case, {message}"
            )
            diagnostics.note(other.name_at, f"op '{other.name}' is declared here")


def _short(name: str) -> str:
    """A name for a message: long ones shortened, with their length."""
    if len(name) <= 40:
        return f"'{name}'"
    return f"'{name[:20]}...{name[-8:]}' ({len(name)} characters)"
