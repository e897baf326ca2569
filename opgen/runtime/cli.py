"""`opgen info` and `opgen run`: the runtime from the command line.

Both are plain click commands (``info_command``, ``run_command``) for the ``opgen`` group to
register. Bad requests and failing packages end with one ``error: ...`` line on stderr and exit
status 1, never a traceback. Packages run in a worker process by default (see
:mod:`opgen.runtime.isolated`): a kernel that crashes, aborts, calls ``exit()`` or outlasts
``--timeout`` is such an error too; Ctrl-C stops the kernel, prints ``interrupted`` and exits 130.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click
import numpy.typing as npt

from opgen.model import OpDef
from opgen.runtime import dtypes
from opgen.runtime.errors import OpPackageError
from opgen.runtime.integration import (
    CONSUMERS,
    Integration,
    config_domains,
    facts_of,
    integration,
)
from opgen.runtime.isolated import RUNTIME_LOGGER, IsolatedOpPackage
from opgen.runtime.library import PackageSpec
from opgen.runtime.package import HTP_TARGETS, OpPackage
from opgen.runtime.run_args import (
    BadRequest,
    check_output_path,
    load_input,
    output_names_for,
    outputs_for,
    parse_output_spec,
    parse_param,
    parse_quant,
    save_outputs,
)
from opgen.runtime.target import detect_target

EXIT_FAILED = 1
#: The shell's status for a command stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130
#: ``--timeout``'s default: seconds one call into an isolated package may take.
DEFAULT_TIMEOUT = 60.0


_VERBOSE = click.option(
    "-v", "--verbose", is_flag=True, help="Show every message the package reports, on stderr."
)


class _RuntimeWarnings(logging.Filter):
    """The runtime's own warnings (not a package's messages), each shown once."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.name != RUNTIME_LOGGER or record.levelno < logging.WARNING or text in self.seen:
            return False
        self.seen.add(text)
        return True


def _show_package_messages(verbose: bool) -> None:
    """Runtime warnings always (``warning: ...``), and with -v every message packages log."""
    logger = logging.getLogger(RUNTIME_LOGGER)
    warnings = logging.StreamHandler(sys.stderr)
    warnings.setFormatter(logging.Formatter("warning: %(message)s"))
    warnings.addFilter(_RuntimeWarnings())
    logger.addHandler(warnings)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    if not verbose:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s: %(levelname)s: %(message)s"))
    handler.addFilter(lambda record: record.name != RUNTIME_LOGGER)
    logger.addHandler(handler)


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {' '.join(str(message).split())}", err=True)
    sys.exit(EXIT_FAILED)


_IN_PROCESS = click.option(
    "--in-process",
    is_flag=True,
    help="Load and run the package in this process (faster; a crashing kernel takes opgen "
    "down with it, and Ctrl-C kills opgen outright).",
)
_TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help=f"Stop a package call that runs longer (default {DEFAULT_TIMEOUT:g}; 0: no limit). "
    "Needs the default isolation.",
)

_CONFIG = click.option(
    "--config",
    "configs",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="CONFIG.xml",
    help="OpDef config declaring the package's ops (repeatable; for several packages, give "
    "each one's). Default: <pkg>/config/*.xml of a generated package, found from the "
    "library's place; needed for a library copied elsewhere.",
)

Registered = OpPackage | IsolatedOpPackage


def _register(
    spec: str, in_process: bool, timeout: float | None, configs: Sequence[Path] = ()
) -> Registered:
    named = list(configs) or None
    if in_process:
        return OpPackage.register(spec, configs=named)
    limit = DEFAULT_TIMEOUT if timeout is None else timeout
    return OpPackage.register(spec, configs=named, isolate=True, timeout=limit or None)


def _check_isolation(in_process: bool, timeout: float | None) -> None:
    if in_process and timeout is not None:
        _fail("--timeout needs a worker process: drop --in-process")


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C ends the command with ``interrupted`` and status 130, not a traceback."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)


@contextmanager
def _ctrl_c_kills(enabled: bool) -> Iterator[None]:
    """In-process, a kernel never returns to Python to notice Ctrl-C: let it kill the process."""
    if not enabled:
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# ---- opgen info ------------------------------------------------------------------------------


@click.command("info", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("package", metavar="LIB[:PROVIDER[:TARGET]]")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--for",
    "consumer",
    type=click.Choice(CONSUMERS),
    default=None,
    help="Print what that consumer needs to use the package (its option values, an ExecuTorch "
    "snippet), with warnings where its quirks bite; in --json as 'integration'.",
)
@_CONFIG
@_IN_PROCESS
@_TIMEOUT
@_VERBOSE
def info_command(
    package: str,
    as_json: bool,
    consumer: str | None,
    configs: Sequence[Path],
    in_process: bool,
    timeout: float | None,
    verbose: bool,
) -> None:
    """Register op package LIB and print its name, operations, provider and versions (and, for a
    GPU package, the OpenCL device it runs on: see OPGEN_OPENCL_DEVICE)."""
    _show_package_messages(verbose)
    _check_isolation(in_process, timeout)
    with _interruptible():
        _info(package, as_json, consumer, configs, in_process, timeout)


