"""The selection benchmark behind `zesminuten-engine bench`: in process, brute force, PostGIS."""
