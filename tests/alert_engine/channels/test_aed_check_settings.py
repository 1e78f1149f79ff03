"""The channels file's e-mail gateway and `aed_check` section: clear errors naming the key."""

from __future__ import annotations

import pytest

from alert_engine.aedcheck.messages import manager_addresses
from alert_engine.channels.email import EmailGateway
from alert_engine.channels.settings import settings_from
from alert_engine.errors import InvalidInput

SMS = {"url": "https://sms.example/v1", "sender": "+3197010200300", "token": "t"}
EMAIL = {"url": "https://mail.example/v1/send", "sender": "aed@mka.example", "token": "t"}


def test_email_and_aed_check_sections_configure_the_manager_channels() -> None:
    s = settings_from({"sms": SMS, "email": EMAIL, "aed_check": {"channels": ["email", "sms"]}})
    assert isinstance(s.gateways["email"], EmailGateway) and s.aed_check_channels == ("email", "sms")
    assert settings_from({"sms": SMS}).aed_check_channels == ()  # no manager messages unless asked for


@pytest.mark.parametrize(("raw", "message"), [
    ({"email": {**EMAIL, "sender": "mka"}}, "email.sender: expected an e-mail address"),
    ({"email": {**EMAIL, "port": 25}}, "email.port: unknown setting"),
    ({"sms": SMS, "aed_check": {"channels": ["email"]}}, "aed_check.channels: email has no gateway section"),
    ({"sms": SMS, "aed_check": {"channels": ["voice"]}}, "aed_check.channels: a list of sms and/or email"),
])
def test_bad_sections_are_refused_with_the_key(raw: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        settings_from(raw)


def test_a_managers_contact_text_gives_their_number_and_address() -> None:
    assert manager_addresses("J. de Vries, 06-12345678 / +31 6 1234 5678, beheer@sporthal-deil.nl") == {
        "sms": "+31612345678", "email": "beheer@sporthal-deil.nl"}
    assert manager_addresses("Synthetische beheerder 12") == {}
    assert manager_addresses("0031 6 12345678") == {"sms": "+31612345678"}