def _info(
    package: str,
    as_json: bool,
    consumer: str | None,
    named_configs: Sequence[Path],
    in_process: bool,
    timeout: float | None,
) -> None:
    try:
        with _register(package, in_process, timeout, named_configs) as registered:
            info = registered.info
            configs = registered.config_paths
            declared = {op: registered.declaration(op) for op in info.operations}
            device = registered.device_info()
            described = registered.describe()
            described_json = registered.describe_json()
    except OpPackageError as exc:
        _fail(str(exc))
    wanted = None
    if consumer is not None:
        ops = [d for d in declared.values() if d is not None]
        wanted = integration(consumer, facts_of(info, ops, config_domains(configs)))
    if wanted is not None and not as_json:
        _print_integration(wanted)
        return
    if as_json:
        payload = info.to_json()
        if wanted is not None:
            payload["integration"] = wanted.to_json()
        payload["configs"] = configs
        payload["declarations"] = {op: d.to_json() for op, d in declared.items() if d}
        if device is not None:
            payload["device"] = device.to_json()
        payload.update(described_json)
        click.echo(json.dumps(payload, indent=2))
        return
    api = "unknown"
    if info.core_api_version and info.backend_api_version:
        api = (
            f"core {'.'.join(map(str, info.core_api_version))}, "
            f"backend {'.'.join(map(str, info.backend_api_version))}"
        )
    rows = [
        ("package", info.package_name),
        ("library", info.library),
        ("interface provider", info.interface_provider),
        ("interface version", ".".join(map(str, info.interface_version))),
        ("target", info.target + _detected(package, named_configs)),
        ("SDK build id", info.sdk_build_id or "unknown"),
        ("API version", api),
    ]
    if device is not None:
        rows.extend(device.rows())
    rows.extend(described)
    if configs:
        rows.append(("configs", ", ".join(configs)))
    for label, value in rows:
        click.echo(f"{label + ':':<20}{value}")
    click.echo(f"operations ({len(info.operations)}):")
    for op in info.operations:
        declaration = declared.get(op)
        click.echo(f"  {_signature(declaration) if declaration else op}")
        for line in _rules(declaration) if declaration else []:
            click.echo(f"      {line}")


def _detected(package: str, configs: Sequence[Path]) -> str:
    """Why the target is what it is, when the user did not give it."""
    try:
        spec = PackageSpec.parse(package)
    except OpPackageError:
        return ""
    if spec.target is not None:
        return ""
    found = detect_target(spec.library, spec.provider, list(configs) or None)
    return f" (detected: {found.reason})"


def _print_integration(wanted: Integration) -> None:
    for label, value in wanted.values:
        if "\n" in value:
            click.echo(f"{label}:")
            click.echo(value)
        else:
            click.echo(f"{label}: {value}")
    for warning in wanted.warnings:
        click.echo(f"warning: {warning}", err=True)


def _rules(op: OpDef) -> list[str]:
    from opgen.shapes import rules_of
    from opgen.shapes.format import op_rules_lines

    return op_rules_lines(rules_of(op), tuple(t.name for t in op.inputs))


def _signature(op: OpDef) -> str:
    def tensor(name: str, repeated: bool, mandatory: bool) -> str:
        return name + ("..." if repeated else "") + ("" if mandatory else "?")

    inputs = [tensor(t.name, t.repeated, t.mandatory) for t in op.inputs]
    params = []
    for p in op.params:
        text = f"{p.name}: {'|'.join(dtypes.short_name(d) for d in p.datatypes)}"
        if p.default is not None:
            text += f" = {p.default.text}"
        elif not p.mandatory:
            text += " (optional)"
        params.append(text)
    outputs = [tensor(t.name, t.repeated, t.mandatory) for t in op.outputs]
    args = ", ".join(inputs) + ("; " + ", ".join(params) if params else "")
    return f"{op.name}({args}) -> {', '.join(outputs)}"


# ---- opgen run -------------------------------------------------------------------------------


