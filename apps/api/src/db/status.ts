import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Sql } from "./client.ts";
import { MIGRATIONS_FOLDER } from "./migrate.ts";

interface Journal {
  entries: { tag: string; when: number }[];
}

const journal: Journal = JSON.parse(
  readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
);
const latestMigration = journal.entries.at(-1);

export type MigrationState = "applied" | "pending";

/**
 * Whether this build's newest drizzle migration and graphile-worker's schema are in the
 * database. drizzle records each migration's journal timestamp as created_at.
 */
export async function migrationState(sql: Sql): Promise<MigrationState> {
  const [row] = await sql<{ drizzle: boolean; graphile: boolean }[]>`
    select
      exists (
        select 1 from information_schema.tables
        where table_schema = 'drizzle' and table_name = '__drizzle_migrations'
      ) as drizzle,
      exists (
        select 1 from information_schema.tables
        where table_schema = 'graphile_worker' and table_name = 'migrations'
      ) as graphile`;
  if (!row?.drizzle || !row.graphile) return "pending";
  if (!latestMigration) return "applied";
  const applied = await sql`
    select 1 from drizzle.__drizzle_migrations where created_at = ${latestMigration.when}`;
  return applied.length > 0 ? "applied" : "pending";
}
