"""`opgen onnx ...`: the click group of the ONNX commands.

Subcommands are loaded lazily: ``_COMMANDS`` maps each name to ``module:attribute``, and a
module is imported only when its command runs or help lists it, so ``opgen --help`` imports
neither onnx nor the command modules. Each subcommand gets opgen's internal-error guard here.
Command modules import onnx (and numpy) inside their functions, not at module level.

Add a command with ONE line in ``_COMMANDS``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

_COMMANDS: dict[str, str] = {
    "annotate": "opgen.onnx.annotate_command:annotate_command",
    "check": "opgen.onnx.check_command:check_command",
    "draft": "opgen.onnx.draft_command:draft_command",
    "run": "opgen.onnx.run_command:run_command",
}

INSTALL_HINT = "pip install 'opgen[onnx]'"


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        if command.callback is not None and not getattr(command.callback, "_opgen_guarded", False):
            # opgen.cli is loaded by now (it runs this group); importing it earlier is a cycle.
            from opgen.cli import _guard

            command.callback = _guard(command.callback)
            command.callback._opgen_guarded = True  # type: ignore[attr-defined]
        return command


@click.group("onnx", cls=_LazyGroup)
def onnx_group() -> None:
    """ONNX models with custom ops: check, annotate, draft, run on the host (needs onnx)."""
    if importlib.util.find_spec("onnx") is None:
        click.echo(f"error: the ONNX commands need the onnx package: {INSTALL_HINT}", err=True)
        sys.exit(1)
