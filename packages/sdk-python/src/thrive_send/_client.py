"""``Client`` and ``AsyncClient``: the resources over one connection pool."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._core import ClientSettings, Timeout
from ._policy import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from .resources.api_keys import ApiKeys, AsyncApiKeys
from .resources.domains import AsyncDomains, Domains
from .resources.emails import AsyncBatch, AsyncEmails, Batch, Emails
from .resources.events import AsyncEvents, Events
from .resources.providers import AsyncProviders, Providers
from .resources.reputation import AsyncReputation, Reputation
from .resources.suppressions import AsyncSuppressions, Suppressions
from .resources.system import AsyncSystem, System
from .resources.webhooks import AsyncWebhooks, Webhooks

__all__ = ["AsyncClient", "Client"]


class Client(SyncAPIClient):
    """A Thrive-Send API client.

    ``api_key`` defaults to ``$THRIVE_API_KEY`` and ``base_url`` to ``$THRIVE_BASE_URL`` (else
    ``http://localhost:3000``). Failed calls are retried ``max_retries`` times (connection
    errors, 408, 409 concurrent_idempotent_requests, 429, 5xx); ``timeout`` is in seconds or an
    ``httpx.Timeout``. Every method also takes ``timeout``, ``max_retries`` and
    ``extra_headers`` for one call.
    """

    emails: Emails
    batch: Batch
    api_keys: ApiKeys
    domains: Domains
    suppressions: Suppressions
    reputation: Reputation
    providers: Providers
    webhooks: Webhooks
    events: Events
    system: System

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        settings = ClientSettings.resolve(api_key, base_url, timeout, max_retries, default_headers)
        self._init(settings, http_client)

    def _init(self, settings: ClientSettings, http_client: httpx.Client | None) -> None:
        super().__init__(settings, http_client)
        self.emails = Emails(self)
        self.batch = Batch(self)
        self.api_keys = ApiKeys(self)
        self.domains = Domains(self)
        self.suppressions = Suppressions(self)
        self.reputation = Reputation(self)
        self.providers = Providers(self)
        self.webhooks = Webhooks(self)
        self.events = Events(self)
        self.system = System(self)

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> Client:
        """A client with some settings changed, sharing this one's connection pool."""
        copy = Client.__new__(Client)
        copy._init(
            _changed(self._settings, api_key, base_url, timeout, max_retries, default_headers),
            self._http,
        )
        copy._owns_http = False
        return copy


class AsyncClient(AsyncAPIClient):
    """The asyncio twin of ``Client``: the same resources, with awaitable methods and async
    iterators."""

    emails: AsyncEmails
    batch: AsyncBatch
    api_keys: AsyncApiKeys
    domains: AsyncDomains
    suppressions: AsyncSuppressions
    reputation: AsyncReputation
    providers: AsyncProviders
    webhooks: AsyncWebhooks
    events: AsyncEvents
    system: AsyncSystem

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        settings = ClientSettings.resolve(api_key, base_url, timeout, max_retries, default_headers)
        self._init(settings, http_client)

    def _init(self, settings: ClientSettings, http_client: httpx.AsyncClient | None) -> None:
        super().__init__(settings, http_client)
        self.emails = AsyncEmails(self)
        self.batch = AsyncBatch(self)
        self.api_keys = AsyncApiKeys(self)
        self.domains = AsyncDomains(self)
        self.suppressions = AsyncSuppressions(self)
        self.reputation = AsyncReputation(self)
        self.providers = AsyncProviders(self)
        self.webhooks = AsyncWebhooks(self)
        self.events = AsyncEvents(self)
        self.system = AsyncSystem(self)

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> AsyncClient:
        copy = AsyncClient.__new__(AsyncClient)
        copy._init(
            _changed(self._settings, api_key, base_url, timeout, max_retries, default_headers),
            self._http,
        )
        copy._owns_http = False
        return copy


def _changed(
    settings: ClientSettings,
    api_key: str | None,
    base_url: str | None,
    timeout: Timeout | None,
    max_retries: int | None,
    default_headers: Mapping[str, str] | None,
) -> ClientSettings:
    return ClientSettings(
        api_key=api_key if api_key is not None else settings.api_key,
        base_url=(base_url or settings.base_url).rstrip("/"),
        timeout=timeout if timeout is not None else settings.timeout,
        max_retries=max_retries if max_retries is not None else settings.max_retries,
        default_headers={**settings.default_headers, **(default_headers or {})},
    )
