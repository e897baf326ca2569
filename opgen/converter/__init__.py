"""The converter op package (`-cop`): the shape and dtype functions a model converter loads.

One converter package per PackageName, in `<out>/<Package>_Converter_Op_Package/` whatever the
number of backends (the vendor makes one per (package, backend) pair, all with that one name, so
a second backend overwrites the first). It holds every op of the package; an op's rules are
those of its first backend's view (its `SupportedBackend`, supplementals applied): the
converter runs before any backend is chosen and finds functions by op type alone, so a library
holds one variant of an op. An op whose rules differ on another backend says so in a comment.

Layout (the vendor's, CONVERTER_FACTS §2.2, plus what building on a bare host needs):

    Makefile                                      opgen-owned: `make cpu`
    CMakeLists.txt, CMakePresets.json             opgen-owned: the same library with CMake
    ConverterOpPackage/ConverterOpPackage.cpp     opgen-owned: every op's functions
    ConverterOpPackage/Makefile.linux-x86_64      opgen-owned: builds libConverterOpPackage.so
    ConverterOpPackage/include/QNN/*.h            bundled headers (unused with QNN_SDK_ROOT)
    ConverterOpPackage/include/opgen/*, src/*     support: op-config reading, logging, rules
    ConverterOpPackage/hooks/ConverterHooks.hpp   opgen-owned: the hook declarations
    ConverterOpPackage/hooks/<Op>Hooks.cpp        user-owned, only for ops that need user code
"""

from __future__ import annotations

from opgen.converter.context import (
    ConverterContext,
    ConverterOp,
    converter_context,
)
from opgen.converter.plan import (
    BUILD_DIR,
    LIBRARY,
    PACKAGE_SUFFIX,
    converter_directory_name,
    plan,
)

__all__ = [
    "BUILD_DIR",
    "LIBRARY",
    "PACKAGE_SUFFIX",
    "ConverterContext",
    "ConverterOp",
    "converter_context",
    "converter_directory_name",
    "plan",
]
