"""Complaints about a deployment (issue 15 point 3): registered against an incident, with a
status (received -> investigating -> answered) and linked reports, all as events on that
incident; every registration, step and read is also an access-log entry (reason "klacht")."""
