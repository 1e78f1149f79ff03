"""Self-service (issue 15): a responder keeps their training data, holidays and channels
up to date; an AED manager their AED's hours per weekday, status and cabinet code. Pure
checks here (each refusal names its field); the centre stores and applies them at once
(`centre/self_service.py`)."""
