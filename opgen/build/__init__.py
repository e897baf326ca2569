"""`opgen build`: a generated package's build with progress, readable compiler errors and the
strings that load its libraries.

- package.py: which package a directory holds (from its Makefile's banner), its targets and
  libraries
- runner.py: runs make or CMake through a compiler wrapper that reports each compile unit
- diagnostics.py: a compiler's stderr as file:line diagnostics with their context
- progress.py, command.py: the progress display and the click command
"""

from opgen.build.package import Kind, Library, NotAPackage, Package, find_packages
from opgen.build.runner import Outcome, ToolMissing, Unit, build_cmake, build_make

__all__ = [
    "Kind",
    "Library",
    "NotAPackage",
    "Outcome",
    "Package",
    "ToolMissing",
    "Unit",
    "build_cmake",
    "build_make",
    "find_packages",
]
