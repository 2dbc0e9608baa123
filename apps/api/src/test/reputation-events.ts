import { randomBytes } from "node:crypto";
import { UUID } from "uuidv7";
import type { Db } from "../db/client.ts";
import {
  domains,
  type EmailEventType,
  emailEvents,
  emails,
  organizations,
} from "../db/schema/index.ts";
import { newId } from "../lib/ids.ts";

/** A UUIDv7 of millisecond `ms`, as a process whose clock read `ms` would have made it. */
export function idAt(ms: number): string {
  const random = randomBytes(8);
  return UUID.fromFieldsV7(
    ms,
    random.readUInt16BE(0) & 0xfff,
    random.readUInt16BE(2) & 0x3fff,
    random.readUInt32BE(4),
  ).toString();
}

/** An organization row (no key: for tests that do not go through the API). */
export async function organization(db: Db): Promise<string> {
  const id = newId();
  await db.insert(organizations).values({ id, name: "stats" });
  return id;
}

/** A domain row of `orgId`, verified, as domain verification leaves it. */
export async function verifiedDomain(db: Db, orgId: string, name: string): Promise<string> {
  const id = newId();
  await db.insert(domains).values({
    id,
    orgId,
    name,
    region: "us-east-1",
    customReturnPath: "send",
    status: "verified",
    dkimSelector: `s${randomBytes(4).toString("hex")}`,
    dkimPrivateKey: "unused",
    dkimPublicKey: "unused",
    recordStatus: {},
    verifiedAt: new Date(),
  });
  return id;
}

/** An email row already handed over (only what the stats job joins on matters). */
export async function sentEmail(db: Db, orgId: string, domainId: string | null): Promise<string> {
  const id = newId();
  await db.insert(emails).values({
    id,
    orgId,
    domainId,
    from: "a@acme.dev",
    to: ["b@example.com"],
    subject: "stats",
    messageId: `<${id}@acme.dev>`,
    status: "sent",
    lastEvent: "sent",
  });
  return id;
}

export interface EventSpec {
  emailId: string;
  orgId: string;
  type: EmailEventType;
  /** Its recipients (details.recipients); none for events without a list. */
  recipients?: number;
  /**
   * Where a bounce or complaint came from after the hand-over (`dsn`, `ses`); none for a
   * bounce at the hand-over, which the stats also count as sent.
   */
  source?: string;
  /** Its id's time; a minute ago by default, well past the stats job's margin. */
  at?: number;
  createdAt?: Date;
}

export function eventRow(spec: EventSpec) {
  const at = spec.at ?? Date.now() - 60_000;
  return {
    id: idAt(at),
    orgId: spec.orgId,
    emailId: spec.emailId,
    type: spec.type,
    details:
      spec.recipients === undefined && spec.source === undefined
        ? null
        : {
            ...(spec.recipients === undefined
              ? {}
              : {
                  recipients: Array.from(
                    { length: spec.recipients },
                    (_, i) => `r${i}@example.com`,
                  ),
                }),
            ...(spec.source === undefined ? {} : { source: spec.source }),
          },
    createdAt: spec.createdAt ?? new Date(at),
  };
}

/** Inserts email_events as the worker (or the feedback processing) records them. */
export async function insertEvents(db: Pick<Db, "insert">, specs: EventSpec[]): Promise<string[]> {
  const rows = specs.map(eventRow);
  await db.insert(emailEvents).values(rows);
  return rows.map((row) => row.id);
}
