"""The aftercare SMS to a responder who set out but has no web app (issue 15)."""

from __future__ import annotations


def invitation_text(link: str) -> str:
    return (f"Zesminuten: dank je wel voor je inzet. Hoe gaat het met je? Vijf korte vragen, en je kunt "
            f"vragen om gebeld te worden: {link}")
