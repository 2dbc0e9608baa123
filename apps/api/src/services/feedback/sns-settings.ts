import type { Config } from "../../config.ts";
import { createCertificateFetcher, type VerifySnsOptions } from "../../mail/sns.ts";

/** How SNS messages are checked, and how a subscription is confirmed. */
export interface SnsSettings {
  verify: VerifySnsOptions;
  confirm(subscribeUrl: string): Promise<void>;
}

/** From SNS_TOPIC_ARNS; undefined (the endpoint answers 404) when it is not set. */
export function snsSettings(config: Pick<Config, "snsTopicArns">): SnsSettings | undefined {
  if (!config.snsTopicArns) return undefined;
  return {
    verify: { fetchCertificate: createCertificateFetcher(), allowedTopicArns: config.snsTopicArns },
    // The verifier has checked that the URL is https on an SNS host.
    async confirm(subscribeUrl) {
      const response = await fetch(subscribeUrl, {
        redirect: "error",
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel();
      if (!response.ok)
        throw new Error(`SNS subscription confirmation answered ${response.status}`);
    },
  };
}
