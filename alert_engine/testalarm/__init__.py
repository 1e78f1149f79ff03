"""Test alarms (proefalarmering): a municipality's exercise on the live engine, and its summary."""
