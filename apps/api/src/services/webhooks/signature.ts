import { Webhook } from "svix";
import type { SecretBox } from "../../lib/secrets.ts";

export const WEBHOOK_USER_AGENT = "Thrive-Send-Webhooks/1.0";

/** An endpoint's secrets as stored: sealed (lib/secrets.ts), the previous one while it lasts. */
export interface EndpointSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** Opened keys kept per process; past this many (all distinct endpoints), start over. */
const MAX_KEYS = 10_000;

/**
 * Signs webhook messages the Standard Webhooks way, with svix's own `Webhook.sign`: what
 * Resend's and Svix's verifiers (`new Webhook(secret).verify(body, headers)`) accept. The
 * headers come twice, `webhook-*` (Standard Webhooks) and `svix-*` (what Resend users check
 * today). During a rotation the signature header carries the new and the previous secret's
 * signatures, space-separated: a receiver verifies with either until it has switched.
 */
export class WebhookSigner {
  readonly #secrets: SecretBox;
  readonly #keys = new Map<string, Webhook>();

  constructor(secrets: SecretBox) {
    this.#secrets = secrets;
  }

  headers(input: {
    messageId: string;
    timestamp: Date;
    body: string;
    secrets: EndpointSecrets;
    now: Date;
  }): Record<string, string> {
    const { secrets } = input;
    const keys = [this.#key(secrets.secret)];
    if (
      secrets.previousSecret &&
      secrets.previousSecretExpiresAt &&
      secrets.previousSecretExpiresAt > input.now
    ) {
      keys.push(this.#key(secrets.previousSecret));
    }
    return signedHeaders(input.messageId, input.timestamp, input.body, keys);
  }

  /** Opening (AES-GCM) and decoding a key once per sealed value, not once per message. */
  #key(sealed: string): Webhook {
    let key = this.#keys.get(sealed);
    if (!key) {
      if (this.#keys.size >= MAX_KEYS) this.#keys.clear();
      key = new Webhook(this.#secrets.open(sealed));
      this.#keys.set(sealed, key);
    }
    return key;
  }
}

export function signedHeaders(
  messageId: string,
  timestamp: Date,
  body: string,
  keys: readonly Webhook[],
): Record<string, string> {
  const signature = keys.map((key) => key.sign(messageId, timestamp, body)).join(" ");
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  return {
    "content-type": "application/json",
    "user-agent": WEBHOOK_USER_AGENT,
    "webhook-id": messageId,
    "webhook-timestamp": seconds,
    "webhook-signature": signature,
    "svix-id": messageId,
    "svix-timestamp": seconds,
    "svix-signature": signature,
  };
}
