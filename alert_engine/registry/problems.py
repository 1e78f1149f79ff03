"""Every problem in an import file, collected before anything is written."""

from __future__ import annotations

from ..errors import InvalidInput

MAX_LINES = 50


class ImportRejected(InvalidInput):
    """An import file had problems; nothing was imported. `problems` lists them all."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_LINES]
        more = len(problems) - len(shown)
        noun = "problem" if len(problems) == 1 else "problems"
        lines = [f"{source}: {len(problems)} {noun}, nothing was imported:", *shown]
        if more:
            lines.append(f"... and {more} more")
        super().__init__("\n".join(lines))


class Problems:
    """Collects "file:row N: field F: what is wrong" lines for one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: list[str] = []

    def add(self, where: str, field: str, what: str) -> None:
        self.lines.append(f"{self.source}:{where}: field {field}: {what}")

    def file(self, what: str) -> None:
        """A problem with the file as a whole (not JSON, no header, ...)."""
        self.lines.append(f"{self.source}: {what}")

    def __bool__(self) -> bool:
        return bool(self.lines)

    def raise_if_any(self) -> None:
        if self.lines:
            raise ImportRejected(self.source, self.lines)
