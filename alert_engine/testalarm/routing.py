"""One engine, a channel per mode: each message goes only to the channels made for its mode.

The engine has one channel; where live and test alarms share the engine (they must, for
precedence) but reach phones through different gateways, this sits in between.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..notifications import Channel, Message


class ModeRouter:
    def __init__(self, channels: Sequence[Channel]) -> None:
        self.channels = list(channels)
        self.modes: frozenset[str] = frozenset().union(*(c.modes for c in self.channels))

    def send(self, message: Message) -> None:
        for channel in self.channels:
            if message.mode in channel.modes:
                channel.send(message)
