import type { AttemptOutcome } from "./record-attempt.ts";

/** Names, in the `sent` and `delivered` events, the provider that took the message. */
export function withProvider(
  outcome: AttemptOutcome,
  provider: string | undefined,
): AttemptOutcome {
  if (!provider) return outcome;
  return {
    ...outcome,
    events: outcome.events.map((event) =>
      event.type === "sent" || event.type === "delivered"
        ? { ...event, details: { ...event.details, provider } }
        : event,
    ),
  };
}
