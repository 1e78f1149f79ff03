"""After an alarm: the AED manager's check-back (issue 15).

An AED whose cabinet code was given out (a runner accepted) or that was fetched or
connected is out of alerts from the end of the alarm until its manager answers "ready".
The fold (`state.py`) keeps each check as an `AedCheck`; this package holds the pure
rules (reminder times, what a valid answer is, the list of AEDs awaiting a check) and the
words of the messages. The centre sends them (`centre/aed_check_messenger.py`).
"""
