"""After-incident review: the live console's own panels over a `ReplayService`, a timeline,
intervals, integrity, notes, reports and the access log (`python -m console.review`)."""
