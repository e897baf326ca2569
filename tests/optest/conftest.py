"""Fixtures of the `opgen test` tests: the planted package, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.optest import plantpkg


@pytest.fixture(scope="session")
def plant_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plantpkg.build_package(tmp_path_factory.mktemp("plant"))


@pytest.fixture(scope="session")
def plant_config(plant_library: Path) -> Path:
    return plant_library.parents[4] / f"{plantpkg.PACKAGE}.xml"


@pytest.fixture(scope="session")
def plant_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plantref") / "reference.py"
    path.write_text(plantpkg.REFERENCE, encoding="utf-8")
    return path
