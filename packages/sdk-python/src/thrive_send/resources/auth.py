"""``client.auth``: a person's account and session, as the console uses them. A client made
with ``session=True`` keeps the session that ``sign_up``, ``sign_in``, ``mfa.verify`` and
``switch_organization`` answer, and acts with it; an API key's client gets
``restricted_api_key`` from the operations only a session may call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from typing_extensions import Unpack

from .. import _models as m
from .. import _params as p
from .._core import RequestOptions, RequestSpec, path
from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from .._base_client import AsyncAPIClient, SyncAPIClient


def _sign_up(params: p.SignUpParams | m.SignUpRequest, o: RequestOptions) -> RequestSpec:
    return RequestSpec(
        "signUp", "POST", "/auth/sign-up", body=params, options=o, ok_statuses=frozenset({201})
    )


def _sign_in(params: p.SignInParams | m.SignInRequest, o: RequestOptions) -> RequestSpec:
    return RequestSpec("signIn", "POST", "/auth/sign-in", body=params, options=o)


def _sign_out(o: RequestOptions) -> RequestSpec:
    return RequestSpec("signOut", "POST", "/auth/sign-out", options=o)


def _session(o: RequestOptions) -> RequestSpec:
    return RequestSpec("getSession", "GET", "/auth/session", options=o)


def _verify_email(
    params: p.VerifyEmailParams | m.VerifyEmailRequest, o: RequestOptions
) -> RequestSpec:
    return RequestSpec("verifyEmail", "POST", "/auth/verify-email", body=params, options=o)


def _switch(
    params: p.SwitchOrganizationParams | m.SwitchOrganizationRequest, o: RequestOptions
) -> RequestSpec:
    return RequestSpec(
        "switchOrganization", "POST", "/auth/switch-organization", body=params, options=o
    )


def _mfa(operation_id: str, action: str, body: object, o: RequestOptions) -> RequestSpec:
    return RequestSpec(operation_id, "POST", f"/auth/mfa/{action}", body=body, options=o)


def _reset_request(
    params: p.PasswordResetParams | m.PasswordResetRequest, o: RequestOptions
) -> RequestSpec:
    return RequestSpec(
        "requestPasswordReset",
        "POST",
        "/auth/password-reset",
        body=params,
        options=o,
        ok_statuses=frozenset({202}),
    )


def _reset_confirm(
    params: p.PasswordResetConfirmParams | m.PasswordResetConfirmRequest, o: RequestOptions
) -> RequestSpec:
    return RequestSpec(
        "confirmPasswordReset", "POST", "/auth/password-reset/confirm", body=params, options=o
    )


def _oidc_start(organization_id: str, o: RequestOptions) -> RequestSpec:
    url = path("/auth/oidc/{org}/start", org=organization_id)
    return RequestSpec(
        "startOidcSignIn", "GET", url, options=o, ok_statuses=frozenset({302}), redirect=True
    )


def _oidc_callback(query: Mapping[str, str | None], o: RequestOptions) -> RequestSpec:
    return RequestSpec(
        "finishOidcSignIn",
        "GET",
        "/auth/oidc/callback",
        query=dict(query),
        options=o,
        ok_statuses=frozenset({302}),
        redirect=True,
    )


def _callback_query(
    query: Mapping[str, str] | None,
    code: str | None,
    state: str | None,
    error: str | None,
    iss: str | None,
) -> dict[str, str | None]:
    named = {"code": code, "state": state, "error": error, "iss": iss}
    return {**(query or {}), **{name: value for name, value in named.items() if value is not None}}


class Mfa(SyncResource):
    def set_up(self, **options: Unpack[RequestOptions]) -> m.MfaSetup:
        """A new secret for an authenticator app; in force once enabled with a first code."""
        return self._client._request(_mfa("setUpMfa", "setup", None, options), m.MfaSetup)

    def enable(
        self, params: p.MfaCodeParams | m.MfaCodeRequest, **options: Unpack[RequestOptions]
    ) -> m.MfaEnabled:
        """Turns MFA on with a first code; the recovery codes are shown only in this answer."""
        return self._client._request(_mfa("enableMfa", "enable", params, options), m.MfaEnabled)

    def disable(
        self, params: p.MfaCodeParams | m.MfaCodeRequest, **options: Unpack[RequestOptions]
    ) -> m.MfaDisabled:
        """Turns MFA off, with a code or a recovery code (a stolen session alone cannot)."""
        return self._client._request(_mfa("disableMfa", "disable", params, options), m.MfaDisabled)

    def verify(
        self, params: p.MfaCodeParams | m.MfaCodeRequest, **options: Unpack[RequestOptions]
    ) -> m.Session:
        """Completes a sign-in whose session has ``mfa_required``: the session is replaced by
        a new one, which this client keeps."""
        return self._client._request(_mfa("verifyMfa", "verify", params, options), m.Session)


class PasswordReset(SyncResource):
    def request(
        self,
        params: p.PasswordResetParams | m.PasswordResetRequest,
        **options: Unpack[RequestOptions],
    ) -> m.PasswordResetRequested:
        """Emails a reset link when the address has an account (the answer does not tell)."""
        return self._client._request(_reset_request(params, options), m.PasswordResetRequested)

    def confirm(
        self,
        params: p.PasswordResetConfirmParams | m.PasswordResetConfirmRequest,
        **options: Unpack[RequestOptions],
    ) -> m.PasswordResetDone:
        """Sets the new password from the link's token; every session of the account ends."""
        return self._client._request(_reset_confirm(params, options), m.PasswordResetDone)


