import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { buildConfig, configOrExit, parseEnv } from "./config.ts";
import { connectDatabase } from "./db/client.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres, withDatabase } from "./db/embedded.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { devEncryptionKey, seedDevOrganization } from "./dev-seed.ts";
import { createLogger } from "./lib/logger.ts";
import { MailCatcher } from "./mail/catcher.ts";
import { createSmtpTransport } from "./mail/smtp-transport.ts";
import { DOCS_PORTAL_DIR, DOCS_PORTAL_PATH } from "./routes/dev/docs-portal.ts";
import { startRuntime } from "./runtime.ts";

// `pnpm dev`: everything on one machine with nothing installed: an embedded PostgreSQL (unless
// DATABASE_URL is set), a mail catcher, the API and the worker.
const DATA_DIR = fileURLToPath(new URL("../../../.data/", import.meta.url));
const DEV_DATABASE = "thrive_send";
const EMBEDDED_PORT = 54329;
const CATCHER_PORT = 2525;
const DOCS_ENSURE_BUILT = fileURLToPath(
  new URL("../../docs/scripts/ensure-built.ts", import.meta.url),
);

const env = configOrExit(() => parseEnv(process.env));
const logger = createLogger(env.LOG_LEVEL, { mode: "development" }, { pretty: true });
await mkdir(DATA_DIR, { recursive: true });

// The docs portal served at /docs-portal/: built now if it is missing or older than its sources.
const docsBuild = spawnSync(process.execPath, [DOCS_ENSURE_BUILT], { stdio: "inherit" });
if (docsBuild.status !== 0) logger.warn("the docs portal could not be built (see above)");

let embedded: EmbeddedPostgres | undefined;
let databaseUrl = env.DATABASE_URL;
if (!databaseUrl) {
  logger.info("starting the embedded PostgreSQL (data in .data/postgres)");
  embedded = await startEmbeddedPostgres({
    dataDir: join(DATA_DIR, "postgres"),
    port: EMBEDDED_PORT,
  });
  databaseUrl = withDatabase(embedded.url, DEV_DATABASE);
  await createDatabaseIfMissing(embedded.url, DEV_DATABASE);
}
await migrateDatabase(databaseUrl);

const seedDatabase = connectDatabase(databaseUrl, { max: 2 });
const dev = await seedDevOrganization(seedDatabase, join(DATA_DIR, "dev.json"), logger);
await seedDatabase.close();

const catcher = new MailCatcher({ maxMessages: 500 });
await catcher.listen(CATCHER_PORT).catch(() => catcher.listen(0));
const config = buildConfig(env, {
  mode: "development",
  databaseUrl,
  encryptionKey: env.ENCRYPTION_KEY ?? (await devEncryptionKey(join(DATA_DIR, "encryption-key"))),
  host: process.env.HOST || "127.0.0.1",
  devInbox: true,
  // The bounce mailbox listens locally in dev (env BOUNCE_SMTP_PORT overrides).
  ...(env.BOUNCE_SMTP_PORT === undefined ? { bounceSmtp: { port: 2526, host: "127.0.0.1" } } : {}),
});
// Without a provider configured, mail goes to the catcher; with one, through the chain.
const transport =
  config.providers.length > 0
    ? undefined
    : createSmtpTransport({ url: catcher.url, finalHop: true, name: "dev-catcher" });
const runtime = await startRuntime(config, logger, { devInbox: catcher, transport });
const base = `http://localhost:${runtime.api?.port ?? config.port}`;

console.log(`
  Thrive-Send is running (development mode)

  API            ${base}
  API reference  ${base}/docs
  Docs portal    ${existsSync(DOCS_PORTAL_DIR) ? `${base}${DOCS_PORTAL_PATH}/   (guides, samples, search; apps/docs)` : "not built: pnpm --filter @thrive-send/docs build"}
  OpenAPI spec   ${base}/openapi.json
  Dev inbox      ${base}/dev/inbox   (mail caught by ${catcher.url}${transport ? "" : `; sending through ${config.providers.map((p) => p.name).join(", ")}`})
  Database       ${embedded ? `embedded PostgreSQL on port ${embedded.port} (data in .data/postgres)` : "DATABASE_URL"}
  Domains        ${config.requireVerifiedDomain ? "from must be on a verified domain" : "any from domain is accepted (dev mode): mail from unverified domains goes out unsigned"}
  Bounces        ${config.bounceSmtp ? `smtp://${config.bounceSmtp.host}:${config.bounceSmtp.port} (the return-path MX)` : "bounce mailbox off"}

  API key        ${dev.apiKey}

  curl -X POST ${base}/emails \\
    -H 'Authorization: Bearer ${dev.apiKey}' -H 'Content-Type: application/json' \\
    -d '{"from": "Acme <hello@acme.dev>", "to": "you@example.com", "subject": "Hi", "html": "<p>It works!</p>"}'
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await runtime.stop();
    await catcher.close();
    await embedded?.stop();
    process.exit(0);
  });
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const exists = await sql`select 1 from pg_database where datname = ${name}`;
    if (exists.length === 0) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
}
