"""Diagnostics quote config text; each stays one inert line on a terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CONFIG = """<?xml version="1.0" encoding="UTF-8"?>
<OpDefCollection PackageName="Pkg" Domain="d" Version="1.0">
  <OpDefList>
    <OpDef>
      <Name>Bad&#x202E;Name&#x2028;x</Name>
      <Description><Content>d</Content></Description>
      <Input><Name>in[0]</Name><Mandatory>true</Mandatory>
        <Datatype>QNN_DATATYPE_FLOAT_32</Datatype><Shape><Rank>ND</Rank></Shape></Input>
      <Output><Name>out[0]</Name><Mandatory>true</Mandatory>
        <Datatype>QNN_DATATYPE_FLOAT_32</Datatype><Shape><Rank>ND</Rank></Shape></Output>
      <SupportedBackend>CPU</SupportedBackend>
    </OpDef>
  </OpDefList>
</OpDefCollection>
"""


def test_control_characters_in_quoted_names_are_escaped(tmp_path: Path) -> None:
    config = tmp_path / "ops.xml"
    config.write_text(CONFIG, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "opgen", "validate", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "\u202e" not in result.stderr and "\u2028" not in result.stderr
    (line,) = [entry for entry in result.stderr.splitlines() if "Bad" in entry]
    assert f"{config}:5:" in line
    assert "Bad\\u202EName\\u2028x" in line
