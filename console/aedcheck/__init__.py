"""The AEDs awaiting their manager's check after an alarm (issue 15)."""
