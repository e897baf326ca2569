"""What each consumer of a compiled op package needs to be told about it (`opgen info --for`).

Built from CONVERTER_FACTS §3: the ``--op_packages`` value of qnn-net-run and
qnn-context-binary-generator (``<path.so>:<Provider>[:<target>]``); ONNX Runtime's QNN EP
``op_packages`` provider option (``<OpType>:<path>:<symbol>[:<target>]`` per op, comma-joined)
and ``ORT_QNN_CUSTOM_OP_DOMAINS`` (``domain:Op1,Op2[;domain2:...]``, the configs' ``Domain``);
an ExecuTorch snippet building ``QnnExecuTorchOpPackageOptions`` for the package's (target,
platform) builds. Each comes with warnings where the consumer's known quirks bite.

Pure data in, strings out: no library is loaded here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen.model import OpDef, ParamKind
from opgen.runtime.info import PackageInfo

CONSUMERS = ("qnn-net-run", "ort", "executorch")
PROVIDER_SUFFIX = "InterfaceProvider"
#: Where an HTP package's builds go (its Makefile): <pkg>/build/<dir>/libQnn<Pkg>.so.
HTP_DEVICE_CPU_BUILD = "aarch64-android"
#: Where a DSP package's Hexagon build goes (its Makefile): <pkg>/build/DSP/libQnn<Pkg>.so.
DSP_DEVICE_BUILD = "DSP"


@dataclass(frozen=True)
class PackageFacts:
    """What the strings are made of: the registered package and its declarations."""

    package_name: str
    library: str
    provider: str
    target: str
    """The runtime's target: CPU, GPU, HTP (the x86 build of an HTP package), HTP_FP16 or DSP
    (the host build of a DSP package)."""
    ops: tuple[OpDef, ...]
    domains: Mapping[str, str]
    """Each declared op's config ``Domain`` ("" when the config has none)."""


@dataclass(frozen=True)
class Integration:
    consumer: str
    values: tuple[tuple[str, str], ...]
    """(what it is, the value), in the order to print."""
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "consumer": self.consumer,
            "values": dict(self.values),
            "warnings": list(self.warnings),
        }


def integration(consumer: str, facts: PackageFacts) -> Integration:
    """The strings for ``consumer`` (one of :data:`CONSUMERS`)."""
    builders = {"qnn-net-run": _qnn_net_run, "ort": _ort, "executorch": _executorch}
    return builders[consumer](facts)


def _htp(facts: PackageFacts) -> bool:
    return facts.target.startswith("HTP")


def _path_warnings(facts: PackageFacts) -> list[str]:
    warnings = []
    if ":" in facts.library:
        warnings.append(
            f"the library path contains ':': qnn-context-binary-generator (and the other "
            f"consumers) split the value on ':', so {facts.library} breaks it; move the library"
        )
    if "," in facts.library:
        warnings.append(
            f"the library path contains ',', which separates packages in --op_packages and "
            f"op_packages: move {facts.library}"
        )
    return warnings


def _device_builds(facts: PackageFacts) -> tuple[str, list[str]]:
    """An HTP package's device builds: the aarch64 one and the hexagon ones found on disk."""
    build = Path(facts.library).parent.parent
    name = Path(facts.library).name
    hexagon = sorted(str(d / name) for d in build.glob("hexagon-v*") if (d / name).is_file())
    return str(build / HTP_DEVICE_CPU_BUILD / name), hexagon


def _qnn_net_run(facts: PackageFacts) -> Integration:
    if facts.target == "DSP":
        return _qnn_net_run_dsp(facts)
    value = f"{facts.library}:{facts.provider}"
    values = [
        ("qnn-net-run --op_packages", value),
        ("qnn-context-binary-generator --op_packages", value),
    ]
    warnings = _path_warnings(facts)
    if _htp(facts):
        aarch64, hexagon = _device_builds(facts)
        build = Path(aarch64).parent.parent
        hexagon_path = hexagon[0] if hexagon else str(build / "hexagon-vNN" / Path(aarch64).name)
        device = f"{aarch64}:{facts.provider}:CPU,{hexagon_path}:{facts.provider}:HTP"
        values.append(("qnn-net-run --op_packages (on the device)", device))
        warnings.append(
            "this is the x86 build: the HTP simulator (and qnn-context-binary-generator on the "
            "host) takes it with no target or CPU, never HTP ('RouterX86 not support Op package "
            "target HTP'); on a device register two builds, aarch64 as CPU and hexagon as HTP "
            "(make htp_aarch64, make htp_vNN), paths as pushed to the device"
        )
    return Integration("qnn-net-run", tuple(values), tuple(warnings))


