"""The domain model: what a config declares, as frozen dataclasses.

The config layer builds these from XML; backends read them. Nothing here touches the disk.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from opgen.model_defaults import DefaultValue as DefaultValue
from opgen.model_defaults import Element as Element
from opgen.model_defaults import FillDefault as FillDefault
from opgen.model_defaults import ListDefault as ListDefault
from opgen.model_defaults import Nested as Nested
from opgen.model_defaults import RankExpr as RankExpr
from opgen.model_defaults import Scalar as Scalar
from opgen.model_defaults import ScalarDefault as ScalarDefault
from opgen.model_defaults import value_json
from opgen.model_enums import Backend as Backend
from opgen.model_enums import ConstraintType as ConstraintType
from opgen.model_enums import Datatype as Datatype
from opgen.model_enums import Layout as Layout
from opgen.model_enums import Rank as Rank


class SourceLocation:
    """Where an element was written: used by every diagnostic. Immutable, compared by value.

    The config loader makes most of these with `deferred`: finding an element's column means
    searching its source line, and only a diagnostic reads a column, so it is found on first use.
    """

    __slots__ = ("_column", "_find_column", "_token", "file", "line")

    file: Path
    line: int
    _column: int
    _find_column: Callable[[int, str], int] | None
    _token: str

    def __init__(self, file: Path, line: int, column: int = 1) -> None:
        _init = object.__setattr__  # immutable: the frozen dataclasses' way of setting fields
        _init(self, "file", file)
        _init(self, "line", line)
        _init(self, "_column", column)
        _init(self, "_find_column", None)
        _init(self, "_token", "")

    @classmethod
    def deferred(
        cls, file: Path, line: int, find_column: Callable[[int, str], int], token: str
    ) -> SourceLocation:
        """A location whose column is `find_column(line, token)`, computed once, when first read.

        One finder serves a whole file and the token is a string, so a location holds nothing
        else alive (not the XML tree) and adds no object for the cycle collector to walk.
        """
        location = object.__new__(cls)
        _init = object.__setattr__
        _init(location, "file", file)
        _init(location, "line", line)
        _init(location, "_column", 0)
        _init(location, "_find_column", find_column)
        _init(location, "_token", token)
        return location

    @property
    def column(self) -> int:
        if self._find_column is not None:
            object.__setattr__(self, "_column", self._find_column(self.line, self._token))
            object.__setattr__(self, "_find_column", None)
        return self._column

    def _key(self) -> tuple[Path, int, int]:
        return (self.file, self.line, self.column)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceLocation):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type[SourceLocation], tuple[Path, int, int]]:
        return (SourceLocation, self._key())

    def __repr__(self) -> str:
        return f"SourceLocation(file={self.file!r}, line={self.line!r}, column={self.column!r})"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class TextLocation:
    """Where a config text (a `<Text>` or `<Code>`) is written, for diagnostics inside it.

    `start` is the text's first non-blank character when `exact` (the text stands on one line
    exactly as written: no entity reference, no CDATA), so a column inside the text maps to a
    source column; otherwise it is where the element is written and columns are not added.
    """

    start: SourceLocation
    exact: bool = False

    def at(self, col: int) -> SourceLocation:
        """The source location of 1-based column `col` of the (stripped) text."""
        if not self.exact or col < 1:
            return self.start
        start = self.start
        return SourceLocation(start.file, start.line, start.column + col - 1)


_T = TypeVar("_T")


def built(cls: type[_T], **values: Any) -> _T:
    """A frozen dataclass instance from every one of its fields, filled in one step.

    For the config builder: a frozen dataclass's own __init__ sets each field through
    object.__setattr__, which for 17 fields per tensor cost more than reading them from the
    XML. The instance is the same (equal, hashable, frozen); a missing or unknown field is a
    TypeError, as with the constructor. Only for classes without __post_init__.
    """
    if values.keys() != _field_names(cls):
        raise TypeError(f"{cls.__name__} needs exactly its fields: {sorted(_field_names(cls))}")
    instance = object.__new__(cls)
    instance.__dict__.update(values)
    return instance


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    return names


_FIELD_NAMES: dict[type, frozenset[str]] = {}


# ---- default values -------------------------------------------------------------------------
# The value types (ScalarDefault, ListDefault, FillDefault, RankExpr, ...) are in
# opgen.model_defaults and re-exported above; a Default is one of them as written in a config.


@dataclass(frozen=True)
class Default:
    text: str
    value: DefaultValue
    location: SourceLocation | None = field(default=None, compare=False)

    def to_json(self) -> object:
        return value_json(self.value)


# ---- declarations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Constraint:
    id: int
    type: ConstraintType
    text: str
    code: str | None
    location: SourceLocation
    code_location: TextLocation | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Description:
    content: str
    code: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    text: str
    source: str | None
    url: str | None


class TensorRole(enum.Enum):
    INPUT = "input"
    OUTPUT = "output"
    PARAM = "parameter"


class ParamKind(enum.Enum):
    """How a parameter travels: decided from rank, datatype and enumeration."""

    SCALAR = "scalar"
    BOOL = "bool"
    ENUM = "enum"
    TENSOR = "tensor"


def param_kind(
    rank: Rank, datatypes: tuple[Datatype, ...], enum_values: tuple[str, ...]
) -> ParamKind:
    """A TensorSpec's `kind`, from the fields it depends on (the builder needs it first)."""
    if not rank.is_scalar:
        return ParamKind.TENSOR
    if enum_values:
        return ParamKind.ENUM
    if Datatype.BOOL_8 in datatypes:
        return ParamKind.BOOL
    return ParamKind.SCALAR


