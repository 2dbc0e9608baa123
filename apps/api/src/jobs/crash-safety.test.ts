import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emails } from "../db/schema/index.ts";
import { MailCatcher } from "../mail/catcher.ts";
import {
  eventually,
  startTestApi,
  TEST_ENCRYPTION_KEY,
  type TestApi,
  type TestOrg,
} from "../test/harness.ts";

const SERVER = fileURLToPath(new URL("../server.ts", import.meta.url));
const EMAILS = 3000;
const KILLS = 4;
const CONCURRENCY = 16;

let api: TestApi;
let org: TestOrg;
let sink: MailCatcher;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  sink = new MailCatcher();
  await sink.listen();
});
afterAll(async () => {
  worker?.kill("SIGKILL");
  await sink.close();
  await api.close();
});

/** A worker in its own process, as `pnpm start` runs it with THRIVE_ROLE=worker. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      DATABASE_URL: api.database.url,
      THRIVE_ROLE: "worker",
      SMTP_URL: sink.url,
      SMTP_FINAL_HOP: "true",
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY.toString("hex"),
      WORKER_CONCURRENCY: String(CONCURRENCY),
      WORKER_HEARTBEAT_SECONDS: "0.3",
      WORKER_DEAD_AFTER_SECONDS: "1.5",
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}

const messageIdsReceived = () =>
  sink.messages.map(
    (message) => /^Message-ID: <([^@]+)@/im.exec(message.raw.toString("latin1"))?.[1] ?? "",
  );

describe("crash safety", () => {
  it(`delivers every accepted email although its worker is SIGKILLed ${KILLS} times mid-delivery`, async () => {
    const accepted: string[] = [];
    const template = { from: "Acme <crash@acme.dev>", subject: "crash test", text: "hi" };
    for (let offset = 0; offset < EMAILS; offset += 100) {
      const body = Array.from({ length: 100 }, (_, i) => ({
        ...template,
        to: `user${offset + i}@example.com`,
      }));
      const response = await api.call("POST", "/emails/batch", { key: org.key, json: body });
      expect(response.status).toBe(200);
      accepted.push(...response.body.data.map((item: { id: string }) => item.id));
    }

    for (let kill = 1; kill <= KILLS; kill++) {
      worker = startWorkerProcess();
      const threshold = Math.floor((EMAILS * kill) / (KILLS + 2));
      await sink.waitFor((messages) => messages.length >= threshold, 60_000);
      worker.kill("SIGKILL");
      await once(worker, "exit");
    }
    worker = startWorkerProcess();

    await eventually(
      async () => {
        const [row] = await api.database.db
          .select({ count: sql<number>`count(*)::int` })
          .from(emails)
          .where(eq(emails.status, "delivered"));
        return row?.count === EMAILS;
      },
      120_000,
      "every email delivered",
    );

    const received = messageIdsReceived();
    const distinct = new Set(received);
    const missing = accepted.filter((id) => !distinct.has(id));
    const duplicates = received.length - distinct.size;
    console.log(
      `crash safety: ${EMAILS} accepted, ${received.length} received, ${duplicates} duplicates after ${KILLS} kills`,
    );
    expect(missing).toEqual([]);
    // At most the sends in flight at each kill can go out twice.
    expect(duplicates).toBeLessThanOrEqual(KILLS * CONCURRENCY);
  }, 240_000);
});
