"""Which generated files carry compiled rules: the rule runtime ships only with ruled ops, each
backend compiles its own view's rules (supplemental overrides), and an op without rules keeps the
plain declaration check. (Built and run through the runtime: tests/e2e/test_rule_validation.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

import opgen
from opgen.generate import PackageOutput, plan_outputs
from opgen.model import Backend
from tests.shapes.rule_configs import config, inp, op, out

RUNTIME = {"include/opgen/ShapeRules.hpp", "src/utils/ShapeRules.cpp"}

GPU_SUPPLEMENT = """<SupplementalOpDefList Backend="GPU">
<SupportedOps><OpName>Sq</OpName></SupportedOps>
<SupplementalOpDef><Name>Sq</Name>
<Input><Name>x</Name>
<Constraint id="5" Type="Shape">gpu limit<Code>require in[0].shape[0] == 4</Code></Constraint>
</Input>
<Output><Name>y</Name>
<Shape><Text>= [in[0].shape[0], 1]</Text></Shape>
</Output>
</SupplementalOpDef>
</SupplementalOpDefList>"""


def _outputs(tmp_path: Path, text: str) -> dict[Backend, PackageOutput]:
    path = tmp_path / "rules.xml"
    path.write_text(text, encoding="utf-8")
    return {o.backend: o for o in plan_outputs(opgen.load_packages([path]), tmp_path / "out")}


def _file(output: PackageOutput, relpath: str) -> str:
    (found,) = [f for f in output.files if f.relpath == relpath]
    return found.content.decode()


@pytest.mark.parametrize("backend", ["CPU", "GPU", "HTP", "HTP_FP16"])
def test_prose_only_configs_ship_no_rule_code(tmp_path: Path, backend: str) -> None:
    text = config(op("Plain", inp("x", "Any shape."), out("y", "Same as x."), backend=backend))
    (output,) = _outputs(tmp_path, text).values()
    assert not RUNTIME & {f.relpath for f in output.files}
    interface = _file(output, "src/RulePkgInterface.cpp")
    assert "ShapeRules" not in interface and "opgenValidate" not in interface


@pytest.mark.parametrize("backend", ["CPU", "GPU", "HTP", "HTP_FP16"])
def test_ruled_ops_are_checked_and_unruled_ones_are_not(tmp_path: Path, backend: str) -> None:
    text = config(
        op("Ruled", inp("x"), out("y", "= like(x)"), backend=backend),
        op("Plain", inp("x"), out("y", "Same as x."), backend=backend),
    )
    (output,) = _outputs(tmp_path, text).values()
    assert {f.relpath for f in output.files} >= RUNTIME
    interface = _file(output, "src/RulePkgInterface.cpp")
    assert '#include "opgen/ShapeRules.hpp"' in interface
    assert (
        interface.count("Qnn_ErrorHandle_t opgenValidateRuled(const Qnn_OpConfig_t& config)") == 1
    )
    assert "opgenValidateRuled(" in interface.split("opgenValidateRuled(const", 1)[1]
    assert "opgenValidatePlain" not in interface
    assert '"= like(x)"' in interface


def test_rule_text_reaches_cpp_only_as_escaped_literals(tmp_path: Path) -> None:
    # `?` is escaped (no trigraphs); the text appears nowhere unquoted.
    rule = "= [x.shape[0], ?]"
    text = config(op("Esc", inp("x"), out("y", rule), backend="CPU"))
    (output,) = _outputs(tmp_path, text).values()
    interface = _file(output, "src/RulePkgInterface.cpp")
    assert '"= [x.shape[0], \\077]"' in interface
    assert rule not in interface


def test_each_backend_compiles_its_own_view_of_the_rules(tmp_path: Path) -> None:
    base = op(
        "Sq",
        inp("x", constraints=[(5, "Shape", "cpu limit", "require in[0].shape[0] == 2")]),
        out("y", "= like(in[0])"),
    )
    outputs = _outputs(tmp_path, config(base, supplementals=[GPU_SUPPLEMENT]))
    cpu = _file(outputs[Backend.CPU], "src/RulePkgInterface.cpp")
    gpu = _file(outputs[Backend.GPU], "src/RulePkgInterface.cpp")
    assert '"require in[0].shape[0] == 2"' in cpu and '"= like(in[0])"' in cpu
    assert '"require in[0].shape[0] == 4"' in gpu and '"= [in[0].shape[0], 1]"' in gpu
    assert "== 4" not in cpu and "== 2" not in gpu