def _qnn_net_run_dsp(facts: PackageFacts) -> Integration:
    # The vendor has no x86 DSP backend: only the device build (make dsp) is of use to it.
    library = Path(facts.library)
    device = library.parent.parent / DSP_DEVICE_BUILD / library.name
    return Integration(
        "qnn-net-run",
        (("qnn-net-run --op_packages (on the device, DSP backend)", f"{device}:{facts.provider}"),),
        (
            *_path_warnings(facts),
            "this is the host build of a DSP package: only opgen's runtime loads it (there is no "
            "x86 DSP backend); on a device register the Hexagon build (make dsp), path as pushed "
            "to the device",
        ),
    )


def _unsupported(consumer: str, message: str) -> Integration:
    return Integration(consumer, (), (message,))


def _ort(facts: PackageFacts) -> Integration:
    if facts.target == "DSP":
        return _unsupported(
            "ort",
            "ONNX Runtime's QNN EP loads op packages for its CPU, GPU and HTP backends, not DSP",
        )
    target = "" if facts.target == "GPU" else ":CPU"  # the HTP x86 build: CPU (§3)
    op_packages = ",".join(
        f"{op.name}:{facts.library}:{facts.provider}{target}" for op in facts.ops
    )
    by_domain: dict[str, list[str]] = {}
    for op in facts.ops:
        by_domain.setdefault(facts.domains.get(op.name, ""), []).append(op.name)
    domains = ";".join(f"{d}:{','.join(ops)}" for d, ops in by_domain.items() if d)
    values = [("provider option op_packages", op_packages)]
    if domains:
        values.append(("ORT_QNN_CUSTOM_OP_DOMAINS", domains))
    warnings = _path_warnings(facts)
    if "" in by_domain:
        warnings.append(
            f"no Domain in the config for {', '.join(by_domain[''])}: ORT needs the nodes' "
            "custom domain in ORT_QNN_CUSTOM_OP_DOMAINS to load the model"
        )
    derived = facts.provider.removesuffix(PROVIDER_SUFFIX)
    if derived != facts.package_name:
        warnings.append(
            f"ORT takes the package name from the symbol minus '{PROVIDER_SUFFIX}': "
            f"{facts.provider} gives '{derived}', not {facts.package_name}, and QNN will not "
            "find the ops; use the provider opgen generates"
        )
    integers = [
        f"{op.name}.{p.name} ({'/'.join(d.name for d in p.datatypes)})"
        for op in facts.ops
        for p in op.params
        if p.kind is not ParamKind.BOOL and any(d.integer_range for d in p.datatypes)
    ]
    if integers:
        warnings.append(
            "ORT sends INT attributes as int64 scalars and INTS as int64 tensors, whatever the "
            f"config declares: {', '.join(integers)}; opgen's generated param readers accept "
            "any integer width, but the QNN SDK must have a 64-bit Qnn_Scalar_t member (2.13 "
            "has none)"
        )
    defaulted = [f"{op.name}.{p.name}" for op in facts.ops for p in op.params if p.default]
    if defaulted:
        warnings.append(
            "ORT passes only the attributes a node carries, without the configs' defaults: "
            f"{', '.join(defaulted)} arrive absent from nodes that omit them"
        )
    reshaped = [op.name for op in facts.ops if not _placeholder_fits(op)]
    if reshaped:
        warnings.append(
            "ORT_QNN_CUSTOM_OP_DOMAINS's placeholder schema infers one FLOAT output shaped like "
            f"input 0, even over the model's value_info: wrong for {', '.join(reshaped)}"
        )
    return Integration("ort", tuple(values), tuple(warnings))


