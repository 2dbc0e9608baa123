import type { Sql } from "../../db/client.ts";
import type { EmailTag } from "../../db/schema/index.ts";
import { CommitBatcher } from "../../lib/commit-batcher.ts";
import { type EventPayload, emailEventPayload, orgEventPayload } from "../events/event-payload.ts";
import type { EndpointSlots } from "./endpoint-slots.ts";
import type { EndpointSecrets } from "./signature.ts";

export interface DeliveryRequest {
  deliveryId: string;
  /** The job's organization: a delivery of another one is not touched. */
  orgId: string;
}

export interface ClaimedDelivery {
  id: string;
  orgId: string;
  endpointId: string;
  eventId: string;
  /** Attempts made before this one. */
  attempts: number;
  /**
   * Until when this claim holds the delivery; also its fencing token: the outcome is written
   * only while the row still carries it, so a claim taken over after it lapsed writes nothing.
   */
  lease: Date;
  endpoint: {
    url: string;
    events: string[];
    secrets: EndpointSecrets;
    failingSince: Date | null;
  };
  /** null when the event (or its email) is gone. */
  payload: EventPayload | null;
}

export type DeliveryClaim =
  | { kind: "claimed"; delivery: ClaimedDelivery }
  /** Nothing to do: delivered or failed already, gone, or its endpoint gone or disabled. */
  | { kind: "done" }
  /** The endpoint's slots in this process are full: look again a moment later. */
  | { kind: "busy" }
  /** Not due yet (a retry's time), or claimed by a run whose lease lasts until `at`. */
  | { kind: "later"; at: Date };

export interface ClaimOptions {
  sql: Sql;
  slots: EndpointSlots;
  clock: () => Date;
  /** How long a claim holds a delivery: an attempt's timeout and a margin. */
  leaseMs: number;
}

/** A job may run a little before its delivery's time (clocks of the worker and the database). */
const DUE_SLACK_MS = 1000;

/** Step 1, a read: where each delivery is, and its endpoint, before any slot is taken. */
const LOOK = `
  select d.id, d.org_id, d.endpoint_id, d.status, d.next_attempt_at, w.status as endpoint_status
  from webhook_deliveries d
  left join webhook_endpoints w on w.id = d.endpoint_id
  where d.id = any($1::uuid[])`;

/**
 * Step 2: the claim, a conditional UPDATE (pending and due, or attempting with a lapsed lease,
 * its endpoint enabled), with what the attempt needs: the endpoint, the event and its email.
 */
const CLAIM = `
  with claimed as (
    update webhook_deliveries d
    set status = 'attempting', next_attempt_at = $2::timestamptz
    where d.id = any($1::uuid[])
      and ((d.status = 'pending' and coalesce(d.next_attempt_at, '-infinity') <= $3::timestamptz)
        or (d.status = 'attempting' and d.next_attempt_at <= $4::timestamptz))
      and exists (
        select 1 from webhook_endpoints w where w.id = d.endpoint_id and w.status = 'enabled')
    returning d.id, d.org_id, d.endpoint_id, d.event_id, d.event_source, d.attempts
  )
  select c.id, c.org_id, c.endpoint_id, c.event_id, c.event_source, c.attempts,
    w.endpoint as url, w.events, w.secret, w.previous_secret, w.previous_secret_expires_at,
    w.failing_since,
    ee.type as email_event_type, ee.details, ee.created_at as email_event_created_at,
    em.id as email_id, em."from", em."to", em.subject, em.message_id, em.tags,
    em.created_at as email_created_at,
    oe.type as org_event_type, oe.data, oe.created_at as org_event_created_at
  from claimed c
  join webhook_endpoints w on w.id = c.endpoint_id
  left join email_events ee on c.event_source = 'email_events' and ee.id = c.event_id
  left join emails em on em.id = ee.email_id
  left join events oe on c.event_source = 'events' and oe.id = c.event_id`;

interface LookRow {
  id: string;
  org_id: string;
  endpoint_id: string;
  status: string;
  next_attempt_at: string | Date | null;
  endpoint_status: string | null;
}

type Timestamp = string | Date;

interface ClaimRow {
  id: string;
  org_id: string;
  endpoint_id: string;
  event_id: string;
  event_source: string;
  attempts: number;
  url: string;
  events: string[];
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Timestamp | null;
  failing_since: Timestamp | null;
  email_event_type: string | null;
  details: Record<string, unknown> | null;
  email_event_created_at: Timestamp | null;
  email_id: string | null;
  from: string | null;
  to: string[] | null;
  subject: string | null;
  message_id: string | null;
  tags: EmailTag[] | null;
  email_created_at: Timestamp | null;
  org_event_type: string | null;
  data: Record<string, unknown> | null;
  org_event_created_at: Timestamp | null;
}

// drizzle makes the shared client return timestamps as PostgreSQL's text; it parses them so.
const toDate = (value: Timestamp): Date => (value instanceof Date ? value : new Date(value));
const toDateOrNull = (value: Timestamp | null): Date | null => (value ? toDate(value) : null);

/**
 * Claims deliveries for attempts, a group at a time (the deliveries of concurrently running
 * jobs share two statements). The endpoint's slot is taken between the read and the claim:
 * a delivery whose endpoint is full is left untouched, so waiting for a slot costs no attempt.
 */
