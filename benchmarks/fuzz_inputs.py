"""Fuzz the engine's inputs: mutated scenario JSON and registry CSV/GeoJSON files.

Every input must end in exit 0 (it ran, or it was imported) or exit 2 (one clear message
naming the file); anything else - another exit code, an exception escaping `main`, a
"Traceback" on stderr, an exit 2 that does not name the file or that left an event log
behind - is a failure.

    .venv/bin/python -m benchmarks.fuzz_inputs --inputs 10000 --seed 1

The same generator, with few inputs, is the CI test tests/alert_engine/test_fuzz_inputs.py. The
inputs are derived from the example scenarios in scenarios/ (the inline-registry ones:
the demo registry takes a second per run) and from small CSV/GeoJSON registry files
exported from them, by a seeded random mutator: the same seed gives the same inputs.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

# Values that have broken, or could break, a reader that trusts its input.
NASTY: tuple[Any, ...] = (
    None, True, False, 0, -1, 1, 5, 2**31, 2**63, 10**29, 0.5, -0.0, 1e12, 1e15, 1e300,
    -1e300, 1e308, "", " ", "x", "R1", "A1", "I1", "\x00", "R\x001", "\t", "\n", "\x7f",
    "\ud800", "é", "a" * 300, "24/7", "Mo-Fr 08:00-18:00", "Mo-Fr 25:00", "sunrise-sunset",
    "2027-06-30", "2026-02-30", "9999-12-31", "0001-01-01", "2026-11-22T19:40:00+01:00",
    "9999-12-31T23:59:00-12:00", "0001-01-01T00:00:00+00:00", "2026-11-22T19:40:00",
    "not a date", "accept", "decline", "ready", "home", "work", "app", ["app"], ["fax"],
    [], [1, 2], [None], {}, {"a": 1}, {"file": "r.csv"}, {"file": "/etc/passwd"},
    {"file": "."}, {"file": "../outside.csv"}, {"file": "missing.csv"}, {"file": None},
    {"demo": None}, {"lat": 52.06, "lon": 4.49},
)  # fmt: skip
# Raw JSON text that json.dumps would never write.
NASTY_LITERALS = (
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "9" * 5000,
    "-" + "9" * 40,
    "1" + "0" * 31,
)
CELLS = (
    "", " ", "nan", "inf", "-inf", "1e308", "52,06", "52.06", "4.49", "4.49;52.06", "0", "-1",
    "99999999999999999999999999999999999", "R1", "R1", "\x00", "R\x001", '"', 'a"b', "x\ny",
    "true", "false", "maybe", "app;app", "fax", "2027-06-30", "2026-02-30", "9999-12-31",
    "24/7", "Mo-Fr 25:00", "ready", "broken", "é", "\ud800", "a" * 500,
)  # fmt: skip


@dataclass
class Outcome:
    kind: str  # "exit 0", "exit 2" or "failure" (printed as other/traceback)
    detail: str = ""


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    by_input: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (input label, detail)


# -- the command, in process -------------------------------------------------------------
def run_cli(argv: list[str], must_name: str, no_output: Path | None = None) -> Outcome:
    """Run `zesminuten-engine ARGV` in this process and judge the result."""
    from alert_engine.cli import main

    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(argv)
    except SystemExit as exc:  # argparse; our argv is always well formed
        return Outcome("failure", f"SystemExit {exc.code}: {err.getvalue()[-2000:]}")
    except Exception:
        return Outcome("failure", traceback.format_exc()[-4000:])
    stderr = err.getvalue()
    if "Traceback" in stderr:
        return Outcome("failure", f"traceback on stderr (exit {code}): {stderr[-4000:]}")
    if code == 0:
        return Outcome("exit 0")
    if code != 2:
        return Outcome("failure", f"exit {code}: {stderr[-2000:]}")
    if must_name not in stderr:
        return Outcome("failure", f"exit 2 without naming {must_name}: {stderr[-2000:]}")
    if no_output is not None and no_output.exists():
        return Outcome("failure", f"exit 2 but {no_output.name} was written: {stderr[-2000:]}")
    return Outcome("exit 2")


# -- mutating JSON trees -----------------------------------------------------------------
def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


# Keys whose values feed date arithmetic, counts, seeds and ids: picked more often than
# chance (a scenario has hundreds of other values) because a bad one fails late.
HOT_KEYS = frozenset(
    ("seed", "start", "at", "id", "incident", "responder", "aed", "addresses", "gps",
     "patient_age_years", "certificate_valid_until", "coordinates", "config", "file")
)  # fmt: skip


def mutate_tree(rng: random.Random, tree: Any, rounds: int) -> Any:
    """A few random edits: replace, delete, duplicate, add or swap a value."""
    for _ in range(rounds):
        paths = list(_paths(tree))
        hot = [p for p in paths if p and p[-1] in HOT_KEYS]
        path = rng.choice(hot if hot and rng.random() < 0.4 else paths)
        op = rng.random()
        if not path:
            if op < 0.05:
                return rng.choice(NASTY)
            continue
        parent, key = _get(tree, path[:-1]), path[-1]
        if op < 0.55:
            parent[key] = copy.deepcopy(rng.choice(NASTY))
        elif op < 0.70:
            del parent[key]
        elif op < 0.80 and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif op < 0.88 and isinstance(parent, dict):
            parent[rng.choice(("extra", "lat", "lon", "id", "file", "addresses", "gps"))] = (
                copy.deepcopy(rng.choice(NASTY))
            )
        else:
            other = rng.choice(paths)
            if other and other[: len(path)] != path and path[: len(other)] != other:
                value = copy.deepcopy(_get(tree, other))
                parent[key] = value
    return tree


def mutate_json_text(rng: random.Random, text: str) -> str:
    """Edits no JSON encoder would make: literals, deep nesting, truncation, stray bytes."""
    op = rng.random()
    if op < 0.25:
        # Put a raw literal where a number or value was.
        spots = [i for i, c in enumerate(text) if c == ":"]
        if spots:
            i = rng.choice(spots) + 1
            end = i
            while end < len(text) and text[end] not in ",}]":
                end += 1
            return text[:i] + " " + rng.choice(NASTY_LITERALS) + text[end:]
    if op < 0.40:
        depth = rng.choice((30, 65, 1000, 100_000))
        return "[" * depth + text + "]" * depth if rng.random() < 0.5 else "[" * depth + "]" * depth
    if op < 0.55:
        return text[: rng.randrange(len(text) + 1)]
    if op < 0.65:
        i = rng.randrange(len(text) + 1)
        return text[:i] + rng.choice(("\x00", "\\u0000", '"', "}", "\ufeff", "\\ud800")) + text[i:]
    if op < 0.75:
        return rng.choice(("null", "[]", "[1]", "1", '"x"', "", "{}", "true", "\ufeff{}"))
    return text


# -- scenario inputs ---------------------------------------------------------------------
def scenario_seeds() -> list[dict[str, Any]]:
    seeds = []
    for path in sorted(SCENARIOS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        registry = data.get("registry", {})
        if isinstance(registry, dict) and "demo" not in registry:
            seeds.append(data)
    return seeds


def write_scenario(rng: random.Random, seeds: list[dict[str, Any]], folder: Path) -> Path:
    tree = copy.deepcopy(rng.choice(seeds))
    if rng.random() < 0.2:
        # Name a registry file next to the scenario instead of the inline list.
        key = rng.choice(("responders", "aeds"))
        records = tree["registry"].get(key, [])
        (folder / f"{key}.csv").write_text(_registry_csv(key, records), encoding="utf-8")
        tree["registry"][key] = {"file": f"{key}.csv"}
    if rng.random() < 0.15:
        from dataclasses import fields

        from alert_engine.config import AlertConfig

        settings = sorted(f.name for f in fields(AlertConfig))
        tree.setdefault("config", {})[rng.choice(settings)] = rng.choice(
            (0, -1, 0.5, 1, 5, 1e300, 1e15, 100, 10_000, None, "5", True)
        )
    else:
        tree = mutate_tree(rng, tree, rounds=rng.choice((1, 1, 2, 3)))
    text = json.dumps(tree, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.25:
        text = mutate_json_text(rng, text)
    path = folder / "scenario.json"
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:
        data = data[:10] + b"\xff\xfe" + data[10:]
    path.write_bytes(data)
    return path


def _registry_csv(key: str, records: list[Any]) -> str:
    """A small registry file in the exchange format from a scenario's inline records."""
    from alert_engine.registry.exchange import COLUMNS

    columns = COLUMNS[key]
    lines = [",".join(columns)]
    for rec in records:
        if not isinstance(rec, dict):
            continue
        lines.append(",".join(_cell(rec.get(c)) for c in columns))
    return "\n".join(lines) + "\n"


