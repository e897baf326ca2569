"""`opgen validate --json` shows each op's rules, text and resolved form, per backend view."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_validate_json_shows_the_example_rules() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "opgen", "validate", "--json", "examples/cpu/ExampleOpPackage.xml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    ops = {o["name"]: o for o in json.loads(run.stdout)["packages"][0]["backends"]["CPU"]["ops"]}
    values, indices = ops["TopK"]["rules"]["outputs"]
    assert values["shape"]["text"] == "= with(in[0], -1, k)"
    assert values["shape"]["resolved"] == "with(in[0], -1, k)"
    assert values["shape"]["tree"]["dim"] == {"node": "ScalarParam", "name": "k"}
    assert values["dtype"] == {
        "text": None,
        "resolved": "QNN_DATATYPE_FLOAT_32",
        "tree": {"node": "DtypeFixed", "datatype": "QNN_DATATYPE_FLOAT_32"},
        "default": True,
    }
    assert indices["dtype"]["text"] == "= QNN_DATATYPE_INT_32"
    assert indices["dtype"]["default"] is False
    relu = ops["Relu"]["rules"]["outputs"][0]
    assert relu["shape"]["resolved"] == "like(in[0])"
    assert relu["dtype"]["resolved"] == "like(in[0])"


def test_validate_exits_1_on_a_bad_rule_with_file_line_col(tmp_path: Path) -> None:
    text = (ROOT / "examples/cpu/ExampleOpPackage.xml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text(text.replace("= with(in[0], -1, k)", "= with(in[0], -1, kk)", 1), "utf-8")
    line = next(i for i, s in enumerate(bad.read_text().splitlines(), 1) if "kk)" in s)
    column = bad.read_text().splitlines()[line - 1].index("kk)") + 1
    for args in (["validate"], ["validate", "--json"]):
        run = subprocess.run(
            [sys.executable, "-m", "opgen", *args, str(bad)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 1
        assert "Traceback" not in run.stderr
        assert (
            f"{bad}:{line}:{column}: error: op 'TopK', output 'values': unknown name 'kk' "
            "(did you mean k?)" in run.stderr
        )
