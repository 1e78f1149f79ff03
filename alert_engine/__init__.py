"""Zesminuten alert engine: registry, exclusion criteria, selection, lifecycle, event log.

Qt-free by contract (see the import-linter contract in pyproject.toml).
"""

__version__ = "0.1.0"
