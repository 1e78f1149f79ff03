"""Complaints in the console (issue 15): the dialog behind Nazien → Klachten…."""
