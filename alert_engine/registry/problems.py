"""Every problem in an import file, collected before anything is written."""

from __future__ import annotations

from ..errors import InvalidInput
from ..safe_input import clip, control_problem, shown

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
        self._found: list[tuple[int, str]] = []  # (row or feature number, line)
        self.unreadable = False  # the file as a whole could not be read

    def add(self, where: str, field: str, what: str) -> None:
        """`where` is "row N" or "feature N"."""
        number = int(where.rsplit(" ", 1)[-1])
        self._found.append((number, f"{self.source}:{where}: field {_name(field)}: {what}"))

    def file(self, what: str) -> None:
        """The file as a whole cannot be read (not JSON, no header, ...)."""
        self.unreadable = True
        self._found.append((0, f"{self.source}: {what}"))

    @property
    def lines(self) -> list[str]:
        """In file order, whichever check found them first."""
        return [line for _, line in sorted(self._found, key=lambda found: found[0])]

    def __bool__(self) -> bool:
        return bool(self._found)

    def raise_if_any(self) -> None:
        if self._found:
            raise ImportRejected(self.source, self.lines)


def _name(field: str) -> str:
    """A column name as the file spells it, quoted and cut short when it is odd (control
    characters, a whole line of some other file)."""
    if control_problem(field, free_text=False) is None and len(field) <= 40:
        return field
    return shown(field) if control_problem(field, free_text=False) else clip(field)