@click.command("run", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--op_packages",
    "--op-packages",
    "packages",
    required=True,
    metavar="LIB[:PROVIDER[:TARGET]][,...]",
    help="Op package(s) to register; the first that has the op runs it.",
)
@click.option("--op", "op_type", required=True, help="Op type to run.")
@click.option(
    "-i",
    "--input",
    "inputs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Input .npy file, in declaration order (repeatable).",
)
@click.option(
    "--param", "params", multiple=True, metavar="NAME=JSON", help="Parameter value (repeatable)."
)
@click.option(
    "--output-spec",
    "output_specs",
    multiple=True,
    metavar="NAME=DTYPE:D0,D1,...",
    help="Dtype (numpy or QNN name: int32, INT_32, QNN_DATATYPE_UFIXED_POINT_8) and shape of "
    "an output (default: from the op's shape and dtype rules; without a shape rule, the first "
    "input's shape). Needed where a rule leaves the output to user code.",
)
@click.option(
    "--quant",
    "quants",
    multiple=True,
    metavar="TENSOR=SCALE,OFFSET",
    help="Scale and offset of a fixed-point input or output (HTP; QNN's convention: "
    "real = scale * (q + offset)); TENSOR is its declared name, in[i] or out[i] (repeatable).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file: .npz with the arrays keyed by the outputs' declared names, or .npy for "
    "an op with one output.",
)
@_CONFIG
@_IN_PROCESS
@_TIMEOUT
@_VERBOSE
def run_command(
    packages: str,
    op_type: str,
    inputs: Sequence[Path],
    params: Sequence[str],
    output_specs: Sequence[str],
    quants: Sequence[str],
    output: Path,
    configs: Sequence[Path],
    in_process: bool,
    timeout: float | None,
    verbose: bool,
) -> None:
    """Run one op of a compiled op package on numpy inputs, in a worker process (unless
    --in-process): a crash, abort, exit() or hang of the kernel is an error, not a dead opgen."""
    _show_package_messages(verbose)
    _check_isolation(in_process, timeout)
    with _interruptible():
        _run(
            packages,
            op_type,
            inputs,
            params,
            output_specs,
            quants,
            output,
            _Loading(configs, in_process, timeout),
        )


@dataclass(frozen=True)
class _Loading:
    """How `opgen run` registers each package."""

    configs: Sequence[Path]
    in_process: bool
    timeout: float | None


def _run(
    packages: str,
    op_type: str,
    inputs: Sequence[Path],
    params: Sequence[str],
    output_specs: Sequence[str],
    quants: Sequence[str],
    output: Path,
    loading: _Loading,
) -> None:
    try:
        param_values = dict(parse_param(p) for p in params)
        specs = dict(parse_output_spec(s) for s in output_specs)
        quant = dict(parse_quant(q) for q in quants)
        arrays = [load_input(path) for path in inputs]
    except BadRequest as exc:
        _fail(str(exc))
    registered: list[Registered] = []
    try:
        package = _package_with(op_type, packages.split(","), registered, loading)
        declaration = package.declaration(op_type)
        names = output_names_for(declaration, list(specs), op_type)
        check_output_path(output, names, op_type)
        outputs = outputs_for(names, specs, declaration, arrays, param_values, op_type)
        with _ctrl_c_kills(loading.in_process):
            results = _execute(package, op_type, arrays, param_values, outputs, quant)
        save_outputs(output, dict(zip(names, results, strict=True)))
    except (OpPackageError, BadRequest) as exc:
        _fail(str(exc))
    finally:
        for each in registered:
            try:
                each.close()
            except OpPackageError as exc:
                click.echo(f"warning: {exc}", err=True)
    for name, array in zip(names, results, strict=True):
        click.echo(f"{name}: {array.dtype} {list(array.shape)}")
    click.echo(f"wrote {output}")


def _package_with(
    op_type: str,
    specs: Sequence[str],
    registered: list[Registered],
    loading: _Loading,
) -> Registered:
    for spec in specs:
        package = _register(spec.strip(), loading.in_process, loading.timeout, loading.configs)
        registered.append(package)
        if op_type in package.info.operations:
            return package
    available = ", ".join(f"{p.name}: {', '.join(p.info.operations)}" for p in registered)
    raise BadRequest(f"no registered op package has op '{op_type}' ({available})")


def _execute(
    package: Registered,
    op_type: str,
    arrays: list[npt.NDArray[Any]],
    params: dict[str, Any],
    outputs: list[tuple[tuple[int, ...], Any]],
    quant: dict[str, tuple[float, int]],
) -> list[npt.NDArray[Any]]:
    if package.target not in HTP_TARGETS:
        if quant:
            raise BadRequest(f"--quant applies to HTP op packages, not {package.target}")
        return package.execute(op_type, arrays, params, outputs)
    # An HtpOpPackage, or an IsolatedOpPackage running one: both take quant=.
    quantized: Any = package
    return quantized.execute(op_type, arrays, params, outputs, quant=quant)  # type: ignore[no-any-return]
