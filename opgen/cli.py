"""The command-line edge: `opgen`, and the vendor-compatible `qnn-op-package-generator`.

Library code returns values; this module is the only place that prints and picks exit codes:
0 success, 1 bad input (diagnostics printed), 2 usage error (click), 3 internal error,
130 interrupted, 141 the reader of stdout went away.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from opgen import __version__
from opgen.cli_flags import OVERWRITE_EDITED_FLAG
from opgen.onnx.cli import onnx_group

if TYPE_CHECKING:  # `opgen --help` reads no config: the config layer loads with the commands
    from opgen.config import ValidationResult
    from opgen.model import Backend

EXIT_INVALID = 1
EXIT_INTERNAL = 3
#: What a shell reports for a process killed by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141

F = TypeVar("F", bound=Callable[..., Any])


def _print_diagnostics(result: ValidationResult) -> None:
    from opgen.config import Level

    for d in result.diagnostics:
        click.echo(d.format(), err=True)
    errors = sum(d.level is Level.ERROR for d in result.diagnostics)
    warnings = sum(d.level is Level.WARNING for d in result.diagnostics)
    if errors or warnings:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


def _guard(func: F) -> F:
    """Turn unexpected exceptions into a one-line message (a traceback only with --debug)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # The reader went away (`opgen info LIB | head`): not an error of ours. Point stdout
            # at /dev/null so the interpreter's final flush does not fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as exc:  # the edge: anything unexpected becomes a clean exit
            ctx = click.get_current_context(silent=True)
            debug = bool(ctx and ctx.find_root().params.get("debug"))
            if debug:
                traceback.print_exc()
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            if not debug:
                click.echo("rerun with --debug for a traceback", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


# ---- opgen ----------------------------------------------------------------------------------


#: The runtime's commands load only when they run or show their own help (the runtime imports
#: numpy): name -> (module:attribute, the command's help). `opgen --help` lists them from the
#: text here; tests/cli/test_startup.py checks that it matches the real command's help.
_LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "docs": (
        "opgen.docs.command:docs_command",
        "Write an op reference per package (DIR/<Package>.md and DIR/<Package>.html) from CONFIGS.",
    ),
    "import-udo": (
        "opgen.udo.command:import_udo_command",
        "Convert a legacy SNPE UDO JSON config into an equivalent OpDef XML config.",
    ),
    "info": (
        "opgen.runtime.cli:info_command",
        "Register op package LIB and print its name, operations, provider and versions (and, for "
        "a GPU package, the OpenCL device it runs on: see OPGEN_OPENCL_DEVICE).",
    ),
    "build": (
        "opgen.build.command:build_command",
        "Build op package PACKAGE_DIR with its Makefile (default: the build for this host), "
        "showing progress over the compile units and compiler errors as file:line; prints each "
        "library and its --op_packages string.",
    ),
    "new": (
        "opgen.project.command:new_command",
        "Create a project around a new op package: config, Makefile, references, tests, CI.",
    ),
    "run": (
        "opgen.runtime.cli:run_command",
        "Run one op of a compiled op package on numpy inputs, in a worker process (unless "
        "--in-process): a crash, abort, exit() or hang of the kernel is an error, not a dead "
        "opgen.",
    ),
    "test": (
        "opgen.optest.command:test_command",
        "Test op packages against numpy references on cases drawn from their configs (every "
        "declared datatype and rank, shapes that obey the shape rules); exit 1 on any mismatch.",
    ),
}


class _OpgenGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in _LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = _LAZY_COMMANDS[cmd_name][0].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        if command.callback is not None:  # the same internal-error guard as opgen's own commands
            command.callback = _guard(command.callback)
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's listing, with a stand-in carrying the help text for a command not loaded yet.
        commands: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            if name in _LAZY_COMMANDS and name not in self.commands:
                command: click.Command | None = click.Command(name, help=_LAZY_COMMANDS[name][1])
            else:
                command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                commands.append((name, command))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_OpgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.version_option(__version__, prog_name="opgen")
def opgen_main(debug: bool) -> None:
    """opgen: validate OpDef configs and generate QNN op packages."""


