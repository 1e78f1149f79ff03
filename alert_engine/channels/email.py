"""An e-mail provider's REST API as a gateway (the AED manager's check-back link, issue 15).

The same shape as the SMS provider (JSON POST, bearer token, our idempotency key as
`reference` and `Idempotency-Key`): `{"from", "to", "subject", "text", "reference"}`; a 2xx
with `{"id"}` is accepted. Transactional mail services (Postmark, Mailgun, SendGrid's v3
API) take this with a thin mapping at their end or ours. Never logs an address or a text.
"""

from __future__ import annotations

import re
from typing import Any

from .compose import Outgoing
from .gateways import _RestGateway

# Deliberately plain: a manager's address from the registry, not a full RFC 5322 parser.
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


class EmailGateway(_RestGateway):
    name = "email"
    channel = "email"

    def accepts(self, address: Any) -> bool:
        return isinstance(address, str) and EMAIL.match(address) is not None

    def body(self, out: Outgoing) -> dict[str, Any]:
        return {"from": self.sender, "to": out.address, "subject": str(out.data.get("subject", "")),
                "text": out.text, "reference": out.key}
