"""Registry of citizen responders and AEDs."""

from .model import Address, Aed, AedStatus, GpsFix, Responder
from .table import Registry

__all__ = ["Address", "Aed", "AedStatus", "GpsFix", "Registry", "Responder"]