@opgen_main.command("validate")
@click.argument("configs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the resolved packages as JSON.")
@_guard
def validate_command(configs: Sequence[Path], as_json: bool) -> None:
    """Check OpDef CONFIGS; print one line per package, or diagnostics."""
    from opgen.config import validate_configs

    result = validate_configs(configs)
    if as_json:
        payload = {
            "ok": result.ok,
            "packages": [p.to_json() for p in result.packages] if result.ok else [],
            "diagnostics": [d.to_json() for d in result.diagnostics],
        }
        click.echo(json.dumps(payload, indent=2))
        if not result.ok:
            _print_diagnostics(result)
            sys.exit(EXIT_INVALID)
        return
    _print_diagnostics(result)
    if not result.ok:
        sys.exit(EXIT_INVALID)
    for package in result.packages:
        backends = ", ".join(b.value for b in package.backends)
        ops = ", ".join(op.name for op in package.ops)
        click.echo(f"{package.name}: backends {backends}; {len(package.ops)} op(s): {ops}")


# ---- qnn-op-package-generator ----------------------------------------------------------------

_FORCE_HELP = (
    "Regenerate packages from scratch: every file is rewritten, your kernels (src/ops/) "
    "included (edited files are backed up under .opgen/backup/), and libs/, obj/, build/ "
    "are removed."
)
_EDITED_HELP = (
    "Regenerate opgen-owned files even where you edited them (each is backed up under "
    ".opgen/backup/ first); your kernels and other files you own are kept."
)
_BACKEND = click.option(
    "--backend",
    "backend_names",
    multiple=True,
    metavar="NAME",
    help="Generate only this backend's package (repeatable; default: every backend the "
    "configs declare).",
)


@click.command("qnn-op-package-generator", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-p",
    "--config_path",
    "config_paths",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="OpDef XML config (repeatable; configs with one PackageName form one package).",
)
@click.option(
    "-o",
    "--output_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Output directory (default: the directory of the first config).",
)
@click.option("-f", "--force-generation", "force", is_flag=True, help=_FORCE_HELP)
@click.option(
    OVERWRITE_EDITED_FLAG, "--overwrite_edited", "overwrite_edited", is_flag=True, help=_EDITED_HELP
)
@_BACKEND
@click.option("--debug", is_flag=True, help="Verbose output and tracebacks for internal errors.")
@click.option(
    "-cop",
    "--converter_op_package",
    "converter_op_package",
    is_flag=True,
    help="Also generate each package's converter op package (<Package>_Converter_Op_Package).",
)
@_guard
def vendor_main(
    config_paths: Sequence[Path],
    output_path: Path | None,
    force: bool,
    overwrite_edited: bool,
    backend_names: Sequence[str],
    debug: bool,
    converter_op_package: bool,
) -> None:
    """Generate op packages from OpDef configs (flags compatible with the vendor tool)."""
    from opgen.config import validate_configs

    result = validate_configs(config_paths)
    _print_diagnostics(result)
    if not result.ok:
        sys.exit(EXIT_INVALID)
    output = output_path if output_path is not None else config_paths[0].parent
    choice = _Choice(
        force, overwrite_edited, _backends(result, backend_names), converter_op_package
    )
    _generate(result, output, choice, debug)


LOCK_TIMEOUT_ENV = "OPGEN_LOCK_TIMEOUT"


def _lock_timeout() -> float:
    """How long to wait for another generation of the same package (seconds, default 60)."""
    from opgen.writer import DEFAULT_LOCK_TIMEOUT

    text = os.environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        value = float(text) if text else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        value = DEFAULT_LOCK_TIMEOUT
    return value if value >= 0 else DEFAULT_LOCK_TIMEOUT


def _waiting(directory: Path, pid: int | None) -> None:
    holder = f"pid {pid}" if pid is not None else "pid unknown"
    click.echo(f"waiting for another opgen generation of {directory} ({holder})", err=True)


@dataclass(frozen=True)
class _Choice:
    """What a generation run rewrites and which backends it generates."""

    force: bool
    overwrite_edited: bool
    backends: tuple[Backend, ...] | None
    converter: bool


