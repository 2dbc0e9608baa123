/**
 * When a delivery is tried again, and when an endpoint is given up on: Svix's schedule and
 * rules (docs.svix.com/retries), which Resend's webhooks follow.
 */
export interface DeliveryPolicy {
  /** Delay before the 2nd, 3rd, ... attempt: `length + 1` attempts in all. */
  retryScheduleMs: readonly number[];
  /** Each scheduled delay is moved by up to this fraction either way (0.2: ±20%). */
  jitter: number;
  /** One attempt: connecting, sending, reading the answer. */
  timeoutMs: number;
  /** Longest wait a 429's or 503's Retry-After may ask for. */
  retryAfterCapMs: number;
  /** An endpoint whose deliveries have all failed for this long is disabled. */
  disableAfterMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: 8 attempts over about 28 h. */
export const SVIX_RETRY_SCHEDULE_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
] as const;

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  retryScheduleMs: SVIX_RETRY_SCHEDULE_MS,
  jitter: 0.2,
  timeoutMs: 15 * SECOND,
  // A receiver may ask for as long as the schedule's longest gap, no longer: past it the
  // delivery would outlive the 28 hours a receiver can count on.
  retryAfterCapMs: 10 * HOUR,
  disableAfterMs: 5 * 24 * HOUR,
};

export function maxAttempts(policy: DeliveryPolicy): number {
  return policy.retryScheduleMs.length + 1;
}

/**
 * The wait before the next attempt after `attemptsMade` attempts, jittered so that deliveries
 * failed together (an endpoint's outage) do not all come back at the same instant; null when
 * none is left.
 */
export function retryDelayMs(
  policy: DeliveryPolicy,
  attemptsMade: number,
  random: () => number = Math.random,
): number | null {
  const base = policy.retryScheduleMs[attemptsMade - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 + policy.jitter * (2 * random() - 1)));
}

/**
 * Retry-After (RFC 9110 §10.2.3) as a wait in milliseconds: delay-seconds or an HTTP date
 * (a past date is no wait), capped; null when absent or unreadable.
 */
export function retryAfterMs(
  value: string | string[] | undefined,
  now: Date,
  capMs: number,
): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  let wait: number;
  if (/^\d+$/.test(text)) wait = Number(text) * SECOND;
  else {
    const at = Date.parse(text);
    // Date.parse reads many forms; an HTTP date always names its zone (GMT).
    if (Number.isNaN(at) || !/GMT$/.test(text)) return null;
    wait = Math.max(0, at - now.getTime());
  }
  return Math.min(wait, capMs);
}
