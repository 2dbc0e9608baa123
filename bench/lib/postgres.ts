import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { connectDatabase, type Database } from "../../apps/api/src/db/client.ts";
import { startEmbeddedPostgres, withDatabase } from "../../apps/api/src/db/embedded.ts";
import { migrateDatabase } from "../../apps/api/src/db/migrate.ts";
import { createOrganization } from "../../apps/api/src/services/organizations/create-organization.ts";
import { freePort } from "../../apps/api/src/test/free-port.ts";
import type { Cleanup } from "./cleanup.ts";

// Separate from the dev and test servers' folders, so a bench never touches their data.
const DATA_DIR = fileURLToPath(new URL("../../.data/bench-postgres", import.meta.url));

export interface PostgresServer {
  /** URL of the server's maintenance database; bench databases are created next to it. */
  url: string;
  /** Where the server came from, for the printed header. */
  source: string;
}

/** DATABASE_URL's server, or an embedded one (stopped by `cleanup`) when it is unset. */
export async function openPostgresServer(cleanup: Cleanup): Promise<PostgresServer> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    const parsed = new URL(fromEnv);
    return { url: fromEnv, source: `DATABASE_URL (${parsed.hostname}:${parsed.port || 5432})` };
  }
  let reused = false;
  const embedded = await startEmbeddedPostgres({
    dataDir: DATA_DIR,
    port: await freePort(),
    onLog: (line) => {
      if (line.startsWith("reusing")) reused = true;
    },
  });
  cleanup.add("stop embedded PostgreSQL", () => embedded.stop());
  const how = reused ? "already running, reused" : "started for this run";
  return {
    url: embedded.url,
    source: `embedded PostgreSQL on 127.0.0.1:${embedded.port} (DATABASE_URL unset; ${how}; data in ${DATA_DIR})`,
  };
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** A small pool for the bench's own counting queries. */
  database: Database;
  /** A full-access API key of the bench organization. */
  token: string;
}

/**
 * A fresh `thrive_bench_<random>` database, migrated, with one organization and key. It is
 * dropped by `cleanup` (with force, in case a killed server left connections behind).
 */
export async function createBenchDatabase(
  server: PostgresServer,
  cleanup: Cleanup,
): Promise<BenchDatabase> {
  const name = `thrive_bench_${randomBytes(5).toString("hex")}`;
  const admin = connectDatabase(server.url, { max: 1 });
  await dropLeftovers(admin);
  await admin.sql.unsafe(`create database "${name}"`);
  cleanup.add(`drop database ${name}`, async () => {
    await admin.sql.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.close();
  });

  const url = withDatabase(server.url, name);
  await migrateDatabase(url);
  const database = connectDatabase(url, { max: 2 });
  cleanup.add("close bench connections", () => database.close());
  const { token } = await createOrganization({ db: database.db, input: { name: "Bench" } });
  return { name, url, database, token };
}

/**
 * Bench databases of runs that were killed before their cleanup (Ctrl-C also stops the
 * embedded PostgreSQL before the bench can drop its database). One nobody is connected to
 * is a leftover: a running bench keeps connections open to its database. No `force`, so a
 * database someone connects to meanwhile makes the drop fail instead of breaking that run.
 */
async function dropLeftovers(admin: Database): Promise<void> {
  const rows = await admin.sql<{ datname: string }[]>`
    select datname from pg_database
    where datname like 'thrive\_bench\_%'
      and datname not in (select datname from pg_stat_activity where datname is not null)`;
  for (const { datname } of rows) {
    await admin.sql.unsafe(`drop database if exists "${datname}"`).then(
      () => console.log(`  (dropped ${datname}, left over from an interrupted run)`),
      () => {},
    );
  }
}

export async function postgresVersion(database: Database): Promise<string> {
  const [row] = await database.sql<{ version: string }[]>`select version()`;
  return row?.version ?? "unknown";
}

export async function countEmails(database: Database): Promise<number> {
  const [row] = await database.sql<{ count: number }[]>`select count(*)::int as count from emails`;
  return row?.count ?? 0;
}

/** Emails per status, e.g. { delivered: 20000 }. */
export async function emailStatuses(database: Database): Promise<Record<string, number>> {
  const rows = await database.sql<{ status: string; count: number }[]>`
    select status, count(*)::int as count from emails group by status order by status`;
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}
