"""Issue 13, intake: EIDO and GMS adapter messages read into one value, refused with the
field named, deduplicated and merged; the triage table; a seeded fuzz of both formats.

The EIDO samples in tests/data/intake/ were written for these tests from NENA's public
EIDO-JSON schema (2020 and 2025 spellings); none is copied from NENA's repository.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from alert_engine.errors import InvalidInput
from alert_engine.intake import (
    TRIAGE_TABLE,
    DeadLetter,
    DeadLetters,
    IntakeInvalid,
    IntakeMessage,
    classify,
    decide,
    error_body,
    parse_message,
)
from alert_engine.intake.hints import find
from tests.paths import REPO, TEST_DATA

DATA = TEST_DATA / "intake"
DOCS = REPO / "docs" / "intake.md"


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def sample(name: str) -> dict[str, Any]:
    return json.loads(text(name))


def parse(data: dict[str, Any] | str, **kw: Any) -> IntakeMessage:
    return parse_message(data if isinstance(data, str) else json.dumps(data), **kw)


# -- EIDO: valid messages --------------------------------------------------------------


def test_eido_2025_point_location_age_units_and_notes() -> None:
    m = parse_message(text("eido-2025-point.json"))
    assert m.source == "eido" and m.kind == "update"  # an EIDO is a state, not "new"
    assert m.incident_id == "urn:emergency:uid:incidentid:4711:mka-hollands-midden.example.nl"
    assert m.internal_id == "2025-004711"
    assert m.sent == datetime(2025, 3, 14, 18, 42, 5, 120_000, tzinfo=UTC)
    assert m.triage is not None and m.suspected_cardiac_arrest and m.triage.rule == "mpds-09"
    loc = m.location
    # The incident's own location wins over the caller's; the tower's is never used.
    assert loc is not None and loc.role == "CurrentIncident" and not loc.is_callers
    assert loc.point == (52.05753, 4.49317)
    assert (loc.uncertainty_m, loc.confidence_pct, loc.method) == (18.0, 95.0, "GPS")
    assert m.patient_age_years == 67  # the patient's age, not the caller's (34)
    assert [(u.name, u.status) for u in m.units] == [
        ("15-105", "en_route"),
        ("15-112", "dispatched"),
    ]
    assert m.units[0].eta == datetime(2025, 3, 14, 19, 50, 30, tzinfo=UTC) + timedelta(hours=-1)
    assert m.units[1].eta is None
    assert m.notes == ("Partner start reanimatie & AED gevraagd.",)  # HTML5 as plain text
    assert m.hints == ()


def test_eido_2025_civic_address_cautions_and_notes_give_hints() -> None:
    m = parse_message(text("eido-2025-civic-caution.json"))
    loc = m.location
    assert loc is not None and loc.point is None and loc.address is not None
    assert loc.address.label == "Vlietweg 12a, 2266 KA Leidschendam"
    assert loc.address.municipality == "Leidschendam-Voorburg"
    assert loc.address.details == (("FLR", "3"),)
    assert loc.description == "Portiekflat, 3e verdieping"
    assert m.triage is not None and m.triage.rule == "text-reanimation"  # local code "REA"
    by_field = {(h.criterion, h.field): h for h in m.hints}
    aggressive = by_field["violence", "cautionComponent[0].cautionTypeInternalText"]
    assert aggressive.matched == "Agressieve" and "politie onderweg" in aggressive.text
    # A caution without violence words is still a safety warning: an "unsafe" hint.
    dog = by_field["violence", "cautionComponent[1].cautionTypeInternalText"]
    assert dog.matched == "caution" and dog.text == "Grote hond in de woning"
    suicide = by_field["suicide", "notesComponent[0].notesActionComments"]
    assert suicide.matched == "suïcide" and not suicide.negated  # &iuml; decoded
    assert len([h for h in m.hints if h.field.startswith("cautionComponent[0]")]) == 1


def test_eido_2020_spellings_are_read() -> None:
    m = parse_message(text("eido-2020.json"))
    # incidentTrackingIdentifier, not the header $id; a list of one incidentComponent.
    assert m.incident_id == "urn:emergency:uid:incidentid:77:mka-noord.example.nl"
    assert m.sent == datetime(2020, 10, 29, 18, 40, 4, 337_000, tzinfo=UTC)  # LastUpdateTimeStamp
    assert m.internal_id == "2020-000077"  # internalIncidentID
    assert m.triage is not None and m.triage.normalised == "09-E-01"  # "9-E-1"
    loc = m.location  # locationInformationComponent, spaces before <?xml, gml:Point
    assert loc is not None and loc.point == (53.21917, 6.5665) and loc.uncertainty_m is None
    assert m.patient_age_years == pytest.approx(8 / 12, abs=1e-3)  # a Victim, 8 MON
    [unit] = m.units
    assert (unit.name, unit.status) == ("01-131", "en_route")  # enforcementUnitName
    assert unit.eta == datetime(2020, 10, 29, 18, 47, tzinfo=UTC)  # ETA
    assert [h.criterion for h in m.hints] == ["infant"]  # "Baby ... (zuigeling)"


def to_2020(data: dict[str, Any]) -> dict[str, Any]:
    """The 2025 sample respelled as in 2020, to check both read the same."""
    old = copy.deepcopy(data)
    old["LastUpdateTimeStamp"] = old.pop("lastUpdateTimeStamp")
    old["EIDOVersion"] = old.pop("eidoVersion")
    old["incidentTrackingIdentifier"] = old["$id"]
    old["$id"] = "header-1"
    incident = old.pop("incidentComponent")
    incident["internalIncidentID"] = incident.pop("internalIncidentId")
    old["incidentComponent"] = [incident]
    old["locationInformationComponent"] = old.pop("locationComponent")
    old["personInformationComponent"] = old.pop("personComponent")
    for unit in old["emergencyResourceComponent"]:
        if "eta" in unit:
            unit["ETA"] = unit.pop("eta")
        unit["enforcementUnitName"] = unit.pop("emergencyResourceName")
    return old


def test_both_spellings_give_the_same_message() -> None:
    new = parse(sample("eido-2025-point.json"))
    old = parse(to_2020(sample("eido-2025-point.json")))
    assert old.fingerprint != new.fingerprint
    assert old.to_dict() | {"fingerprint": ""} == new.to_dict() | {"fingerprint": ""}


def test_eido_motorway_ellipse_and_trauma_code() -> None:
    m = parse_message(text("eido-2025-motorway.json"))
    assert m.location is not None and m.location.uncertainty_m == 120.0  # the major semi-axis
    assert m.triage is not None and m.suspected_cardiac_arrest
    assert m.triage.rule == "text-reanimation"  # 29-D-06 "…: ARREST"
    hints = {h.criterion: h for h in m.hints}
    assert hints["trauma"].matched == "29-D-06" and hints["trauma"].field.endswith("InternalCode")
    assert hints["motorway"].matched == "A12 hmp 6,4 Re"  # the road notation, not a word
    assert hints["motorway"].field == "locationComponent[0].locationDescriptionText"


def test_eido_cancelled_status_is_a_cancel() -> None:
    m = parse_message(text("eido-2025-cancel.json"))
    assert (m.kind, m.cancel_reason) == ("cancel", "Cancelled")


def test_pidf_polygon_and_unsupported_shape() -> None:
    data = sample("eido-2025-point.json")
    xml = data["locationComponent"][1]["locationByValue"]
    circle = xml[xml.index("<gs:Circle") : xml.index("</gs:Circle>") + len("</gs:Circle>")]
    polygon = (
        '<gml:Polygon srsName="urn:ogc:def:crs:EPSG::4326"><gml:exterior><gml:LinearRing>'
        "<gml:posList>52.0570 4.4925 52.0580 4.4925 52.0580 4.4940 52.0570 4.4940 52.0570 4.4925"
        "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
    )
    data["locationComponent"][1]["locationByValue"] = xml.replace(circle, polygon)
    loc = parse(data).location
    assert loc is not None and loc.point == pytest.approx((52.0575, 4.49325), abs=1e-6)
    assert loc.uncertainty_m is not None and 60 < loc.uncertainty_m < 80
    arcband = '<gs:ArcBand srsName="urn:ogc:def:crs:EPSG::4326"/>'
    data["locationComponent"][1]["locationByValue"] = xml.replace(circle, arcband)
    loc = parse(data).location
    # No point from an unsupported shape: the caller's point is not taken instead.
    assert loc is not None and loc.role == "CurrentIncident" and loc.point is None
    assert loc.note is not None and "ArcBand" in loc.note


# -- EIDO: invalid messages, each naming its field -------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        *parents, last = _steps(path)
        node: Any = data
        for step in parents:
            node = node[step]
        node[last] = value

    return change


def _del(path: str) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        *parents, last = _steps(path)
        node: Any = data
        for step in parents:
            node = node[step]
        del node[last]

    return change


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.split("."):
        name, *indexes = part.replace("]", "").split("[")
        steps.append(name)
        steps += [int(i) for i in indexes]
    return steps


def _xml(old: str, new: str) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        loc = data["locationComponent"][1]
        assert old in loc["locationByValue"]
        loc["locationByValue"] = loc["locationByValue"].replace(old, new)

    return change


LOC = "locationComponent[1].locationByValue"
BAD_EIDO: dict[str, tuple[Mutation, str, str]] = {
    "no triage code": (_del("incidentComponent.incidentTypeInternalCode"),
                       "incidentComponent.incidentTypeInternalCode", "missing"),
    "code not text": (_set("incidentComponent.incidentTypeInternalCode", 42),
                      "incidentComponent.incidentTypeInternalCode", "must be text, got a number"),
    "no incident": (_del("incidentComponent"), "incidentComponent", "missing"),
    "two incidents": (_set("incidentComponent", [{}, {}]), "incidentComponent", "exactly one"),
    "no time": (_del("lastUpdateTimeStamp"), "lastUpdateTimeStamp",
                "missing (also accepted: LastUpdateTimeStamp)"),
    "naive time": (_set("lastUpdateTimeStamp", "2025-03-14T19:42:05"), "lastUpdateTimeStamp",
                   "no UTC offset"),
    "not a time": (_set("lastUpdateTimeStamp", "gisteren"), "lastUpdateTimeStamp", "not an ISO 8601"),
    "year 9999": (_set("lastUpdateTimeStamp", "9999-12-31T23:59:59-23:59"), "lastUpdateTimeStamp",
                  "outside the years"),
    "spellings disagree": (_set("LastUpdateTimeStamp", "2025-03-14T19:40:00+01:00"),
                           "lastUpdateTimeStamp", "given twice, also as LastUpdateTimeStamp"),
    "version 2": (_set("eidoVersion", "2.0"), "eidoVersion", "is not an EIDO 1.x version"),
    "no id": (_del("$id"), "$id", "missing"),
    "control char in id": (_set("$id", "urn:x\x07"), "$id", "control character U+0007"),
    "XML not well-formed": (_xml("</gs:Circle>", "</gs:Circel>"), LOC, "not well-formed XML"),
    "not PIDF-LO": (_set(LOC, "<a/>"), LOC, "not a PIDF-LO document"),
    "pos not numbers": (_xml("52.05753 4.49317", "noord oost"), LOC, "gs:Circle: gml:pos is not two numbers"),
    "lat out of range": (_xml("52.05753 4.49317", "252.0 4.49"), LOC, "not a latitude and longitude"),
    "RD coordinates": (_xml("urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG::28992"), LOC,
                       "is not WGS 84"),
    "radius in feet": (_xml("urn:ogc:def:uom:EPSG::9001", "urn:ogc:def:uom:EPSG::9002"), LOC,
                       "only metres"),
    "negative radius": (_xml(">18<", ">-18<"), LOC, "radius must be between 0"),
    "bad eta": (_set("emergencyResourceComponent[0].eta", "soon"), "emergencyResourceComponent[0].eta",
                "not an ISO 8601"),
    "unit without id": (_del("emergencyResourceComponent[1].$id"), "emergencyResourceComponent[1].$id",
                        "missing"),
    "unit twice": (_set("emergencyResourceComponent[1].$id", "unit-15105"),
                   "emergencyResourceComponent[1].$id", "appears twice"),
    "age 300": (_set("personComponent[1].ncPersonComponent.ageMeasure[0].integerValue[0].value", 300),
                "personComponent[1].ncPersonComponent.ageMeasure[0].integerValue", "not possible"),
    "age unit": (_set("personComponent[1].ncPersonComponent.ageMeasure[0].timeUnitCode", "XYZ"),
                 "personComponent[1].ncPersonComponent.ageMeasure[0].timeUnitCode", "not read"),
    "note without text": (_del("notesComponent[0].notesActionComments"),
                          "notesComponent[0].notesActionComments", "missing"),
    "caution without text": (_set("cautionComponent", [{"cautionSeverity": "high"}]),
                             "cautionComponent[0].cautionTypeInternalText", "missing"),
    "units not a list": (_set("emergencyResourceComponent", {"a": 1}), "emergencyResourceComponent",
                         "must be a list, got an object"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_EIDO, ids=list(BAD_EIDO))
def test_invalid_eido_names_the_field(case: str) -> None:
    change, field, fragment = BAD_EIDO[case]
    data = sample("eido-2025-point.json")
    change(data)
    with pytest.raises(IntakeInvalid) as caught:
        parse(data)
    assert caught.value.field == field, str(caught.value)
    assert fragment in caught.value.problem, str(caught.value)
    assert str(caught.value).startswith(f"{field}: ")
    assert error_body(caught.value) == {"error": str(caught.value), "field": field}


def test_the_brief_example_error() -> None:
    data = sample("eido-2025-point.json")
    del data["incidentComponent"]["incidentTypeInternalCode"]
    with pytest.raises(
        InvalidInput, match=r"^incidentComponent\.incidentTypeInternalCode: missing$"
    ):
        parse(data)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("", "invalid JSON"),
        ("[1, 2]", "neither an EIDO"),
        ('{"a": NaN}', "NaN is not a number"),
        ("[" * 100 + "]" * 100, "nested more than"),
        ("x" * 600_000, "at most 512000"),
    ],
)
def test_unreadable_messages_name_the_whole_message(body: str, fragment: str) -> None:
    with pytest.raises(IntakeInvalid) as caught:
        parse_message(body)
    assert caught.value.field == "$" and fragment in caught.value.problem


def test_xml_entities_and_dtds_are_refused_never_expanded() -> None:
    with pytest.raises(IntakeInvalid, match="DTDForbidden"):
        parse_message(text("eido-bad-xxe.json"))
    data = sample("eido-2025-point.json")
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    data["locationComponent"][1]["locationByValue"] = bomb + "<presence>&lol2;</presence>"
    with pytest.raises(
        IntakeInvalid, match=r"locationComponent\[1\]\.locationByValue: XML refused"
    ):
        parse(data)


def test_not_utf8_bytes() -> None:
    with pytest.raises(IntakeInvalid, match=r"^\$: not UTF-8"):
        parse_message(b'{"format": "\xff"}')
    assert parse_message(text("gms-new.json").encode("utf-8")).incident_id == "GMS-2025-031401"


def test_a_message_from_the_future_is_refused_when_the_receive_time_is_given() -> None:
    received = datetime(2025, 3, 14, 18, 0, tzinfo=UTC)  # 19:00 +01:00, 42 minutes early
    with pytest.raises(IntakeInvalid, match=r"^lastUpdateTimeStamp: .* after it was received"):
        parse_message(text("eido-2025-point.json"), received=received)
    late = datetime(2025, 3, 14, 18, 40, tzinfo=UTC)
    assert parse_message(text("eido-2025-point.json"), received=late).kind == "update"


def test_error_body_of_any_invalid_input() -> None:
    assert error_body(InvalidInput("something")) == {"error": "something", "field": "$"}


# -- GMS adapter -----------------------------------------------------------------------


def test_gms_new_message() -> None:
    m = parse_message(text("gms-new.json"))
    assert (m.source, m.kind, m.incident_id) == ("gms", "new", "GMS-2025-031401")
    assert m.key == "gms:GMS-2025-031401"
    assert m.location is not None and m.location.point == (52.05753, 4.49317)
    assert m.location.address is not None
    assert m.location.address.label == "Dorpsstraat 12a, 2712 AB Zoetermeer"
    assert m.patient_age_years == 58 and m.suspected_cardiac_arrest
    [unit] = m.units
    assert unit.eta == m.sent + timedelta(seconds=480)  # eta_s counts from the message time


BAD_GMS: dict[str, tuple[Mutation, str, str]] = {
    "typo": (_set("incidentid", "x"), "incidentid", "unknown field"),
    "type": (_set("type", "create"), "type", "is not new, update or cancel"),
    "format": (_set("format", "gms/2"), "format", "is not 'gms-adapter/1'"),
    "naive time": (_set("time", "2025-03-14 21:05"), "time", "no UTC offset"),
    "lat alone": (_del("location.lon"), "location.lon", "lat and lon come together"),
    "lat as text": (_set("location.lat", "52.1"), "location.lat", "must be a number, got text"),
    "lat as bool": (_set("location.lat", True), "location.lat", "got true/false"),
    "new without place": (_del("location"), "location", "a new incident needs"),
    "new without triage": (_del("triage"), "triage", "missing"),
    "empty triage": (_set("triage", {}), "triage.code", "give the code, the text or both"),
    "both etas": (_set("units[0].eta", "2025-03-14T21:13:00+01:00"), "units[0].eta_s", "not both"),
    "eta_s too long": (_set("units[0].eta_s", 99_999), "units[0].eta_s", "between 0 and 14400"),
    "status": (_set("units[0].status", "arrived"), "units[0].status", "is not dispatched"),
    "two ages": (_set("patient.age_months", 8), "patient.age_months", "not both"),
    "age -1": (_set("patient.age_years", -1), "patient.age_years", "between 0 and 130"),
    "empty note": (_set("notes", ["  "]), "notes[0]", "is empty"),
    "address field": (_set("location.address.huisnummer", "12"), "location.address.huisnummer",
                      "unknown field"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_GMS, ids=list(BAD_GMS))
def test_invalid_gms_names_the_field(case: str) -> None:
    change, field, fragment = BAD_GMS[case]
    data = sample("gms-new.json")
    change(data)
    with pytest.raises(IntakeInvalid) as caught:
        parse(data)
    assert (caught.value.field, fragment in caught.value.problem) == (field, True), str(
        caught.value
    )


def test_gms_new_update_cancel_duplicate_and_older() -> None:
    new = parse_message(text("gms-new.json"))
    first = decide(None, new)
    assert (first.outcome, first.current) == ("new", new)

    update = parse_message(text("gms-update-location.json"))
    d = decide(first.current, update)
    assert d.outcome == "update"
    kinds = [c.kind for c in d.changes]
    assert kinds == ["location_moved", "unit_eta_changed", "unit_added"], kinds
    moved = d.changes[0].data
    assert 200 < moved["distance_m"] < 300 and moved["from"] == {"lat": 52.05753, "lon": 4.49317}
    assert d.changes[1].data == {"unit": "15-105", "from": "2025-03-14T21:13:12+01:00",
                                 "to": "2025-03-14T21:14:30+01:00"}  # fmt: skip
    current = d.current
    assert current is not None and current.location is not None
    # What the update left out is kept: the address, the age, the triage.
    assert current.location.address == new.location.address  # type: ignore[union-attr]
    assert current.location.point == (52.0591, 4.4962)
    assert current.patient_age_years == 58 and current.triage == new.triage
    assert [u.id for u in current.units] == ["15-105", "15-112"]

    # The same message again (other whitespace and key order): a duplicate.
    again = parse_message(json.dumps(json.loads(text("gms-update-location.json")), indent=None,
                                     sort_keys=True))  # fmt: skip
    assert again.fingerprint == update.fingerprint
    assert decide(current, again).outcome == "duplicate"
    # The first message arriving late: older than the one applied, ignored.
    late = decide(current, new)
    assert late.outcome == "duplicate" and "older than" in late.reason and late.current is current

    cancel = decide(current, parse_message(text("gms-cancel.json")))
    assert [c.to_dict() for c in cancel.changes] == [
        {"kind": "cancelled", "reason": "Geen reanimatie: patiënt is bij bewustzijn"}
    ]
    assert cancel.current is not None and cancel.current.kind == "cancel"


def gms(**fields: Any) -> IntakeMessage:
    data = {"format": "gms-adapter/1", "incident_id": "G1", "type": "update", **fields}
    return parse(data)


def test_gms_cancel_of_an_unknown_incident_is_ignored() -> None:
    d = decide(None, gms(type="cancel", time="2025-01-01T10:00:00Z"))
    assert (d.outcome, d.current) == ("ignored", None)


def test_after_a_cancel_only_new_reopens_a_gms_incident() -> None:
    start = gms(type="new", time="2025-01-01T10:00:00Z", triage={"code": "U0"},
                location={"lat": 52.1, "lon": 4.3})  # fmt: skip
    cancelled = decide(start, gms(type="cancel", time="2025-01-01T10:01:00Z")).current
    assert cancelled is not None and cancelled.kind == "cancel"
    late_unit = gms(time="2025-01-01T10:02:00Z", units=[{"id": "A1", "status": "cleared"}])
    d = decide(cancelled, late_unit)
    assert [c.kind for c in d.changes] == ["unit_added"]
    assert d.current is not None and d.current.kind == "cancel"  # still cancelled
    again = gms(type="new", time="2025-01-01T10:03:00Z", triage={"code": "U0"},
                location={"lat": 52.1, "lon": 4.3})  # fmt: skip
    d = decide(d.current, again)
    assert [c.kind for c in d.changes] == ["reopened"] and d.current.kind == "new"  # type: ignore[union-attr]


def test_age_hint_note_and_heartbeat_updates() -> None:
    start = gms(type="new", time="2025-01-01T10:00:00Z", triage={"code": "09-E-01"},
                location={"lat": 52.1, "lon": 4.3})  # fmt: skip
    d = decide(start, gms(time="2025-01-01T10:00:30Z", patient={"age_months": 6},
                          notes=["Vader is agressief, politie gevraagd"]))  # fmt: skip
    kinds = [c.kind for c in d.changes]
    assert kinds == ["age_known", "hint_added", "note_added"]
    assert d.changes[0].data == {"age_years": 0.5}
    assert d.changes[1].data["criterion"] == "violence"
    # Nothing new but the time: an update without changes (the system is alive).
    beat = decide(d.current, gms(time="2025-01-01T10:01:00Z"))
    assert (beat.outcome, beat.changes) == ("update", ())
    # A point that jitters by a few metres and an ETA that moves by seconds: no change.
    jitter = decide(
        start,
        gms(time="2025-01-01T10:02:00Z", location={"lat": 52.10005, "lon": 4.3},
            units=[{"id": "A", "status": "en_route", "eta": "2025-01-01T10:09:00Z"}]),
    )  # fmt: skip
    assert [c.kind for c in jitter.changes] == ["unit_added"]
    eta_noise = decide(
        jitter.current,
        gms(time="2025-01-01T10:02:30Z",
            units=[{"id": "A", "status": "en_route", "eta": "2025-01-01T10:09:10Z"}]),
    )  # fmt: skip
    assert eta_noise.changes == ()


def test_eido_sequence_update_cancel_reopen() -> None:
    first = decide(None, parse_message(text("eido-2025-point.json")))
    assert first.outcome == "new"
    d = decide(first.current, parse_message(text("eido-2025-update.json")))
    summary = [(c.kind, c.data.get("unit"), c.data.get("to")) for c in d.changes]
    assert summary == [
        ("location_moved", None, None),
        ("note_added", None, None),
        ("unit_status_changed", "unit-15105", "on_scene"),
        ("unit_status_changed", "unit-15112", "en_route"),
        ("unit_eta_changed", "unit-15112", "2025-03-14T19:52:00+01:00"),
    ]
    assert 190 < d.changes[0].data["distance_m"] < 210
    cancel = decide(d.current, parse_message(text("eido-2025-cancel.json")))
    assert [c.kind for c in cancel.changes] == ["cancelled"]
    # The first EIDO again, late: ignored, it must not reopen or move anything.
    assert (
        decide(cancel.current, parse_message(text("eido-2025-point.json"))).outcome == "duplicate"
    )
    # A later EIDO whose status is active again reopens (an EIDO is the full state).
    live = sample("eido-2025-point.json")
    live["lastUpdateTimeStamp"] = "2025-03-14T19:50:00+01:00"
    reopened = decide(cancel.current, parse(live))
    assert reopened.changes[0].kind == "reopened"


def test_merge_refuses_messages_of_two_incidents() -> None:
    with pytest.raises(ValueError, match="two incidents"):
        decide(parse_message(text("gms-new.json")), parse_message(text("eido-2025-point.json")))


def test_to_dict_round_trip_and_json() -> None:
    for path in sorted(DATA.glob("[eg]*.json")):
        if "bad" in path.name:
            continue
        m = parse_message(path.read_text(encoding="utf-8"))
        data = m.to_dict()
        assert IntakeMessage.from_dict(json.loads(json.dumps(data))) == m, path.name


# -- the triage table ------------------------------------------------------------------

TRIAGE_CASES: list[tuple[str | None, str | None, bool, str]] = [
    ("09-E-01", None, True, "mpds-09"),
    ("9-E-1", None, True, "mpds-09"),
    ("09E01", None, True, "mpds-09"),
    ("9E2", None, True, "mpds-09"),
    ("09-E-03", "Hanging", True, "mpds-09-E-03-hanging"),
    ("09-D-01", "Ineffective breathing", True, "mpds-09"),
    ("09-B-01a", "CARDIAC OR RESP ARREST/DEATH: OBV DEATH UNQUES", False, "mpds-09-obvious-death"),
    ("09-Ω-01", None, False, "mpds-09-obvious-death"),
    ("31-E-01", None, True, "mpds-31-E-01"),
    ("31-D-03", "Unconscious", False, "none"),
    ("10-C-01", "Chest pain", False, "none"),
    ("29-D-06", "TRAFFIC/TRANSPORT INCIDENT: ARREST", True, "text-reanimation"),
    ("U0", None, True, "nts-U0"),
    ("NTS U0", "Reanimatie volwassene", True, "nts-U0"),
    ("U1", "Pijn op de borst", False, "none"),
    ("REA", None, True, "text-reanimation"),
    (None, "Reanimatie kind", True, "text-reanimation"),
    (None, "Bewusteloos, geen ademhaling", True, "text-not-breathing"),
    (None, "bewusteloos, ademt niet normaal; agonale ademhaling", True, "text-not-breathing"),
    (None, "Patiënt evident overleden, reanimatie niet gestart", False, "text-obvious-death"),
    (None, "Bewusteloos", False, "none"),
    ("A1", "Val van trap", False, "none"),
    (None, None, False, "none"),
]


@pytest.mark.parametrize(("code", "words", "suspected", "rule"), TRIAGE_CASES)
def test_triage_table(code: str | None, words: str | None, suspected: bool, rule: str) -> None:
    t = classify(code, words)
    assert (t.suspected_cardiac_arrest, t.rule) == (suspected, rule)


def test_triage_rows_are_documented_with_a_source() -> None:
    ids = [row.id for row in TRIAGE_TABLE]
    assert len(ids) == len(set(ids))
    docs = DOCS.read_text(encoding="utf-8")
    for row in TRIAGE_TABLE:
        assert len(row.why) > 40, row.id
        assert f"`{row.id}`" in docs, f"{row.id} is not in docs/intake.md"


def test_code_rows_give_hints() -> None:
    stab = gms(type="new", time="2025-01-01T10:00:00Z", triage={"code": "27-D-01", "text": "Arrest"},
               location={"lat": 52.1, "lon": 4.3})  # fmt: skip
    assert sorted(h.criterion for h in stab.hints) == ["trauma", "violence"]
    hanging = gms(type="new", time="2025-01-01T10:00:00Z", triage={"code": "09-E-03"},
                  location={"lat": 52.1, "lon": 4.3})  # fmt: skip
    assert [(h.criterion, h.field) for h in hanging.hints] == [("suicide", "triage.code")]


# -- hints -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Poging tot zelfdoding door verhanging", {("suicide", False)}),
        ("Geen sprake van geweld", {("violence", True)}),
        ("Vechtpartij op straat, gestoken", {("violence", False)}),
        ("Verkeersongeval, bestuurder bekneld", {("trauma", False)}),
        ("A12 hmp 34,5 Li", {("motorway", False)}),
        ("Op de vluchtstrook van de snelweg", {("motorway", False)}),
        ("Bij de A12 in de wijk", set()),  # beside the motorway: for the exclusion module
        ("Flat A4, 3e etage", set()),
        ("Zuigeling, 4 maanden, niet wekbaar", {("infant", False)}),
        ("Partner start reanimatie", set()),
        ("Messenger bericht ontvangen", set()),  # "mes" only as a word
    ],
)
def test_hint_words(sentence: str, expected: set[tuple[str, bool]]) -> None:
    assert {(h.criterion, h.negated) for h in find(sentence, "notes[0]")} == expected


# -- dead letters ----------------------------------------------------------------------


def test_dead_letters_are_bounded_and_keep_the_text() -> None:
    t0 = datetime(2025, 3, 14, 20, 0, tzinfo=UTC)
    letters = DeadLetters(limit=3)
    for i in range(5):
        body = json.dumps({"format": "gms-adapter/1", "incident_id": f"G{i}"})
        try:
            parse_message(body)
        except InvalidInput as exc:
            letters = letters.add(DeadLetter.of(body, exc, t0 + timedelta(seconds=i), source="gms"))
    assert len(letters) == 3 and letters.dropped == 2
    shown = letters.to_dict()
    assert [e["text"][-5:-1] for e in shown["entries"]] == ['"G4"', '"G3"', '"G2"']  # newest first
    assert shown["entries"][0] == {
        "received": "2025-03-14T20:00:04+00:00", "error": "time: missing", "field": "time",
        "text": '{"format": "gms-adapter/1", "incident_id": "G4"}', "truncated": False,
        "source": "gms",
    }  # fmt: skip
    huge = DeadLetter.of(b"x" * 70_000 + b"\xff", IntakeInvalid("$", "too long"), t0)
    assert huge.truncated and len(huge.text) == 64_000


# -- fuzz ------------------------------------------------------------------------------

SEED = 13
ROUNDS = 1_500
_ODD: list[Any] = [
    None, True, 0, -1, 1e308, 10**25, "", " ", "\x00", "\ud800", "x" * 300, "2025-13-40T25:61:00Z",
    "9999-12-31T23:59:59-23:59", [], {}, [None], {"value": "NaN"}, "<presence/>", "<?xml?>", "&lol;",
    "09-E-01", "U0", "Cancelled", 52.1, "52.1 4.3",
]  # fmt: skip


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*path, i))
    return found


def _mutate(data: Any, rng: random.Random) -> Any:
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(data) if p]
        if not paths:
            return copy.deepcopy(rng.choice(_ODD))
        path = rng.choice(paths)
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        value = parent[path[-1]]
        action = rng.random()
        if action < 0.25 and isinstance(parent, dict):
            del parent[path[-1]]
        elif action < 0.5 and isinstance(value, str) and value:
            i = rng.randrange(len(value))  # edit inside a string: times, codes, XML
            parent[path[-1]] = (
                value[:i] + rng.choice(["", "<", ">", "&", "\x01", "9", "-", " "]) + value[i + 1 :]
            )
        elif action < 0.6 and isinstance(value, str):
            parent[path[-1]] = value[: rng.randrange(len(value) + 1)]
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(_ODD))  # a fresh [] or {}: never shared
    return data


def test_mutated_messages_raise_nothing_but_invalid_input() -> None:
    rng = random.Random(SEED)
    bases = {name: sample(name) for name in (
        "eido-2025-point.json", "eido-2025-civic-caution.json", "eido-2020.json",
        "eido-2025-motorway.json", "gms-new.json", "gms-update-location.json",
    )}  # fmt: skip
    parsed = {name: parse(data) for name, data in bases.items()}
    outcomes = {"accepted": 0, "refused": 0}
    for i in range(ROUNDS):
        name = rng.choice(list(bases))
        mutated = _mutate(bases[name], rng)
        body = json.dumps(mutated)
        if rng.random() < 0.15:  # and damage to the text itself
            j = rng.randrange(len(body))
            body = body[:j] + rng.choice(["", "{", '"', "\\", "]"]) + body[j + 1 :]
        try:
            message = parse_message(body)
        except InvalidInput:
            outcomes["refused"] += 1
            continue
        except Exception as exc:  # pragma: no cover - the failure report
            raise AssertionError(
                f"round {i} ({name}): {type(exc).__name__}: {exc}\n{body[:2000]}"
            ) from exc
        outcomes["accepted"] += 1
        json.dumps(message.to_dict())
        previous = parsed[name]
        if previous.key == message.key:
            decide(previous, message)
    assert outcomes["accepted"] > 100 and outcomes["refused"] > 100, outcomes
