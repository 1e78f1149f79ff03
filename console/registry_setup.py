"""Which registry the console opens: a given file, or the user's own, seeded on first start.

The first start without a registry fills the user data directory with the synthetic demo
set for the The Hague region (same as `zesminuten-engine demo-data --region denhaag`), and
every screen that shows the registry says it is synthetic.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alert_engine.errors import InvalidInput
from alert_engine.paths import default_registry_path
from alert_engine.registry.demo import generate_set
from alert_engine.registry.store import RegistryStore
from alert_engine.registry.table import Registry

log = logging.getLogger(__name__)

DEMO_REGION = "denhaag"
DEMO_SEED = 1


@dataclass(frozen=True)
class RegistryInfo:
    path: Path
    responders: int
    aeds: int
    synthetic: bool
    region: str


def seed_demo(path: Path, region: str = DEMO_REGION, seed: int = DEMO_SEED) -> None:
    demo = generate_set(region, seed)
    generated_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    with RegistryStore(path) as store:
        store.write_rows(
            demo.rows(),
            clear=("responders", "aeds"),
            metadata={**demo.metadata(), "generated_at": generated_at},
        )


def open_registry(path: Path | None = None, region: str = DEMO_REGION) -> tuple[Registry, RegistryInfo]:
    """Load `path` (must exist), else the default registry, seeding it on first use."""
    if path is not None:
        if not path.is_file():
            raise InvalidInput(f"{path}: no such registry file")
    else:
        path = default_registry_path()
        empty = True
        if path.is_file():
            with RegistryStore(path) as store:
                empty = store.counts().responders == 0
        if empty:
            log.warning("first start: creating the synthetic demo registry (%s) in %s", region, path)
            seed_demo(path, region)
    with RegistryStore(path) as store:
        counts = store.counts()
        meta = store.metadata()
        registry = store.load_registry()
    info = RegistryInfo(
        path=path,
        responders=counts.responders,
        aeds=counts.aeds,
        synthetic=counts.synthetic == "yes",
        region=meta.get("region", ""),
    )
    return registry, info
