"""Stress tests of generation are marked slow: CI runs a bounded sample. They run when asked for:
OPGEN_STRESS=N (the writer's kill points and race rounds, N more of each) or OPGEN_FUZZ_BUILDS=N
(more hostile-text package builds)."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: a stress test, run only when OPGEN_STRESS or OPGEN_FUZZ_BUILDS is set"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("OPGEN_STRESS") or os.environ.get("OPGEN_FUZZ_BUILDS"):
        return
    skip = pytest.mark.skip(reason="stress test: set OPGEN_STRESS=N to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
