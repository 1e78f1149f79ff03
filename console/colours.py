"""Colours that carry meaning, shared by the tables, the live panel and the queue.

Responder colours match the map's legend (console/map/zesminuten_map.css), so a green
dot on the map and a green row in the table mean the same thing.
"""

from __future__ import annotations

# Queue rows: one background per phase, readable at a glance (dark text on all of them).
PHASE_BACKGROUND = {
    "new": "#cfe3ff",  # blue: a call being taken
    "excluded": "#e9d8fd",  # purple: no citizen alert, by the criteria
    "waiting_ambulance": "#ffe08a",  # amber: alert not sent yet
    "alerted": "#ffb4a8",  # red: alarm running, not enough coming yet
    "target_met": "#b7ebc0",  # green: enough responders coming
    "handed_over": "#c3ece6",  # teal: ambulance or responder took over
    "cancelled": "#dcdcdc",  # grey
    "closed": "#f0f0f0",  # light grey, dim text
}
PHASE_FOREGROUND_DIM = "#6b6b6b"

RESPONDER_STATE_COLOUR = {
    "alerted": "#4f77a8",
    "accepted": "#1a9e3a",
    "arrived": "#0b5a1d",
    "declined": "#9a9a9a",
    "timed_out": "#9a9a9a",
    "cancelled": "#8e44ad",
    "oversupply": "#8e44ad",
}
AED_STATE_COLOUR = {"assigned": "#4f77a8", "fetched": "#1a9e3a", "connected": "#0b5a1d", "released": "#8a8a8a"}
MODE_BACKGROUND = {"live": "#ffffff", "training": "#d6ecff", "test": "#f2dcff"}

MET = "#1a7f37"  # a target reached
NOT_MET = "#b42318"  # a target not (yet) reached
NEUTRAL = "#202020"
NOTICE = {  # notice bar: background, border
    "error": ("#fde2e1", "#b42318"),
    "warning": ("#fff1c2", "#b7791f"),
    "info": ("#dcebff", "#1f5fbf"),
}
ATTENTION = "#ffd54a"  # pulsing row of an unseen new call
# Issue 13: a call from the dispatch system: its unopened row between pulses, and its source badge.
INTAKE_NEW = "#ffeeb0"
INTAKE_BADGE = "#9fd3f5"
# A responder expected after the ambulance: muted, the row still readable.
AFTER_AMBULANCE = "#9a9a9a"
DEMO_BADGE = "#ff8f00"
# Connection to the centre's service (header badge): background, text.
CONNECTION_BADGE = {
    "connected": ("#2e7d32", "#ffffff"),  # green: commands go out
    "reconnecting": ("#ffb300", "#1d1d1d"),  # amber: nothing goes out, retrying
    "read_only": ("#ffffff", "#7f1d1d"),  # white on the red strip: only a standby answers, commands off
}
