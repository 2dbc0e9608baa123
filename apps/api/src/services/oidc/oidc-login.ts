import { and, eq, isNull } from "drizzle-orm";
import * as client from "openid-client";
import {
  memberships,
  oidcConnections,
  organizations,
  userIdentities,
} from "../../db/schema/index.ts";
import { domainOf } from "../../lib/address.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { actingAs, recordUserAudit, userTarget } from "../audit/user-audit.ts";
import type { IdentityContext } from "../auth/identity-context.ts";
import { createSession, type NewSession } from "../sessions/sessions.ts";
import { normalizeEmail } from "../users/login-throttle.ts";
import { createUser, findUser, findUserByEmail } from "../users/users.ts";
import { clientKey } from "./connections.ts";
import type { OidcClients } from "./oidc-clients.ts";
import { auditSsoRefusal, SsoRefusal } from "./sso-refusal.ts";

/** How long someone has at their provider between start and callback. */
const LOGIN_MS = 10 * 60_000;

/** What start remembers for the callback, sealed in a cookie of the browser that started. */
interface PendingLogin {
  connectionId: string;
  orgId: string;
  state: string;
  nonce: string;
  verifier: string;
  expiresAt: number;
}

export interface OidcLoginContext extends IdentityContext {
  oidc: OidcClients;
  redirectUri: string;
}

async function liveConnection(ctx: OidcLoginContext, where: { orgId?: string; id?: string }) {
  const [row] = await ctx.db
    .select({ connection: oidcConnections })
    .from(oidcConnections)
    .innerJoin(
      organizations,
      and(eq(organizations.id, oidcConnections.orgId), isNull(organizations.deletedAt)),
    )
    .where(
      and(
        where.orgId ? eq(oidcConnections.orgId, where.orgId) : undefined,
        where.id ? eq(oidcConnections.id, where.id) : undefined,
        eq(oidcConnections.enabled, true),
      ),
    );
  return row?.connection;
}

async function configurationOf(
  ctx: OidcLoginContext,
  connection: typeof oidcConnections.$inferSelect,
) {
  return ctx.oidc.configuration({
    key: clientKey(connection),
    issuer: connection.issuer,
    clientId: connection.clientId,
    clientSecret: ctx.secrets.open(connection.clientSecret),
  });
}

/**
 * The provider's authorization URL for an organization's single sign-on, with a fresh state,
 * nonce and PKCE verifier, and those sealed for the browser's cookie. 404 when the
 * organization has no enabled connection.
 */
export async function startOidcLogin({ ctx, orgId }: { ctx: OidcLoginContext; orgId: string }) {
  const connection = await liveConnection(ctx, { orgId });
  if (!connection) throw notFound("Single sign-on for this organization");
  const config = await configurationOf(ctx, connection);
  const pending: PendingLogin = {
    connectionId: connection.id,
    orgId,
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    expiresAt: ctx.now.getTime() + LOGIN_MS,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: ctx.redirectUri,
    scope: "openid email profile",
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
  });
  return {
    url: url.href,
    cookie: ctx.secrets.seal(JSON.stringify(pending)),
    maxAgeSeconds: LOGIN_MS / 1000,
  };
}

function openPending(ctx: OidcLoginContext, sealed: string | undefined): PendingLogin {
  if (!sealed)
    throw new AppError("sso_failed", "No sign-in in progress in this browser: start again");
  try {
    const pending = JSON.parse(ctx.secrets.open(sealed)) as PendingLogin;
    if (pending.expiresAt > ctx.now.getTime()) return pending;
  } catch {
    // altered or from another key: the same answer
  }
  throw new AppError("sso_failed", "The sign-in took too long or was tampered with: start again");
}

/**
 * The provider's redirect back: checks state, nonce and PKCE (openid-client), then signs the
 * person in. Known by their subject at this provider, or else by a verified email of an
 * allowed domain: a first sign-in creates their account (no password) and their membership
 * with the connection's default role. 403 forbidden for an email outside the allowed domains.
 * Once the browser's pending sign-in is open (its organization known), a refusal is audited
 * there as `user.sign_in_failed` (a throttled security event: nothing changed).
 */
