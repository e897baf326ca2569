"""Per-backend rules (a supplemental that changes a rule) and hostile rule text, in the
converter op package: the first backend's rules are compiled, others are noted; text stays data."""

from __future__ import annotations

from pathlib import Path

from tests.converter.conftest import BIN, make, run
from tests.converter.harness import BUNDLED, F32, ConverterLibrary, Node

VARIANTS = Path(__file__).parent / "configs" / "VarPkg.xml"


def test_the_first_backend_rules_are_compiled_and_the_others_noted(tmp_path: Path) -> None:
    result = run(
        BIN / "opgen", "generate", VARIANTS, "-o", tmp_path / "out", "--converter-op-package"
    )
    assert result.returncode == 0, result.stderr
    package = tmp_path / "out" / "VarPkg_Converter_Op_Package"
    cpp = (package / "ConverterOpPackage" / "ConverterOpPackage.cpp").read_text()
    assert "// Rules as the CPU package sees them; GPU\n" in cpp
    assert '#include "x"' not in cpp.replace('\\"', "")  # constraint prose stays out of code
    library = ConverterLibrary(make(package, "g++"), BUNDLED, package="VarPkg")
    got = library.infer(Node("Grow", [([4, 5], F32)], [2]))
    assert got.code == 0, library.last_error()
    assert got.shapes == ((4, 6),)  # CPU's rule (+1), not GPU's (+2)
    assert not (package / "ConverterOpPackage" / "hooks" / "GrowHooks.cpp").exists()
