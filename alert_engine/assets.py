"""Find shipped data files both in a checkout and in an installed wheel."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(name: str) -> Path:
    """Path of a file under resources/ (the wheel maps it to alert_engine/_resources)."""
    packaged = Path(str(files("alert_engine"))) / "_resources" / name
    if packaged.exists():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "resources" / name
    if checkout.exists():
        return checkout
    raise FileNotFoundError(f"shipped resource missing: {name} (looked in {packaged} and {checkout})")
