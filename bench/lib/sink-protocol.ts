/** IPC messages between smtp-sink.ts and the process that forked it. */

export interface SinkStats {
  /** Messages accepted (DATA completed). */
  received: number;
  /** Distinct Message-IDs among them. */
  distinct: number;
  /** Messages whose Message-ID had been received before. */
  duplicates: number;
  /** Messages without a Message-ID header. */
  withoutMessageId: number;
  bytes: number;
}

export type ToSink =
  | { type: "stats" }
  /** Forget everything received so far (between the baseline and the full path). */
  | { type: "reset" }
  /** Send "reached" as soon as this many distinct Message-IDs have arrived. */
  | { type: "notify"; distinct: number };

export type FromSink =
  | { type: "listening"; port: number }
  | { type: "stats"; stats: SinkStats }
  /** `at` is the sink's Date.now() when the target was hit, so IPC delay does not count. */
  | { type: "reached"; at: number; stats: SinkStats };
