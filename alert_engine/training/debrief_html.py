"""The debrief as one self-contained HTML file (no scripts, no external files).

Kept to the HTML subset Qt's rich text understands, so the console shows the same page
in a QTextBrowser that a browser shows after export.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .debrief import Check, Debrief, IncidentDebrief, TimelineRow, mmss
from .debrief_text import say

VERDICT_COLOUR = {"good": "#1a7f37", "wrong": "#b42318", "note": "#9a6700"}
VERDICT_BG = {"good": "#e6f4ea", "wrong": "#fde2e1", "note": "#fff4d6"}
ACTOR_BG = {"trainee": "#f3e8ff", "world": "#ffffff", "trainer": "#fff0e0", "engine": "#f2f4f7", "model": "#ffffff"}

WORDS: dict[str, tuple[str, str]] = {
    "title": ("OEFENING – debrief", "TRAINING – debrief"),
    "banner": ("OEFENING – geen echte meldingen", "TRAINING – no real alerts"),
    "scenario": ("Scenario", "Scenario"),
    "made": ("Opgesteld", "Made"),
    "score": ("Beslissingen goed", "Decisions right"),
    "briefing": ("Briefing", "Briefing"),
    "explanation": ("Toelichting bij de juiste beslissing", "Why this is the right decision"),
    "checks": ("Beoordeling", "Assessment"),
    "timeline": ("Tijdlijn (vanaf de 112-melding)", "Timeline (from the 112 call)"),
    "model": ("Modelantwoord (de stappen van de centralist in het scenario)", "Model answer (the dispatcher's steps in the scenario)"),
    "instruction": ("Meldersinstructie", "Caller instruction"),
    "warnings": ("Stappen uit het scenario die niet konden plaatsvinden", "Scenario steps that could not happen"),
    "t": ("Tijd", "Time"),
    "who": ("Wie", "Who"),
    "what": ("Wat", "What"),
    "model_t": ("Model", "Model"),
    "verdict": ("Oordeel", "Verdict"),
    "trainee_t": ("Cursist", "Trainee"),
    "incident": ("Melding", "Incident"),
    "none": ("geen", "none"),
    "good": ("GOED", "RIGHT"),
    "wrong": ("FOUT", "WRONG"),
    "note": ("LET OP", "NOTE"),
    "trainee": ("cursist", "trainee"),
    "world": ("melder/omgeving", "caller/world"),
    "trainer": ("trainer", "trainer"),
    "engine": ("systeem", "system"),
}


def _w(lang: str, key: str) -> str:
    nl, en = WORDS[key]
    return en if lang == "en" else nl


def render_html(d: Debrief) -> str:
    lang = d.lang
    good, judged = d.score
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{escape(_w(lang, 'title'))}: {escape(d.scenario_name)}</title>",
        "<style>body{font-family:sans-serif;font-size:10pt;color:#202020;margin:12px}"
        "h1{font-size:16pt;margin:4px 0}h2{font-size:13pt;margin:14px 0 4px 0}"
        "h3{font-size:11pt;margin:10px 0 4px 0}td,th{padding:3px 6px;vertical-align:top}"
        "th{background-color:#4a1470;color:#ffffff;text-align:left}"
        "table{border-collapse:collapse;margin-bottom:6px}</style></head><body>",
        '<table width="100%" cellpadding="8"><tr><td style="background-color:#6a1b9a;color:#ffffff;'
        f'font-size:15pt;font-weight:bold">{escape(_w(lang, "banner"))}</td>'
        '<td style="background-color:#ff8f00;width:30%">&nbsp;</td></tr></table>',
        f"<h1>{escape(_w(lang, 'title'))}</h1>",
        f"<p><b>{escape(_w(lang, 'scenario'))}:</b> {escape(d.scenario_name)} ({escape(d.slug)})<br>",
        f"<b>{escape(_w(lang, 'made'))}:</b> {d.made_at:%d-%m-%Y %H:%M:%S}<br>",
        f"<b>{escape(_w(lang, 'score'))}:</b> {good} / {judged}</p>",
    ]
    if d.briefing:
        parts.append(f"<h2>{escape(_w(lang, 'briefing'))}</h2><p>{escape(d.briefing)}</p>")
    for inc in d.incidents:
        parts.append(_incident(inc, lang))
    if d.explanation:
        parts.append(f"<h2>{escape(_w(lang, 'explanation'))}</h2><p>{escape(d.explanation)}</p>")
    if d.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in d.warnings)
        parts.append(f"<h2>{escape(_w(lang, 'warnings'))}</h2><ul>{items}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _incident(inc: IncidentDebrief, lang: str) -> str:
    out = [f"<h2>{escape(_w(lang, 'incident'))} {escape(inc.incident)}</h2>"]
    out.append(f"<h3>{escape(_w(lang, 'checks'))}</h3>")
    out.append(_table([_w(lang, k) for k in ("verdict", "what", "trainee_t", "model_t")],
                      [_check_row(c, lang) for c in inc.checks]))
    if inc.caller_instruction:
        states = ", ".join(f"{mmss(t)} {escape(say(lang, 'ci_' + s))}" for s, t in inc.caller_instruction)
        out.append(f"<p><b>{escape(_w(lang, 'instruction'))}:</b> {states}</p>")
    out.append(f"<h3>{escape(_w(lang, 'timeline'))}</h3>")
    out.append(_table([_w(lang, k) for k in ("t", "who", "what", "model_t")],
                      [_timeline_row(r, lang) for r in inc.timeline]))
    out.append(f"<h3>{escape(_w(lang, 'model'))}</h3>")
    out.append(_table([_w(lang, k) for k in ("t", "what")],
                      [f"<tr><td>{mmss(r.offset_s)}</td><td>{escape(r.text)}</td></tr>" for r in inc.model]))
    return "\n".join(out)


def _table(headers: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return f'<table border="1" cellspacing="0" cellpadding="3" width="100%"><tr>{head}</tr>{"".join(rows)}</table>'


def _check_row(c: Check, lang: str) -> str:
    colour, bg = VERDICT_COLOUR[c.verdict], VERDICT_BG[c.verdict]
    return (
        f'<tr style="background-color:{bg}" class="check-{c.verdict}">'
        f'<td style="color:{colour};font-weight:bold">{escape(_w(lang, c.verdict))}</td>'
        f"<td>{escape(c.text)}</td><td>{mmss(c.trainee_s)}</td><td>{mmss(c.model_s)}</td></tr>"
    )


def _timeline_row(r: TimelineRow, lang: str) -> str:
    bg = ACTOR_BG.get(r.actor, "#ffffff")
    who = _w(lang, r.actor) if r.actor in WORDS else r.actor
    return (
        f'<tr style="background-color:{bg}"><td>{mmss(r.offset_s)}</td><td>{escape(who)}</td>'
        f"<td>{escape(r.text)}</td><td>{mmss(r.model_s) if r.model_s is not None else ''}</td></tr>"
    )


def write_html(d: Debrief, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(d), encoding="utf-8")
    return path
