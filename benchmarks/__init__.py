"""Benchmarks and long checks, outside the shipped packages: they import the engine and the
console, and neither of those imports them."""
