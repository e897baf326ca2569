"""Rewrite the golden op references in tests/docs/golden/ from the example configs.

    python -m tests.docs.regenerate

Run it after a deliberate change to the docs templates or context, then review with
`git diff tests/docs/golden`.
"""

from __future__ import annotations

from pathlib import Path

from opgen import load_packages
from opgen.docs import render_docs

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = [
    ROOT / "examples" / "cpu" / "ExampleOpPackage.xml",
    ROOT / "examples" / "gpu" / "ExampleGpuOpPackage.xml",
    ROOT / "examples" / "htp" / "ExampleHtpOpPackage.xml",
]


def rendered() -> dict[str, bytes]:
    """Every golden file's expected content, by file name."""
    return {f.relpath: f.content for f in render_docs(load_packages(EXAMPLES))}


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, content in sorted(rendered().items()):
        (GOLDEN / name).write_bytes(content)
        print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    main()
