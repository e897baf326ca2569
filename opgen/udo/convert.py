"""A legacy SNPE UDO JSON config as an OpDef config: checked field by field, with diagnostics.

The JSON (`{"UdoPackage_0": {"UDO_PACKAGE_NAME": ..., "Operators": [...]}}`) is read with
positions (opgen.udo.jsonpos); each thing that has no OpDef equivalent is an error at its JSON
line. The result is the OpDef document as plain data in the shape xmlschema encodes against
schemas/OpDef.xsd (opgen.udo.xml); nothing here writes.

How the fields map: see opgen.udo.fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opgen import naming
from opgen.config.diagnostics import Diagnostics, did_you_mean
from opgen.udo.fields import CORES, Doc, Reader
from opgen.udo.jsonpos import JObject, JValue, Position

_PACKAGE_KEY = re.compile(r"UdoPackage_[0-9]+\Z")
_PACKAGE_KEYS = ("Operators", "UDO_PACKAGE_NAME", "UDO_PACKAGE_PATH", "SNPE_UDO_ROOT")
_OP_KEYS = (
    "type",
    "inputs",
    "outputs",
    "scalar_params",
    "tensor_params",
    "core_types",
    "dsp_arch_types",
)
_TENSOR_KEYS = (
    "name",
    "data_type",
    "per_core_data_types",
    "static",
    "tensor_layout",
    "quantization_mode",
)
_PARAM_KEYS = ("name", "data_type", "default_value", "tensor_layout")
DESCRIPTION = "Imported from a SNPE UDO config by opgen import-udo."


@dataclass(frozen=True)
class Converted:
    document: Doc | None
    """None when there were errors."""
    package: str | None


class _Converter(Reader):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        # backend -> ops it gets through SupportedOps, and op -> tensor datatype overrides
        self.supported: dict[str, list[str]] = {}
        self.overrides: dict[str, dict[str, dict[str, list[Doc]]]] = {}

    # ---- the document ------------------------------------------------------------------------

    def document(self, root: JValue, domain: str, version: str) -> Converted:
        packages_keys = tuple(k for k in _keys(root) if _PACKAGE_KEY.match(k)) or ("UdoPackage_0",)
        top = self.obj(root, "the config", packages_keys)
        if top is None:
            return Converted(None, None)
        packages = [m for m in top.members if _PACKAGE_KEY.match(m[0])]
        if not packages:
            self.error(root, "the config holds no UdoPackage_<n> object")
            return Converted(None, None)
        for _, key_at, _ in packages[1:]:
            self.error(
                key_at,
                "one UDO package per config: opgen writes one OpDef config per package",
                "split the JSON into one file per UdoPackage",
            )
        key, _, value = packages[0]
        package = self.obj(value, key, _PACKAGE_KEYS)
        if package is None:
            return Converted(None, None)
        name = self.package_name(package, value)
        ops_value = self.required(package, "Operators", value, key)
        ops: list[Doc] = []
        seen: dict[str, Position] = {}
        for op_value in self.array(ops_value, "Operators", nonempty=True) if ops_value else ():
            op = self.op(op_value)
            if op is None:
                continue
            if op["Name"] in seen:
                self.error(op_value, f"operator type '{op['Name']}' is defined twice")
            seen.setdefault(op["Name"], op_value.at)
            ops.append(op)
        if self.diagnostics.has_errors or name is None:
            return Converted(None, name)
        document: Doc = {
            "@PackageName": name,
            "@Domain": domain,
            "@Version": version,
            "OpDefList": {"OpDef": ops},
        }
        lists = [
            self.supplemental_list(b) for b in CORES if b in self.supported or b in self.overrides
        ]
        if lists:
            document["SupplementalOpDefList"] = lists
        return Converted(document, name)

    def package_name(self, package: JObject, where: JValue) -> str | None:
        value = self.required(package, "UDO_PACKAGE_NAME", where, "the package")
        name = self.string(value, "UDO_PACKAGE_NAME") if value else None
        if value is not None and name is not None:
            problem = naming.package_name_problem(name)
            if problem:
                self.error(value, f"package name '{name}' {problem}")
                return None
        return name

    def supplemental_list(self, backend: str) -> Doc:
        ops = self.overrides.get(backend, {})
        names = list(dict.fromkeys([*self.supported.get(backend, []), *ops]))
        defs = [{"Name": op, **ops.get(op, {})} for op in names]
        out: Doc = {"@Backend": backend}
        if self.supported.get(backend):
            out["SupportedOps"] = {"OpName": self.supported[backend]}
        out["SupplementalOpDef"] = defs
        return out

    # ---- one operator ------------------------------------------------------------------------

    def op(self, value: JValue) -> Doc | None:
        o = self.obj(value, "an operator", _OP_KEYS)
        if o is None:
            return None
        type_value = self.required(o, "type", value, "the operator")
        name = self.string(type_value, "the operator's 'type'") if type_value else None
        if type_value is not None and name is not None:
            problem = naming.identifier_problem(name)
            if problem:
                self.error(type_value, f"operator type '{name}' {problem}")
                name = None
        cores = self.cores(o, value)
        arch = o.get("dsp_arch_types")  # the Hexagon versions SNPE builds for: not in an OpDef
        for item in self.array(arch, "dsp_arch_types", nonempty=False) if arch else ():
            self.string(item, "an entry of 'dsp_arch_types'")
        names: dict[str, Position] = {}
        op: Doc = {"Name": name or "", "Description": [{"Content": [DESCRIPTION]}]}
        for role, key, default_stem in (("Input", "inputs", "in"), ("Output", "outputs", "out")):
            items = self.required(o, key, value, f"operator '{name}'" if name else "the operator")
            tensors = []
            for i, item in enumerate(self.array(items, key, nonempty=True) if items else ()):
                tensor = self.tensor(item, role, f"{default_stem}[{i}]", op["Name"], cores, names)
                if tensor is not None:
                    tensors.append(tensor)
            op[role] = tensors
        params = []
        for key, scalar in (("scalar_params", True), ("tensor_params", False)):
            listed = o.get(key)
            for item in self.array(listed, key, nonempty=False) if listed else ():
                param = self.param(item, scalar, op["Name"], cores, names)
                if param is not None:
                    params.append(param)
        if name is None or not cores:  # its tensors are checked all the same
            return None
        if params:
            op["Parameter"] = params
        op["SupportedBackend"] = cores[0]
        for backend in cores[1:]:
            self.supported.setdefault(backend, []).append(name)
        return op

    def cores(self, o: JObject, where: JValue) -> list[str]:
        value = self.required(o, "core_types", where, "the operator")
        cores: list[str] = []
        for item in self.array(value, "core_types", nonempty=True) if value else ():
            core = self.string(item, "a core type")
            if core is None:
                continue
            if core not in CORES:
                self.error(
                    item,
                    f"unknown core type '{core}' (known: {', '.join(CORES)})",
                    did_you_mean(core, CORES),
                )
            elif core in cores:
                self.error(item, f"core type '{core}' is listed twice")
            else:
                cores.append(core)
        return cores

    def name(
        self,
        o: JObject,
        where: JValue,
        fallback: str | None,
        names: dict[str, Position],
        check: Callable[[str], str | None],
        what: str,
    ) -> str | None:
        value = o.get("name")
        text = self.string(value, f"the {what}'s 'name'") if value is not None else None
        if value is not None and text is None:
            return None
        if not text:
            if fallback is None:
                self.error(value or where, f"a {what} needs a 'name'")
                return None
            text = fallback
        problem = check(text)
        if problem:
            self.error(value or where, f"{what} name '{text}' {problem}")
            return None
        key = naming.tensor_identifier(text)
        if key in names:
            self.error(value or where, f"{what} name '{text}' is used twice in the operator")
            return None
        names[key] = where.at
        return text

    def tensor(
        self,
        value: JValue,
        role: str,
        fallback: str,
        op: str,
        cores: list[str],
        names: dict[str, Position],
    ) -> Doc | None:
        what = role.lower()
        o = self.obj(value, f"an {what}", _TENSOR_KEYS)
        if o is None:
            return None
        name = self.name(o, value, fallback, names, _tensor_name_problem, what)
        quant = self.quantization(o)
        dtypes = self.datatypes(o, value, cores, quant, what)
        if name is None or dtypes is None:
            return None
        shape: Doc = {"Rank": "ND"}
        layout = self.layout(o)
        if layout:
            shape["Layout"] = layout
        tensor: Doc = {
            "Name": name,
            "Mandatory": True,
            "Datatype": self.place_datatypes(dtypes, role, name, op),
            "Shape": shape,
        }
        static = o.get("static")
        if static is not None:
            if role != "Input":
                self.error(static, "'static' applies to inputs only")
            elif not isinstance(static.value, bool):
                self.error(static, "'static' must be true or false")
            elif static.value:
                tensor["IsStaticTensor"] = True
        return tensor

    def param(
        self, value: JValue, scalar: bool, op: str, cores: list[str], names: dict[str, Position]
    ) -> Doc | None:
        kind = "scalar param" if scalar else "tensor param"
        o = self.obj(value, f"a {kind}", _PARAM_KEYS)
        if o is None:
            return None
        name = self.name(o, value, None, names, naming.identifier_problem, kind)
        dtypes = self.datatypes(o, value, cores, None, kind)
        if name is None or dtypes is None:
            return None
        shape: Doc = {"Rank": "SCALAR" if scalar else "ND"}
        layout = self.layout(o) if not scalar else None
        stray = o.get("tensor_layout") if scalar else None
        if stray is not None:
            self.error(stray, "a scalar param has no 'tensor_layout'")
        if layout:
            shape["Layout"] = layout
        default = o.get("default_value")
        param: Doc = {
            "Name": name,
            "Mandatory": default is None,
            "Datatype": self.place_datatypes(dtypes, "Parameter", name, op),
            "Shape": shape,
        }
        if default is not None:
            text = self.default(default, scalar, tuple(dict.fromkeys(dtypes.values())))
            if text is not None:
                param["Default"] = text
        return param

    def place_datatypes(self, dtypes: dict[str, str], role: str, name: str, op: str) -> list[str]:
        """The tensor's own Datatype, and per-core supplements where the cores differ."""
        if not dtypes:  # no core: the operator is dropped with an error
            return []
        if len(set(dtypes.values())) == 1:
            return [next(iter(dtypes.values()))]
        for core, qnn in dtypes.items():
            tensors = self.overrides.setdefault(core, {}).setdefault(op, {})
            tensors.setdefault(role, []).append({"Name": name, "Datatype": [qnn]})
        return ["BACKEND_SPECIFIC"]


def _keys(value: JValue) -> list[str]:
    return list(value.value.keys()) if isinstance(value.value, JObject) else []


def _tensor_name_problem(name: str) -> str | None:
    return naming.tensor_name_problem(name) or naming.identifier_problem(
        naming.tensor_identifier(name)
    )


def convert(
    path: Path, root: JValue, *, domain: str, version: str
) -> tuple[Converted, Diagnostics]:
    converter = _Converter(path)
    return converter.document(root, domain, version), converter.diagnostics
