"""Parse and validate a scenario file completely before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import AlertConfig
from ..errors import InvalidInput
from ..registry.model import CHANNELS, Address, Aed, AedStatus, GpsFix, Responder
from ..safe_input import load_json_file, shown
from .fields import Reader

ACTIONS: dict[str, tuple[str, ...]] = {
    # do -> required fields besides `at`, `do` (and `incident` for all but a few)
    "call": ("lat", "lon"),
    "update_call": (),
    "ambulance_dispatched": ("unit",),
    "ambulance_arrived": (),
    "trigger_alert": (),
    "override_exclusion": ("reason",),
    "respond": ("responder", "answer"),
    "arrive": ("responder",),
    "aed_fetched": ("aed",),
    "aed_connected": ("aed",),
    "caller_instruction": ("state",),
    "cancel_alarm": (),
    "close": (),
    "simulate_responses": (),
    "oversupply_feedback": (),
    "confirm_aed_ready": ("aed",),
}
CALL_FACTS = ("patient_age_years", "suicide", "trauma", "violence", "location_kind", "location_description")
# A scenario is one incident-sized story on a simulated clock: a week is far more than any
# needs, and keeps start + at inside the years `datetime` can represent.
MAX_AT_S = 7 * 86_400.0
# numpy's generators take any seed 0 <= seed < 2**128; a seed is a small label in practice.
MAX_SEED = 2**63 - 1


@dataclass
class Step:
    at: float
    order: int
    do: str
    incident: str
    fields: dict[str, Any]
    path: str


@dataclass
class Scenario:
    name: str
    seed: int
    start: datetime
    config: AlertConfig
    responders: list[Responder]
    aeds: list[Aed]
    steps: list[Step]
    registry_source: str = "inline"
    extra: dict[str, Any] = field(default_factory=dict)


def load_scenario(path: Path | str, allow_files_anywhere: bool = False) -> Scenario:
    """Read and check a whole scenario; every problem is an InvalidInput naming the file.

    Registry files the scenario names must lie in the scenario's own folder (or below it)
    unless `allow_files_anywhere`: a scenario from elsewhere must not make the engine read,
    and quote in its errors, whatever file it likes.
    """
    path = Path(path)
    raw = load_json_file(path)
    try:
        return parse_scenario(raw, base=path.parent, allow_files_anywhere=allow_files_anywhere)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None


def parse_scenario(raw: Any, base: Path = Path("."), allow_files_anywhere: bool = False) -> Scenario:
    top = Reader(raw, "")
    name = top.text("name", "scenario")
    seed = top.integer("seed", 0, lo=0, hi=MAX_SEED)
    start = top.moment("start")
    config = AlertConfig.from_mapping(Reader(top.raw("config", {}), "config").obj)
    responders, aeds, source = _registry(top.raw("registry"), base, allow_files_anywhere)
    steps = _timeline(top.raw("timeline"), {r.id for r in responders}, {a.id for a in aeds}, source)
    return Scenario(name, seed, start, config, responders, aeds, steps, registry_source=source)


def _registry(raw: Any, base: Path, allow_files_anywhere: bool) -> tuple[list[Responder], list[Aed], str]:
    reg = Reader(raw, "registry")
    if reg.given("demo"):
        demo = Reader(reg.obj["demo"], "registry.demo")
        region = demo.text("region", "denhaag")
        seed = demo.integer("seed", 1, lo=0, hi=MAX_SEED)
        from ..registry.demo import generate

        try:
            responders, aeds = generate(region, seed)
        except InvalidInput as exc:
            raise InvalidInput(f"registry.demo.region: {exc}") from None
        return list(responders), list(aeds), "demo"
    responders = _list_or_file(reg, "responders", base, _responder, allow_files_anywhere)
    aeds = _list_or_file(reg, "aeds", base, _aed, allow_files_anywhere)
    _unique([r.id for r in responders], "registry.responders")
    _unique([a.id for a in aeds], "registry.aeds")
    return responders, aeds, "inline"


def _list_or_file(reg: Reader, key: str, base: Path, parse: Any, allow_files_anywhere: bool) -> list[Any]:
    value = reg.raw(key, [])
    if isinstance(value, dict) and "file" in value:
        from ..registry import io

        where = Reader(value, reg.at(key))
        file = _referenced_file(base, where.text("file"), where.at("file"), allow_files_anywhere)
        reader = io.read_responders if key == "responders" else io.read_aeds
        try:
            return list(reader(file))
        except InvalidInput as exc:
            raise InvalidInput(f"{where.at('file')}: {exc}") from None
    if not isinstance(value, list):
        raise InvalidInput(f"{reg.at(key)}: expected a list or {{\"file\": ...}}, got {shown(value)}")
    return [parse(Reader(item, f"{reg.at(key)}[{i}]")) for i, item in enumerate(value)]


def _referenced_file(base: Path, name: str, where: str, allow_files_anywhere: bool) -> Path:
    file = base / name
    if allow_files_anywhere:
        return file
    try:
        inside = file.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        inside = False
    if not inside:
        raise InvalidInput(
            f"{where}: {shown(name)} is outside the scenario's folder; registry files must lie "
            "in the scenario's folder (run with --allow-files-anywhere to lift this)"
        )
    return file


def _unique(ids: list[str], path: str) -> None:
    seen: set[str] = set()
    for i, rid in enumerate(ids):
        if rid in seen:
            raise InvalidInput(f"{path}[{i}].id: duplicate id {shown(rid)}")
        seen.add(rid)


def _responder(r: Reader) -> Responder:
    addresses: list[Address] = []
    if r.given("lat") or r.given("lon"):
        lat, lon = r.lat_lon()
        addresses.append(Address(lat, lon, "24/7", "home"))
    for i, item in enumerate(r.items("addresses")):
        a = Reader(item, f"{r.at('addresses')}[{i}]")
        lat, lon = a.lat_lon()
        label = a.text("label", "home")
        if label not in ("home", "work"):
            raise InvalidInput(f"{a.at('label')}: use home or work, got {shown(label)}")
        addresses.append(Address(lat, lon, a.hours("window", "24/7"), label))
    if len(addresses) > 3:
        raise InvalidInput(f"{r.at('addresses')}: at most two registered addresses")
    gps = None
    if r.given("gps"):
        g = Reader(r.obj["gps"], r.at("gps"))
        lat, lon = g.lat_lon()
        gps = GpsFix(lat, lon, g.moment("time"))
    if not addresses and gps is None:
        raise InvalidInput(f"{r.path}: needs a position (lat/lon, addresses or gps)")
    return Responder(
        id=r.identifier("id"),
        certificate_valid_until=r.day("certificate_valid_until"),
        addresses=tuple(addresses),
        gps=gps,
        pseudonym=r.text("pseudonym", ""),
        availability=r.hours("availability", "24/7"),
        active=r.flag("active", True),
        medical=r.flag("medical", False),
        channels=r.strings("channels", CHANNELS, ["app"]),
        test_alarms_opt_in=r.flag("test_alarms_opt_in", False),
        municipality=r.text("municipality", ""),
        last_refresher=r.day("last_refresher", None),
    )


def _aed(r: Reader) -> Aed:
    lat, lon = r.lat_lon()
    status = r.text("status", "ready")
    if status not in {s.value for s in AedStatus}:
        raise InvalidInput(f"{r.at('status')}: unknown status {shown(status)} (ready, maintenance, reserve, check_needed)")
    return Aed(
        id=r.identifier("id"),
        lat=lat,
        lon=lon,
        opening_hours=r.hours("opening_hours", "24/7"),
        status=AedStatus(status),
        cabinet_code=r.text("cabinet_code", ""),
        location_description=r.text("location_description", ""),
        manager_contact=r.text("manager_contact", ""),
        indoor=r.flag("indoor", False),
    )


def _timeline(raw: Any, responder_ids: set[str], aed_ids: set[str], source: str) -> list[Step]:
    if not isinstance(raw, list):
        raise InvalidInput(f"timeline: expected a list of steps, got {shown(raw)}")
    steps: list[Step] = []
    called: set[str] = set()
    for i, item in enumerate(raw):
        s = Reader(item, f"timeline[{i}]")
        at = s.number("at", lo=0, hi=MAX_AT_S)
        do = s.text("do")
        if do not in ACTIONS:
            raise InvalidInput(f"{s.at('do')}: unknown action {shown(do)} (known: {', '.join(ACTIONS)})")
        incident = s.identifier("incident") if do != "confirm_aed_ready" else s.identifier("incident", "")
        fields: dict[str, Any] = {}
        for key in ACTIONS[do]:
            s.raw(key)
        if do == "call":
            fields["lat"], fields["lon"] = s.lat_lon()
            fields["patient_age_years"] = s.number("patient_age_years", None, lo=0, hi=130)
            for flag in ("suicide", "trauma", "violence"):
                fields[flag] = s.flag(flag, False)
            fields["location_kind"] = s.text("location_kind", "")
            fields["location_description"] = s.text("location_description", "")
            if s.given("address"):
                fields["address"] = s.text("address")
            called.add(incident)
        elif do == "update_call":
            # null means "not given" except for the age, where null means "unknown".
            changes = {
                k: s.obj[k] for k in (*CALL_FACTS, "lat", "lon") if s.given(k) or (k == "patient_age_years" and k in s.obj)
            }
            if not changes:
                raise InvalidInput(f"{s.path}: update_call needs at least one of {', '.join(CALL_FACTS)}")
            if "lat" in changes or "lon" in changes:
                fields["lat"], fields["lon"] = s.lat_lon()
            if "patient_age_years" in changes:
                fields["patient_age_years"] = s.number("patient_age_years", None, lo=0, hi=130)
            for flag in ("suicide", "trauma", "violence"):
                if flag in changes:
                    fields[flag] = s.flag(flag)
            for t in ("location_kind", "location_description"):
                if t in changes:
                    fields[t] = s.text(t, "")
        elif do == "respond":
            fields["responder"] = s.identifier("responder")
            fields["answer"] = s.text("answer")
            if fields["answer"] not in ("accept", "decline"):
                raise InvalidInput(f"{s.at('answer')}: use accept or decline, got {shown(fields['answer'])}")
        elif do == "caller_instruction":
            fields["state"] = s.text("state")
            if fields["state"] not in ("not_started", "instructing", "handed_over", "ended"):
                raise InvalidInput(
                    f"{s.at('state')}: use not_started, instructing, handed_over or ended, got {shown(fields['state'])}"
                )
        else:
            for key in ("responder", "aed"):
                if s.given(key):
                    fields[key] = s.identifier(key)
            for key in ("unit", "reason", "by", "note"):
                if s.given(key):
                    fields[key] = s.text(key)
        if source != "demo":
            if "responder" in fields and fields["responder"] not in responder_ids:
                raise InvalidInput(f"{s.at('responder')}: no responder {shown(fields['responder'])} in the registry")
            if "aed" in fields and fields["aed"] not in aed_ids:
                raise InvalidInput(f"{s.at('aed')}: no AED {shown(fields['aed'])} in the registry")
        steps.append(Step(at=at, order=i, do=do, incident=incident, fields=fields, path=s.path))
    ordered = sorted(steps, key=lambda st: (st.at, st.order))
    seen_call: set[str] = set()
    for st in ordered:
        if st.do == "call":
            if st.incident in seen_call:
                raise InvalidInput(f"{st.path}: incident {shown(st.incident)} is called twice")
            seen_call.add(st.incident)
        elif st.incident and st.incident not in seen_call:
            when = "never called" if st.incident not in called else "called only later"
            raise InvalidInput(f"{st.path}: incident {shown(st.incident)} is {when} (at {st.at:g} s)")
    return ordered
