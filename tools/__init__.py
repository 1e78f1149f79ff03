"""Development tools that are not shipped (not in the wheel; nothing shipped imports them):
the fake channel providers the tests, benchmarks and the demo centre talk to."""
