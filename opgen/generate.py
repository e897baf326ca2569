"""From validated packages to package directories: plan, render, write.

One package with one backend goes to `<out>/<Package>/`, the layout users of the vendor tool know.
A package whose ops target several backends gets one package per backend, in
`<out>/<Package>/<BACKEND>/` (for example `ExamplePkg/CPU/` and `ExamplePkg/HTP/`).
With `converter_op_package`, each package also gets its converter op package, in
`<out>/<Package>_Converter_Op_Package/` (one per package whatever its backends: opgen.converter).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen.model import Backend, BackendPackage, Package
from opgen.render import PlannedFile, RenderedFile, make_environment, render
from opgen.writer import DEFAULT_LOCK_TIMEOUT, WaitCallback, WriteError, WriteReport, write_packages

Planner = Callable[[BackendPackage], list[PlannedFile]]

# Each backend's module (opgen.backends.<name>) and the error its planner raises for a declaration
# it cannot express. Imported when a package needs it: a CPU package does not import the others.
_BACKEND_MODULES: dict[Backend, tuple[str, str | None]] = {
    Backend.CPU: ("cpu", None),
    Backend.GPU: ("gpu", None),
    Backend.DSP: ("dsp", "DspGenerationError"),
    Backend.HTP: ("htp", "HtpGenerationError"),
    Backend.HTP_FP16: ("htp", "HtpGenerationError"),
}


def planner(backend: Backend) -> tuple[Planner, tuple[type[Exception], ...]]:
    """The backend's planner, and the errors it raises for what the backend cannot express."""
    name, error = _BACKEND_MODULES[backend]
    module = importlib.import_module(f"opgen.backends.{name}")
    plan: Planner = module.plan
    return plan, (getattr(module, error),) if error else ()


class GenerationError(Exception):
    """A package cannot be generated; each message names the file it is about."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages: tuple[str, ...] = messages


@dataclass(frozen=True)
class PackageOutput:
    name: str
    backend: Backend | None
    """None for a converter op package."""
    directory: Path
    files: tuple[RenderedFile, ...]


def package_directory(package: Package, backend: Backend, out_dir: Path) -> Path:
    if len(package.backends) == 1:
        return out_dir / package.name
    return out_dir / package.name / backend.value


def plan_outputs(
    packages: Sequence[Package],
    out_dir: Path,
    template_dirs: Sequence[Path] = (),
    *,
    converter_op_package: bool = False,
    backends: Sequence[Backend] | None = None,
) -> list[PackageOutput]:
    """What to write; ``backends`` limits generation to those (default: every one)."""

    def chosen(package: Package) -> list[Backend]:
        return [b for b in package.backends if backends is None or b in backends]

    env = make_environment(template_dirs)
    outputs = []
    for package in packages:
        for backend in chosen(package):
            view = package.resolve(backend)
            plan, cannot_express = planner(backend)
            try:
                planned = plan(view)
            except cannot_express as exc:
                # a declaration the backend cannot express
                raise GenerationError(f"{exc}\nnothing was written") from exc
            files = render(planned, env)
            outputs.append(
                PackageOutput(
                    package.name,
                    backend,
                    package_directory(package, backend, out_dir),
                    tuple(files),
                )
            )
        if converter_op_package:
            from opgen import converter  # the rule emitter: loaded only for -cop

            name = converter.converter_directory_name(package.name)
            files = render(converter.plan(package), env)
            outputs.append(PackageOutput(name, None, out_dir / name, tuple(files)))
    _refuse_shared_directories(outputs)
    return outputs


def _refuse_shared_directories(outputs: Sequence[PackageOutput]) -> None:
    """A package called `X_Converter_Op_Package` and the converter package of `X` would share
    a directory: refuse rather than let one overwrite the other."""
    seen: dict[Path, PackageOutput] = {}
    for output in outputs:
        other = seen.setdefault(output.directory, output)
        if other is not output:
            raise GenerationError(
                f"{output.directory}: {_describe(other)} and {_describe(output)} would both be "
                "generated here; rename one package. nothing was written"
            )


def _describe(output: PackageOutput) -> str:
    if output.backend is None:
        from opgen import converter

        return f"the converter op package of {output.name.removesuffix(converter.PACKAGE_SUFFIX)}"
    return f"op package {output.name}"


def generate(
    packages: Sequence[Package],
    out_dir: Path,
    *,
    force: bool = False,
    template_dirs: Sequence[Path] = (),
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    on_wait: WaitCallback | None = None,
    converter_op_package: bool = False,
    overwrite_edited: bool = False,
    backends: Sequence[Backend] | None = None,
) -> list[tuple[PackageOutput, WriteReport]]:
    """Generate every package, or none: one locked transaction (see opgen.writer).
    ``overwrite_edited`` replaces edited opgen-owned files (backed up first) and keeps the
    user's; ``backends`` generates only those backends' packages."""
    outputs = plan_outputs(
        packages,
        out_dir,
        template_dirs,
        converter_op_package=converter_op_package,
        backends=backends,
    )
    try:
        reports = write_packages(
            [(output.directory, output.files) for output in outputs],
            force=force,
            lock_timeout=lock_timeout,
            on_wait=on_wait,
            overwrite_edited=overwrite_edited,
        )
    except WriteError as exc:
        raise GenerationError(*exc.messages) from exc
    except OSError as exc:  # a step the writer does not attribute to a file of its own
        where = f" {exc.filename}" if exc.filename else f" {out_dir}"
        raise GenerationError(f"cannot write{where}: {exc.strerror or exc}") from exc
    return list(zip(outputs, reports, strict=True))
