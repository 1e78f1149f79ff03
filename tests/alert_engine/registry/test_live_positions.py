"""Live GPS fixes (alert_engine/registry/live_positions.py): applied in place, used by the
very next selection, refused one by one with a reason, safe next to running selections."""

from __future__ import annotations

import random
import threading
import time
from datetime import date, timedelta

import numpy as np
import pytest

from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.geo import point_rd
from alert_engine.registry.live_positions import LivePositions, PositionFix
from alert_engine.registry.model import Address, GpsFix, Responder
from alert_engine.registry.table import SLOT_GPS, Registry
from alert_engine.selection import Selection, select
from benchmarks.selection.brute import brute_select, fingerprint
from tests.builders import EVENING, ZOETERMEER, aed_at, offset, ring_responders

CONFIG = AlertConfig()
X0, Y0 = point_rd(*ZOETERMEER)
FAR = offset(ZOETERMEER, 30_000, 0)  # 30 km north: outside every radius around the centre


def _far_responder(rid: str = "FAR") -> Responder:
    return Responder(rid, date(2027, 6, 30), (Address(*FAR),), pseudonym=rid)


def _live(responders: list[Responder]) -> tuple[Registry, LivePositions, SimClock]:
    registry = Registry.from_records(responders, [aed_at("A1", 100, 0)])
    clock = SimClock(EVENING)
    return registry, LivePositions(registry, clock), clock


def _ids(registry: Registry, at: tuple[float, float] = ZOETERMEER) -> set[str]:
    x, y = point_rd(*at)
    busy = np.zeros(registry.n_responders, bool)
    return {r.id for r in select(registry, x, y, EVENING, busy, CONFIG).responders}


def _fix(rid: str, at: tuple[float, float], seconds: float = 0.0) -> PositionFix:
    return PositionFix(rid, at[0], at[1], EVENING + timedelta(seconds=seconds))


def test_every_responder_gets_exactly_one_gps_slot() -> None:
    with_fix = Responder(
        "GPS", date(2027, 6, 30), (Address(*FAR),), GpsFix(*ZOETERMEER, EVENING), pseudonym="g"
    )
    registry, live, _ = _live([*ring_responders(5), with_fix])
    before = _ids(registry)
    gps = registry.s_kind == SLOT_GPS
    assert np.bincount(registry.s_resp[gps], minlength=registry.n_responders).tolist() == [1] * 6
    # The fix from the records keeps its slot; the others are placeholders that never count.
    assert registry.s_gps_epoch[live.gps_slot[5]] == EVENING.timestamp()
    assert np.isnan(registry.s_gps_epoch[live.gps_slot[:5]]).all()
    assert "GPS" in before
    assert _ids(registry) == before
    assert LivePositions(registry, live.clock).gps_slot.tolist() == live.gps_slot.tolist()


def test_moved_into_range_found_by_the_next_selection_and_after_the_swap() -> None:
    registry, live, _ = _live([*ring_responders(20), _far_responder()])
    assert "FAR" not in _ids(registry)
    done = live.apply([_fix("FAR", offset(ZOETERMEER, 50, 0))])
    assert done.applied == 1 and done.refused == ()
    assert "FAR" in _ids(registry)  # before any rebuild: measured outside the tree
    assert live.moved == 1
    assert live.rebuild() is True
    assert live.moved == 0
    assert "FAR" in _ids(registry)  # now from the new tree
    assert live.rebuild() is False  # nothing moved since


def test_moved_out_is_not_selected_by_its_old_position() -> None:
    registry, live, _ = _live(ring_responders(20))
    assert "R3" in _ids(registry)
    live.apply([_fix("R3", offset(ZOETERMEER, 500, 0))])
    live.rebuild()  # R3's GPS slot is in the tree near the centre now
    live.apply([_fix("R3", FAR, seconds=10)])
    assert "R3" not in _ids(registry)  # neither the old fix nor the home address counts
    assert "R3" in _ids(registry, at=FAR)
    live.rebuild()
    assert "R3" not in _ids(registry)
    assert "R3" in _ids(registry, at=FAR)


