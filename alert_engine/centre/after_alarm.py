"""The messages a node sends after an alarm (issue 15), started and stopped as one: the AED
manager's check-back (`aed_check_messenger`) and the aftercare SMS to responders without
the web app (`aftercare_messenger`). Each only when the channels file asks for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .aed_check_links import AedCheckLinks


class AfterAlarm:
    def __init__(self, node: Any, store: str | Path, channels: Any, links: AedCheckLinks) -> None:
        from .aed_check_messenger import for_node as aed_checks
        from .aed_check_messenger import public_base
        from .aftercare_messenger import for_node as aftercare

        self.messengers: list[Any] = []
        self._accounts: Any = None
        if channels is None:
            return
        found = aed_checks(node, channels, links)
        if found is not None:
            self.messengers.append(found)
        if channels.aftercare_sms:
            from .responder_accounts import ResponderAccounts

            self._accounts = ResponderAccounts(store)
            sms = aftercare(node, channels, self._accounts, public_base(channels))
            if sms is not None:
                self.messengers.append(sms)
        for m in self.messengers:
            node.engine.subscribe(m.notice)

    def start(self) -> None:
        for m in self.messengers:
            m.start()

    def stop(self) -> None:
        for m in self.messengers:
            m.stop()
        if self._accounts is not None:
            self._accounts.close()