# -- registry inputs ---------------------------------------------------------------------
def registry_seed_records() -> dict[str, list[dict[str, Any]]]:
    """Exchange fields of a few responders and AEDs from the example scenarios."""
    from alert_engine.registry.exchange import aed_fields, responder_fields
    from alert_engine.scenario.loader import load_scenario

    found: dict[str, list[dict[str, Any]]] = {"responders": [], "aeds": []}
    for path in sorted(SCENARIOS.glob("0[2-9]*.json"))[:3]:
        scenario = load_scenario(path)
        found["responders"] += [responder_fields(r) for r in scenario.responders[:4]]
        found["aeds"] += [aed_fields(a) for a in scenario.aeds[:3]]
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def write_csv(
    rng: random.Random, seeds: dict[str, list[dict[str, Any]]], folder: Path
) -> tuple[Path, str]:
    from alert_engine.registry.exchange import COLUMNS

    kind = rng.choice(("responders", "aeds"))
    columns = list(COLUMNS[kind])
    rng.shuffle(columns)
    columns = [c for c in columns if rng.random() < 0.9]
    rows = []
    for rec in rng.sample(seeds[kind], k=min(len(seeds[kind]), rng.randint(1, 5))):
        cells = []
        for c in columns:
            cells.append(_cell(rec.get(c)))
        rows.append(cells)
    header = list(columns)
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        op = rng.random()
        if op < 0.55 and rows:
            row = rng.choice(rows)
            if row:
                row[rng.randrange(len(row))] = rng.choice(CELLS)
        elif op < 0.65 and header:
            header[rng.randrange(len(header))] = rng.choice(
                ("lattitude", "", "ID", " lat ", "id", "x\x00")
            )
        elif op < 0.75 and rows:
            rows.append(list(rng.choice(rows)))
        elif op < 0.85 and rows:
            row = rng.choice(rows)
            if rng.random() < 0.5:
                row.append("extra")
            elif row:
                row.pop()
        elif op < 0.92 and rows:
            rng.choice(rows)[0] = "x" * rng.choice((131_073, 200_000))
        else:
            header = [] if rng.random() < 0.5 else header
    delimiter = rng.choice((",", ",", ",", ";", "\t"))

    def cell(v: str) -> str:
        needs = any(ch in v for ch in (delimiter, '"', "\n", "\r"))
        return '"' + v.replace('"', '""') + '"' if needs and rng.random() < 0.9 else v

    lines = [delimiter.join(cell(c) for c in header)] if header else []
    lines += [delimiter.join(cell(c) for c in row) for row in rows]
    text = "\n".join(lines) + ("\n" if rng.random() < 0.9 else "")
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:
        data = b"\xef\xbb\xbf" + data
    if rng.random() < 0.03:
        data = data + b"\xff\xfe"
    path = folder / rng.choice(("registry.csv", "registry.CSV", "registry.txt"))
    path.write_bytes(data)
    return path, kind


