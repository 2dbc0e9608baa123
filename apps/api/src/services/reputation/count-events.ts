import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { ReputationScope } from "../../db/schema/index.ts";

export interface ScopeRef {
  scope: ReputationScope;
  scopeId: string;
}

export interface ChunkResult {
  /** Events read (of every type): fewer than the chunk size means the horizon was reached. */
  events: number;
  /** The scopes whose counters changed. */
  touched: ScopeRef[];
}

const NO_CURSOR = "00000000-0000-0000-0000-000000000000";

/**
 * Adds the next chunk of email_events (past the cursor, below `horizon`) to sending_stats, per
 * organization and per sending domain, for the event's UTC day, and moves the cursor past the
 * chunk: one transaction, so a crash leaves both as they were and nothing is counted twice or
 * skipped. The cursor row is locked first, so two runs at once take turns.
 *
 * A recipient counts once per event: `sent` events' accepted recipients, `bounced` ones,
 * `complained` ones (an event without a recipient list counts one). A bounce at the hand-over
 * (the server refused the recipient; the event has no `source`) also counts as sent: it was
 * attempted, and without it mail that all bounces there would show no volume and never pause.
 * A later bounce (from a DSN or SES: `source` set) was already counted when it was sent.
 */
export async function countEventChunk(
  db: Db,
  input: { horizon: string; chunkSize: number },
): Promise<ChunkResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into sending_stats_cursor (id, last_event_id) values (1, null) on conflict do nothing`);
    const [cursor] = (await tx.execute(sql`
      select last_event_id from sending_stats_cursor where id = 1 for update`)) as unknown as {
      last_event_id: string | null;
    }[];
    const after = cursor?.last_event_id ?? NO_CURSOR;
    const [result] = (await tx.execute(sql`
      with chunk as (
        select id, org_id, email_id, type, details, created_at from email_events
        where id > ${after}::uuid and id < ${input.horizon}::uuid
        order by id limit ${input.chunkSize}
      ), counted as (
        select chunk.org_id, emails.domain_id, chunk.type,
          (chunk.created_at at time zone 'UTC')::date as day,
          chunk.type = 'bounced' and not coalesce(chunk.details ? 'source', false) as at_hand_over,
          case when jsonb_typeof(chunk.details->'recipients') = 'array'
            then jsonb_array_length(chunk.details->'recipients') else 1 end as n
        from chunk left join emails on emails.id = chunk.email_id
        where chunk.type in ('sent', 'bounced', 'complained')
      ), scoped as (
        select 'organization' as scope, org_id as scope_id, day, type, at_hand_over, n from counted
        union all
        select 'domain', domain_id, day, type, at_hand_over, n from counted where domain_id is not null
      ), upserted as (
        insert into sending_stats as stats (scope, scope_id, day, sent, bounced, complained)
        select scope, scope_id, day,
          coalesce(sum(n) filter (where type = 'sent' or at_hand_over), 0),
          coalesce(sum(n) filter (where type = 'bounced'), 0),
          coalesce(sum(n) filter (where type = 'complained'), 0)
        from scoped group by scope, scope_id, day
        on conflict (scope, scope_id, day) do update set
          sent = stats.sent + excluded.sent,
          bounced = stats.bounced + excluded.bounced,
          complained = stats.complained + excluded.complained
        returning scope, scope_id
      ), advanced as (
        update sending_stats_cursor
        set last_event_id = (select id from chunk order by id desc limit 1)
        where id = 1 and exists (select 1 from chunk)
        returning 1
      )
      select
        (select count(*) from chunk)::int as events,
        (select coalesce(json_agg(distinct jsonb_build_object('scope', scope, 'scopeId', scope_id)), '[]')
          from upserted) as touched`)) as unknown as { events: number; touched: ScopeRef[] }[];
    return { events: result?.events ?? 0, touched: result?.touched ?? [] };
  });
}
