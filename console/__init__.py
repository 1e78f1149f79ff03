"""Zesminuten dispatcher console (Qt)."""