def _backends(result: ValidationResult, names: Sequence[str]) -> tuple[Backend, ...] | None:
    """The backends --backend names (None: all); a name no package declares is a usage error."""
    if not names:
        return None
    declared = list(dict.fromkeys(b for p in result.packages for b in p.backends))
    chosen: list[Backend] = []
    for name in names:
        backend = next((b for b in declared if b.value == name.strip().upper()), None)
        if backend is None:
            listed = ", ".join(b.value for b in declared)
            raise click.UsageError(
                f"--backend {name}: the configs declare no {name} ops (their backends: {listed})"
            )
        chosen.append(backend)
    return tuple(dict.fromkeys(chosen))


def _generate(result: ValidationResult, output: Path, choice: _Choice, verbose: bool) -> None:
    if os.path.lexists(output) and not os.path.isdir(output):  # (neither raises on odd paths)
        click.echo(f"error: output path '{output}' exists and is not a directory", err=True)
        sys.exit(EXIT_INVALID)
    # Imported here: `opgen --help` and `opgen validate` need no templates, Jinja or writer.
    from opgen.generate import GenerationError, generate

    try:
        written = generate(
            result.packages,
            output,
            force=choice.force,
            lock_timeout=_lock_timeout(),
            on_wait=_waiting,
            converter_op_package=choice.converter,
            overwrite_edited=choice.overwrite_edited,
            backends=choice.backends,
        )
    except GenerationError as exc:
        for message in exc.messages:
            click.echo(f"error: {message}", err=True)
        sys.exit(EXIT_INVALID)
    for package_output, report in written:
        if report.recovered:
            click.echo(
                f"note: finished an interrupted generation of {package_output.directory} first",
                err=True,
            )
        counts = [
            f"{len(report.created)} created",
            f"{len(report.updated)} updated",
            f"{len(report.unchanged)} unchanged",
        ]
        if report.kept:
            counts.append(f"{len(report.kept)} user-owned kept")
        if package_output.backend is None:
            click.echo(
                f"converter op package {package_output.name} -> {package_output.directory} "
                f"({', '.join(counts)})"
            )
            from opgen.converter import LIBRARY  # (imports the rule emitter: only here)

            click.echo(f"  build: make cpu -> {LIBRARY}")
        else:
            click.echo(
                f"{package_output.backend.value} op package {package_output.name} -> "
                f"{package_output.directory} ({', '.join(counts)})"
            )
            click.echo(f"  interface provider: {package_output.name}InterfaceProvider")
        if verbose:
            for label, paths in (("created", report.created), ("updated", report.updated)):
                for path in paths:
                    click.echo(f"  {label}: {path}")
        for path in report.backed_up:
            click.echo(f"  backed up before replacing: {path}", err=True)
        for path in report.orphans:
            click.echo(
                f"warning: {package_output.directory / path} is no longer produced by the "
                "configs; kept (delete it, or use -f)",
                err=True,
            )


@opgen_main.command("generate")
@click.argument("configs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory that receives the package directories.",
)
@click.option("-f", "--force-generation", "force", is_flag=True, help=_FORCE_HELP)
@click.option(OVERWRITE_EDITED_FLAG, "overwrite_edited", is_flag=True, help=_EDITED_HELP)
@_BACKEND
@click.option("-v", "--verbose", is_flag=True, help="List every file written.")
@click.option(
    "--converter-op-package",
    "converter_op_package",
    is_flag=True,
    help="Also generate each package's converter op package (<Package>_Converter_Op_Package).",
)
@_guard
def generate_command(
    configs: Sequence[Path],
    output: Path,
    force: bool,
    overwrite_edited: bool,
    backend_names: Sequence[str],
    verbose: bool,
    converter_op_package: bool,
) -> None:
    """Generate op packages from OpDef CONFIGS."""
    from opgen.config import validate_configs

    result = validate_configs(configs)
    _print_diagnostics(result)
    if not result.ok:
        sys.exit(EXIT_INVALID)
    choice = _Choice(
        force, overwrite_edited, _backends(result, backend_names), converter_op_package
    )
    _generate(result, output, choice, verbose)


opgen_main.add_command(onnx_group)
