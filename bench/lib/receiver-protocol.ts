/** IPC messages between webhook-receiver.ts and the process that forked it. */

export interface ReceiverStats {
  /** Requests that carried a valid signature (svix's Webhook.verify with the secret). */
  verified: number;
  /** Distinct webhook-id values among them. */
  distinct: number;
  /** Verified messages whose webhook-id had been received before. */
  duplicates: number;
  /** Requests whose signature did not verify (answered 400). */
  invalid: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export type ToReceiver =
  | { type: "configure"; secret: string }
  | { type: "stats" }
  /** Send "reached" as soon as this many distinct messages have arrived. */
  | { type: "notify"; distinct: number }
  /** Latencies of the distinct messages from the `from`-th on (one phase's). */
  | { type: "latencies"; from: number };

export type FromReceiver =
  | { type: "listening"; port: number }
  | { type: "stats"; stats: ReceiverStats }
  /** `at` is the receiver's Date.now() when the target was hit, so IPC delay does not count. */
  | { type: "reached"; at: number; stats: ReceiverStats }
  /** Event (its `created_at`) to receipt, in ms, over the distinct messages. */
  | { type: "latencies"; latencies: LatencySummary };
