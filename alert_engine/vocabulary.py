"""The engine's words as enums: event types, responder/AED/caller states, roles, phases,
modes. StrEnum, so stored JSON and every comparison with a plain string stay as they were;
a misspelt word is now an AttributeError at import time instead of a silent mismatch."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    CALL_RECEIVED = "call_received"
    CALL_UPDATED = "call_updated"
    EXCLUSION_ASSESSED = "exclusion_assessed"
    EXCLUSION_OVERRIDDEN = "exclusion_overridden"
    AMBULANCE_DISPATCHED = "ambulance_dispatched"
    AMBULANCE_ARRIVED = "ambulance_arrived"
    ALERT_REFUSED = "alert_refused"
    ALERT_SENT = "alert_sent"
    RESPONDER_ACCEPTED = "responder_accepted"
    RESPONDER_DECLINED = "responder_declined"
    RESPONDER_TIMED_OUT = "responder_timed_out"
    CANCELLATION_SENT = "cancellation_sent"
    OVERSUPPLY = "oversupply"
    OVERSUPPLY_FEEDBACK = "oversupply_feedback"
    RESPONDER_ARRIVED = "responder_arrived"
    AED_FETCHED = "aed_fetched"
    AED_CONNECTED = "aed_connected"
    AED_CHECK_REQUESTED = "aed_check_requested"
    AED_READY_CONFIRMED = "aed_ready_confirmed"
    AED_CHECK_REMINDED = "aed_check_reminded"
    AED_CHECK_ANSWERED = "aed_check_answered"
    AED_CHECK_MESSAGE_SENT = "aed_check_message_sent"
    AED_CHECK_MESSAGE_FAILED = "aed_check_message_failed"
    CALLER_INSTRUCTION_CHANGED = "caller_instruction_changed"
    ALARM_CANCELLED = "alarm_cancelled"
    INCIDENT_CLOSED = "incident_closed"
    ANNOTATION_ADDED = "annotation_added"
    COMPLAINT_REGISTERED = "complaint_registered"
    COMPLAINT_STATUS_CHANGED = "complaint_status_changed"
    COMPLAINT_REPORT_LINKED = "complaint_report_linked"
    MESSAGE_SENT = "message_sent"
    MESSAGE_DELIVERED = "message_delivered"
    MESSAGE_FAILED = "message_failed"
    MESSAGE_ACKNOWLEDGED = "message_acknowledged"
    CHANNEL_OUTAGE = "channel_outage"
    INTAKE_RECEIVED = "intake_received"
    AMBULANCE_STATUS_CHANGED = "ambulance_status_changed"
    AMBULANCE_ETA_CHANGED = "ambulance_eta_changed"
    INTAKE_SILENT = "intake_silent"
    COORDINATOR_ASSIGNED = "coordinator_assigned"


class ResponderStatus(StrEnum):
    ALERTED = "alerted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"
    OVERSUPPLY = "oversupply"
    ARRIVED = "arrived"


class Role(StrEnum):
    CPR = "cpr"  # straight to the victim
    AED = "aed"  # fetch an AED first


class AedRunStatus(StrEnum):
    """An alerted AED during its alarm (the registry's AedStatus is the manager's)."""

    ASSIGNED = "assigned"
    FETCHED = "fetched"
    CONNECTED = "connected"


class CallerInstructionStatus(StrEnum):
    NOT_STARTED = "not_started"
    INSTRUCTING = "instructing"
    HANDED_OVER = "handed_over"
    ENDED = "ended"


class Phase(StrEnum):
    NEW = "new"
    EXCLUDED = "excluded"
    WAITING_AMBULANCE = "waiting_ambulance"
    ALERTED = "alerted"
    TARGET_MET = "target_met"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"
    CLOSED = "closed"


class Mode(StrEnum):
    LIVE = "live"
    TRAINING = "training"
    TEST = "test"


class ChannelName(StrEnum):
    """How a message reaches a responder (the registry's `channels`), in fallback order."""

    APP = "app"      # push to the responder app (Web Push, or FCM for a native app)
    SMS = "sms"
    VOICE = "voice"  # a text-to-speech phone call


class MessageKind(StrEnum):
    ALERT = "alert"
    CANCEL = "cancel"
    NOT_NEEDED = "not_needed"  # an accept that came too late (oversupply)
    COORDINATOR = "coordinator"  # FirstAED's third role (option coordinator_role)
