import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { type EmbeddedPostgres, startEmbeddedPostgres, withDatabase } from "../db/embedded.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { freePort } from "./free-port.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server URL (any database) the tests may create databases on. */
    databaseServerUrl: string;
    /** A migrated database that each test file clones. */
    templateDatabase: string;
    /** Prefix of the databases this run creates, so teardown can drop them all. */
    databasePrefix: string;
  }
}

const DATA_DIR = fileURLToPath(new URL("../../../../.data/test-postgres", import.meta.url));

/**
 * Once per `vitest run`: a real PostgreSQL (DATABASE_URL's server, or an embedded one when it
 * is unset) and a migrated template database. Test files clone the template, so each gets an
 * isolated database, graphile-worker queue included, in a fraction of a second.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: await freePort() });
    serverUrl = embedded.url;
  }
  const prefix = `thrive_test_${randomBytes(4).toString("hex")}`;
  const template = `${prefix}_template`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await dropLeftovers(admin);
  await admin.unsafe(`create database "${template}"`);
  await migrateDatabase(withDatabase(serverUrl, template));

  project.provide("databaseServerUrl", serverUrl);
  project.provide("templateDatabase", template);
  project.provide("databasePrefix", prefix);

  return async () => {
    const databases = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`${prefix}%`}`;
    for (const { datname } of databases) {
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
    await admin.end();
    await embedded?.stop();
  };
}

/** Databases of earlier runs that were killed before their teardown. */
async function dropLeftovers(admin: postgres.Sql): Promise<void> {
  const stale = await admin<{ datname: string }[]>`
    select datname from pg_database
    where datname like 'thrive\\_test\\_%'
      and (pg_stat_file('base/' || oid || '/PG_VERSION', true)).modification < now() - interval '6 hours'`;
  for (const { datname } of stale) {
    await admin.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
  }
}
