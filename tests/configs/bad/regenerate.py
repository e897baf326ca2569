"""Rewrite every <case>.expected in this folder from the current `opgen validate` output.

Run it after a deliberate change to a message, then review with `git diff tests/configs/bad`.
A config that no .expected names yet gets <stem>.expected. Snapshots of known opgen bugs
(KNOWN_BUGS in tests/config/test_bad_configs.py) hold the output opgen *should* print, so they
are kept unless --all is given.
"""

import ast
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIX = "$ opgen validate "
tree = ast.parse((HERE.parents[1] / "config" / "test_bad_configs.py").read_text())
known = next(
    n.value
    for n in tree.body
    if isinstance(n, ast.Assign | ast.AnnAssign)
    and getattr(n.targets[0] if isinstance(n, ast.Assign) else n.target, "id", "") == "KNOWN_BUGS"
)
keep = set() if "--all" in sys.argv else set(ast.literal_eval(known))

commands = {p: p.read_text().splitlines()[0][len(PREFIX) :] for p in HERE.glob("*.expected")}
named = {f for files in commands.values() for f in files.split()}
for config in HERE.glob("*.xml"):
    if config.name not in named:
        commands[config.with_suffix(".expected")] = config.name
for expected, files in sorted(commands.items()):
    if expected.stem in keep:
        print(f"kept (known bug): {expected.name}")
        continue
    cmd = [sys.executable, "-m", "opgen", "validate", *files.split()]
    run = subprocess.run(
        cmd, cwd=HERE, capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    expected.write_text(f"{PREFIX}{files}\nexit: {run.returncode}\n{run.stderr}", "utf-8")
    print(f"wrote {expected.name}")
