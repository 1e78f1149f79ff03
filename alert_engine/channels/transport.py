"""An httpx transport on aiohttp's connection pool, for the alert's burst of a hundred requests.

The gateways are httpx clients (requests, timeouts, errors as httpx knows them). httpx's
own async pool walks its whole queue of waiting requests for every connection event, so
a hundred requests at once cost it about five times what aiohttp needs (measured on the
service's 2-core machines: ~250 ms against ~50 ms for 100 POSTs to one provider), and the
alert's push requests must all be at the provider within 100 ms. Only the transport is
swapped: `"transport": "httpx"` in the channel configuration goes back to httpx's own.
"""

from __future__ import annotations

from typing import Any

import aiohttp  # imported with the gateways, not at the first alert (it takes ~0.2 s)
import httpx


class AiohttpTransport(httpx.AsyncBaseTransport):
    def __init__(self, max_connections: int = 100) -> None:
        self.max_connections = max_connections
        self._session: Any = None  # made in the event loop that uses it

    def _client(self) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.max_connections, ttl_dns_cache=300),
                auto_decompress=False, skip_auto_headers=("User-Agent", "Content-Type"), cookie_jar=aiohttp.DummyCookieJar())
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        t = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=t.get("connect"), sock_read=t.get("read"))
        body = await request.aread()
        try:
            async with self._client().request(request.method, str(request.url), data=body, timeout=timeout,
                                              headers=list(request.headers.multi_items()),
                                              allow_redirects=False) as response:
                content = await response.read()
                return httpx.Response(response.status, headers=list(response.raw_headers), content=content,
                                      request=request)
        except TimeoutError as exc:
            raise httpx.ReadTimeout(str(exc) or "timed out", request=request) from None
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from None
        except aiohttp.ClientError as exc:
            raise httpx.TransportError(str(exc), request=request) from None

    async def post(self, url: str, body: bytes, headers: dict[str, str], *, connect_s: float,
                   read_s: float) -> tuple[int, str | None]:
        """One POST straight on the pool, without httpx's request and response models: the
        Web Push burst's path (status, Location header). httpx's own per-request work is about
        a quarter of a millisecond, which for a hundred pushes is a quarter of the 100 ms
        budget; errors are raised as httpx's, like `handle_async_request`."""
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect_s, sock_read=read_s)
        try:
            async with self._client().post(url, data=body, headers=headers, timeout=timeout,
                                           allow_redirects=False) as response:
                await response.read()
                return response.status, response.headers.get("Location")
        except TimeoutError as exc:
            raise httpx.ReadTimeout(str(exc) or "timed out") from None
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc)) from None
        except aiohttp.ClientError as exc:
            raise httpx.TransportError(str(exc)) from None

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
