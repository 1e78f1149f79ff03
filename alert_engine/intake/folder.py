"""The embedded console's intake: a watched folder the dispatch system's adapter writes to.

The adapter writes each message as `<name>.json` (written under another name, then
renamed, so no half-written file is read). `poll()` takes the files in name order and
hands each to `receive` (LocalService.receive_intake); a file taken in moves to `done/`,
a refused one to `refused/` with `<name>.reason.txt` beside it (the error and the field).
Nothing here needs Qt: the console calls `poll()` from its timer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import EngineError
from ..files import write_atomically
from ..paths import data_dir
from .message import Source
from .plan import IntakeOutcome

Receive = Callable[[bytes, Source | None], IntakeOutcome]
MAX_FILE_BYTES = 2_000_000  # far above any message (parse refuses more than 512 000 characters)


def default_folder() -> Path:
    return data_dir() / "intake"


@dataclass(frozen=True)
class Handled:
    name: str
    outcome: str  # new / update / duplicate / ignored / refused
    incident: str | None = None
    error: str = ""


class IntakeFolder:
    def __init__(self, folder: Path, receive: Receive) -> None:
        self.folder = folder
        self.receive = receive
        for sub in ("done", "refused"):
            (folder / sub).mkdir(parents=True, exist_ok=True)

    def pending(self) -> list[Path]:
        return sorted(p for p in self.folder.glob("*.json") if p.is_file() and not p.name.startswith("."))

    def poll(self) -> list[Handled]:
        """Take in every waiting file; what each did, in order."""
        return [self._take(path) for path in self.pending()]

    def _take(self, path: Path) -> Handled:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                return self._refuse(path, "$", f"file is {size} bytes; at most {MAX_FILE_BYTES}")
            body = path.read_bytes()
        except FileNotFoundError:
            return Handled(path.name, "gone")  # taken by another poll, or withdrawn by the adapter
        try:
            outcome = self.receive(body, None)
        except EngineError as exc:  # invalid (names its field), or refused by the engine
            return self._refuse(path, str(getattr(exc, "field", "$")), str(exc))
        os.replace(path, self._free(self.folder / "done", path.name))
        return Handled(path.name, outcome.outcome, outcome.incident)

    def _refuse(self, path: Path, field: str, error: str) -> Handled:
        target = self._free(self.folder / "refused", path.name)
        os.replace(path, target)
        write_atomically(target.with_name(target.name + ".reason.txt"), f"field: {field}\nerror: {error}\n")
        return Handled(path.name, "refused", error=error)

    @staticmethod
    def _free(folder: Path, name: str) -> Path:
        """`folder/name`, or with a counter when a file of that name was handled before."""
        target = folder / name
        n = 1
        while target.exists():
            target = folder / f"{Path(name).stem}.{n}{Path(name).suffix}"
            n += 1
        return target
