"""Where an AED's manager is reached, and what the check-back messages say (Dutch: the
manager registered the AED with a Dutch centre; the page behind the link has English).

The manager's phone number and e-mail address are read from the registry's
`manager_contact` text at the moment of sending ("J. de Vries, +31612345678,
beheer@sporthal.nl"); they never enter an event or a log line.
"""

from __future__ import annotations

import hashlib
import re

from .model import BACK_IN_SERVICE, REQUEST

_PHONE = re.compile(r"(?:\+|00)[1-9][0-9 \-]{7,18}[0-9]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
SMS, EMAIL = "sms", "email"
CHANNELS = (SMS, EMAIL)


def manager_addresses(contact: str) -> dict[str, str]:
    """{"sms": "+31…", "email": "…"} from a manager's contact text, for what it holds."""
    out: dict[str, str] = {}
    phone = _PHONE.search(contact or "")
    if phone:
        digits = re.sub(r"[\s\-]", "", phone.group(0))
        out[SMS] = "+" + digits[2:] if digits.startswith("00") else digits
    mail = _EMAIL.search(contact or "")
    if mail:
        out[EMAIL] = mail.group(0)
    return out


def synthetic_manager(aed: str, phone_prefix: str = "+3197") -> dict[str, str]:
    """Demo only: a synthetic AED's manager at the fake providers (+3197: machine numbers)."""
    number = int.from_bytes(hashlib.sha256(b"manager:" + aed.encode()).digest()[:8], "big") % 10**8
    return {SMS: f"{phone_prefix}{number:08d}", EMAIL: f"beheer-{aed.lower()}@aed.zesminuten.invalid"}


def subject(round_: str, description: str) -> str:
    if round_ == BACK_IN_SERVICE:
        return f"Is AED {description} weer inzetklaar?"
    prefix = "" if round_ == REQUEST else "Herinnering: "
    return f"{prefix}AED {description} graag controleren na inzet"


def text(round_: str, description: str, link: str) -> str:
    if round_ == BACK_IN_SERVICE:
        return (f"Zesminuten: AED {description} staat buiten gebruik tot vandaag. Is hij weer inzetklaar? "
                f"Laat het weten via {link}")
    prefix = "Zesminuten" if round_ == REQUEST else "Herinnering Zesminuten"
    return (f"{prefix}: AED {description} is ingezet bij een reanimatie-alarm. Wilt u controleren of hij is "
            f"opgehaald, gebruikt en teruggebracht, en of elektroden en batterij in orde zijn? Tot u "
            f"'inzetklaar' meldt, krijgt deze AED geen alarmen. {link}")
