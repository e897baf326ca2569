"""Stress tests of the writer are marked slow: CI runs a bounded sample; OPGEN_STRESS=N runs them
(and adds N random kill points / race rounds to the bounded tests)."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a stress test, run only when OPGEN_STRESS is set")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("OPGEN_STRESS"):
        return
    skip = pytest.mark.skip(reason="stress test: set OPGEN_STRESS=N to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
