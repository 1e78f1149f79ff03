"""The one typed seam between a console (or any client) and the engine.

`commands` holds one frozen dataclass per dispatcher command (the scenario contract's `do`
vocabulary); a backend's `execute(command)` returns the events it caused. The embedded
backend is `alert_engine.service.LocalService`; a network backend (issue 11) implements
the same protocol over HTTP.
"""

from .commands import (
    COMMAND_TYPES,
    COMPLAINT_COMMANDS,
    AedConnected,
    AedFetched,
    AmbulanceArrived,
    AmbulanceStatus,
    Annotate,
    Arrive,
    CallerInstruction,
    CancelAlarm,
    ChangeComplaintStatus,
    Close,
    Command,
    DispatchAmbulance,
    LinkComplaintReport,
    OverrideExclusion,
    OversupplyFeedback,
    RegisterComplaint,
    Respond,
    TriggerAlert,
    UpdateCall,
    command_from,
)

__all__ = [
    "COMMAND_TYPES",
    "COMPLAINT_COMMANDS",
    "AedConnected",
    "AedFetched",
    "AmbulanceArrived",
    "AmbulanceStatus",
    "Annotate",
    "Arrive",
    "CallerInstruction",
    "CancelAlarm",
    "ChangeComplaintStatus",
    "Close",
    "Command",
    "DispatchAmbulance",
    "LinkComplaintReport",
    "OverrideExclusion",
    "OversupplyFeedback",
    "RegisterComplaint",
    "Respond",
    "TriggerAlert",
    "UpdateCall",
    "command_from",
]
