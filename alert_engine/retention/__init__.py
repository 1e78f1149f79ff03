"""Retention and the AVG (issue 15 point 5): the periods per kind of data (docs/retention.md),
the command that enforces them on a store without breaking its hash chains, and the
data-subject export of everything held about one responder."""
