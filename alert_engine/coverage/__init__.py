"""AED coverage and white spots (HartslagNu/Hartstichting definition), greedy AED
placement and responder density against Stieglis 2020. No Qt; see docs/coverage.md."""
