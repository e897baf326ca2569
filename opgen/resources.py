"""Where the data opgen ships lives: `templates/` and `schemas/`.

In a source checkout or an editable install they sit at the top of the repository; in a wheel they
are installed inside the package as `opgen/_data/` (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory of shipped data called `name` ("templates" or "schemas")."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"opgen data directory '{name}' is missing from this installation")


def schema_path() -> Path:
    return data_dir("schemas") / "OpDef.xsd"


def templates_dir() -> Path:
    return data_dir("templates")
