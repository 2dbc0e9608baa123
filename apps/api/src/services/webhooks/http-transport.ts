import type { Logger } from "../../lib/logger.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import { createSsrfGuard, type SsrfGuard } from "../../lib/ssrf-guard.ts";
import type { DeliveryTransport } from "./dispatcher.ts";
import { webhookMessageId } from "./message-id.ts";
import { planAttempt } from "./plan-attempt.ts";
import type { DeliveryPolicy } from "./policy.ts";
import { postWebhook } from "./post-webhook.ts";
import { WebhookSigner } from "./signature.ts";

export interface HttpTransportOptions {
  secrets: SecretBox;
  logger: Logger;
  policy: DeliveryPolicy;
  clock: () => Date;
  random: () => number;
  /** CIDRs endpoints may be on although not public (SSRF_ALLOW). */
  ssrfAllowList?: readonly string[];
  /** Tests: a guard of their own (no allow-list, their resolver); closed by them. */
  guard?: SsrfGuard;
}

/**
 * Our own delivery: the event's payload as JSON, signed with the endpoint's secret(s)
 * (signature.ts), POSTed through the process's SSRF guard with its keep-alive pools.
 */
export function createHttpTransport(options: HttpTransportOptions): DeliveryTransport {
  const { logger, policy, clock, random } = options;
  const guard =
    options.guard ?? createSsrfGuard({ allowList: options.ssrfAllowList, keepAlive: true });
  const signer = new WebhookSigner(options.secrets);
  return {
    async attempt(delivery) {
      const body = JSON.stringify(delivery.payload);
      const sentAt = clock();
      const headers = signer.headers({
        messageId: webhookMessageId(delivery.eventId),
        timestamp: sentAt,
        body,
        secrets: delivery.endpoint.secrets,
        now: sentAt,
      });
      const http = await postWebhook({
        url: delivery.endpoint.url,
        body,
        headers,
        guard,
        timeoutMs: policy.timeoutMs,
      });
      if (http.error) {
        // The reason may name an internal address: for our logs, never for the endpoint's owner.
        logger.info(
          { deliveryId: delivery.id, code: http.error, reason: http.reason },
          "webhook attempt got no answer",
        );
      }
      return planAttempt(delivery, http, policy, clock(), random);
    },
    async close() {
      if (!options.guard) guard.close();
    },
  };
}
