import type { WebhookSettings } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import type { SsrfGuard } from "../../lib/ssrf-guard.ts";
import { createDispatcher, type WebhookDispatcher } from "./dispatcher.ts";
import { createHttpTransport } from "./http-transport.ts";
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from "./policy.ts";
import { createSvixTransport } from "./svix-transport.ts";

export interface WebhookDispatcherOptions {
  settings: WebhookSettings;
  database: Pick<Database, "db" | "sql">;
  secrets: SecretBox;
  logger: Logger;
  /** CIDRs endpoints may be on although not public (SSRF_ALLOW). */
  ssrfAllowList?: readonly string[];
  /** Tests: a guard of their own; a shorter schedule; a clock that jumps days ahead. */
  guard?: SsrfGuard;
  policy?: Partial<DeliveryPolicy>;
  clock?: () => Date;
  random?: () => number;
}

/** The worker's dispatcher: ours, or a Svix server's when SVIX_API_KEY is set. */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { settings, database, secrets, logger } = options;
  const policy: DeliveryPolicy = {
    ...DEFAULT_DELIVERY_POLICY,
    timeoutMs: settings.timeoutMs,
    ...options.policy,
  };
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const transport = settings.svix
    ? createSvixTransport({
        ...settings.svix,
        db: database.db,
        secrets,
        logger,
        policy,
        clock,
        random,
      })
    : createHttpTransport({
        secrets,
        logger,
        policy,
        clock,
        random,
        ssrfAllowList: options.ssrfAllowList,
        guard: options.guard,
      });
  return createDispatcher({
    database,
    logger,
    transport,
    policy,
    endpointConcurrency: settings.endpointConcurrency,
    clock,
  });
}
