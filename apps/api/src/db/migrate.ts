import { fileURLToPath } from "node:url";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import { Logger as GraphileLogger, runMigrations as graphileMigrate } from "graphile-worker";
import { connectDatabase } from "./client.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/** An arbitrary constant: the advisory lock that serializes concurrent migrators. */
const MIGRATION_LOCK = 7_316_482_001;

const silentGraphileLogger = new GraphileLogger(() => () => {});

/**
 * Applies our drizzle migrations and graphile-worker's own. Safe to run from several processes
 * at once: they queue on an advisory lock.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const { db, sql, close } = connectDatabase(databaseUrl, { max: 1 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await drizzleMigrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      await graphileMigrate({ connectionString: databaseUrl, logger: silentGraphileLogger });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await close();
  }
}
