"""Issue 13 over HTTP: the dispatch system's adapter posts EIDO and GMS adapter messages to
a real `serve` process (SQLite store): a new incident, an update of its location, a
duplicate, a cancellation, a malformed message (named field, nothing changed, dead letter)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from alert_engine.intake import DeadLetters
from tests.paths import TEST_DATA

from .serving import ADAPTER, WS1, Serve, auth

WHERE = (52.0705, 4.3007)  # inside the demo registry (Den Haag)


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("serve-intake")
    n = Serve(folder, str(folder / "events.sqlite")).start()
    yield n
    n.kill()


def send(node: Serve, source: str, body: str | bytes, token: str = ADAPTER,
         key: str | None = None) -> httpx.Response:  # fmt: skip
    headers = {**auth(token), "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return httpx.post(f"{node.url}/v1/intake/{source}", content=body, headers=headers, timeout=10.0)


def gms(incident: str, kind: str, at: datetime, **fields: Any) -> str:
    return json.dumps({"format": "gms-adapter/1", "incident_id": incident, "time": at.isoformat(),
                       "type": kind, **fields})


def new_gms(incident: str, at: datetime) -> str:
    return gms(incident, "new", at, triage={"code": "09-E-01", "text": "Reanimatie volwassene"},
               location={"lat": WHERE[0], "lon": WHERE[1], "uncertainty_m": 15}, patient={"age_years": 61},
               units=[{"id": "15-105", "status": "en_route", "eta_s": 420}])


def last_seq(node: Serve) -> int:
    return int(node.get("/v1/health").json()["last_seq"])


def test_new_update_duplicate_and_cancel_of_one_incident(node: Serve) -> None:
    t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)
    r = send(node, "gms", new_gms("GMS-HTTP-1", t0))
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["outcome"] == "new"
    incident = answer["incident"]
    assert [e["type"] for e in answer["events"]][:3] == ["call_received", "exclusion_assessed", "intake_received"]
    assert answer["events"][0]["actor"] == {"workstation": "gms-adapter", "user": "GMS koppeling"}
    # The dispatcher sees the prefilled call and its ambulance.
    events = node.get(f"/v1/incidents/{incident}/events").json()
    assert events[0]["patient_age_years"] == 61
    assert any(e["type"] == "ambulance_status_changed" and e["status"] == "en_route" for e in events)

    moved = gms("GMS-HTTP-1", "update", t0 + timedelta(seconds=20),
                location={"lat": WHERE[0] + 0.002, "lon": WHERE[1]})
    r = send(node, "gms", moved)
    assert r.status_code == 200 and r.json()["outcome"] == "update" and r.json()["incident"] == incident
    updated = next(e for e in r.json()["events"] if e["type"] == "call_updated")
    assert updated["changes"]["lat"] == pytest.approx(WHERE[0] + 0.002)

    before = last_seq(node)
    r = send(node, "gms", moved)
    assert r.status_code == 200 and r.json()["outcome"] == "duplicate" and r.json()["events"] == []
    assert last_seq(node) == before

    r = send(node, "gms", gms("GMS-HTTP-1", "cancel", t0 + timedelta(seconds=25), reason="geen reanimatie"))
    assert r.status_code == 200
    assert [e["type"] for e in r.json()["events"]] == ["intake_received", "alarm_cancelled"]
    phases = {i["incident"]: i["phase"] for i in node.get("/v1/incidents").json()}
    assert phases[incident] == "cancelled"


def test_an_eido_message_is_a_new_incident(node: Serve) -> None:
    data = json.loads((TEST_DATA / "intake" / "eido-2025-point.json").read_text(encoding="utf-8"))
    data["$id"] = "urn:emergency:uid:incidentid:http-1:mka.example.nl"
    r = send(node, "eido", json.dumps(data))
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "new"
    units = [e for e in r.json()["events"] if e["type"] == "ambulance_status_changed"]
    assert {(e["unit"], e["status"], e["source"]) for e in units} == {
        ("unit-15105", "en_route", "eido"), ("unit-15112", "dispatched", "eido")}


def test_a_malformed_message_is_400_naming_the_field_and_a_dead_letter(node: Serve) -> None:
    before = last_seq(node)
    bad = gms("GMS-HTTP-2", "new", datetime.now(UTC), triage={"code": "09-E-01"},
              location={"lat": WHERE[0]})
    r = send(node, "gms", bad)
    assert r.status_code == 400
    assert r.json()["field"] == "location.lon" and "location.lon" in r.json()["error"]
    assert last_seq(node) == before
    letters = node.get("/v1/intake/dead-letters").json()
    assert letters["entries"][0]["field"] == "location.lon"
    assert DeadLetters.from_dict(letters).entries[-1].text == bad  # as a console reads it back
    assert letters["entries"][0]["text"] == bad and letters["entries"][0]["source"] == "gms"
    r = send(node, "eido", b"{not json")
    assert r.status_code == 400 and r.json()["field"] == "$"
    assert node.get("/v1/intake/dead-letters").json()["entries"][0]["field"] == "$"


def test_only_the_adapter_posts_and_a_retry_lands_once(node: Serve) -> None:
    t0 = datetime.now(UTC).replace(microsecond=0)
    body = new_gms("GMS-HTTP-3", t0)
    assert send(node, "gms", body, token=WS1).status_code == 403
    # ... and the adapter's token gives no dispatcher commands.
    assert node.post("/v1/calls", {"lat": WHERE[0], "lon": WHERE[1]}, token=ADAPTER).status_code == 403
    assert send(node, "gms", body, token="").status_code == 401
    first = send(node, "gms", body, key="msg-3")
    again = send(node, "gms", body, key="msg-3")
    assert first.status_code == again.status_code == 200
    assert again.json()["incident"] == first.json()["incident"]
    assert [e["seq"] for e in again.json()["events"]] == [e["seq"] for e in first.json()["events"]]
    incidents = [i for i in node.get("/v1/incidents").json() if i["incident"] == first.json()["incident"]]
    assert len(incidents) == 1


def test_the_dispatcher_enters_a_units_eta(node: Serve, tmp_path: Path) -> None:
    r = send(node, "gms", new_gms("GMS-HTTP-4", datetime.now(UTC).replace(microsecond=0)))
    incident = r.json()["incident"]
    eta = (datetime.now(UTC) + timedelta(minutes=5)).replace(microsecond=0)
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "ambulance_status", "unit": "15-105",
                                                   "status": "en_route", "eta": eta.isoformat()})
    assert r.status_code == 200, r.text
    assert [e["type"] for e in r.json()["events"]] == ["ambulance_eta_changed"]
    assert r.json()["events"][0]["source"] == "dispatcher"
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "ambulance_status", "unit": "15-105", "status": "parked"})
    assert r.status_code == 422 and r.json()["field"] == "status"


def eido(name: str) -> str:
    return (TEST_DATA / "intake" / f"{name}.json").read_text(encoding="utf-8")


def test_eido_update_moves_the_incident_and_a_cancel_cancels_it(node: Serve) -> None:
    first = send(node, "eido", eido("eido-2025-point"))
    assert first.status_code == 200 and first.json()["outcome"] == "new"
    incident = first.json()["incident"]
    r = send(node, "eido", eido("eido-2025-update"))
    assert r.status_code == 200 and (r.json()["outcome"], r.json()["incident"]) == ("update", incident)
    kinds = [e["type"] for e in r.json()["events"]]
    assert "call_updated" in kinds and "ambulance_arrived" in kinds  # unit-15105 on scene
    moved = next(e for e in r.json()["events"] if e["type"] == "call_updated")
    assert moved["changes"]["lat"] == pytest.approx(52.0593)
    assert send(node, "eido", eido("eido-2025-update")).json()["outcome"] == "duplicate"
    r = send(node, "eido", eido("eido-2025-cancel"))
    assert r.status_code == 200
    assert next(e for e in r.json()["events"] if e["type"] == "alarm_cancelled")["by"] == "eido"
    phases = {i["incident"]: i["phase"] for i in node.get("/v1/incidents").json()}
    assert phases[incident] == "cancelled"


def test_an_eido_with_an_xml_entity_is_refused_and_kept(node: Serve) -> None:
    before = last_seq(node)
    r = send(node, "eido", eido("eido-bad-xxe"))
    assert r.status_code == 400 and "DTDForbidden" in r.json()["error"]
    assert r.json()["field"].endswith("locationByValue")
    assert last_seq(node) == before
    assert node.get("/v1/intake/dead-letters").json()["entries"][0]["field"] == r.json()["field"]


def test_dead_letters_outlive_the_node_that_refused_them(tmp_path: Path) -> None:
    """Kept in the shared database, not a node's memory: after a restart (or on a standby,
    or after a failover: the same table) the console still sees the refused message."""
    first = Serve(tmp_path, str(tmp_path / "events.sqlite")).start()
    try:
        bad = gms("GMS-HTTP-9", "new", datetime.now(UTC), triage={"code": "09-E-01"},
                  location={"lat": WHERE[0], "lon": 181.0})
        r = send(first, "gms", bad)
        assert r.status_code == 400 and r.json()["field"] == "location.lon"
    finally:
        first.kill()
    again = Serve(tmp_path, str(tmp_path / "events.sqlite")).start()
    try:
        letters = again.get("/v1/intake/dead-letters").json()
        assert [(e["field"], e["source"], e["text"]) for e in letters["entries"]] == [("location.lon", "gms", bad)]
        assert letters["dropped"] == 0
    finally:
        again.kill()
