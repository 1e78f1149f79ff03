"""`zesminuten-engine serve`: the engine as the centre's shared service.

```
zesminuten-engine serve --listen 127.0.0.1:8750 --store STORE --registry REGISTRY --tokens TOKENS.json
```
STORE is a SQLite file (one node) or a `postgresql://` URL (several nodes form one
service: one active, the others standby). REGISTRY is a registry store (as `demo-data`
and `import` write it), a scenario JSON file whose `registry` section is used, or `demo`
(the synthetic The Hague demo set, generated on start).
"""

from __future__ import annotations

import argparse
import gc
import logging
import socket
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..clock import SystemClock
from ..config import AlertConfig
from ..errors import InvalidInput
from ..paths import data_dir
from ..registry.table import Registry
from ..review.access_log import AccessLog
from ..safe_input import load_json_file

log = logging.getLogger("zesminuten.centre")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "serve", help="run the engine as the dispatch centre's shared service (HTTP, SSE)",
        description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--listen", default="127.0.0.1:8750", help="HOST:PORT (default 127.0.0.1:8750)")
    p.add_argument("--store", required=True, help="SQLite event store path or postgresql:// URL")
    p.add_argument("--registry", required=True, help="registry store, scenario JSON, or 'demo'")
    p.add_argument("--tokens", required=True, type=Path, help="TOKENS.json: one token per workstation")
    p.add_argument("--node-id", default="", help="this node's name in the lease and logs (default: host:port)")
    p.add_argument("--access-log", type=Path, default=None,
                   help="NEN 7513 access log of this node (default: in the user data dir)")
    p.add_argument("--simulate", action="store_true",
                   help="demo only: simulated responders answer every alert (never on a real centre)")
    p.add_argument("--config", type=Path, default=None,
                   help="JSON object of alert settings (AlertConfig fields), e.g. response_timeout_s")
    p.add_argument("--channels", type=Path, default=None,
                   help="JSON channel configuration (push, SMS, voice gateways and the delivery policy; "
                        "docs/channels.md); without it no message leaves the service")
    p.add_argument("--no-motorways", action="store_true", help="skip the motorway map (faster start, tests)")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(func=cmd_serve)


def _listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(f"--listen: expected HOST:PORT, got {text!r}")
    return host, int(port)


def load_registry(spec: str) -> tuple[Registry, dict[str, Any]]:
    """The registry and what the consoles show about it (synthetic? which region?)."""
    if spec == "demo" or spec.startswith("demo:"):
        from ..registry.demo import generate_set

        region = spec.partition(":")[2] or "denhaag"
        return generate_set(region, 1).registry(), {"synthetic": True, "region": region}
    path = Path(spec)
    if path.suffix.lower() == ".json":
        from ..scenario.loader import load_scenario

        scenario = load_scenario(path)
        return Registry.from_records(scenario.responders, scenario.aeds), {"synthetic": False, "region": ""}
    if not path.is_file():
        raise InvalidInput(f"--registry: {path}: no such registry store or scenario file")
    from ..registry.store import RegistryStore

    with RegistryStore(path) as store:
        if not store.counts().responders:
            raise InvalidInput(f"--registry: {path}: the registry store holds no responders")
        meta = store.metadata()
        info = {"synthetic": meta.get("synthetic", "") in ("yes", "mixed"), "region": meta.get("region", "")}
        return store.load_registry(), info


def load_config(path: Path | None) -> AlertConfig | None:
    if path is None:
        return None
    raw = load_json_file(path)
    if not isinstance(raw, dict):
        raise InvalidInput(f"{path}: expected a JSON object of alert settings")
    known = {f.name for f in fields(AlertConfig)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InvalidInput(f"{path}: unknown setting(s) {', '.join(unknown)}")
    config = AlertConfig(**raw)
    config.validate(str(path))
    return config


def shared_registry(url: str, seed: Registry, info: dict[str, Any]) -> Registry:
    """On PostgreSQL the registry lives in PostGIS: `--registry` seeds an empty one; every
    node then loads the same registry from the database into its in-memory index."""
    from .pg_registry import ensure_registry_schema, load_registry, responder_count, save_registry
    from .pg_store import connect

    with connect(url) as conn:
        ensure_registry_schema(conn)
        if responder_count(conn) == 0:
            log.warning("the centre's registry is empty: loading %d responders and %d AEDs from --registry",
                        seed.n_responders, seed.n_aeds)
            save_registry(conn, seed, metadata={k: str(v) for k, v in info.items()})
        return load_registry(conn)


def cmd_serve(args: argparse.Namespace) -> int:
    import signal

    import uvicorn

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            # uvicorn re-raises a captured signal after its graceful shutdown; SIGTERM is how
            # an operator (or systemd) asks for a normal stop, so that stop exits 0.
            if sig == signal.SIGTERM and sig in self._captured_signals:
                self._captured_signals.remove(sig)

    from .app import create_app
    from .node import CentreNode
    from .tokens import TokenBook, readable_by_others

    logging.basicConfig(level=getattr(logging, args.log_level.upper()), stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    host, port = _listen(args.listen)
    tokens = TokenBook.load(args.tokens)
    if readable_by_others(args.tokens):
        log.warning("%s can be read by other users of this machine: chmod 600 it", args.tokens)
    registry, registry_info = load_registry(args.registry)
    if args.store.startswith(("postgresql://", "postgres://")):
        registry = shared_registry(args.store, registry, registry_info)
    motorways: Any = None
    if not args.no_motorways:
        from ..exclusion.motorway import default_index

        motorways = default_index()
    node_id = args.node_id or f"{socket.gethostname()}:{port}"
    access = AccessLog(args.access_log or data_dir() / f"access-{node_id.replace(':', '-')}.sqlite")
    channels = None
    if args.channels is not None:
        from ..channels.settings import load_settings

        channels = load_settings(args.channels)
        if channels.secrets_in_file and readable_by_others(args.channels):
            log.warning("%s holds provider credentials and can be read by other users: chmod 600 it", args.channels)
        log.info("channels: %s", ", ".join(sorted(channels.gateways)) or "none configured")
    node = CentreNode(registry, args.store, SystemClock(), config=load_config(args.config), motorways=motorways, node_id=node_id,
                      simulate=args.simulate, access_log=access, registry_info=registry_info, channels=channels)
    log.info("node %s: %d responders, %d AEDs, %d events; %d tokens", node_id, registry.n_responders,
             registry.n_aeds, node.last_seq, len(tokens))
    app = create_app(node, tokens)
    # The service's own loop stays asyncio's (what the node's loops were written and tested
    # on); only the channel dispatcher's burst runs on uvloop (channels/dispatcher.py).
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                            timeout_graceful_shutdown=3, lifespan="on", loop="asyncio")
    server = _Server(config)
    # What start-up loaded (registry, motorway map, the folded log) lives as long as the
    # process: kept out of the collector's full passes, which would otherwise stop every
    # thread for tens of milliseconds in the middle of an alert's burst of pushes.
    gc.collect()
    gc.freeze()
    server.run()  # uvicorn stops cleanly on SIGTERM/SIGINT: lifespan shutdown releases the lease
    return 0
