"""Building model objects from one schema-valid config tree.

The schema guarantees structure and enumerated values, so this module only converts; what it
cannot convert (a default that does not parse, an unknown backend) becomes a diagnostic.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from lxml import etree

from opgen.config.defaults import DefaultSyntaxError, parse_default
from opgen.config.diagnostics import Diagnostics, did_you_mean
from opgen.config.loader import LoadedConfig, display_tag
from opgen.model import (
    Backend,
    ConfigFile,
    Constraint,
    ConstraintType,
    Datatype,
    Default,
    Description,
    Layout,
    OpDef,
    ParamKind,
    Rank,
    Reference,
    ScalarDefault,
    SourceLocation,
    SupplementalList,
    SupplementalOp,
    SupplementalTensor,
    TensorRole,
    TensorSpec,
    TextLocation,
    built,
    param_kind,
)

_TRUE = ("true", "1")
_BACKEND_NAMES = [b.value for b in Backend]
# Enum members by value, looked up directly (Enum's call is slow for the 5 per tensor); a value
# not here (the schema admits none) still goes through the enum for its error.
_DATATYPES = {d.value: d for d in Datatype}
_RANKS = {r.value: r for r in Rank}


def _datatype(text: str) -> Datatype:
    return _DATATYPES.get(text) or Datatype(text)


@dataclass(frozen=True)
class BuiltConfig:
    """What one config file contributes to its package."""

    package_name: str
    config: ConfigFile
    ops: tuple[OpDef, ...]
    supplementals: tuple[SupplementalList, ...]


def build_config(loaded: LoadedConfig, diagnostics: Diagnostics) -> BuiltConfig:
    return _Builder(loaded, diagnostics).build()


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    if len(element) == 0:  # the common leaf case, without walking the subtree
        return (element.text or "").strip()
    return "".join(str(t) for t in element.itertext()).strip()


def _flag(element: etree._Element | None) -> bool:
    return _text(element).lower() in _TRUE


def _by_tag(element: etree._Element) -> dict[str, list[etree._Element]]:
    kids: dict[str, list[etree._Element]] = {}
    for child in element:
        tag = child.tag  # (each read of .tag makes a new string)
        if isinstance(tag, str):
            kids.setdefault(tag, []).append(child)
    return kids


def _first(kids: dict[str, list[etree._Element]], tag: str) -> etree._Element | None:
    found = kids.get(tag)
    return found[0] if found else None


def _children(element: etree._Element, tag: str) -> list[etree._Element]:
    return [c for c in element if c.tag == tag]


class _Builder:
    def __init__(self, loaded: LoadedConfig, diagnostics: Diagnostics) -> None:
        self.loaded = loaded
        self.diagnostics = diagnostics

    def build(self) -> BuiltConfig:
        root = self.loaded.root
        config = ConfigFile(
            path=self.loaded.path,
            domain=root.get("Domain", ""),
            version=root.get("Version", ""),
            location=self.loaded.location(root),
        )
        op_list = root.find("OpDefList")
        assert op_list is not None  # guaranteed by the schema
        ops = tuple(self.op(e) for e in _children(op_list, "OpDef"))
        sups = tuple(self.supplemental_list(e) for e in _children(root, "SupplementalOpDefList"))
        return BuiltConfig(root.get("PackageName", ""), config, ops, sups)

    # ---- ops ---------------------------------------------------------------------------------

    def op(self, element: etree._Element) -> OpDef:
        backends: dict[Backend, None] = {}  # one or more, in config order
        for backend_el in _children(element, "SupportedBackend"):
            backend = self.backend(_text(backend_el), backend_el)
            if backend in backends:
                self.diagnostics.warning(
                    self.loaded.location(backend_el), f"backend {backend.value} is listed twice"
                )
            elif backend is not None:
                backends[backend] = None
        return built(
            OpDef,
            name=_text(element.find("Name")),
            backends=tuple(backends),
            inputs=tuple(self.tensor(e, TensorRole.INPUT) for e in _children(element, "Input")),
            outputs=tuple(self.tensor(e, TensorRole.OUTPUT) for e in _children(element, "Output")),
            params=tuple(self.tensor(e, TensorRole.PARAM) for e in _children(element, "Parameter")),
            location=self.loaded.location(element),
            description=tuple(self.description(e) for e in _children(element, "Description")),
            references=tuple(
                Reference(_text(e), e.get("Source"), e.get("Url"))
                for e in _children(element, "Reference")
            ),
            use_default_translation=_flag(element.find("UseDefaultTranslation")),
            name_location=self.name_location(element),
        )

    def text_location(self, element: etree._Element) -> TextLocation:
        """Where the element's text starts, exact when it is written on one line as is."""
        where = self.loaded.location(element)
        text = _text(element)
        line = where.line
        if len(element) or not text or not 0 < line <= len(self.loaded.lines):
            return TextLocation(where)
        source = self.loaded.lines[line - 1]
        tag = display_tag(element)
        # The element is the first `<Tag` on its line whose raw content is its text.
        for found in re.finditer(r"<" + re.escape(tag) + r"(?=[\s>])[^>]*>([^<]*)<", source):
            raw = found.group(1)
            column = found.start(1) + len(raw) - len(raw.lstrip()) + 1
            start = SourceLocation(where.file, line, column)
            if raw.strip() == text:
                return TextLocation(start, exact=True)
            if html.unescape(raw).strip() == text:  # entities shift columns: point at the start
                return TextLocation(start)
        return TextLocation(where)

    def name_location(self, element: etree._Element) -> SourceLocation | None:
        name = element.find("Name")
        return self.loaded.location(name) if name is not None else None

    def backend(self, name: str, element: etree._Element | None) -> Backend | None:
        try:
            return Backend(name)
        except ValueError:
            where = self.loaded.location(element if element is not None else self.loaded.root)
            self.diagnostics.error(
                where,
                f"unknown backend '{name}'; known backends: {', '.join(_BACKEND_NAMES)}",
                did_you_mean(name, _BACKEND_NAMES),
            )
            return None

    def description(self, element: etree._Element) -> Description:
        content = " ".join(_text(c) for c in _children(element, "Content"))
        code = tuple(_text(c) for c in _children(element, "Code"))
        return Description(content, code)

    def constraints(self, element: etree._Element) -> tuple[Constraint, ...]:
        out = []
        for c in _children(element, "Constraint"):
            code_el = c.find("Code")
            text = (c.text or "").strip()
            out.append(
                Constraint(
                    id=int(c.get("id", "0")),
                    type=ConstraintType(c.get("Type", "Description")),
                    text=text,
                    code=_text(code_el) if code_el is not None else None,
                    location=self.loaded.location(c),
                    code_location=self.text_location(code_el) if code_el is not None else None,
                )
            )
        return tuple(out)

    def tensor(self, element: etree._Element, role: TensorRole) -> TensorSpec:
        # One pass over the children: lxml's find() re-parses its path on every call.
        kids = _by_tag(element)
        shape = _by_tag(kids["Shape"][0])
        name_el = kids["Name"][0]
        name = _text(name_el)
        location = self.loaded.location(element)
        mandatory = _flag(_first(kids, "Mandatory"))
        datatypes = tuple(dict.fromkeys(_datatype(_text(d)) for d in kids.get("Datatype", ())))
        rank_text = _text(shape["Rank"][0])
        rank = _RANKS.get(rank_text) or Rank(rank_text)
        text_el = _first(shape, "Text")
        description_el = _first(kids, "Description")
        constraints = self.constraints(element) if "Constraint" in kids else ()
        enum_values = self.enum_values(_first(kids, "Enumeration"), name)
        # The default is decided before the spec is made: one construction, no replace().
        default: Default | None = None
        default_el = _first(kids, "Default")
        if default_el is not None:
            default = self.default(name, enum_values, default_el)
        elif role is TensorRole.PARAM and not mandatory:
            # Optional booleans default to false and enums to their first value.
            kind = param_kind(rank, datatypes, enum_values)
            if kind is ParamKind.BOOL:
                default = Default("false", ScalarDefault(False))
            elif kind is ParamKind.ENUM:
                default = Default("0", ScalarDefault(0))
            else:
                self.diagnostics.error(
                    location,
                    f"optional {kind.value} parameter '{name}' needs a <Default>",
                    "only boolean and enumeration parameters have implicit defaults",
                )
        return built(
            TensorSpec,
            role=role,
            name=name,
            mandatory=mandatory,
            datatypes=datatypes,
            rank=rank,
            location=location,
            layout=Layout(_text(shape["Layout"][0])) if "Layout" in shape else None,
            shape_text=_text(text_el) if text_el is not None else None,
            shape_text_location=self.text_location(text_el) if text_el is not None else None,
            description=(
                " ".join(_text(c) for c in _children(description_el, "Content"))
                if description_el is not None
                else None
            ),
            constraints=constraints,
            default=default,
            repeated=_flag(_first(kids, "Repeated")),
            is_static=_flag(_first(kids, "IsStaticTensor")),
            enum_values=enum_values,
            only_default_supported=False,
            name_location=self.loaded.location(name_el),
        )

    def enum_values(self, enumeration: etree._Element | None, param: str) -> tuple[str, ...]:
        if enumeration is None:
            return ()
        first: dict[str, etree._Element] = {}
        for item in _children(enumeration, "Enum"):
            label = _text(item)
            if label in first:
                self.diagnostics.error(
                    self.loaded.location(item), f"enumeration of '{param}' lists '{label}' twice"
                )
                self.diagnostics.note(
                    self.loaded.location(first[label]), f"'{label}' was first listed here"
                )
            else:
                first[label] = item
        return tuple(_text(e) for e in _children(enumeration, "Enum"))

    def default(
        self, name: str, enum_values: tuple[str, ...], element: etree._Element
    ) -> Default | None:
        text = _text(element)
        where = self.loaded.location(element)
        if enum_values:
            # An enum default is a label (meaning its index) or the index itself.
            if text in enum_values:
                return Default(text, ScalarDefault(enum_values.index(text)), where)
            if not re.fullmatch(r"\s*[+-]?[0-9]+\s*", text):
                self.diagnostics.error(
                    where,
                    f"default '{text}' of enumeration '{name}' must be an index or one of "
                    "its labels",
                    "labels: " + ", ".join(enum_values),
                )
                return None
        try:
            return parse_default(text, where)
        except DefaultSyntaxError as exc:
            self.diagnostics.error(where, f"invalid default for '{name}': {exc}")
            return None

    # ---- supplemental defs ---------------------------------------------------------------------

    def supplemental_list(self, element: etree._Element) -> SupplementalList:
        backend_name = element.get("Backend", "")
        self.backend(backend_name, element)
        supported = element.find("SupportedOps")
        supported_ops = tuple(
            (_text(n), self.loaded.location(n))
            for n in (_children(supported, "OpName") if supported is not None else [])
        )
        return SupplementalList(
            backend=backend_name,
            runtime=element.get("Runtime"),
            supported_ops=supported_ops,
            ops=tuple(self.supplemental_op(e) for e in _children(element, "SupplementalOpDef")),
            location=self.loaded.location(element),
        )

    def supplemental_op(self, element: etree._Element) -> SupplementalOp:
        tensors = []
        for tag, role in (
            ("Input", TensorRole.INPUT),
            ("Output", TensorRole.OUTPUT),
            ("Parameter", TensorRole.PARAM),
        ):
            for t in _children(element, tag):
                shape = t.find("Shape")
                text_el = shape.find("Text") if shape is not None else None
                only_default = t.find("OnlyDefaultSupported")
                tensors.append(
                    SupplementalTensor(
                        role=role,
                        name=_text(t.find("Name")),
                        location=self.loaded.location(t),
                        constraints=self.constraints(t),
                        datatypes=tuple(Datatype(_text(d)) for d in _children(t, "Datatype")),
                        layouts=tuple(
                            Layout(_text(x))
                            for x in (_children(shape, "Layout") if shape is not None else [])
                        ),
                        shape_text=_text(text_el) if text_el is not None else None,
                        shape_text_location=(
                            self.text_location(text_el) if text_el is not None else None
                        ),
                        only_default_supported=(
                            _flag(only_default) if only_default is not None else None
                        ),
                    )
                )
        return SupplementalOp(
            name=_text(element.find("Name")),
            tensors=tuple(tensors),
            location=self.loaded.location(element),
        )
