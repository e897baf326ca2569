"""Semantic checks the schema cannot express, run on a merged package.

Each check reports at the offending element. Checks that depend on a backend (BACKEND_SPECIFIC
resolution, default fit against resolved datatypes) run on every backend view of the package;
the collector drops the duplicates that produces.
"""

from __future__ import annotations

from opgen.config.default_checks import check_defaults
from opgen.config.diagnostics import Diagnostics, did_you_mean
from opgen.config.names import check_names, identifier_problem, tensor_identifier
from opgen.model import (
    Backend,
    BackendPackage,
    Datatype,
    Layout,
    OpDef,
    Package,
    TensorRole,
    TensorSpec,
)
from opgen.naming import package_name_problem, tensor_name_problem
from opgen.shapes.detect import declares_rules

_BACKEND_NAMES = [b.value for b in Backend]


def check_package(package: Package, diagnostics: Diagnostics) -> None:
    for config in package.configs:
        problem = package_name_problem(package.name)
        if problem:
            diagnostics.error(config.location, f"package name '{package.name}' {problem}")
    _check_op_names(package, diagnostics)
    check_names(package, diagnostics)
    for op in package.ops:
        _check_tensors(op, diagnostics)
        _check_defaults(op, diagnostics)
    _check_supplementals(package, diagnostics)
    declared = {id(op) for op in package.ops}
    for backend in package.backends:
        view = package.resolve(backend)
        for op in view.ops:
            _check_resolved(view, op, diagnostics)
            if id(op) not in declared:  # a supplement changed it: check defaults again
                _check_defaults(op, diagnostics)
            if backend in (Backend.HTP, Backend.HTP_FP16):
                _check_htp(op, diagnostics)
            _check_rules(op, diagnostics)


def _check_rules(op: OpDef, diagnostics: Diagnostics) -> None:
    """Shape and dtype rules, per backend view (a supplement may replace a rule)."""
    if not declares_rules(op):  # no rule text: nothing to check, no grammar to import
        return
    # Imported here: opgen.shapes reads the config layer's diagnostics helpers.
    from opgen.shapes import check_op_rules

    check_op_rules(op, diagnostics)


def _check_op_names(package: Package, diagnostics: Diagnostics) -> None:
    first: dict[str, OpDef] = {}
    for op in package.ops:
        problem = identifier_problem(op.name)
        if problem:
            diagnostics.error(op.name_at, f"op name '{op.name}' {problem}")
        if op.name in first:
            diagnostics.error(
                op.name_at, f"op '{op.name}' is defined twice in package '{package.name}'"
            )
            diagnostics.note(first[op.name].name_at, f"op '{op.name}' was first defined here")
        else:
            first[op.name] = op


def _check_tensors(op: OpDef, diagnostics: Diagnostics) -> None:
    for group in (op.inputs, op.outputs):
        repeated = [t for t in group if t.repeated]
        for extra in repeated[1:]:
            # With two variadic tensors, which actual tensor binds to which is ambiguous.
            diagnostics.error(
                extra.location,
                f"op '{op.name}' has more than one Repeated {extra.role.value}; "
                "at most one can be Repeated",
            )
            diagnostics.note(repeated[0].location, f"'{repeated[0].name}' is Repeated too")
    seen: dict[str, TensorSpec] = {}
    for spec in op.tensors():
        if spec.role is TensorRole.PARAM:
            problem = identifier_problem(spec.name)
        else:
            problem = tensor_name_problem(spec.name) or identifier_problem(
                tensor_identifier(spec.name)
            )
        if problem:
            diagnostics.error(spec.name_at, f"{spec.role.value} name '{spec.name}' {problem}")
        # `in[0]` and `in_0` name the same generated accessor, so they clash too.
        key = tensor_identifier(spec.name)
        if key in seen:
            other = seen[key]
            diagnostics.error(
                spec.name_at,
                f"{spec.role.value} name '{spec.name}' clashes with {other.role.value} "
                f"'{other.name}' of op '{op.name}'",
            )
            diagnostics.note(other.name_at, f"'{other.name}' was declared here")
        else:
            seen[key] = spec

        if spec.role is TensorRole.OUTPUT and spec.default is not None:
            diagnostics.error(
                spec.default.location or spec.location,
                f"output '{spec.name}' has a <Default>; outputs cannot",
            )
        if spec.enum_values and not spec.rank.is_scalar:
            diagnostics.error(
                spec.location, f"enumeration parameter '{spec.name}' must have rank SCALAR"
            )


def _check_supplementals(package: Package, diagnostics: Diagnostics) -> None:
    ops = {op.name: op for op in package.ops}
    for sup_list in package.supplementals:
        for name, where in sup_list.supported_ops:
            if name not in ops:
                diagnostics.error(
                    where,
                    f"SupportedOps names op '{name}', which package "
                    f"'{package.name}' does not define",
                    did_you_mean(name, ops),
                )
        for sup in sup_list.ops:
            op = ops.get(sup.name)
            if op is None:
                diagnostics.error(
                    sup.location,
                    f"supplemental def for op '{sup.name}', which package "
                    f"'{package.name}' does not define",
                    did_you_mean(sup.name, ops),
                )
                continue
            for tensor in sup.tensors:
                declared = {t.name for t in op.tensors() if t.role is tensor.role}
                if tensor.name not in declared:
                    diagnostics.error(
                        tensor.location,
                        f"supplemental {tensor.role.value} '{tensor.name}' is not an "
                        f"{tensor.role.value} of op '{op.name}'",
                        did_you_mean(tensor.name, declared),
                    )


def _check_resolved(view: BackendPackage, op: OpDef, diagnostics: Diagnostics) -> None:
    backend = view.backend.value
    for spec in op.tensors():
        if Datatype.BACKEND_SPECIFIC in spec.datatypes:
            diagnostics.error(
                spec.location,
                f"{spec.role.value} '{spec.name}' of op '{op.name}' has datatype "
                f"BACKEND_SPECIFIC, but no supplemental def gives its datatypes for {backend}",
            )
        if spec.layout is Layout.BACKEND_SPECIFIC:
            diagnostics.error(
                spec.location,
                f"{spec.role.value} '{spec.name}' of op '{op.name}' has layout "
                f"BACKEND_SPECIFIC, but no supplemental def gives its layout for {backend}",
            )


def _check_htp(op: OpDef, diagnostics: Diagnostics) -> None:
    """What an HTP op package cannot express (the rules generation enforces as well). Defaults
    are checked for HTP only once they fit their declared datatypes."""
    from opgen.backends import htp_signature  # here: only HTP packages need it imported

    problems = htp_signature.signature_problems(op)
    own = Diagnostics()
    check_defaults(op, own)
    if not own.has_errors:
        problems += htp_signature.default_problems(op)
    for problem in problems:
        diagnostics.error(problem.location, problem.message)


def _check_defaults(op: OpDef, diagnostics: Diagnostics) -> None:
    """Defaults fit the datatypes (the declared ones, and again after each backend's supplement)."""
    check_defaults(op, diagnostics)
