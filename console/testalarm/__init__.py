"""Test alarms (proefalarmering) in the live console: set one up, follow it, summarise it."""
