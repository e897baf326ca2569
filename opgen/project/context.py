"""What the project template reads: plain data derived from the loaded, validated package.

Everything here is computed from the config as opgen's loader reads it, so the Makefile, the
tests and the reference module name what the config declares (a drafted config included). Each
value is an identifier checked by the loader, a path built from identifiers, or opgen's own text.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from opgen import __version__, naming
from opgen.build.package import Kind
from opgen.build.package import Package as BuiltPackage
from opgen.generate import package_directory
from opgen.model import OpDef, Package
from opgen.model_enums import Backend

#: Where `make generate` puts the packages, relative to the project.
PACKAGES_DIR = "packages"
CONFIG_DIR = "config"

#: The file a user writes an op's kernel in, per backend (the library's place is opgen build's).
_KERNEL_FILE = {
    Backend.CPU: "src/ops/{}.cpp",
    Backend.GPU: "src/ops/{}.cl",
    Backend.HTP: "src/ops/{}.cpp",
    Backend.DSP: "src/ops/{}.cpp",
}


@dataclass(frozen=True)
class ReferenceFunction:
    """One function of reference.py: an op's inputs positional, its params by keyword."""

    name: str
    function: str
    """The `def` name: the op's, or (a Python keyword) a private one bound to the op's name."""
    inputs: tuple[str, ...]
    """Argument names in declaration order; optional ones (and all after) default to None."""
    optional_from: int
    params: tuple[str, ...]
    """Params that are keyword arguments (Python identifiers)."""
    other_params: tuple[str, ...]
    """Params whose names Python cannot spell as arguments: they arrive in `**params`."""
    outputs: int


def config_path(package: str) -> str:
    return f"{CONFIG_DIR}/{package}.xml"


def reference_function(op: OpDef) -> ReferenceFunction:
    params = tuple(
        p.name for p in op.params if p.name.isidentifier() and not keyword.iskeyword(p.name)
    )
    taken = set(params)
    inputs: list[str] = []
    for tensor in op.inputs:
        name = naming.tensor_identifier(tensor.name)
        while keyword.iskeyword(name) or name in taken:
            name += "_"
        taken.add(name)
        inputs.append(name)
    optional = [i for i, t in enumerate(op.inputs) if not t.mandatory]
    return ReferenceFunction(
        name=op.name,
        function=f"_op_{op.name}" if keyword.iskeyword(op.name) else op.name,
        inputs=tuple(inputs),
        optional_from=optional[0] if optional else len(inputs),
        params=params,
        other_params=tuple(p.name for p in op.params if p.name not in params),
        outputs=len(op.outputs),
    )


def template_context(package: Package, shape: str, project: str) -> dict[str, object]:
    """The `_opgen` variable of the template's context (JSON-like: cookiecutter may dump it)."""
    backends = []
    for backend in package.backends:
        directory = PurePosixPath(package_directory(package, backend, Path(PACKAGES_DIR)))
        built = BuiltPackage(Path(directory), package.name, Kind(backend.value))
        library = PurePosixPath(built.host_library()).as_posix()
        kernel = _KERNEL_FILE[backend]
        backends.append(
            {
                "name": backend.value,
                "lower": backend.value.lower(),
                "directory": str(directory),
                "library": library,
                "op_packages": (
                    f"{library}:{naming.interface_provider(package.name)}:{backend.value}"
                ),
                "kernels": [
                    f"{directory}/{kernel.format(op.name)}"
                    for op in package.ops
                    if backend in op.backends
                ],
            }
        )
    functions = [reference_function(op) for op in package.ops]
    return {
        "project": project,
        "package": package.name,
        "config": config_path(package.name),
        "packages_dir": PACKAGES_DIR,
        "shape": shape,
        "backends": backends,
        "build_targets": " ".join(f"build-{b.value.lower()}" for b in package.backends),
        "ops": [
            {
                "name": f.name,
                "function": f.function,
                "inputs": list(f.inputs),
                "optional_from": f.optional_from,
                "params": list(f.params),
                "other_params": list(f.other_params),
                "outputs": f.outputs,
            }
            for f in functions
        ],
        "opgen_version": __version__,
        "extras": "[gpu]" if Backend.GPU in package.backends else "",
    }
