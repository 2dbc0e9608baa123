import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import { SharedRateLimiter } from "../../lib/shared-rate-limit.ts";
import { createSsrfGuard } from "../../lib/ssrf-guard.ts";
import type { Provider } from "../../mail/provider.ts";
import { GuardedProvider, type GuardedProviderHooks } from "../../mail/provider-breaker.ts";
import { ProviderChain } from "../../mail/provider-chain.ts";
import type { MailTransport, OutgoingMessage } from "../../mail/transport.ts";
import { OrgProviders } from "./org-providers.ts";

/** Picks the transport of each email (jobs/email_send.ts). */
export interface DeliveryRouting {
  /**
   * The organization's enabled providers by priority, then the installation's chain, with
   * the sending domain's rate limit (when one is set) in front of them all.
   */
  transportFor(orgId: string, senderDomain: string | null): Promise<MailTransport>;
}

export class ProviderRouting implements DeliveryRouting {
  readonly globalChain: ProviderChain;
  readonly #orgProviders: OrgProviders;
  readonly #limiter: SharedRateLimiter;
  readonly #domainRatePerSecond: number | null;
  readonly #onClose: () => void;

  constructor(input: {
    globalChain: ProviderChain;
    orgProviders: OrgProviders;
    limiter: SharedRateLimiter;
    domainRatePerSecond: number | null;
    onClose?: () => void;
  }) {
    this.globalChain = input.globalChain;
    this.#orgProviders = input.orgProviders;
    this.#limiter = input.limiter;
    this.#domainRatePerSecond = input.domainRatePerSecond;
    this.#onClose = input.onClose ?? (() => {});
  }

  async transportFor(orgId: string, senderDomain: string | null): Promise<MailTransport> {
    const chain = this.globalChain.after(await this.#orgProviders.get(orgId));
    const rate = this.#domainRatePerSecond;
    if (rate === null || !senderDomain) return chain;
    // Per message, before any provider: a domain's rate holds whichever provider takes it.
    return beforeEachSend(chain, () => this.#limiter.take(`domain:${senderDomain}`, rate));
  }

  async close(): Promise<void> {
    await Promise.all([this.globalChain.close(), this.#orgProviders.close()]);
    this.#onClose();
  }
}

function beforeEachSend(transport: MailTransport, wait: () => Promise<void>): MailTransport {
  return {
    name: transport.name,
    finalHop: transport.finalHop,
    async send(message: OutgoingMessage) {
      await wait();
      return transport.send(message);
    },
    close: () => transport.close(),
  };
}

/**
 * The worker's routing: the installation's providers (`globals`, in order) and the
 * organizations', each behind a breaker, their send rates and the domains' shared through
 * PostgreSQL with every other worker process.
 */
export function createProviderRouting(input: {
  config: Pick<Config, "providerBreaker" | "providerAllowedNetworks" | "domainRatePerSecond">;
  database: Database;
  secrets: SecretBox;
  globals: Provider[];
  logger: Logger;
}): ProviderRouting {
  const { config, logger } = input;
  const limiter = new SharedRateLimiter(input.database.sql);
  const hooks: GuardedProviderHooks = {
    throttle: (provider) =>
      limiter.take(provider.key, provider.ratePerSecond ?? Number.POSITIVE_INFINITY),
    onStateChange: (provider, state) =>
      logger[state === "open" ? "warn" : "info"](
        { provider: provider.name, providerId: provider.id, state },
        `provider breaker ${state.replace("_", "-")}`,
      ),
  };
  const guard = createSsrfGuard({ allowList: config.providerAllowedNetworks });
  return new ProviderRouting({
    globalChain: new ProviderChain(
      input.globals.map((provider) => new GuardedProvider(provider, config.providerBreaker, hooks)),
    ),
    orgProviders: new OrgProviders({
      db: input.database.db,
      secrets: input.secrets,
      breaker: config.providerBreaker,
      hooks,
      lookup: guard.lookup,
      logger,
    }),
    limiter,
    domainRatePerSecond: config.domainRatePerSecond,
    onClose: () => guard.close(),
  });
}
