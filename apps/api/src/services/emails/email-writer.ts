import type { Sql } from "../../db/client.ts";
import { jsonInsert } from "../../db/json-records.ts";
import { emails } from "../../db/schema/index.ts";
import type { JobSpec } from "../../jobs/catalog.ts";
import { coalesceSendJobs } from "../../jobs/coalesce.ts";
import { CommitBatcher } from "../../lib/commit-batcher.ts";
import type { IdempotencyCompletion } from "../../lib/idempotency.ts";
import { EVENT_INSERT, type NewEmailEvent } from "./event-rows.ts";

const EMAIL_KEYS = [
  "id",
  "orgId",
  "domainId",
  "apiKeyId",
  "from",
  "to",
  "cc",
  "bcc",
  "replyTo",
  "subject",
  "html",
  "text",
  "headers",
  "tags",
  "attachmentCount",
  "messageId",
  "status",
  "lastEvent",
  "scheduledAt",
  "attempts",
  "createdAt",
  "updatedAt",
] as const;

/** An email row as the accept path writes it: every key of EMAIL_KEYS, nothing else. */
export type NewEmail = Required<Pick<typeof emails.$inferInsert, (typeof EMAIL_KEYS)[number]>>;

export interface NewAttachment {
  id: string;
  orgId: string;
  emailId: string;
  position: number;
  filename: string | null;
  contentType: string | null;
  contentId: string | null;
  /** Base64, as the request carried it: PostgreSQL decodes it into the bytea column. */
  contentBase64: string | null;
  /** Or the URL the worker fetches the file from (then content and size stay null). */
  path: string | null;
  size: number | null;
}

/** Everything one send request writes: its emails, their first events, their jobs. */
export interface EmailWrite {
  emails: NewEmail[];
  attachments: NewAttachment[];
  events: NewEmailEvent[];
  jobs: JobSpec[];
  idempotency?: IdempotencyCompletion;
}

export type EmailWriter = CommitBatcher<EmailWrite, null>;

const EMAIL = jsonInsert(emails, EMAIL_KEYS);

/**
 * One statement writes a whole group: a statement is atomic, so each request's rows, events,
 * jobs and idempotency record commit together, in one round trip. Data-modifying CTEs all
 * run; the foreign keys are checked at the end of the statement, after every insert.
 */
const INSERT_GROUP = `
  with new_emails as (
    insert into emails (${EMAIL.columns})
    select ${EMAIL.values} from json_to_recordset($1::json) as r(${EMAIL.definition})
  ),
  new_attachments as (
    insert into email_attachments (id, org_id, email_id, position, filename, content_type, content_id, content, path, size)
    select "id", "orgId", "emailId", "position", "filename", "contentType", "contentId",
      decode("contentBase64", 'base64'), "path", "size"
    from json_to_recordset($2::json) as a(
      "id" uuid, "orgId" uuid, "emailId" uuid, "position" int, "filename" text,
      "contentType" text, "contentId" text, "contentBase64" text, "path" text, "size" int)
  ),
  new_events as (
    insert into email_events (${EVENT_INSERT.columns})
    select ${EVENT_INSERT.values} from json_to_recordset($3::json) as e(${EVENT_INSERT.definition})
  ),
  completed_keys as (
    update idempotency_keys as keys
    set state = 'completed', response_status = done."status", response_body = done."body"
    from json_to_recordset($5::json) as done("orgId" uuid, "key" text, "status" int, "body" jsonb)
    -- The arrays keep even a generic plan on the primary key (see record-attempt.ts).
    where keys.org_id = any($6::uuid[]) and keys.key = any($7::text[])
      and keys.org_id = done."orgId" and keys.key = done."key"
  )
  select count(*)::int as jobs
  from graphile_worker.add_jobs(array(select json_populate_recordset(null::graphile_worker.job_spec, $4::json)))`;

/**
 * The accept path's writer: concurrent send requests share a statement (group commit), and
 * each request's rows and jobs still commit atomically before it is answered. One commit at a
 * time while few emails wait, so that small requests gather into one statement (the
 * per-statement cost dominated); more in parallel once 32 wait, so that PostgreSQL can use
 * more than one core under load (measured with bench:accept, 64 connections).
 */
export function createEmailWriter(sql: Sql): EmailWriter {
  return new CommitBatcher<EmailWrite, null>({
    commit: (writes) => commitEmailWrites(sql, writes),
    maxBatchWeight: 1000,
    maxConcurrentCommits: 4,
    parallelCommitMinWeight: 32,
    weight: (write) => Math.max(1, write.emails.length),
  });
}

export async function commitEmailWrites(sql: Sql, writes: EmailWrite[]): Promise<null[]> {
  const completions = writes.flatMap((write) => (write.idempotency ? [write.idempotency] : []));
  await sql.unsafe(
    INSERT_GROUP,
    [
      JSON.stringify(writes.flatMap((write) => write.emails)),
      JSON.stringify(writes.flatMap((write) => write.attachments)),
      JSON.stringify(writes.flatMap((write) => write.events)),
      JSON.stringify(coalesceSendJobs(writes.flatMap((write) => write.jobs))),
      JSON.stringify(completions),
      completions.map((done) => done.orgId),
      completions.map((done) => done.key),
    ],
    { prepare: true },
  );
  return writes.map(() => null);
}
