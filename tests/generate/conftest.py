"""Markers of the generation tests."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a bigger sample of a stress test (OPGEN_FUZZ_BUILDS)")
