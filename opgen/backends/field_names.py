"""The identifiers a tensor or parameter gives generated code, without the rest of its typed view.

Its own module so that validation (opgen/config/names.py) spells names as the backends do without
importing the views (opgen/backends/typed_view.py re-exports these).
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen import naming
from opgen.model import ParamKind, TensorSpec


@dataclass(frozen=True)
class FieldNames:
    """The identifiers a tensor or parameter gives the generated code: what the name checks
    (opgen/config/names.py) need, without the rest of a view."""

    field: str
    types_array: str
    enum_type: str | None = None
    enum_constants: tuple[str, ...] = ()


def tensor_names(op: str, spec: TensorSpec) -> FieldNames:
    name = spec.name
    # Only an index (`in[0]`) changes a name: most names skip the substitution.
    field = naming.tensor_identifier(name) if "[" in name else name
    return FieldNames(field, naming.tensor_types_array(op, field))


def param_names(op: str, spec: TensorSpec) -> FieldNames:
    types_array = naming.param_types_array(op, spec.name)
    if spec.kind is not ParamKind.ENUM:
        return FieldNames(spec.name, types_array)
    taken: set[str] = set()
    constants = tuple(naming.enum_constant(label, taken) for label in spec.enum_values)
    return FieldNames(spec.name, types_array, naming.enum_type_name(spec.name), constants)