def write_geojson(
    rng: random.Random, seeds: dict[str, list[dict[str, Any]]], folder: Path
) -> tuple[Path, str]:
    kind = rng.choice(("responders", "aeds"))
    features = []
    for rec in copy.deepcopy(rng.sample(seeds[kind], k=min(len(seeds[kind]), rng.randint(1, 5)))):
        props = {k: v for k, v in rec.items() if k not in ("lat", "lon")}
        features.append(
            {
                "type": "Feature",
                "id": rec["id"],
                "geometry": {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]},
                "properties": props,
            }
        )
    tree: Any = {"type": "FeatureCollection", "features": features}
    tree = mutate_tree(rng, tree, rounds=rng.choice((0, 1, 1, 2, 3)))
    text = json.dumps(tree, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.3:
        text = mutate_json_text(rng, text)
    path = folder / rng.choice(("registry.geojson", "registry.json"))
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path, kind


# -- driving -----------------------------------------------------------------------------
def fuzz(
    n_inputs: int, seed: int, on_progress: Callable[[int, Tally], None] | None = None
) -> Tally:
    """Generate and run `n_inputs` inputs (about half scenarios, half registry files)."""
    rng = random.Random(seed)
    scenarios = scenario_seeds()
    records = registry_seed_records()
    tally = Tally()
    work = Path(tempfile.mkdtemp(prefix="zesminuten-fuzz-"))
    try:
        for i in range(n_inputs):
            folder = work / f"case{i % 2}"  # two folders, reused: files are small and many
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            (work / "outside.csv").write_text("secret,line\n", encoding="utf-8")
            pick = rng.random()
            if pick < 0.5:
                label = "scenario"
                path = write_scenario(rng, scenarios, folder)
                events = folder / "out.jsonl"
                argv = ["run", str(path), "--events", str(events), "--quiet"]
                if rng.random() < 0.05:
                    argv += ["--store", str(folder / "events.sqlite")]
                outcome = run_cli(argv, must_name=path.name, no_output=events)
            else:
                label = "csv" if pick < 0.8 else "geojson"
                path, kind = (write_csv if label == "csv" else write_geojson)(rng, records, folder)
                argv = ["import", str(path), "--store", str(folder / "registry.sqlite")]
                if rng.random() < 0.8:
                    argv += ["--kind", kind]
                outcome = run_cli(argv, must_name=path.name)
            tally.counts[outcome.kind] += 1
            tally.by_input[f"{label}: {outcome.kind}"] += 1
            if outcome.kind == "failure":
                keep = work.parent / f"zesminuten-fuzz-failure-{seed}-{i}{path.suffix}"
                shutil.copy(path, keep)
                tally.failures.append((f"input {i} ({label}, kept as {keep})", outcome.detail))
            if on_progress:
                on_progress(i + 1, tally)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.fuzz_inputs", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--inputs", type=int, default=10_000, help="how many inputs (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="same seed, same inputs (default 1)")
    args = parser.parse_args(argv)

    started = time.perf_counter()

    def progress(done: int, tally: Tally) -> None:
        if done % 1000 == 0:
            print(
                f"  {done:,} inputs, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    tally = fuzz(args.inputs, args.seed, progress)
    elapsed = time.perf_counter() - started
    print(f"fuzz_inputs: {args.inputs:,} inputs, seed {args.seed}, {elapsed:.1f} s")
    for kind, shown_as in (
        ("exit 0", "exit 0"),
        ("exit 2", "exit 2"),
        ("failure", "other/traceback"),
    ):
        print(f"  {shown_as + ':':<24}{tally.counts[kind]:>7,}")
    print("  by input:")
    for key in sorted(tally.by_input):
        print(f"    {key + ':':<22}{tally.by_input[key]:>7,}")
    for label, detail in tally.failures[:10]:
        print(f"\nFAILURE {label}:\n{detail}")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