export async function finishOidcLogin({
  ctx,
  callbackUrl,
  sealedPending,
  providerError,
}: {
  ctx: OidcLoginContext;
  callbackUrl: URL;
  sealedPending: string | undefined;
  /** The provider's `error` parameter: it refused (or the person cancelled). */
  providerError?: string | undefined;
}): Promise<NewSession & { orgId: string }> {
  const refused = providerError
    ? new AppError("sso_failed", `The provider refused the sign-in: ${providerError}`)
    : null;
  let pending: PendingLogin;
  try {
    pending = openPending(ctx, sealedPending);
  } catch (error) {
    throw refused ?? error;
  }
  try {
    if (refused) {
      throw new SsoRefusal("provider_refused", refused, { error: providerError?.slice(0, 100) });
    }
    return await signInWithProvider(ctx, pending, callbackUrl);
  } catch (error) {
    if (error instanceof SsoRefusal) {
      auditSsoRefusal(ctx, pending, error);
      throw error.error;
    }
    throw error;
  }
}

async function signInWithProvider(
  ctx: OidcLoginContext,
  pending: PendingLogin,
  callbackUrl: URL,
): Promise<NewSession & { orgId: string }> {
  const connection = await liveConnection(ctx, { id: pending.connectionId });
  if (!connection) {
    throw new SsoRefusal(
      "connection_disabled",
      new AppError("sso_failed", "Single sign-on is no longer enabled for this organization"),
    );
  }
  const config = await configurationOf(ctx, connection);
  let claims: Record<string, unknown> & { sub: string };
  try {
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error("no ID token");
    claims = idToken;
    // Many providers put the profile claims only in userinfo when they issue an access token.
    if (typeof claims.email !== "string") {
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
      claims = { ...userinfo, ...idToken };
      for (const name of ["email", "email_verified", "name"]) claims[name] = userinfo[name];
    }
  } catch (error) {
    // Not the provider's message in the audit log: it may quote what it was sent.
    throw new SsoRefusal(
      "invalid_response",
      new AppError("sso_failed", `The provider's answer was refused: ${(error as Error).message}`),
    );
  }
  const email = typeof claims.email === "string" ? normalizeEmail(claims.email) : null;
  if (!email || claims.email_verified === false) {
    throw new SsoRefusal(
      "email_not_verified",
      new AppError("sso_failed", "The provider did not give a verified email address"),
    );
  }
  if (!connection.allowedDomains.includes(domainOf(email).toLowerCase())) {
    throw new SsoRefusal(
      "domain_not_allowed",
      new AppError(
        "forbidden",
        `${domainOf(email)} is not a domain allowed to sign in to this organization`,
      ),
      { email },
    );
  }
  const subject = claims.sub;
  const orgId = connection.orgId;

  return ctx.db.transaction(async (tx) => {
    const [identity] = await tx
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(
        and(eq(userIdentities.connectionId, connection.id), eq(userIdentities.subject, subject)),
      );
    const known = identity ? await findUser(tx, identity.userId) : await findUserByEmail(tx, email);
    const user =
      known ??
      (await createUser(tx, {
        email,
        name: typeof claims.name === "string" ? claims.name.slice(0, 200) : null,
        passwordHash: null,
        emailVerifiedAt: ctx.now,
        now: ctx.now,
      }));
    const origin = actingAs(ctx.audit, user.id);
    if (!known) {
      await recordAudit(tx, origin, {
        orgId,
        action: "user.signed_up",
        target: userTarget(user.id),
        details: { email: user.email, method: "oidc", connection_id: connection.id },
      });
    }
    if (!identity) {
      await tx
        .insert(userIdentities)
        .values({ id: newId(), userId: user.id, connectionId: connection.id, subject })
        .onConflictDoNothing();
    }
    const [joined] = await tx
      .insert(memberships)
      .values({
        id: newId(),
        orgId,
        userId: user.id,
        role: connection.defaultRole,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning({ id: memberships.id });
    if (joined) {
      await recordAudit(tx, origin, {
        orgId,
        action: "member.joined",
        target: { type: "member", id: joined.id },
        details: {
          user_id: user.id,
          email: user.email,
          role: connection.defaultRole,
          method: "oidc",
        },
      });
    }
    // The provider authenticated the person, with its own second factor if it has one.
    const session = await createSession(tx, {
      userId: user.id,
      orgId,
      mfaVerified: true,
      ...ctx.client,
      now: ctx.now,
      timeouts: ctx.timeouts,
    });
    await recordUserAudit(tx, origin, user.id, {
      action: "user.signed_in",
      target: userTarget(user.id),
      details: { method: "oidc", connection_id: connection.id, session_id: session.id },
    });
    return { ...session, orgId };
  });
}
