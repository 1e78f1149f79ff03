"""Seeded fuzz of scenario JSON and registry CSV/GeoJSON: every input exits 0 or 2.

The short version of `python -m benchmarks.fuzz_inputs` (which runs 10,000 inputs or
more and is not part of the test suite). About 15 s here; the inputs are the same on
every run, so a failure reproduces with the seed and input number it reports.
"""

from __future__ import annotations

from benchmarks.fuzz_inputs import fuzz

INPUTS = 1_200
SEED = 20_26


def test_every_fuzzed_input_exits_0_or_2_without_a_traceback() -> None:
    tally = fuzz(INPUTS, SEED)
    shown = "\n\n".join(f"{label}:\n{detail}" for label, detail in tally.failures[:3])
    assert not tally.failures, (
        f"{len(tally.failures)} of {INPUTS} inputs failed; first ones:\n{shown}"
    )
    assert sum(tally.counts.values()) == INPUTS
    # The mutator must keep producing both good and bad inputs of every kind, or the
    # test silently stops testing the paths past the first check.
    for label in ("scenario", "csv", "geojson"):
        assert tally.by_input[f"{label}: exit 0"] > 10, tally.by_input
        assert tally.by_input[f"{label}: exit 2"] > 10, tally.by_input
