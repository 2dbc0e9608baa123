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
  | { kind: "busy"; endpointId: string }
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

/**
 * One statement for a group: where each delivery is (`look`), which are due (pending and their
 * time come, or attempting with a lapsed lease; their endpoint enabled; the job's organization),
 * and the claim of those due, a conditional UPDATE, up to their endpoint's allowance in this
 * process (endpoint-slots.ts; `$5` for the endpoints in use, `$6` for the others); with what an
 * attempt needs: the endpoint, the event and its email.
 */
const CLAIM = `
  with look as (
    select d.id, d.org_id, d.endpoint_id, d.status, d.next_attempt_at, w.status as endpoint_status,
      w.status = 'enabled'
        and ((d.status = 'pending' and coalesce(d.next_attempt_at, '-infinity') <= $3::timestamptz)
          or (d.status = 'attempting' and d.next_attempt_at <= $4::timestamptz)) as due
    from webhook_deliveries d
    left join webhook_endpoints w on w.id = d.endpoint_id
    where d.id = any($1::uuid[])
      and (d.id, d.org_id) in (select * from unnest($1::uuid[], $7::uuid[]))
  ),
  ranked as (
    select id, endpoint_id, row_number() over (partition by endpoint_id order by id) as rank
    from look where due
  ),
  claimed as (
    update webhook_deliveries d
    set status = 'attempting', next_attempt_at = $2::timestamptz
    from ranked r
    where d.id = any($1::uuid[]) and d.id = r.id
      and r.rank <= coalesce(($5::jsonb ->> r.endpoint_id::text)::int, $6::int)
      and ((d.status = 'pending' and coalesce(d.next_attempt_at, '-infinity') <= $3::timestamptz)
        or (d.status = 'attempting' and d.next_attempt_at <= $4::timestamptz))
    returning d.id, d.event_id, d.event_source, d.attempts
  )
  select l.id, l.org_id, l.endpoint_id, l.status, l.next_attempt_at, l.endpoint_status, l.due,
    c.id is not null as claimed, c.event_id, c.event_source, c.attempts,
    w.endpoint as url, w.events, w.secret, w.previous_secret, w.previous_secret_expires_at,
    w.failing_since,
    ee.type as email_event_type, ee.details, ee.created_at as email_event_created_at,
    em.id as email_id, em."from", em."to", em.subject, em.message_id, em.tags,
    em.created_at as email_created_at,
    oe.type as org_event_type, oe.data, oe.created_at as org_event_created_at
  from look l
  left join claimed c on c.id = l.id
  left join webhook_endpoints w on c.id is not null and w.id = l.endpoint_id
  left join email_events ee on c.event_source = 'email_events' and ee.id = c.event_id
  left join emails em on em.id = ee.email_id
  left join events oe on c.event_source = 'events' and oe.id = c.event_id`;

type Timestamp = string | Date;

interface ClaimRow {
  id: string;
  org_id: string;
  endpoint_id: string;
  status: string;
  next_attempt_at: Timestamp | null;
  endpoint_status: string | null;
  due: boolean;
  claimed: boolean;
  // The rest is set when claimed.
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
 * Claims deliveries for attempts, a group at a time: the deliveries of concurrently running
 * jobs share one statement. A delivery over its endpoint's allowance in this process is left
 * untouched (`busy`), so waiting for a slot costs no attempt. Groups are claimed one at a time
 * (the batcher's maxConcurrentCommits: 1): the allowance a group is claimed against cannot be
 * spent by another group meanwhile, only given back.
 */
export async function claimDeliveries(
  options: ClaimOptions,
  requests: DeliveryRequest[],
): Promise<DeliveryClaim[]> {
  const { slots } = options;
  const now = options.clock();
  const lease = new Date(now.getTime() + options.leaseMs);
  const unique = [...new Map(requests.map((request) => [request.deliveryId, request])).values()];
  const rows = await options.sql.unsafe<ClaimRow[]>(
    CLAIM,
    [
      unique.map((request) => request.deliveryId),
      lease.toISOString(),
      new Date(now.getTime() + DUE_SLACK_MS).toISOString(),
      now.toISOString(),
      JSON.stringify(slots.claimAllowances()),
      slots.limit,
      unique.map((request) => request.orgId),
    ],
    { prepare: true },
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const answered = new Set<string>();
  return requests.map((request): DeliveryClaim => {
    const row = byId.get(request.deliveryId);
    // Two jobs of one delivery in one group: the first gets the answer, the other looks again.
    if (answered.has(request.deliveryId)) {
      return { kind: "later", at: new Date(now.getTime() + DUE_SLACK_MS) };
    }
    answered.add(request.deliveryId);
    if (!row) return { kind: "done" };
    if (row.claimed) {
      slots.claimed(row.endpoint_id);
      return { kind: "claimed", delivery: claimedDelivery(row, lease) };
    }
    // Due but over its endpoint's allowance (or changed by another run meanwhile).
    if (row.due) return { kind: "busy", endpointId: row.endpoint_id };
    if (row.endpoint_status !== "enabled") return { kind: "done" };
    if (row.status === "success" || row.status === "failed") return { kind: "done" };
    const next = row.next_attempt_at ? toDate(row.next_attempt_at) : now;
    return { kind: "later", at: next };
  });
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

/** Claims of concurrently running jobs share a statement, as email_send's do. */
export function createDeliveryClaimBatcher(options: ClaimOptions): DeliveryClaimBatcher {
  return new CommitBatcher<DeliveryRequest, DeliveryClaim>({
    commit: (requests) => claimDeliveries(options, requests),
    maxBatchWeight: 500,
    maxConcurrentCommits: 1,
    lingerMs: 2,
  });
}
