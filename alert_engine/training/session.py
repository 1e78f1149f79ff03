"""Play a scenario's world on the training clock; the dispatcher's part is the trainee's.

The world is the caller (the call and the facts reported later), the responders (scripted
answers and the behaviour model), the AEDs and the ambulance crew. The file's dispatcher
steps are never executed: they are the model answer the debrief compares with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..errors import EngineError, IllegalTransition
from ..lifecycle import PENDING
from ..scenario import steps
from ..scenario.loader import Step
from ..service import LocalService
from ..state import ResponderState
from .clock import TrainingClock
from .library import DISPATCHER_STEPS, TrainingScenario


@dataclass(frozen=True, slots=True)
class Injection:
    """Something the trainer made happen, shown as such in the debrief."""

    time: datetime
    incident: str
    text: str


class TrainingSession:
    def __init__(self, training: TrainingScenario, service: LocalService) -> None:
        if service.mode != "training":
            raise ValueError("a training session needs a service in training mode")
        if not isinstance(service.clock, TrainingClock):
            raise ValueError("a training session needs a service on a TrainingClock")
        self.training = training
        self.service = service
        self.clock: TrainingClock = service.clock
        self.start = training.scenario.start
        prefix = self._run_prefix()
        script = training.scenario.steps
        self.ids: dict[str, str] = {
            st.incident: f"{prefix}-{st.incident}" for st in script if st.do == "call"
        }
        # A training service hands every alert to the behaviour model, so the file's
        # `simulate_responses` steps are implied; as steps they would be jumps to nothing.
        implied = {"simulate_responses"} if service.sim is not None else set()
        self.world: list[Step] = [st for st in script if st.do not in DISPATCHER_STEPS | implied]
        self.model_answer: list[Step] = [st for st in script if st.do in DISPATCHER_STEPS]
        # Played as a scenario run plays them. The training clock runs with the wall; the
        # timeline only jumps it when fast-forwarding (run_until, jump_to_next).
        self.timeline = steps.world_timeline(
            self.clock, service.engine, self.start, self.world, self._run, service.sim
        )
        self.warnings: list[str] = []
        self.injections: list[Injection] = []
        if service.sim is not None:
            # Responders the file scripts answer as scripted, not also by the model.
            for st in self.world:
                if st.do in ("respond", "arrive"):
                    inc = self.ids[st.incident]
                    scripted = service.sim.scripted.get(inc, frozenset())
                    service.sim.scripted[inc] = scripted | {st.fields["responder"]}

    def _run_prefix(self) -> str:
        used = [int(m.group(1)) for k in self.service.engine.states if (m := re.match(r"OEF(\d+)-", k))]
        return f"OEF{max(used, default=0) + 1}"

    # -- ids and times ----------------------------------------------------------------
    @property
    def incidents(self) -> list[str]:
        """Training incident ids of the scenario's calls that have come in, in call order."""
        return [i for i in self.ids.values() if i in self.service.engine.states]

    def scenario_incident(self, incident: str) -> str | None:
        return next((k for k, v in self.ids.items() if v == incident), None)

    def time_of(self, step: Step) -> datetime:
        return self.start + timedelta(seconds=step.at)

    def next_event_time(self) -> datetime | None:
        """When the world next does something: a scripted step, a simulated responder, a lapse."""
        return self.timeline.next_due()

    @property
    def world_done(self) -> bool:
        """The scenario's world has nothing more scripted or planned."""
        sim = self.service.sim
        return not self.timeline and (sim is None or sim.next_due() is None)

    # -- playing ------------------------------------------------------------------------
    def advance(self) -> int:
        """Play everything due by now, in time order; returns how many scripted steps ran."""
        before = len(self.timeline)
        self.timeline.run_until(self.clock.now())
        return before - len(self.timeline)  # the script never grows: the rest are lapses, people

    def jump_to_next(self) -> datetime | None:
        """Skip the quiet time up to the next thing the world does, and play it."""
        t = self.next_event_time()
        if t is None:
            return None
        if t > self.clock.now():
            self.clock.jump_to(t)
        self.advance()
        return t

    def run_until(self, t: datetime) -> None:
        """Fast-forward to `t`, playing each thing on the way at its own time."""
        self.timeline.run_until(t)
        # A jump lands on the next millisecond (the training clock's grain): play what is
        # due in that sliver too, as advance() on the console's next tick would.
        self.advance()

    def _run(self, st: Step) -> None:
        e, f = self.service.engine, st.fields
        inc = self.ids.get(st.incident, st.incident)
        try:
            if st.do == "call":
                steps.call(e, inc, f, mode="training")
            elif st.do == "ambulance_arrived":
                if e.state(inc).ambulance_arrived_at is None:  # else the trainer played it already
                    steps.WORLD[st.do](e, inc, f)
            elif st.do == "simulate_responses":
                if self.service.sim is not None:
                    self.service.sim.enable(inc)
            elif st.do in steps.WORLD:
                steps.WORLD[st.do](e, inc, f)
        except (EngineError, KeyError) as exc:
            # The trainee's choices change the world (no alert, no ambulance): the step
            # simply cannot happen then. Keep it for the trainer, go on.
            self.warnings.append(f"{st.path} (at {st.at:g} s, {st.do}): {exc}")

    # -- trainer injections ------------------------------------------------------------
    def _note(self, incident: str, text: str) -> None:
        self.injections.append(Injection(self.clock.now(), incident, text))

    def pending_responders(self, incident: str) -> list[ResponderState]:
        """Alerted responders who have not answered yet, nearest first (for the trainer's pick)."""
        s = self.service.state(incident)
        return sorted((r for r in s.responders.values() if r.state in PENDING), key=lambda r: r.distance_m)

    def coming_responders(self, incident: str) -> list[ResponderState]:
        """Responders who accepted and are not on scene yet, nearest first."""
        s = self.service.state(incident)
        return sorted(
            (r for r in s.responders.values() if r.state in ("accepted", "oversupply")),
            key=lambda r: r.distance_m,
        )

    def inject_answer(self, incident: str, answer: str, responder: str | None = None) -> str:
        """A responder accepts or declines (the nearest one still pending unless named)."""
        if responder is None:
            pending = self.pending_responders(incident)
            if not pending:
                raise IllegalTransition("er is geen gealarmeerde burgerhulpverlener die nog moet antwoorden")
            responder = pending[0].id
        self.service.engine.respond(incident, responder, answer)
        word = "accepteert" if answer == "accept" else "weigert"
        self._note(incident, f"Trainer: {responder} {word}")
        return responder

    def inject_first_on_scene(self, incident: str, responder: str | None = None) -> str:
        """A first responder reaches the victim (the nearest one who accepted unless named)."""
        if responder is None:
            coming = self.coming_responders(incident)
            if not coming:
                raise IllegalTransition("nog geen burgerhulpverlener heeft geaccepteerd")
            responder = coming[0].id
        self.service.engine.arrive(incident, responder)
        self._note(incident, f"Trainer: eerste burgerhulpverlener ter plaatse ({responder})")
        return responder

    def inject_ambulance_on_scene(self, incident: str) -> None:
        self.service.engine.ambulance_arrived(incident)
        self._note(incident, "Trainer: ambulance ter plaatse")

    def inject_caller_facts(self, incident: str, changes: Mapping[str, Any]) -> None:
        """The caller reports new facts (age, suicide, trauma, violence, location)."""
        self.service.engine.update_call(incident, changes)
        told = ", ".join(f"{k}={v}" for k, v in changes.items())
        self._note(incident, f"Trainer: melder meldt nieuwe feiten ({told})")
