"""Aftercare for the responders of an alarm (issue 15): the short questionnaire, who the
aftercare coordinator should call, summaries, and consented contact between responders.

Pure rules here (who is asked, what a valid answer is, deadlines, summaries); the answers
are kept by the centre under the responder's pseudonym (`centre/aftercare_store.py`),
not in the event log: they are about how a person is doing, must be deletable after their
retention period, and the hash-chained log is append-only.
"""
