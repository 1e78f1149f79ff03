"""The training scenario library: scenario files with a trainer's briefing and a model answer."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..scenario import steps
from ..scenario.loader import Scenario, load_scenario

# Steps that are the trainee's job in training; the file's ones are the model answer.
DISPATCHER_STEPS = frozenset(steps.DISPATCHER)


@dataclass
class TrainingScenario:
    """A loaded scenario plus what only training uses: briefing and expected decisions."""

    path: Path
    scenario: Scenario
    briefing: str = ""
    expected: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def slug(self) -> str:
        return self.path.stem


def load_training_scenario(path: Path | str) -> TrainingScenario:
    path = Path(path)
    scenario = load_scenario(path)  # validates everything the engine needs
    raw = json.loads(path.read_text(encoding="utf-8"))
    briefing = raw.get("briefing", "")
    expected = raw.get("expected", {})
    if not isinstance(briefing, str):
        raise InvalidInput(f"{path}: briefing: expected text")
    if not isinstance(expected, dict):
        raise InvalidInput(f"{path}: expected: expected an object")
    return TrainingScenario(path, scenario, briefing, expected)


def library_dir() -> Path:
    """ZESMINUTEN_TRAINING_DIR, else the packaged library, else the checkout's scenarios/training."""
    override = os.environ.get("ZESMINUTEN_TRAINING_DIR")
    if override:
        return Path(override)
    packaged = Path(str(files("alert_engine"))) / "_training_scenarios"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "scenarios" / "training"


def library(directory: Path | None = None) -> list[Path]:
    """The library's scenario files in file-name order (the numbers set the teaching order)."""
    folder = directory or library_dir()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