@dataclass(frozen=True)
class TensorSpec:
    """An input, output or parameter of an op."""

    role: TensorRole
    name: str
    mandatory: bool
    datatypes: tuple[Datatype, ...]
    rank: Rank
    location: SourceLocation
    layout: Layout | None = None
    shape_text: str | None = None
    description: str | None = None
    constraints: tuple[Constraint, ...] = ()
    default: Default | None = None
    repeated: bool = False
    is_static: bool = False
    enum_values: tuple[str, ...] = ()
    only_default_supported: bool = False
    name_location: SourceLocation | None = field(default=None, compare=False)
    shape_text_location: TextLocation | None = field(default=None, compare=False)

    @property
    def name_at(self) -> SourceLocation:
        """Where the name is written (for diagnostics about the name)."""
        return self.name_location or self.location

    @property
    def kind(self) -> ParamKind:
        return param_kind(self.rank, self.datatypes, self.enum_values)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "mandatory": self.mandatory,
            "datatypes": [d.value for d in self.datatypes],
            "rank": self.rank.value,
        }
        if self.layout is not None:
            out["layout"] = self.layout.value
        if self.role is TensorRole.PARAM:
            out["kind"] = self.kind.value
        if self.default is not None:
            out["default"] = self.default.to_json()
        if self.enum_values:
            out["enum"] = list(self.enum_values)
        if self.repeated:
            out["repeated"] = True
        if self.is_static:
            out["static"] = True
        if self.only_default_supported:
            out["only_default_supported"] = True
        return out


@dataclass(frozen=True)
class OpDef:
    name: str
    backends: tuple[Backend, ...]
    """`SupportedBackend` first, then backends added through `SupportedOps`, in config order."""
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    params: tuple[TensorSpec, ...]
    location: SourceLocation
    description: tuple[Description, ...] = ()
    references: tuple[Reference, ...] = ()
    use_default_translation: bool = False
    name_location: SourceLocation | None = field(default=None, compare=False)

    @property
    def name_at(self) -> SourceLocation:
        return self.name_location or self.location

    def tensors(self) -> tuple[TensorSpec, ...]:
        return self.inputs + self.outputs + self.params

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "backends": [b.value for b in self.backends],
            "inputs": [t.to_json() for t in self.inputs],
            "outputs": [t.to_json() for t in self.outputs],
            "parameters": [t.to_json() for t in self.params],
            "use_default_translation": self.use_default_translation,
            "rules": self.rules_json(),
        }

    def rules_json(self) -> dict[str, object]:
        """The op's shape and dtype rules: each one's text and resolved form."""
        # Imported here: the rule checker builds on this module.
        from opgen.shapes import rules_of
        from opgen.shapes.format import op_rules_json

        return op_rules_json(rules_of(self), tuple(t.name for t in self.inputs))


