import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import type { EmailEventFilter } from "./email-event-rows.ts";
import { listEventsQuery } from "./list-events.ts";

/**
 * The plans of GET /events' common filters on a table of many rows of several organizations:
 * each must be a range of the (org_id, id) or (email_id, id) index, never a scan of the table.
 */
let database: TestDatabase;
const orgs = Array.from({ length: 39 }, () => newId());
const org = newId();
const domainId = newId();
let emailId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const { sql } = database;
  // 40 organizations, 10,000 emails and 80,000 events over 30 days, interleaved in time as
  // their traffic would be; the organization under test has a tenth of them.
  await sql`
    insert into emails (id, org_id, domain_id, "from", "to", subject, tags, message_id, status, last_event)
    select thrive_uuidv7(),
      case when n % 10 = 0 then ${org}::uuid else (${orgs}::uuid[])[1 + n % 39] end,
      case when n % 4 = 0 then ${domainId}::uuid end, 'a@acme.dev',
      array['b@example.com'], 'Hi', jsonb_build_array(jsonb_build_object('name', 'c', 'value', 'v' || (n % 50))),
      '<x@acme.dev>', 'delivered', 'delivered'
    from generate_series(1, 10000) n`;
  await sql`
    insert into email_events (id, org_id, email_id, type, created_at)
    select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        placing substring(int8send((extract(epoch from at) * 1000)::bigint) from 3) from 1 for 6),
        52, 1), 53, 1), 'hex')::uuid,
      org_id, id, type, at
    from (
      select e.org_id, e.id,
        (array['queued','sent','delivered','opened','clicked','delivered','opened','bounced'])[k] as type,
        now() - random() * interval '30 days' as at
      from emails e, generate_series(1, 8) k
    ) generated`;
  await sql`analyze emails`;
  await sql`analyze email_events`;
  const [row] = await sql<{ email_id: string }[]>`
    select email_id from email_events where org_id = ${org} order by id desc offset 1000 limit 1`;
  emailId = row?.email_id as string;
});
afterAll(() => database.drop());

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Scan Direction"?: string;
  Plans?: PlanNode[];
}

async function plan(filter: EmailEventFilter, after?: string): Promise<PlanNode[]> {
  const query = listEventsQuery({
    ctx: { db: database.db, orgId: org },
    filter,
    page: { limit: 20, after },
  }).toSQL();
  const [row] = await database.sql.unsafe(
    `explain (format json) ${query.sql}`,
    query.params as never[],
  );
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(
    (row as unknown as { "QUERY PLAN": { Plan: PlanNode }[] })["QUERY PLAN"][0]?.Plan as PlanNode,
  );
  return nodes;
}

/** The email_events indexes a plan reads, after checking it never scans the whole table. */
function eventIndexes(nodes: PlanNode[]): string[] {
  const scans = nodes.filter(
    (node) => node["Relation Name"] === "email_events" && node["Node Type"].includes("Seq Scan"),
  );
  expect(scans).toEqual([]);
  return nodes.flatMap((node) =>
    node["Index Name"]?.startsWith("email_events") ? [node["Index Name"]] : [],
  );
}

describe("GET /events query plans", () => {
  it.each<[string, EmailEventFilter]>([
    ["no filter", {}],
    ["one type", { types: ["email.delivered"] }],
    ["a domain", { domainId }],
  ])("reads %s newest first through the (org_id, id) index", async (_, filter) => {
    const nodes = await plan(filter);
    expect(eventIndexes(nodes)).toEqual(["email_events_org_id_idx"]);
    const scan = nodes.find((node) => node["Index Name"] === "email_events_org_id_idx");
    expect(scan?.["Node Type"]).toBe("Index Scan");
    expect(scan?.["Scan Direction"]).toBe("Backward");
  });

  it("reads a time range as an id range of the (org_id, id) index", async () => {
    const nodes = await plan({
      createdAfter: new Date(Date.now() - 86_400_000),
      createdBefore: new Date(),
    });
    expect(eventIndexes(nodes)).toEqual(["email_events_org_id_idx"]);
    const scan = nodes.find((node) => node["Index Name"] === "email_events_org_id_idx");
    expect(scan?.["Index Cond"]).toMatch(/id >= .* AND .*id < /);
  });

  it("reads the next page from the cursor on, as an id range of the same index", async () => {
    const nodes = await plan({ types: ["email.opened"] }, newId());
    expect(eventIndexes(nodes)).toEqual(["email_events_org_id_idx"]);
    const scan = nodes.find((node) => node["Index Name"] === "email_events_org_id_idx");
    expect(scan?.["Index Cond"]).toMatch(/id < /);
  });

  it("reads one email's events, or a tag's emails' events, through the (email_id, id) index", async () => {
    expect(eventIndexes(await plan({ emailId }))).toEqual(["email_events_email_id_idx"]);
    // A tag is found on the organization's emails (no index on tags), then their events.
    expect(eventIndexes(await plan({ tag: { name: "c", value: "v7" } }))).toEqual([
      "email_events_email_id_idx",
    ]);
  });
});
