import { WebhookVerificationError as StandardWebhooksError, Webhook } from "standardwebhooks";
import type { WebhookPayload } from "../types.ts";

/**
 * A webhook that does not verify. The SDK's own class, so that its types do not pull in the
 * verifying library's (which need Node's).
 */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/** Resend's `headers` for `verify`: the three values, already picked out. */
export interface WebhookHeaderValues {
  id: string;
  timestamp: string;
  signature: string;
}

/**
 * A request's headers as frameworks hand them over: a fetch `Headers`, a plain object (Node's
 * `req.headers`, any case), or Resend's `{id, timestamp, signature}`.
 */
export type WebhookHeaders =
  | Headers
  | Record<string, string | string[] | undefined>
  | WebhookHeaderValues;

/** Resend's single-argument form of `verify`. */
export interface VerifyWebhookOptions {
  payload: string | Uint8Array | ArrayBuffer;
  headers: WebhookHeaders;
  webhookSecret: string;
}

/**
 * Checks a webhook's signature (Standard Webhooks, as Svix and Resend sign: `webhook-*` or
 * `svix-*` headers, a `whsec_` secret, any of the signatures after a rotation) and its
 * timestamp (5 minutes' tolerance), then answers the parsed payload. Pass the body exactly as
 * received, before any JSON parsing. Throws a WebhookVerificationError when it does not verify.
 */
export function verifyWebhook(
  payload: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
  secret: string,
): WebhookPayload {
  const body = typeof payload === "string" ? payload : new TextDecoder().decode(payload);
  try {
    return new Webhook(secret).verify(body, signatureHeaders(headers)) as WebhookPayload;
  } catch (error) {
    if (error instanceof StandardWebhooksError) throw new WebhookVerificationError(error.message);
    throw error;
  }
}

function signatureHeaders(headers: WebhookHeaders): Record<string, string> {
  if (isHeaderValues(headers)) {
    return {
      "webhook-id": headers.id,
      "webhook-timestamp": headers.timestamp,
      "webhook-signature": headers.signature,
    };
  }
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
    const value = entry?.[1];
    return Array.isArray(value) ? value.join(" ") : value;
  };
  const picked: Record<string, string> = {};
  for (const part of ["id", "timestamp", "signature"]) {
    // Svix's own header names carry the same values.
    const value = get(`webhook-${part}`) ?? get(`svix-${part}`);
    if (value !== undefined) picked[`webhook-${part}`] = value;
  }
  return picked;
}

function isHeaderValues(headers: WebhookHeaders): headers is WebhookHeaderValues {
  if (headers instanceof Headers) return false;
  const { id, timestamp, signature } = headers as Record<string, unknown>;
  return typeof id === "string" && typeof timestamp === "string" && typeof signature === "string";
}
