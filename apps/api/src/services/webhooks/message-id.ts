/**
 * The message id of an event's webhooks (`webhook-id`, `svix-id`): `msg_` and the event's
 * UUIDv7 without its dashes, e.g. `msg_019abd1e5c3a7f2b8d4e6a1b2c3d4e5f`. Derived, not stored:
 * every endpoint of the event, every retry and every replay carries the same id, so a receiver
 * can drop what it has already processed (Standard Webhooks' advice). The prefix is Svix's.
 */
export function webhookMessageId(eventId: string): string {
  return `msg_${eventId.replaceAll("-", "")}`;
}