class Oidc(SyncResource):
    """Single sign-on through the organization's OpenID provider: a browser's journey, whose
    two ends a server-side app can drive."""

    def start(self, organization_id: str, **options: Unpack[RequestOptions]) -> str:
        """The provider's authorization URL to send the browser to (the API's 302, not
        followed). Its cookie, which the callback needs, stays in this client's jar."""
        return self._client._redirect(_oidc_start(organization_id, options))

    def callback(
        self,
        query: Mapping[str, str] | None = None,
        *,
        code: str | None = None,
        state: str | None = None,
        error: str | None = None,
        iss: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> str:
        """Finishes the sign-in with what the provider sent back (``query``: the callback
        URL's whole query, or its parameters by name): answers the console's URL, where the
        API redirects the browser; the session's cookies stay in this client's jar."""
        spec = _oidc_callback(_callback_query(query, code, state, error, iss), options)
        return self._client._redirect(spec)


class Auth(SyncResource):
    mfa: Mfa
    password_reset: PasswordReset
    oidc: Oidc

    def __init__(self, client: SyncAPIClient) -> None:
        super().__init__(client)
        self.mfa = Mfa(client)
        self.password_reset = PasswordReset(client)
        self.oidc = Oidc(client)

    def sign_up(
        self, params: p.SignUpParams | m.SignUpRequest, **options: Unpack[RequestOptions]
    ) -> m.Session:
        """Creates an account, its organization (the person owns it) and a session."""
        return self._client._request(_sign_up(params, options), m.Session)

    def sign_in(
        self, params: p.SignInParams | m.SignInRequest, **options: Unpack[RequestOptions]
    ) -> m.Session:
        """Signs in. With MFA on, the session has ``mfa_required`` and only ``mfa.verify``
        works until a code is given."""
        return self._client._request(_sign_in(params, options), m.Session)

    def sign_out(self, **options: Unpack[RequestOptions]) -> m.SignedOut:
        """Ends the session, here and wherever its cookie was copied to."""
        return self._client._request(_sign_out(options), m.SignedOut)

    def session(self, **options: Unpack[RequestOptions]) -> m.Session:
        """Who is signed in, their organizations, and the CSRF token."""
        return self._client._request(_session(options), m.Session)

    def verify_email(
        self, params: p.VerifyEmailParams | m.VerifyEmailRequest, **options: Unpack[RequestOptions]
    ) -> m.EmailVerified:
        """Confirms the account's address with the token of the emailed link."""
        return self._client._request(_verify_email(params, options), m.EmailVerified)

    def switch_organization(
        self,
        params: p.SwitchOrganizationParams | m.SwitchOrganizationRequest,
        **options: Unpack[RequestOptions],
    ) -> m.Session:
        """Makes another of the person's organizations the session's (it is rotated)."""
        return self._client._request(_switch(params, options), m.Session)


class AsyncMfa(AsyncResource):
    async def set_up(self, **options: Unpack[RequestOptions]) -> m.MfaSetup:
        return await self._client._request(_mfa("setUpMfa", "setup", None, options), m.MfaSetup)

    async def enable(
        self, params: p.MfaCodeParams | m.MfaCodeRequest, **options: Unpack[RequestOptions]
    ) -> m.MfaEnabled:
        spec = _mfa("enableMfa", "enable", params, options)
        return await self._client._request(spec, m.MfaEnabled)

    async def disable(
        self, params: p.MfaCodeParams | m.MfaCodeRequest, **options: Unpack[RequestOptions]
    ) -> m.MfaDisabled:
        spec = _mfa("disableMfa", "disable", params, options)
        return await self._client._request(spec, m.MfaDisabled)

    async def verify(
        self, params: p.MfaCodeParams | m.MfaCodeRequest, **options: Unpack[RequestOptions]
    ) -> m.Session:
        return await self._client._request(_mfa("verifyMfa", "verify", params, options), m.Session)


class AsyncPasswordReset(AsyncResource):
    async def request(
        self,
        params: p.PasswordResetParams | m.PasswordResetRequest,
        **options: Unpack[RequestOptions],
    ) -> m.PasswordResetRequested:
        spec = _reset_request(params, options)
        return await self._client._request(spec, m.PasswordResetRequested)

    async def confirm(
        self,
        params: p.PasswordResetConfirmParams | m.PasswordResetConfirmRequest,
        **options: Unpack[RequestOptions],
    ) -> m.PasswordResetDone:
        spec = _reset_confirm(params, options)
        return await self._client._request(spec, m.PasswordResetDone)


class AsyncOidc(AsyncResource):
    async def start(self, organization_id: str, **options: Unpack[RequestOptions]) -> str:
        return await self._client._redirect(_oidc_start(organization_id, options))

    async def callback(
        self,
        query: Mapping[str, str] | None = None,
        *,
        code: str | None = None,
        state: str | None = None,
        error: str | None = None,
        iss: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> str:
        spec = _oidc_callback(_callback_query(query, code, state, error, iss), options)
        return await self._client._redirect(spec)


class AsyncAuth(AsyncResource):
    mfa: AsyncMfa
    password_reset: AsyncPasswordReset
    oidc: AsyncOidc

    def __init__(self, client: AsyncAPIClient) -> None:
        super().__init__(client)
        self.mfa = AsyncMfa(client)
        self.password_reset = AsyncPasswordReset(client)
        self.oidc = AsyncOidc(client)

    async def sign_up(
        self, params: p.SignUpParams | m.SignUpRequest, **options: Unpack[RequestOptions]
    ) -> m.Session:
        return await self._client._request(_sign_up(params, options), m.Session)

    async def sign_in(
        self, params: p.SignInParams | m.SignInRequest, **options: Unpack[RequestOptions]
    ) -> m.Session:
        return await self._client._request(_sign_in(params, options), m.Session)

    async def sign_out(self, **options: Unpack[RequestOptions]) -> m.SignedOut:
        return await self._client._request(_sign_out(options), m.SignedOut)

    async def session(self, **options: Unpack[RequestOptions]) -> m.Session:
        return await self._client._request(_session(options), m.Session)

    async def verify_email(
        self, params: p.VerifyEmailParams | m.VerifyEmailRequest, **options: Unpack[RequestOptions]
    ) -> m.EmailVerified:
        return await self._client._request(_verify_email(params, options), m.EmailVerified)

    async def switch_organization(
        self,
        params: p.SwitchOrganizationParams | m.SwitchOrganizationRequest,
        **options: Unpack[RequestOptions],
    ) -> m.Session:
        return await self._client._request(_switch(params, options), m.Session)
