/**
 * A complete Thrive-Send (API and worker) on a database of its own, for the SDK, Postman and
 * CLI tests that call a live server over HTTP: `node apps/api/scripts/live-server.ts <name>`.
 * It prints one JSON line, `{"url", "apiKey", "otherApiKey", "smtpUrl"}`, once it is ready, and
 * stops (dropping its database) on SIGTERM, SIGINT or when its stdin closes (the test runner
 * went away). Mail is delivered to an in-process SMTP catcher, readable at GET /dev/inbox.
 * With DATABASE_URL set it creates its database on that server; otherwise it starts an
 * embedded PostgreSQL in `.data/live-postgres-<name>` (one per caller, so runs can overlap).
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { buildConfig, parseEnv } from "../src/config.ts";
import { connectDatabase } from "../src/db/client.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres, withDatabase } from "../src/db/embedded.ts";
import { migrateDatabase } from "../src/db/migrate.ts";
import { createLogger } from "../src/lib/logger.ts";
import { MailCatcher } from "../src/mail/catcher.ts";
import { createSmtpTransport } from "../src/mail/smtp-transport.ts";
import { startRuntime } from "../src/runtime.ts";
import { createOrganization } from "../src/services/organizations/create-organization.ts";
import { freePort } from "../src/test/free-port.ts";

const name = (process.argv[2] ?? "default").replace(/[^a-z0-9-]/gi, "");
const dataDir = fileURLToPath(new URL(`../../../.data/live-postgres-${name}`, import.meta.url));

let embedded: EmbeddedPostgres | undefined;
let serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  serverUrl = embedded.url;
}
const database = `thrive_live_${randomBytes(4).toString("hex")}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${database}"`);
const databaseUrl = withDatabase(serverUrl, database);
await migrateDatabase(databaseUrl);

const seed = connectDatabase(databaseUrl, { max: 1 });
const [main, other] = await Promise.all([
  createOrganization({ db: seed.db, input: { name: "Live organization" } }),
  createOrganization({ db: seed.db, input: { name: "Other organization" } }),
]);
await seed.close();

const catcher = new MailCatcher({ maxMessages: 5000 });
await catcher.listen();
const port = await freePort();
const config = buildConfig(parseEnv({ LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" }), {
  mode: "development",
  databaseUrl,
  encryptionKey: randomBytes(32),
  port,
  host: "127.0.0.1",
  publicUrl: `http://127.0.0.1:${port}`,
  devInbox: true,
  requireVerifiedDomain: false,
  ssrfAllowList: ["127.0.0.0/8", "::1/128"],
});
const logger = createLogger(config.logLevel);
const runtime = await startRuntime(config, logger, {
  devInbox: catcher,
  transport: createSmtpTransport({ url: catcher.url, finalHop: true, name: "live-catcher" }),
});

process.stdout.write(
  `${JSON.stringify({ url: `http://127.0.0.1:${runtime.api?.port ?? port}`, apiKey: main.token, otherApiKey: other.token, smtpUrl: catcher.url })}\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await runtime.stop();
  await catcher.close();
  await admin.unsafe(`drop database if exists "${database}" with (force)`).catch(() => {});
  await admin.end();
  await embedded?.stop();
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();
