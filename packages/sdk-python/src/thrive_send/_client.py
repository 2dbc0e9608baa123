"""``Client`` and ``AsyncClient``: the resources over one connection pool."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import httpx

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._core import ClientSettings, Timeout
from ._policy import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._session import resume
from .resources.api_keys import ApiKeys, AsyncApiKeys
from .resources.audit_logs import AsyncAuditLogs, AuditLogs
from .resources.auth import AsyncAuth, Auth
from .resources.domains import AsyncDomains, Domains
from .resources.emails import AsyncBatch, AsyncEmails, Batch, Emails
from .resources.events import AsyncEvents, Events
from .resources.invitations import AsyncInvitations, Invitations
from .resources.members import AsyncMembers, Members
from .resources.organization import AsyncOrganization, Organization
from .resources.providers import AsyncProviders, Providers
from .resources.reputation import AsyncReputation, Reputation
from .resources.request_signing import AsyncRequestSigning, RequestSigning
from .resources.roles import AsyncRoles, Roles
from .resources.suppressions import AsyncSuppressions, Suppressions
from .resources.system import AsyncSystem, System
from .resources.usage import AsyncUsage, Usage
from .resources.webhooks import AsyncWebhooks, Webhooks

__all__ = ["AsyncClient", "Client"]


class Client(SyncAPIClient):
    """A Thrive-Send API client.

    ``api_key`` defaults to ``$THRIVE_API_KEY`` and ``base_url`` to ``$THRIVE_BASE_URL`` (else
    ``http://localhost:3000``). Failed calls are retried ``max_retries`` times (connection
    errors, 408, 409 concurrent_idempotent_requests, 429, 5xx); ``timeout`` is in seconds or an
    ``httpx.Timeout``. Every method also takes ``timeout``, ``max_retries`` and
    ``extra_headers`` for one call.

    ``session=True`` makes a client that acts as a person, as the console does, instead of
    with an API key: it keeps the session that ``auth.sign_in`` (``sign_up``,
    ``invitations.accept``...) answers and sends its cookie back, with the CSRF token on
    changes; ``session="<cookie>"`` resumes one (``client.session_cookie`` of an earlier
    client). ``signing_secret`` signs every request, for an organization that requires it.
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
    auth: Auth
    organization: Organization
    members: Members
    roles: Roles
    invitations: Invitations
    audit_logs: AuditLogs
    usage: Usage
    request_signing: RequestSigning

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        session: bool | str = False,
        signing_secret: str | None = None,
    ) -> None:
        settings = ClientSettings.resolve(
            api_key,
            base_url,
            timeout,
            max_retries,
            default_headers,
            as_person=session is not False,
            signing_secret=signing_secret,
        )
        self._init(settings, http_client)
        if isinstance(session, str) and session:
            resume(self._http.cookies, settings.base_url, session)

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
        self.auth = Auth(self)
        self.organization = Organization(self)
        self.members = Members(self)
        self.roles = Roles(self)
        self.invitations = Invitations(self)
        self.audit_logs = AuditLogs(self)
        self.usage = Usage(self)
        self.request_signing = RequestSigning(self)

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
    auth: AsyncAuth
    organization: AsyncOrganization
    members: AsyncMembers
    roles: AsyncRoles
    invitations: AsyncInvitations
    audit_logs: AsyncAuditLogs
    usage: AsyncUsage
    request_signing: AsyncRequestSigning

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        session: bool | str = False,
        signing_secret: str | None = None,
    ) -> None:
        settings = ClientSettings.resolve(
            api_key,
            base_url,
            timeout,
            max_retries,
            default_headers,
            as_person=session is not False,
            signing_secret=signing_secret,
        )
        self._init(settings, http_client)
        if isinstance(session, str) and session:
            resume(self._http.cookies, settings.base_url, session)

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
        self.auth = AsyncAuth(self)
        self.organization = AsyncOrganization(self)
        self.members = AsyncMembers(self)
        self.roles = AsyncRoles(self)
        self.invitations = AsyncInvitations(self)
        self.audit_logs = AsyncAuditLogs(self)
        self.usage = AsyncUsage(self)
        self.request_signing = AsyncRequestSigning(self)

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
    # A person's copy keeps the session (the same cookie jar, the same CSRF token).
    return replace(
        settings,
        api_key=api_key if api_key is not None else settings.api_key,
        base_url=(base_url or settings.base_url).rstrip("/"),
        timeout=timeout if timeout is not None else settings.timeout,
        max_retries=max_retries if max_retries is not None else settings.max_retries,
        default_headers={**settings.default_headers, **(default_headers or {})},
    )
