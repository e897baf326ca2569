"""The files of a converter op package (see opgen.converter for the layout)."""

from __future__ import annotations

from opgen.backends.common import bundled_headers, cmake_files, static_files
from opgen.converter.context import HOOKS_HEADER, HookFileContext, converter_context
from opgen.model import Package
from opgen.render import Owner, PlannedFile

PACKAGE_SUFFIX = "_Converter_Op_Package"
BUILD_DIR = "ConverterOpPackage"
LIBRARY = f"{BUILD_DIR}/libConverterOpPackage.so"


def converter_directory_name(package: str) -> str:
    """`<Package>_Converter_Op_Package`, the vendor's name."""
    return f"{package}{PACKAGE_SUFFIX}"


def _inside(files: list[PlannedFile]) -> list[PlannedFile]:
    """The same files, moved into ConverterOpPackage/ (which then builds on its own)."""
    return [
        PlannedFile(f"{BUILD_DIR}/{f.relpath}", f.owner, f.template, f.context, f.source)
        for f in files
    ]


def plan(package: Package) -> list[PlannedFile]:
    support = _inside([*bundled_headers(()), *static_files("common"), *static_files("converter")])
    prefix = f"{BUILD_DIR}/"
    sources = tuple(f.relpath.removeprefix(prefix) for f in support if f.relpath.endswith(".cpp"))
    headers = tuple(
        f.relpath.removeprefix(prefix)
        for f in support
        if f.relpath.endswith((".h", ".hpp")) and "/QNN/" not in f.relpath
    )
    ctx = converter_context(package, sources, headers)
    files = [
        PlannedFile("Makefile", Owner.OPGEN, "converter/Makefile.j2", ctx),
        *cmake_files("converter", ctx),
        PlannedFile(
            f"{BUILD_DIR}/Makefile.linux-x86_64",
            Owner.OPGEN,
            "converter/Makefile.linux-x86_64.j2",
            ctx,
        ),
        PlannedFile(
            f"{BUILD_DIR}/ConverterOpPackage.cpp",
            Owner.OPGEN,
            "converter/ConverterOpPackage.cpp.j2",
            ctx,
        ),
        PlannedFile(
            f"{BUILD_DIR}/{HOOKS_HEADER}", Owner.OPGEN, "converter/ConverterHooks.hpp.j2", ctx
        ),
        *support,
    ]
    for op in ctx.ops:
        if op.hook_file is not None:
            files.append(
                PlannedFile(
                    f"{BUILD_DIR}/{op.hook_file}",
                    Owner.USER,
                    "converter/OpHooks.cpp.j2",
                    HookFileContext(package.name, op),
                )
            )
    return files