@dataclass(frozen=True)
class SupplementalTensor:
    role: TensorRole
    name: str
    location: SourceLocation
    constraints: tuple[Constraint, ...] = ()
    datatypes: tuple[Datatype, ...] = ()
    layouts: tuple[Layout, ...] = ()
    shape_text: str | None = None
    only_default_supported: bool | None = None
    shape_text_location: TextLocation | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SupplementalOp:
    name: str
    tensors: tuple[SupplementalTensor, ...]
    location: SourceLocation


@dataclass(frozen=True)
class SupplementalList:
    """One `SupplementalOpDefList`: per-backend overrides and extra supported ops."""

    backend: str
    runtime: str | None
    supported_ops: tuple[tuple[str, SourceLocation], ...]
    ops: tuple[SupplementalOp, ...]
    location: SourceLocation


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    domain: str
    version: str
    location: SourceLocation


@dataclass(frozen=True)
class Package:
    """Everything the configs of one `PackageName` declare, merged, in config order."""

    name: str
    configs: tuple[ConfigFile, ...]
    ops: tuple[OpDef, ...]
    supplementals: tuple[SupplementalList, ...] = ()

    @property
    def backends(self) -> tuple[Backend, ...]:
        seen: dict[Backend, None] = {}
        for op in self.ops:
            for b in op.backends:
                seen.setdefault(b, None)
        return tuple(seen)

    def resolve(self, backend: Backend) -> BackendPackage:
        """The package as one backend sees it: its ops with that backend's supplements applied."""
        lists = [s for s in self.supplementals if s.backend == backend.value]
        ops = tuple(
            _apply_supplements(op, [o for s in lists for o in s.ops if o.name == op.name])
            for op in self.ops
            if backend in op.backends
        )
        return BackendPackage(name=self.name, backend=backend, ops=ops, configs=self.configs)

    def to_json(self) -> dict[str, object]:
        return {
            "package_name": self.name,
            "configs": [str(c.path) for c in self.configs],
            "backends": {
                view.backend.value: {
                    "operations": [op.name for op in view.ops],
                    "ops": [op.to_json() for op in view.ops],
                }
                for view in map(self.resolve, self.backends)
            },
        }


@dataclass(frozen=True)
class BackendPackage:
    """The backend view that generators consume: no BACKEND_SPECIFIC left after validation."""

    name: str
    backend: Backend
    ops: tuple[OpDef, ...]
    configs: tuple[ConfigFile, ...] = field(default=())


def _apply_supplements(op: OpDef, supplements: list[SupplementalOp]) -> OpDef:
    if not supplements:
        return op
    by_tensor: dict[tuple[TensorRole, str], list[SupplementalTensor]] = {}
    for sup in supplements:
        for t in sup.tensors:
            by_tensor.setdefault((t.role, t.name), []).append(t)

    def apply(spec: TensorSpec) -> TensorSpec:
        for sup in by_tensor.get((spec.role, spec.name), []):
            spec = _apply_tensor_supplement(spec, sup)
        return spec

    return replace(
        op,
        inputs=tuple(apply(t) for t in op.inputs),
        outputs=tuple(apply(t) for t in op.outputs),
        params=tuple(apply(t) for t in op.params),
    )


def _apply_tensor_supplement(spec: TensorSpec, sup: SupplementalTensor) -> TensorSpec:
    changes: dict[str, object] = {}
    if sup.datatypes:
        # Supplemental datatypes replace the list; order is kept (the vendor loses it in a set).
        changes["datatypes"] = tuple(dict.fromkeys(sup.datatypes))
    if sup.layouts:
        changes["layout"] = sup.layouts[0]
    if sup.shape_text is not None:
        changes["shape_text"] = sup.shape_text
        changes["shape_text_location"] = sup.shape_text_location
    if sup.constraints:
        overrides = {c.id: c for c in sup.constraints}
        kept = [overrides.pop(c.id, c) for c in spec.constraints]
        changes["constraints"] = (*kept, *overrides.values())
    if sup.only_default_supported is not None:
        changes["only_default_supported"] = sup.only_default_supported
    return replace(spec, **changes)  # type: ignore[arg-type]
