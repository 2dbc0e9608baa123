import { randomBytes } from "node:crypto";
import type { StreamedEvent } from "@thrive-send/sdk";
import { Webhook } from "standardwebhooks";
import { USER_AGENT } from "./version.ts";

/** A secret as the API makes them: `whsec_` and 24 random bytes in base64 (Svix's length). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** Whether standardwebhooks (and svix) can sign and verify with it. */
export function isSigningSecret(secret: string): boolean {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  try {
    new Webhook(secret);
    return true;
  } catch {
    return false;
  }
}

export interface ForwardResult {
  /** The local server's status, or null when it did not answer. */
  status: number | null;
  durationMs: number;
  /** Why there is no status: refused, timed out... */
  error?: string;
}

/**
 * The Standard Webhooks headers our webhook deliveries carry, and Svix's names for the same
 * values, so a handler written for either library verifies what `thrive listen` forwards.
 */
export function signedHeaders(
  signer: Webhook,
  id: string,
  body: string,
  at: Date,
): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = signer.sign(id, at, body);
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": signature,
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": signature,
  };
}

function reason(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** POSTs one event's payload to the local URL, signed; never throws for the server's sake. */
export async function forwardEvent(options: {
  url: string;
  signer: Webhook;
  event: StreamedEvent;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<ForwardResult> {
  const { url, signer, event, timeoutMs } = options;
  const body = JSON.stringify(event.payload);
  const timeout = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        ...signedHeaders(signer, event.id, body, new Date()),
      },
      body,
      // As webhook deliveries do: a redirect is the endpoint's answer, not to be followed.
      redirect: "manual",
      signal: AbortSignal.any([options.signal, timeout]),
    });
    const durationMs = elapsed();
    await response.body?.cancel().catch(() => {});
    return { status: response.status, durationMs };
  } catch (error) {
    return {
      status: null,
      durationMs: elapsed(),
      error: reason(error, timeout.aborted, timeoutMs),
    };
  }
}