def test_a_stale_fix_is_ignored_and_the_address_counts_again() -> None:
    registry, live, clock = _live([*ring_responders(20), _far_responder()])
    live.apply([_fix("FAR", ZOETERMEER), _fix("R1", FAR)])
    busy = np.zeros(registry.n_responders, bool)

    def ids_at(seconds: float) -> set[str]:
        t = EVENING + timedelta(seconds=seconds)
        return {r.id for r in select(registry, X0, Y0, t, busy, CONFIG).responders}

    fresh = ids_at(CONFIG.gps_stale_after_s)
    assert "FAR" in fresh and "R1" not in fresh
    clock.advance(CONFIG.gps_stale_after_s + 1)
    stale = ids_at(CONFIG.gps_stale_after_s + 1)
    assert "FAR" not in stale  # the fix is too old; the registered address is far away
    assert "R1" in stale  # the far fix is too old: home counts again


def test_refused_fixes_are_named_and_the_rest_applied() -> None:
    registry, live, _ = _live(ring_responders(5))
    live.apply([_fix("R5", ZOETERMEER, seconds=-5)])
    batch = [
        _fix("R1", offset(ZOETERMEER, 10, 0)),
        _fix("NOBODY", ZOETERMEER),
        PositionFix("R2", float("nan"), 4.49, EVENING),
        PositionFix("R3", 48.85, 2.35, EVENING),  # Paris
        _fix("R4", ZOETERMEER, seconds=120),
        PositionFix("R4", *ZOETERMEER, EVENING.replace(tzinfo=None)),
        _fix("R1", ZOETERMEER, seconds=-1),  # older than R1's other fix in this batch
        _fix("R5", ZOETERMEER, seconds=-10),  # older than the fix held
        ("R2", *ZOETERMEER, EVENING),  # a plain tuple is a fix too
        "not a fix",
    ]
    done = live.apply(batch)  # type: ignore[arg-type]
    assert done.applied == 2
    assert done.applied_items == (0, 8)
    reasons = {(r.item, r.responder_id): r.reason for r in done.refused}
    assert list(reasons) == [
        (1, "NOBODY"), (2, "R2"), (3, "R3"), (4, "R4"), (5, "R4"), (6, "R1"), (7, "R5"), (9, ""),
    ]  # fmt: skip
    assert reasons[1, "NOBODY"] == "unknown responder 'NOBODY'"
    assert "not a finite number" in reasons[2, "R2"]
    assert "outside the Netherlands" in reasons[3, "R3"]
    assert "120 s in the future" in reasons[4, "R4"]
    assert "no UTC offset" in reasons[5, "R4"]
    assert "newer fix for this responder is in the batch" in reasons[6, "R1"]
    assert "older than the fix already held" in reasons[7, "R5"]
    assert "not a position fix" in reasons[9, ""]
    r1 = live.gps_slot[registry.r_index["R1"]]
    assert (registry.s_lat[r1], registry.s_lon[r1]) == offset(ZOETERMEER, 10, 0)
    assert (
        registry.r_gps_epoch[registry.r_index["R5"]] == (EVENING - timedelta(seconds=5)).timestamp()
    )
    # Within a minute ahead is a phone clock running fast, not a wrong fix.
    assert live.apply([_fix("R3", ZOETERMEER, seconds=59)]).applied == 1
    # Numbers from numpy are numbers; text is not, nor an id that is not text.
    odd = [
        PositionFix("R4", np.float64(52.06), np.float64(4.49), EVENING),
        PositionFix("R2", "52.06", 4.49, EVENING),  # type: ignore[arg-type]
        PositionFix(7, 52.06, 4.49, EVENING),  # type: ignore[arg-type]
    ]
    done = live.apply(odd)
    assert done.applied_items == (0,)
    assert [(r.item, r.reason) for r in done.refused] == [
        (1, "position is not a finite number"),
        (2, "unknown responder 7"),
    ]


def test_a_fix_written_while_the_tree_builds_is_not_lost_in_the_swap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from alert_engine.registry import live_positions

    registry, live, _ = _live([*ring_responders(20), _far_responder()])
    live.apply([_fix("R2", FAR)])
    real_tree = live_positions.cKDTree

    def tree_while_a_fix_arrives(*args: object, **kw: object) -> object:
        built = real_tree(*args, **kw)  # from positions copied before this fix
        live.apply([_fix("FAR", ZOETERMEER, seconds=1), _fix("R2", ZOETERMEER, seconds=1)])
        return built

    monkeypatch.setattr(live_positions, "cKDTree", tree_while_a_fix_arrives)
    assert live.rebuild() is True
    assert live.moved == 2  # both written during the build: still measured directly
    assert {"FAR", "R2"} <= _ids(registry)
    assert "R2" not in _ids(registry, at=FAR)
    monkeypatch.undo()
    live.rebuild()
    assert live.moved == 0
    assert {"FAR", "R2"} <= _ids(registry)


