"""Complaints over HTTP (issue 15) on a real `serve` process: register, list, move on, link a
report; workstation tokens only, bad input named, illegal steps 409, and every step an
access-log entry of the node with the reason "klacht <id>"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from alert_engine.review.access_log import AccessLog

from .serving import GATEWAY, WS1, WS2, Serve

CALL = {"lat": 52.0705, "lon": 4.3007, "patient_age_years": 67, "location_kind": "home"}


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("serve-complaints")
    n = Serve(folder, str(folder / "events.sqlite")).start()
    yield n
    n.kill()


def incident(node: Serve) -> str:
    r = node.post("/v1/calls", CALL)
    assert r.status_code == 201, r.text
    return str(r.json()["incident"])


def test_a_complaint_is_registered_moved_on_and_listed_with_its_access_log(node: Serve) -> None:
    inc = incident(node)
    today = date.today().isoformat()
    body = {"incident": inc, "complainant": "relative", "contact": "KL-2026-113", "summary": "Te laat",
            "received": today}
    r = node.post("/v1/complaints", body, key="complaint-1")
    assert r.status_code == 201, r.text
    cid = r.json()["complaint"]
    assert cid == f"{inc}-K1"
    assert r.json()["events"][0]["actor"] == {"workstation": "ws-1", "user": "A. Jansen"}
    again = node.post("/v1/complaints", body, key="complaint-1")  # a retry lands once
    assert again.json() == r.json()

    r = node.post(f"/v1/complaints/{cid}/status", {"status": "answered", "note": "brief"})
    assert r.status_code == 409 and "it is received" in r.json()["error"]
    assert node.post(f"/v1/complaints/{cid}/status", {"status": "investigating"}, token=WS2).status_code == 200
    r = node.post(f"/v1/complaints/{cid}/report", {"report": "rapport.pdf", "sha256": "b" * 64, "format": "pdf"})
    assert r.status_code == 200, r.text
    assert node.post(f"/v1/complaints/{cid}/status", {"status": "answered", "note": "brief"}).status_code == 200

    listed = node.get("/v1/complaints", incident=inc).json()["complaints"]
    assert [c["id"] for c in listed] == [cid]
    [c] = listed
    assert c["status"] == "answered" and c["contact"] == "KL-2026-113"
    assert [(s["status"], s["by"]) for s in c["steps"]] == [
        ("received", "A. Jansen"), ("investigating", "B. de Vries"), ("answered", "A. Jansen")]
    assert c["reports"][0]["report"] == "rapport.pdf"

    with AccessLog(node.folder / "access-node-a.sqlite") as log:
        entries = [e for e in log.entries(inc) if e.action == "complaint"]
    assert [e.reason for e in entries] == [f"klacht {cid}"] * 4 + ["klacht (lijst)"]
    assert [e.details.get("step") for e in entries[:4]] == ["registered", "investigating", "report_linked", "answered"]
    assert [e.who for e in entries[:4]] == ["A. Jansen", "B. de Vries", "A. Jansen", "A. Jansen"]


@pytest.mark.parametrize(("body", "field"), [
    ({"complainant": "neighbour"}, "complainant"),
    ({"received": "2999-01-01"}, "received"),
    ({"received": "gisteren"}, "received"),
    ({"contact": ""}, "contact"),
])
def test_a_bad_complaint_names_the_field_and_writes_nothing(node: Serve, body: dict[str, str], field: str) -> None:
    inc = incident(node)
    before = node.get("/v1/health").json()["last_seq"]
    full = {"incident": inc, "complainant": "patient", "contact": "KL-1", "summary": "s",
            "received": date.today().isoformat(), **body}
    r = node.post("/v1/complaints", full)
    assert r.status_code in (400, 422), r.text
    assert r.json()["field"] == field
    assert node.get("/v1/health").json()["last_seq"] == before


def test_only_a_workstation_handles_complaints(node: Serve) -> None:
    inc = incident(node)
    body = {"incident": inc, "complainant": "patient", "contact": "KL-9", "summary": "s",
            "received": date.today().isoformat()}
    assert node.post("/v1/complaints", body, token="").status_code == 401
    assert node.post("/v1/complaints", body, token=GATEWAY).status_code == 403
    assert node.get("/v1/complaints", token=GATEWAY).status_code == 403
    assert node.post("/v1/complaints/nonsense/status", {"status": "investigating"}, token=WS1).status_code == 404