export async function claimDeliveries(
  options: ClaimOptions,
  requests: DeliveryRequest[],
): Promise<DeliveryClaim[]> {
  const now = options.clock();
  const ids = [...new Set(requests.map((request) => request.deliveryId))];
  const rows = await options.sql.unsafe<LookRow[]>(LOOK, [ids], { prepare: true });
  const byId = new Map(rows.map((row) => [row.id, row]));

  const claims: (DeliveryClaim | "candidate")[] = [];
  const candidates = new Set<string>();
  for (const request of requests) {
    const row = byId.get(request.deliveryId);
    claims.push(decide(row, request, now, candidates, options.slots));
  }
  if (candidates.size === 0) return claims as DeliveryClaim[];

  const acquired = [...candidates].map((id) => byId.get(id) as LookRow);
  let claimed: ClaimRow[];
  const lease = new Date(now.getTime() + options.leaseMs);
  try {
    claimed = await options.sql.unsafe<ClaimRow[]>(
      CLAIM,
      [
        acquired.map((row) => row.id),
        lease.toISOString(),
        new Date(now.getTime() + DUE_SLACK_MS).toISOString(),
        now.toISOString(),
      ],
      { prepare: true },
    );
  } catch (error) {
    for (const row of acquired) options.slots.release(row.endpoint_id);
    throw error;
  }
  const claimedById = new Map(claimed.map((row) => [row.id, row]));
  for (const row of acquired) {
    if (!claimedById.has(row.id)) options.slots.release(row.endpoint_id);
  }
  return claims.map((claim, index): DeliveryClaim => {
    if (claim !== "candidate") return claim;
    const id = (requests[index] as DeliveryRequest).deliveryId;
    const row = claimedById.get(id);
    // Changed between the read and the claim (another run took it, it was disabled...):
    // the next look decides.
    if (!row) return { kind: "later", at: new Date(now.getTime() + DUE_SLACK_MS) };
    return { kind: "claimed", delivery: claimedDelivery(row, lease) };
  });
}

function decide(
  row: LookRow | undefined,
  request: DeliveryRequest,
  now: Date,
  candidates: Set<string>,
  slots: EndpointSlots,
): DeliveryClaim | "candidate" {
  if (!row || row.org_id !== request.orgId) return { kind: "done" };
  if (row.endpoint_status !== "enabled") return { kind: "done" };
  if (row.status === "success" || row.status === "failed") return { kind: "done" };
  const next = row.next_attempt_at ? toDate(row.next_attempt_at) : null;
  if (row.status === "pending" && next && next.getTime() > now.getTime() + DUE_SLACK_MS) {
    return { kind: "later", at: next };
  }
  if (row.status === "attempting" && next && next > now) return { kind: "later", at: next };
  // Two jobs of one delivery in one group: the first claims it, the other looks again.
  if (candidates.has(row.id)) return { kind: "later", at: new Date(now.getTime() + DUE_SLACK_MS) };
  if (!slots.tryAcquire(row.endpoint_id)) return { kind: "busy" };
  candidates.add(row.id);
  return "candidate";
}

function claimedDelivery(row: ClaimRow, lease: Date): ClaimedDelivery {
  return {
    id: row.id,
    orgId: row.org_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    attempts: row.attempts,
    lease,
    endpoint: {
      url: row.url,
      events: row.events,
      secrets: {
        secret: row.secret,
        previousSecret: row.previous_secret,
        previousSecretExpiresAt: toDateOrNull(row.previous_secret_expires_at),
      },
      failingSince: toDateOrNull(row.failing_since),
    },
    payload: payloadOf(row),
  };
}

function payloadOf(row: ClaimRow): EventPayload | null {
  if (row.event_source === "events") {
    if (!row.org_event_type || !row.org_event_created_at) return null;
    return orgEventPayload({
      id: row.event_id,
      type: row.org_event_type,
      data: row.data ?? {},
      createdAt: toDate(row.org_event_created_at),
    });
  }
  if (!row.email_event_type || !row.email_event_created_at || !row.email_id) return null;
  return emailEventPayload(
    {
      id: row.event_id,
      type: row.email_event_type as Parameters<typeof emailEventPayload>[0]["type"],
      details: row.details,
      createdAt: toDate(row.email_event_created_at),
    },
    {
      id: row.email_id,
      from: row.from ?? "",
      to: row.to ?? [],
      subject: row.subject ?? "",
      messageId: row.message_id ?? "",
      tags: row.tags,
      createdAt: toDate(row.email_created_at ?? row.email_event_created_at),
    },
  );
}

export type DeliveryClaimBatcher = CommitBatcher<DeliveryRequest, DeliveryClaim>;

/** Claims of concurrently running jobs share statements, as email_send's do. */
export function createDeliveryClaimBatcher(options: ClaimOptions): DeliveryClaimBatcher {
  return new CommitBatcher<DeliveryRequest, DeliveryClaim>({
    commit: (requests) => claimDeliveries(options, requests),
    maxBatchWeight: 500,
    maxConcurrentCommits: 2,
    parallelCommitMinWeight: 50,
    lingerMs: 2,
  });
}
