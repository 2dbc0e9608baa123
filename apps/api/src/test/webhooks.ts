import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { asc, eq } from "drizzle-orm";
import { Logger as GraphileLogger, run } from "graphile-worker";
import { Webhook } from "svix";
import type { Db } from "../db/client.ts";
import {
  events,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
} from "../db/schema/index.ts";
import { createWebhookDeliverTask } from "../jobs/webhook_deliver.ts";
import { newId } from "../lib/ids.ts";
import { SecretBox } from "../lib/secrets.ts";
import { recordEvent } from "../services/events/record-event.ts";
import {
  createWebhookDispatcher,
  type WebhookDispatcherOptions,
} from "../services/webhooks/create-dispatcher.ts";
import { TEST_ENCRYPTION_KEY, testLogger } from "./harness.ts";
import { startHttpServer, type TestHttpServer } from "./http-server.ts";

export const testSecrets = new SecretBox(TEST_ENCRYPTION_KEY);

/** A signing secret in Svix's format: `whsec_` and base64 of 24 random bytes. */
export function webhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** An endpoint row as the webhooks API would write it, its secret sealed; answers its id. */
export async function createEndpoint(
  db: Db,
  input: {
    orgId: string;
    url: string;
    secret: string;
    events?: string[];
    previousSecret?: string;
    previousSecretExpiresAt?: Date;
  },
): Promise<string> {
  const id = newId();
  await db.insert(webhookEndpoints).values({
    id,
    orgId: input.orgId,
    endpoint: input.url,
    events: input.events ?? ["domain.created"],
    secret: testSecrets.seal(input.secret),
    previousSecret: input.previousSecret ? testSecrets.seal(input.previousSecret) : null,
    previousSecretExpiresAt: input.previousSecretExpiresAt ?? null,
  });
  return id;
}

/** Records a domain event; the fan-out trigger adds its deliveries and jobs. Answers its id. */
export async function recordDomainEvent(
  db: Db,
  orgId: string,
  type: "domain.created" | "domain.updated" | "domain.deleted" = "domain.created",
): Promise<string> {
  const objectId = randomUUID();
  await db.transaction((tx) =>
    recordEvent(tx, {
      orgId,
      type,
      objectId,
      data: { object: "domain", id: objectId, name: "acme.dev" },
    }),
  );
  const [row] = await db.select().from(events).where(eq(events.objectId, objectId));
  if (!row) throw new Error("the event was not recorded");
  return row.id;
}

export async function deliveriesOfEvent(db: Db, eventId: string) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.eventId, eventId))
    .orderBy(asc(webhookDeliveries.id));
}

export async function attemptsOf(db: Db, deliveryId: string) {
  return db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.createdAt), asc(webhookAttempts.id));
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (this process's clock). */
  at: number;
}

export interface Receiver extends TestHttpServer {
  url: string;
  received: ReceivedWebhook[];
}

/**
 * A real HTTP endpoint on loopback that records what it receives; `respond` answers (200 "ok"
 * by default), and may take its time.
 */
export async function startReceiver(
  respond?: (
    request: ReceivedWebhook,
    response: ServerResponse,
    index: number,
  ) => void | Promise<void>,
  path = "/webhooks",
): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const server = await startHttpServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const webhook = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      received.push(webhook);
      if (!respond) {
        response.end("ok");
        return;
      }
      Promise.resolve(respond(webhook, response, received.length - 1)).catch(() =>
        response.destroy(),
      );
    });
  });
  return { ...server, url: `${server.origin}${path}`, received };
}

/**
 * Checks a received webhook with svix's own verifier and the endpoint's secret, as a Resend
 * user's receiver does; answers the payload. Throws when the signature does not verify.
 */
export function verifyWebhook(secret: string, webhook: ReceivedWebhook): unknown {
  new Webhook(secret).verify(webhook.body, webhook.headers as Record<string, string>);
  return JSON.parse(webhook.body);
}

/**
 * The same check for a message signed at a time far from now (a test's clock days ahead,
 * which verify's 5-minute tolerance refuses): svix's signature for the message's own
 * timestamp must be among those it carries.
 */
export function signedWith(secret: string, webhook: ReceivedWebhook): boolean {
  const id = String(webhook.headers["webhook-id"]);
  const timestamp = new Date(Number(webhook.headers["webhook-timestamp"]) * 1000);
  const expected = new Webhook(secret).sign(id, timestamp, webhook.body);
  return String(webhook.headers["webhook-signature"]).split(" ").includes(expected);
}

export interface WebhookWorker {
  stop(): Promise<void>;
}

/**
 * graphile-worker running webhook_deliver alone, on the test's database, with a dispatcher
 * whose guard, schedule and clock the test chooses. It polls every 100 ms, so short retries run
 * on time.
 */
export async function startWebhookWorker(
  database: { url: string; db: Db; sql: WebhookDispatcherOptions["database"]["sql"] },
  options: Partial<Omit<WebhookDispatcherOptions, "database" | "secrets" | "logger">> & {
    concurrency?: number;
  } = {},
): Promise<WebhookWorker> {
  const { concurrency, ...dispatcherOptions } = options;
  const dispatcher = createWebhookDispatcher({
    settings: { endpointConcurrency: 10, timeoutMs: 15_000 },
    ssrfAllowList: ["127.0.0.0/8"],
    ...dispatcherOptions,
    database,
    secrets: testSecrets,
    logger: testLogger(),
  });
  const runner = await run({
    connectionString: database.url,
    concurrency: concurrency ?? 8,
    noHandleSignals: true,
    pollInterval: 100,
    logger: new GraphileLogger(() => () => {}),
    taskList: { webhook_deliver: createWebhookDeliverTask({ dispatcher }) },
  });
  return {
    async stop() {
      await runner.stop();
      await dispatcher.close();
    },
  };
}
