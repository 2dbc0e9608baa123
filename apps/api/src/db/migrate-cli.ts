import { parseEnv } from "../config.ts";
import { migrateDatabase } from "./migrate.ts";

// `pnpm db:migrate`: migrates the database at DATABASE_URL and exits.
const env = parseEnv(process.env);
if (!env.DATABASE_URL) {
  console.error("DATABASE_URL is required");
  process.exit(1);
}
await migrateDatabase(env.DATABASE_URL);
console.log("database migrated");
