import type { Config } from "./config.ts";
import { connectDatabase, type Database } from "./db/client.ts";
import { LeasedRateLimiter } from "./lib/leased-rate-limiter.ts";
import type { Logger } from "./lib/logger.ts";
import { SecretBox } from "./lib/secrets.ts";
import type { MailCatcher } from "./mail/catcher.ts";
import { TrackingTokens } from "./mail/tracking-tokens.ts";
import { ApiKeyAuthenticator } from "./services/api-keys/authenticate-api-key.ts";
import { SignatureReplays } from "./services/api-keys/signature-replays.ts";
import { SecurityEvents } from "./services/audit/security-events.ts";
import { type SenderPolicy, SendingDomains } from "./services/domains/sending-domains.ts";
import { createEmailWriter, type EmailWriter } from "./services/emails/email-writer.ts";
import { EventNotifications } from "./services/events/event-notifications.ts";
import { type SnsSettings, snsSettings } from "./services/feedback/sns-settings.ts";
import { OidcClients } from "./services/oidc/oidc-clients.ts";
import { RoleCache } from "./services/roles/role-cache.ts";
import { QuotaGate } from "./services/usage/quota-gate.ts";
import { UsageMeter } from "./services/usage/usage-meter.ts";

/** What the HTTP layer works with, built once per process and passed down. */
export interface ApiDeps {
  config: Config;
  database: Database;
  logger: Logger;
  emailWriter: EmailWriter;
  authenticator: ApiKeyAuthenticator;
  /** The members' permissions by role, custom roles resolved and cached per organization. */
  roles: RoleCache;
  secrets: SecretBox;
  /** Reads the open, click and unsubscribe tokens the worker puts in messages. */
  trackingTokens: TrackingTokens;
  senders: SenderPolicy;
  /** The shared LISTEN connection that wakes the event streams (GET /events/stream). */
  eventNotifications: EventNotifications;
  /** SES event notifications (POST /feedback/ses), when SNS_TOPIC_ARNS is set. */
  sns: SnsSettings | undefined;
  /** Request limits per key, organization and client address, shared by the processes. */
  rateLimiter: LeasedRateLimiter;
  /** The plans' daily and monthly send quotas. */
  quota: QuotaGate;
  /** Usage per organization and day (GET /usage), flushed every few seconds. */
  usage: UsageMeter;
  /** Signed requests already seen (replay protection of request signing). */
  signatureReplays: SignatureReplays;
  /** Refused requests worth an audit entry (throttled). */
  securityEvents: SecurityEvents;
  /** Dev mode: the catcher whose messages GET /dev/inbox shows. */
  devInbox?: MailCatcher | undefined;
  /** Now, for session expiry and tokens: replaced in tests to move time forward. */
  clock: () => Date;
  /** Keys the sessions' CSRF tokens (lib/session-cookie.ts). */
  csrfKey: Buffer;
  /** The organizations' OpenID Connect providers, discovered once (services/oidc). */
  oidc: OidcClients;
}

export function createApiDeps(
  config: Config,
  logger: Logger,
  extras: {
    database?: Database;
    devInbox?: MailCatcher;
    sns?: SnsSettings;
    clock?: () => Date;
  } = {},
): ApiDeps {
  const database =
    extras.database ?? connectDatabase(config.databaseUrl, { max: config.databasePoolSize });
  const secrets = new SecretBox(config.encryptionKey);
  const usage = new UsageMeter(database.sql, logger, { flushMs: config.usageFlushMs });
  usage.start();
  return {
    config,
    database,
    logger,
    emailWriter: createEmailWriter(database.sql),
    authenticator: new ApiKeyAuthenticator(database.db, logger, secrets),
    roles: new RoleCache(database.db),
    secrets,
    trackingTokens: new TrackingTokens(secrets.derive("tracking")),
    senders: {
      domains: new SendingDomains(database.db),
      requireVerifiedDomain: config.requireVerifiedDomain,
    },
    eventNotifications: new EventNotifications(database.sql, logger),
    sns: extras.sns ?? snsSettings(config),
    rateLimiter: new LeasedRateLimiter(database.sql, { logger }),
    quota: new QuotaGate(database.sql, database.db, config.planQuotas),
    usage,
    signatureReplays: new SignatureReplays(database.sql),
    securityEvents: new SecurityEvents(database.db, logger),
    devInbox: extras.devInbox,
    clock: extras.clock ?? (() => new Date()),
    csrfKey: secrets.derive("csrf"),
    oidc: new OidcClients(config),
  };
}