def _random_points(rng: random.Random, n: int, r_max: float) -> list[tuple[float, float]]:
    return [
        offset(ZOETERMEER, rng.uniform(-r_max, r_max), rng.uniform(-r_max, r_max)) for _ in range(n)
    ]


def _same_as_brute_force(registry: Registry, points: list[tuple[float, float]]) -> None:
    busy = np.zeros(registry.n_responders, bool)
    for lat, lon in points:
        x, y = point_rd(lat, lon)
        assert fingerprint(select(registry, x, y, EVENING, busy, CONFIG)) == fingerprint(
            brute_select(registry, x, y, EVENING, busy, CONFIG)
        )


def test_selection_with_moved_slots_equals_brute_force() -> None:
    rng = random.Random(3)
    registry, live, _ = _live(ring_responders(400, r_max=4000, seed=3))
    ids = [f"R{i}" for i in range(1, 401)]
    points = _random_points(rng, 40, 3000)
    for step in range(3):
        moves = rng.sample(ids, 150)
        fixes = [
            _fix(rid, p, seconds=step)
            for rid, p in zip(moves, _random_points(rng, 150, 5000), strict=True)
        ]
        assert live.apply(fixes).applied == 150
        _same_as_brute_force(registry, points)  # tree + moved slots
        live.rebuild()
        _same_as_brute_force(registry, points)  # the rebuilt tree alone


def _check_inside(sel: Selection, x: float, y: float) -> None:
    for r in sel.responders:
        assert r.distance_m <= sel.radius_m
        # The reported position is the one measured (lat/lon rounded to 5 decimals: ~1 m).
        rx, ry = point_rd(r.lat, r.lon)
        assert abs(float(np.hypot(rx - x, ry - y)) - r.distance_m) < 2.0
        assert r.distance_m <= CONFIG.max_radius_m


def test_concurrent_fixes_rebuilds_and_selections_stay_consistent() -> None:
    registry, live, _ = _live(ring_responders(3000, r_max=6000, seed=5))
    # Rebuild as often as possible: many swaps in the middle of selections and writes.
    live.rebuild_every_s, live.rebuild_at_moved = 0.005, 1
    stop = threading.Event()
    errors: list[BaseException] = []
    counts = {"fixes": 0, "selections": 0}

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        step = 0
        try:
            while not stop.is_set():
                step += 1
                rids = [f"R{rng.randint(1, 3000)}" for _ in range(50)]
                pts = _random_points(rng, 50, 8000)
                # Each writer's own times run forward; the other writer's may be older.
                live.apply(
                    [_fix(r, p, seconds=step * 0.001) for r, p in zip(rids, pts, strict=True)]
                )
                counts["fixes"] += 50
        except BaseException as exc:
            errors.append(exc)

    def selector(seed: int) -> None:
        rng = random.Random(seed)
        busy = np.zeros(registry.n_responders, bool)
        try:
            while not stop.is_set():
                lat, lon = _random_points(rng, 1, 5000)[0]
                x, y = point_rd(lat, lon)
                _check_inside(select(registry, x, y, EVENING, busy, CONFIG), x, y)
                counts["selections"] += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s,)) for s in (1, 2)]
    threads += [threading.Thread(target=selector, args=(s,)) for s in (3, 4)]
    with live:
        for t in threads:
            t.start()
        time.sleep(1.5)
        stop.set()
        for t in threads:
            t.join(timeout=10)
    assert not errors, errors
    assert live.last_error is None
    assert counts["fixes"] > 1000 and counts["selections"] > 50
    assert live.rebuilds > 0
    # Whatever the interleaving, what is left agrees with distances to every slot.
    _same_as_brute_force(registry, _random_points(random.Random(9), 30, 5000))


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_registries(n: int) -> None:
    registry, live, _ = _live(ring_responders(n))
    assert len(live.gps_slot) == n
    assert live.apply([_fix("R1", ZOETERMEER)]).applied == n
    assert _ids(registry) == ({"R1"} if n else set())
    live.rebuild()
    assert _ids(registry) == ({"R1"} if n else set())
