"""What the centre benchmarks share: the test-cluster script and a working folder with the
service's tokens and alert settings (alerts of 100: wanted = max = 100)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WS = "bench-workstation-token-1"
GW = "bench-gateway-token-00002"


def pgcluster() -> Any:
    """scripts/pgcluster.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("pgcluster", ROOT / "scripts" / "pgcluster.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["pgcluster"] = mod
    spec.loader.exec_module(mod)
    return mod


def bench_folder(prefix: str) -> Path:
    """A fresh folder the postgres user can reach, with tokens.json and config.json."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(folder, 0o755)
    (folder / "tokens.json").write_text(json.dumps({"tokens": [
        {"token": WS, "workstation": "bench", "user": "benchmark"},
        {"token": GW, "workstation": "gateway", "user": "gateway", "role": "responder_gateway"}]}))
    (folder / "tokens.json").chmod(0o600)
    (folder / "config.json").write_text(json.dumps({"wanted_responders": 100, "max_responders": 100,
                                                    "response_timeout_s": 600}))
    return folder
