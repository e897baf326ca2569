"""Per-backend rules (a supplemental that changes a rule) and hostile rule text, in the
converter op package: the first backend's rules are compiled, others are noted; text stays data."""

from __future__ import annotations

from pathlib import Path

from tests.converter.conftest import BIN, make, run
from tests.converter.harness import BUNDLED, F32, ConverterLibrary, Node

VARIANTS = """<?xml version="1.0" encoding="UTF-8"?>
<OpDefCollection PackageName="VarPkg" Domain="test" Version="1.0">
  <OpDefList>
    <OpDef>
      <Name>Grow</Name>
      <Description><Content>grows the last dim</Content></Description>
      <Input><Name>x</Name><Mandatory>true</Mandatory><Datatype>QNN_DATATYPE_FLOAT_32</Datatype><Shape><Rank>2D</Rank></Shape></Input>
      <Output><Name>y</Name>
        <Constraint id="7" Type="Shape">a note */ #include "x" \\<Code>require in[0].shape[0] &gt;= 1</Code></Constraint>
        <Mandatory>true</Mandatory><Datatype>QNN_DATATYPE_FLOAT_32</Datatype><Shape><Rank>2D</Rank><Text>= [in[0].shape[0], in[0].shape[1] + 1]</Text></Shape></Output>
      <SupportedBackend>CPU</SupportedBackend>
    </OpDef>
  </OpDefList>
  <SupplementalOpDefList Backend="GPU">
    <SupportedOps><OpName>Grow</OpName></SupportedOps>
    <SupplementalOpDef>
      <Name>Grow</Name>
      <Output><Name>y</Name><Shape><Text>= [in[0].shape[0], in[0].shape[1] + 2]</Text></Shape></Output>
    </SupplementalOpDef>
  </SupplementalOpDefList>
</OpDefCollection>
"""


def test_the_first_backend_rules_are_compiled_and_the_others_noted(tmp_path: Path) -> None:
    config = tmp_path / "variants.xml"
    config.write_text(VARIANTS)
    result = run(
        BIN / "opgen", "generate", config, "-o", tmp_path / "out", "--converter-op-package"
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
