"""One exception root for everything the engine reports to a person."""


class EngineError(Exception):
    """Base of every error the engine reports to a person; the message is readable as is."""


class AlertRefused(EngineError):
    """A command the rules do not allow right now (the message says why)."""


class IllegalTransition(EngineError):
    """A lifecycle move that is not allowed from the current state."""


class UnknownIncident(EngineError):
    """A command named an incident the engine does not know."""


class InvalidInput(EngineError):
    """Bad input data: the message names the file, row or JSON path and the field."""


class StoreCorrupted(EngineError):
    """The event store failed its integrity check (hash chain, sequence gaps)."""
