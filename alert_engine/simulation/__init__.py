"""Simulated responders: the behaviour model drives training, test alarms and scenarios."""
