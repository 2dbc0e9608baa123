import type { Db } from "../../db/client.ts";
import { emailAttachments, emailEvents, emails } from "../../db/schema/index.ts";
import type { JobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { CommitBatcher } from "../../lib/commit-batcher.ts";
import { completeIdempotencyKey, type IdempotencyCompletion } from "../../lib/idempotency.ts";

/** Everything one send request writes: its emails, their first events, their jobs. */
export interface EmailWrite {
  emails: (typeof emails.$inferInsert)[];
  attachments: (typeof emailAttachments.$inferInsert)[];
  events: (typeof emailEvents.$inferInsert)[];
  jobs: JobSpec[];
  idempotency?: IdempotencyCompletion;
}

export type EmailWriter = CommitBatcher<EmailWrite, null>;

/** Rows per INSERT statement: well under PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The accept path's writer: concurrent send requests share transactions (group commit), and
 * each request's rows and jobs still commit atomically before it is answered.
 */
export function createEmailWriter(db: Db): EmailWriter {
  return new CommitBatcher<EmailWrite, null>({
    commit: (writes) => commitEmailWrites(db, writes),
    maxBatchWeight: 1000,
    maxConcurrentCommits: 4,
    weight: (write) => Math.max(1, write.emails.length),
  });
}

export async function commitEmailWrites(db: Db, writes: EmailWrite[]): Promise<null[]> {
  await db.transaction(async (tx) => {
    for (const chunk of chunks(writes.flatMap((write) => write.emails))) {
      await tx.insert(emails).values(chunk);
    }
    for (const chunk of chunks(
      writes.flatMap((write) => write.attachments),
      50,
    )) {
      await tx.insert(emailAttachments).values(chunk);
    }
    for (const chunk of chunks(writes.flatMap((write) => write.events))) {
      await tx.insert(emailEvents).values(chunk);
    }
    await addJobs(
      tx,
      writes.flatMap((write) => write.jobs),
    );
    for (const write of writes) {
      if (write.idempotency) await completeIdempotencyKey(tx, write.idempotency);
    }
  });
  return writes.map(() => null);
}

function chunks<T>(rows: T[], size = ROWS_PER_STATEMENT): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += size) {
    result.push(rows.slice(start, start + size));
  }
  return result;
}
