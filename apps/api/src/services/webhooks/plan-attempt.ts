import { newId } from "../../lib/ids.ts";
import type { ClaimedDelivery } from "./claim-deliveries.ts";
import { type DeliveryPolicy, maxAttempts, retryAfterMs, retryDelayMs } from "./policy.ts";
import type { HttpAttempt } from "./post-webhook.ts";

/** What one attempt comes to: its row, the delivery's new state, and the endpoint's. */
export interface PlannedAttempt {
  attemptId: string;
  deliveryId: string;
  orgId: string;
  endpointId: string;
  /** The claim's fencing token (claim-deliveries.ts). */
  lease: Date;
  attemptedAt: Date;
  statusCode: number | null;
  response: string;
  latencyMs: number;
  /** Whether the endpoint answered well; null when the attempt says nothing about it. */
  success: boolean | null;
  status: "success" | "pending" | "failed";
  /** When the next attempt is due; null when none will be made. */
  nextAttemptAt: Date | null;
  /** The wait before it, for the job's run_at. */
  retryDelayMs: number | null;
  /** Set when this attempt disables the endpoint (410 Gone, failing for too long). */
  disable: { reason: string } | null;
}

const is2xx = (status: number | null) => status !== null && status >= 200 && status < 300;

/**
 * Decides an attempt's outcome. A 2xx delivers. A 410 Gone disables the endpoint (Svix does
 * so: the receiver says the URL is gone for good). Anything else fails the attempt: the next
 * comes after the schedule's delay, or after a 429's or 503's Retry-After; after the last the
 * delivery is `failed`. A failure of an endpoint that has failed everything for
 * `disableAfterMs` disables it.
 */
export function planAttempt(
  delivery: ClaimedDelivery,
  http: HttpAttempt,
  policy: DeliveryPolicy,
  now: Date,
  random: () => number = Math.random,
): PlannedAttempt {
  const base = {
    attemptId: newId(),
    deliveryId: delivery.id,
    orgId: delivery.orgId,
    endpointId: delivery.endpointId,
    lease: delivery.lease,
    attemptedAt: now,
    statusCode: http.statusCode,
    response: http.response,
    latencyMs: http.latencyMs,
  };
  const final = { nextAttemptAt: null, retryDelayMs: null };
  if (is2xx(http.statusCode)) {
    return { ...base, ...final, success: true, status: "success", disable: null };
  }
  if (http.statusCode === 410) {
    const reason = "The endpoint answered 410 Gone";
    return { ...base, ...final, success: false, status: "failed", disable: { reason } };
  }
  const failingSince = delivery.endpoint.failingSince;
  if (failingSince && now.getTime() - failingSince.getTime() >= policy.disableAfterMs) {
    const days = Math.round(policy.disableAfterMs / 86_400_000);
    const reason = `Every delivery failed for ${days} day${days === 1 ? "" : "s"}`;
    return { ...base, ...final, success: false, status: "failed", disable: { reason } };
  }
  const attemptsMade = delivery.attempts + 1;
  const delay =
    attemptsMade >= maxAttempts(policy)
      ? null
      : ((http.statusCode === 429 || http.statusCode === 503
          ? retryAfterMs(http.retryAfter, now, policy.retryAfterCapMs)
          : null) ?? retryDelayMs(policy, attemptsMade, random));
  if (delay === null) return { ...base, ...final, success: false, status: "failed", disable: null };
  return {
    ...base,
    success: false,
    status: "pending",
    nextAttemptAt: new Date(now.getTime() + delay),
    retryDelayMs: delay,
    disable: null,
  };
}

/** An attempt that cannot be made: the event it would carry is gone. */
export function unsendableAttempt(delivery: ClaimedDelivery, now: Date): PlannedAttempt {
  return {
    attemptId: newId(),
    deliveryId: delivery.id,
    orgId: delivery.orgId,
    endpointId: delivery.endpointId,
    lease: delivery.lease,
    attemptedAt: now,
    statusCode: null,
    response: "The event is no longer available",
    latencyMs: 0,
    success: null,
    status: "failed",
    nextAttemptAt: null,
    retryDelayMs: null,
    disable: null,
  };
}
