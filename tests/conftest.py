"""Shared fixtures: the sample page, its gold annotation, temporary outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "workers-daily-2022-11-theory.txt"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
GOLD = DATA / "workers-daily-2022-11-theory.gold.json"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))
