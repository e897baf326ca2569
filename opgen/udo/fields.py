"""Reading one UDO JSON config's values: their shapes, and each field's OpDef equivalent.

`Reader` holds the diagnostics and the checks every part of the conversion uses (an object with
known keys, an array, a string, a required key) and converts the single fields.

How the fields map:

- `UDO_PACKAGE_NAME` -> `PackageName`; `UDO_PACKAGE_PATH`, `SNPE_UDO_ROOT`, `dsp_arch_types`
  only say where and for which Hexagon version the SNPE tools build: not part of an OpDef.
- `core_types` (CPU, GPU, DSP) -> the first is the op's `SupportedBackend`, the others come in
  through `SupplementalOpDefList Backend=...` / `SupportedOps`.
- `data_type`, or `per_core_data_types` {core: type}: a type the cores agree on is the tensor's
  `Datatype`; otherwise the tensor is `BACKEND_SPECIFIC` and each core's supplemental def gives it.
- UDO types: FLOAT_16/32 as themselves; INT_n and UINT_n as QNN_DATATYPE_INT_n/UINT_n, or, with
  `quantization_mode` TF, as SFIXED_POINT_n/UFIXED_POINT_n; FIXED_n (SNPE's TF-quantized
  unsigned type) as UFIXED_POINT_n. `quantization_mode` SKIP or NONE leaves the type as it is;
  QMN has no QNN equivalent.
- `static` -> `IsStaticTensor`; `tensor_layout` NHWC/NDHWC -> `Layout` (NCHW has none);
  inputs and outputs are mandatory, of any rank (`ND`), named `in[i]`/`out[i]` when unnamed.
- `scalar_params` -> SCALAR params, `tensor_params` -> ND params; `default_value` -> `Default`,
  and a param without one is mandatory. STRING params have no OpDef form.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from opgen.config.diagnostics import Diagnostics, did_you_mean
from opgen.model import Datatype, SourceLocation
from opgen.udo.jsonpos import JArray, JObject, JValue, Position, plain

CORES = ("CPU", "GPU", "DSP")
_UDO_TYPES = (
    "FLOAT_16",
    "FLOAT_32",
    "FIXED_4",
    "FIXED_8",
    "FIXED_16",
    "FIXED_32",
    "UINT_8",
    "UINT_16",
    "UINT_32",
    "INT_8",
    "INT_16",
    "INT_32",
    "STRING",
)
_QUANTIZATION = ("TF", "SKIP", "NONE", "QMN")
_LAYOUTS = {"NHWC": "NHWC", "NDHWC": "NDHWC"}

Doc = dict[str, Any]
"""A piece of the OpDef document in xmlschema's dict form (`@attr`, child lists)."""


class Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.diagnostics = Diagnostics()

    def at(self, where: Position | JValue) -> SourceLocation:
        pos = where.at if isinstance(where, JValue) else where
        return SourceLocation(self.path, pos.line, pos.column)

    def error(self, where: Position | JValue, message: str, hint: str | None = None) -> None:
        self.diagnostics.error(self.at(where), message, hint)

    # ---- shapes of values --------------------------------------------------------------------

    def obj(self, value: JValue, what: str, keys: tuple[str, ...]) -> JObject | None:
        if not isinstance(value.value, JObject):
            self.error(value, f"{what} must be a JSON object")
            return None
        for key, key_at, _ in value.value.members:
            if key not in keys:
                self.error(key_at, f"unknown key '{key}' in {what}", did_you_mean(key, keys))
        return value.value

    def array(self, value: JValue, what: str, *, nonempty: bool) -> tuple[JValue, ...]:
        if not isinstance(value.value, JArray):
            self.error(value, f"{what} must be a JSON array")
            return ()
        if nonempty and not value.value.items:
            self.error(value, f"{what} is empty")
        return value.value.items

    def string(self, value: JValue, what: str) -> str | None:
        if not isinstance(value.value, str):
            self.error(value, f"{what} must be a string")
            return None
        return value.value

    def required(self, o: JObject, key: str, where: JValue, what: str) -> JValue | None:
        value = o.get(key)
        if value is None:
            self.error(where, f"{what} has no '{key}'")
        return value

    # ---- fields ------------------------------------------------------------------------------

    def quantization(self, o: JObject) -> str | None:
        value = o.get("quantization_mode")
        mode = self.string(value, "'quantization_mode'") if value is not None else None
        if value is None or mode is None:
            return None
        if mode not in _QUANTIZATION:
            self.error(
                value,
                f"unknown quantization_mode '{mode}' (known: TF, SKIP, NONE)",
                did_you_mean(mode, _QUANTIZATION),
            )
            return None
        if mode == "QMN":
            self.error(
                value,
                "quantization_mode QMN has no QNN datatype; only TF (scale and "
                "offset) quantization converts",
            )
            return None
        return mode

    def datatypes(
        self, o: JObject, where: JValue, cores: list[str], quant: str | None, what: str
    ) -> dict[str, str] | None:
        """core -> QNN datatype, or None after an error."""
        single, per_core = o.get("data_type"), o.get("per_core_data_types")
        if single is not None and per_core is not None:
            self.error(per_core, f"an {what} has either 'data_type' or 'per_core_data_types'")
            return None
        if single is not None:
            qnn = self.datatype(single, quant, what)
            return None if qnn is None else dict.fromkeys(cores, qnn)
        if per_core is None:
            self.error(where, f"the {what} has no 'data_type' (or 'per_core_data_types')")
            return None
        table = self.obj(per_core, "'per_core_data_types'", tuple(cores or CORES))
        if table is None:
            return None
        if not cores:  # the operator's core_types are wrong: check the types alone
            for _, _, listed in table.members:
                self.datatype(listed, quant, what)
            return None
        out: dict[str, str] = {}
        for core in cores:
            entry = table.get(core)
            if entry is None:
                self.error(per_core, f"'per_core_data_types' gives no datatype for core {core}")
                continue
            qnn = self.datatype(entry, quant, what)
            if qnn is not None:
                out[core] = qnn
        return out if len(out) == len(cores) and len(table.members) == len(cores) else None

    def datatype(self, value: JValue, quant: str | None, what: str) -> str | None:
        udo = self.string(value, "a datatype")
        if udo is None:
            return None
        if udo not in _UDO_TYPES:
            hint = did_you_mean(
                udo.removeprefix("QNN_DATATYPE_").removeprefix("UDO_DATATYPE_"), _UDO_TYPES
            )
            self.error(value, f"unknown UDO datatype '{udo}'", hint)
            return None
        if udo == "STRING":
            self.error(value, f"a STRING {what} has no OpDef datatype")
            return None
        kind, bits = udo.rsplit("_", 1)
        if kind == "FIXED":
            return f"QNN_DATATYPE_UFIXED_POINT_{bits}"
        if quant == "TF" and kind in ("UINT", "INT"):
            return f"QNN_DATATYPE_{'U' if kind == 'UINT' else 'S'}FIXED_POINT_{bits}"
        return f"QNN_DATATYPE_{udo}"

    def layout(self, o: JObject) -> str | None:
        value = o.get("tensor_layout")
        if value is None:
            return None
        layout = self.string(value, "'tensor_layout'")
        if layout is None:
            return None
        if layout not in _LAYOUTS:
            self.error(value, f"tensor_layout '{layout}' has no OpDef layout (NHWC, NDHWC)")
            return None
        return _LAYOUTS[layout]

    def default(self, value: JValue, scalar: bool, datatypes: tuple[str, ...]) -> str | None:
        """The `<Default>` text; it must fit every QNN datatype the param has."""
        data = plain(value)
        for qnn in datatypes:
            bounds = Datatype(qnn).integer_range if qnn != "BACKEND_SPECIFIC" else None
            if bounds is None:
                continue
            numbers = _flat(data)
            integers = [n for n in numbers if isinstance(n, int)]  # booleans are ints too
            if len(integers) != len(numbers):
                self.error(value, "default_value of an integer param must hold integers")
                return None
            if not all(bounds[0] <= n <= bounds[1] for n in integers):
                low, high = bounds
                self.error(value, f"default_value is out of range for {qnn} ({low}..{high})")
                return None
        if scalar and not _is_number(data):
            self.error(value, "a scalar param's default_value must be a number or a boolean")
            return None
        if not scalar and not _is_numbers(data):
            self.error(
                value, "a tensor param's default_value must be a number or a nested list of numbers"
            )
            return None
        return _default_text(data)


def _is_number(data: object) -> bool:
    if isinstance(data, bool):
        return True
    return isinstance(data, int | float) and math.isfinite(data)


def _is_numbers(data: object) -> bool:
    if isinstance(data, list):
        return all(_is_numbers(d) for d in data)
    return _is_number(data)


def _flat(data: object) -> list[object]:
    return [n for d in data for n in _flat(d)] if isinstance(data, list) else [data]


def _default_text(data: object) -> str:
    if isinstance(data, bool):  # UDO has no boolean type: a flag is a number
        return "1" if data else "0"
    if isinstance(data, list):
        return "[" + ", ".join(_default_text(d) for d in data) + "]"
    return repr(data)
