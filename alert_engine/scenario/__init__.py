"""Scenario files: a registry plus a timeline, run on a simulated clock."""
