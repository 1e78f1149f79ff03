"""The FCM HTTP v1 adapter for a native responder app, against the fake providers on
loopback (a process of their own, as Google's token and FCM endpoints are): the service
account signs in, every push carries a live access token, a token about to run out is
renewed before the push, and a token service that refuses costs the push (the SMS follows),
not the loop. A wrong key file is a clear error at start."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from alert_engine.channels.compose import Outgoing
from alert_engine.channels.gateways import FcmGateway
from alert_engine.channels.settings import settings_from
from alert_engine.errors import InvalidInput
from tools.fake_providers import FakeProviders


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProviders]:
    f = FakeProviders().start()
    yield f
    f.stop()


def service_account(token_uri: str) -> dict[str, Any]:
    """A service-account key as Google's console hands it out (a fresh RSA key, test only)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"type": "service_account", "project_id": "mka-app", "private_key_id": "k1", "private_key": pem,
            "client_email": "zesminuten@mka-app.iam.gserviceaccount.com", "client_id": "1", "token_uri": token_uri}


def alert(responder: str) -> Outgoing:
    data = {"v": 1, "incident": "inc-1", "kind": "alert", "mode": "live", "role": "cpr", "aed": None,
            "text": "Reanimatie nodig", "key": f"{responder}/app/alert", "attempt": 1}
    return Outgoing(f"{responder}/app/alert", "inc-1", responder, "app", "alert", 1, "fcm",
                    {"fcm_token": f"fcm-{responder}"}, "Reanimatie nodig", data)


def sent(fake: FakeProviders, provider: str) -> list[dict[str, Any]]:
    return [r for r in fake.requests(provider)]


def test_pushes_carry_the_service_accounts_live_token_and_a_dying_one_is_renewed(fake: FakeProviders) -> None:
    fake.reset()
    gw = FcmGateway(f"{fake.url}/fcm", "mka-app", service_account=service_account(f"{fake.url}/oauth2/token"))

    async def burst(n: int, first: int = 1) -> list[Any]:
        return await asyncio.gather(*(gw.send(alert(f"R{i}")) for i in range(first, first + n)))

    async def run() -> tuple[list[Any], list[Any]]:
        try:
            first = await burst(20)
            # Google hands out tokens for an hour; here the next ones live 60 s, which
            # google-auth already counts as about to expire: the next push renews first.
            fake.configure(oauth_lifetime_s=60)
            gw._credentials.expiry = gw._credentials.expiry.replace(year=2000)  # the first token ran out
            second = await burst(5, first=21)
            return first, second
        finally:
            await gw.client.aclose()

    first, second = asyncio.run(run())
    assert all(o.ok for o in first + second), [o.reason for o in first + second]
    assert first[0].provider_id and first[0].provider_id.startswith("projects/mka-app/messages/")
    signed_in = sent(fake, "oauth")
    # One sign-in for the burst of twenty (not one per push), one more after it ran out.
    assert len(signed_in) == 2
    assert signed_in[0]["client_email"] == "zesminuten@mka-app.iam.gserviceaccount.com"
    assert "firebase.messaging" in signed_in[0]["scope"]
    pushes = sent(fake, "fcm")
    assert len(pushes) == 25 and not any(p.get("refused") for p in pushes)
    assert {p["token"] for p in pushes} == {f"fcm-R{i}" for i in range(1, 26)}


def test_a_refused_sign_in_fails_the_push_not_the_loop(fake: FakeProviders) -> None:
    fake.reset()
    account = service_account(f"{fake.url}/oauth2/nowhere")  # the token service answers 404
    gw = FcmGateway(f"{fake.url}/fcm", "mka-app", service_account=account)

    async def run() -> list[Any]:
        try:
            return await asyncio.gather(*(gw.send(alert(f"R{i}")) for i in range(3)))
        finally:
            await gw.client.aclose()

    outcomes = asyncio.run(run())
    assert [(o.ok, o.reason) for o in outcomes] == [(False, "refused")] * 3
    assert sent(fake, "fcm") == []  # nothing went out without a token


def test_without_a_live_token_fcm_refuses(fake: FakeProviders) -> None:
    """The fake holds FCM to its promise: once a service account signed in, a made-up
    bearer is 401, which the gateway reports as refused."""
    fake.reset()
    good = FcmGateway(f"{fake.url}/fcm", "mka-app", service_account=service_account(f"{fake.url}/oauth2/token"))
    stale = FcmGateway(f"{fake.url}/fcm", "mka-app", access_token="ya29.made-up")

    async def run() -> tuple[Any, Any]:
        try:
            return await good.send(alert("R1")), await stale.send(alert("R2"))
        finally:
            await good.client.aclose()
            await stale.client.aclose()

    ok, refused = asyncio.run(run())
    assert ok.ok and (refused.ok, refused.reason) == (False, "refused")


def test_a_wrong_service_account_file_is_a_clear_error(tmp_path: Path, fake: FakeProviders) -> None:
    def load(account: Any) -> None:
        path = tmp_path / "sa.json"
        path.write_text(account if isinstance(account, str) else json.dumps(account))
        settings_from({"fcm": {"project_id": "mka-app", "service_account_file": str(path)}}, "channels.json", {})

    with pytest.raises(InvalidInput, match=r"fcm.service_account: not JSON"):
        load("{oops")
    good = service_account(f"{fake.url}/oauth2/token")
    with pytest.raises(InvalidInput, match=r"fcm.service_account.private_key: missing"):
        load({k: v for k, v in good.items() if k != "private_key"})
    with pytest.raises(InvalidInput, match=r"fcm.service_account.private_key: not usable"):
        load({**good, "private_key": "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"})
    with pytest.raises(InvalidInput, match=r"token_uri: expected https://"):
        load({**good, "token_uri": "http://tokens.example/token"})
    with pytest.raises(InvalidInput, match=r"fcm.service_account: missing"):
        settings_from({"fcm": {"project_id": "mka-app"}}, "channels.json", {})
    load(good)  # and the right one loads
    assert httpx.get(f"{fake.url}/admin/state", timeout=5).status_code == 200