def _placeholder_fits(op: OpDef) -> bool:
    if len(op.outputs) != 1 or not op.inputs:
        return False
    out = op.outputs[0]
    like = "".join((out.shape_text or "").split()) in (
        "",
        "=like(in[0])",
        f"=like({op.inputs[0].name})",
    )
    return like and any(d.name == "FLOAT_32" for d in out.datatypes)


_ET_IMPORT = """from executorch.backends.qualcomm.serialization.qc_schema import (
    QnnExecuTorchOpPackageInfo,
    QnnExecuTorchOpPackageOptions,
    QnnExecuTorchOpPackagePlatform,
    QnnExecuTorchOpPackageTarget,
)
"""


def _executorch(facts: PackageFacts) -> Integration:
    if facts.target in ("GPU", "DSP"):
        return _unsupported(
            "executorch",
            "ExecuTorch's Qualcomm backend registers CPU and HTP op packages only "
            f"(QnnExecuTorchOpPackageTarget), not {facts.target} ones",
        )
    builds = [("CPU", "X86_64", facts.library)]
    if _htp(facts):
        aarch64, _ = _device_builds(facts)
        device_htp = str(Path(aarch64).with_name(Path(aarch64).stem + "_HTP.so"))
        builds += [("CPU", "AARCH64_ANDROID", aarch64), ("HTP", "AARCH64_ANDROID", device_htp)]
    lines = [
        f"# ExecuTorch: op-package options for {facts.package_name}; pass them as",
        "# op_package_options= to the QNN compile spec (or build_executorch_binary).",
        _ET_IMPORT,
        "# The torch op each QNN op implements, as str(torch op): fill in.",
        "TORCH_OPS = {",
        *(f'    "{op.name}": "my_ops.{op.name.lower()}.default",' for op in facts.ops),
        "}",
        "BUILDS = [  # (target, platform, library)",
        *(
            f'    (QnnExecuTorchOpPackageTarget.{t}, QnnExecuTorchOpPackagePlatform.{p}, "{path}"),'
            for t, p, path in builds
        ),
        "]",
        "op_package_options = QnnExecuTorchOpPackageOptions()",
        "op_package_options.op_package_infos = [",
        "    QnnExecuTorchOpPackageInfo(",
        f'        op_package_name="{facts.package_name}",',
        "        op_package_path=path,",
        f'        interface_provider="{facts.provider}",',
        "        target=target,",
        "        custom_op_name=torch_op,",
        "        qnn_op_type_name=qnn_op,",
        "        platform=platform,",
        "    )",
        "    for target, platform, path in BUILDS",
        "    for qnn_op, torch_op in TORCH_OPS.items()",
        "]",
    ]
    warnings = [
        "ExecuTorch matches the torch schema's arguments to the XML inputs and params by "
        "position and names each param after its schema argument: declare "
        + "; ".join(_schema(op) for op in facts.ops)
    ]
    if _htp(facts):
        warnings.append(
            "the device builds are the Makefile's (make htp_aarch64, make htp_vNN): copy the "
            f"hexagon one to {Path(builds[2][2]).name} on the device, beside the aarch64 one "
            "of the same name"
        )
    return Integration("executorch", (("python", "\n".join(lines)),), tuple(warnings))


def _schema(op: OpDef) -> str:
    args = [t.name for t in op.inputs] + [p.name for p in op.params]
    return f"{op.name}({', '.join(args)})"


def facts_of(
    info: PackageInfo, declarations: Sequence[OpDef], domains: Mapping[Path, str]
) -> PackageFacts:
    """:class:`PackageFacts` of a registered package; each op's domain is that of the config
    file it comes from (``domains``: :func:`config_domains`)."""
    by_op = {op.name: domains.get(op.location.file.resolve(), "") for op in declarations}
    library = str(Path(info.library).resolve()) if Path(info.library).is_file() else info.library
    return PackageFacts(
        info.package_name, library, info.interface_provider, info.target, tuple(declarations), by_op
    )


def config_domains(configs: Sequence[str]) -> dict[Path, str]:
    """Each config file's ``Domain`` attribute (resolved path -> domain); {} when they do not
    load (the declarations are then missing too, and said so)."""
    import opgen

    try:
        packages = opgen.load_packages(configs)
    except opgen.ConfigError:
        return {}
    return {c.path.resolve(): c.domain for p in packages for c in p.configs}
