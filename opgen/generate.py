"""From validated packages to package directories: plan, render, write.

One package with one backend goes to `<out>/<Package>/`, the layout users of the vendor tool know.
A package whose ops target several backends gets one package per backend, in
`<out>/<Package>/<BACKEND>/` (for example `ExamplePkg/CPU/` and `ExamplePkg/HTP/`).
With `converter_op_package`, each package also gets its converter op package, in
`<out>/<Package>_Converter_Op_Package/` (one per package whatever its backends: opgen.converter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen import converter
from opgen.backends import cpu, gpu, htp
from opgen.model import Backend, BackendPackage, Package
from opgen.render import PlannedFile, RenderedFile, make_environment, render
from opgen.writer import DEFAULT_LOCK_TIMEOUT, WaitCallback, WriteError, WriteReport, write_packages

Planner = Callable[[BackendPackage], list[PlannedFile]]

PLANNERS: dict[Backend, Planner] = {
    Backend.CPU: cpu.plan,
    Backend.GPU: gpu.plan,
    Backend.HTP: htp.plan,
    Backend.HTP_FP16: htp.plan,
}


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

    missing = sorted({b.value for p in packages for b in chosen(p) if b not in PLANNERS})
    if missing:
        raise GenerationError(
            f"generating {', '.join(missing)} op packages is not supported yet "
            f"(supported: {', '.join(b.value for b in PLANNERS)}); nothing was written"
        )
    env = make_environment(template_dirs)
    outputs = []
    for package in packages:
        for backend in chosen(package):
            view = package.resolve(backend)
            try:
                planned = PLANNERS[backend](view)
            except htp.HtpGenerationError as exc:  # a declaration HTP cannot express
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
