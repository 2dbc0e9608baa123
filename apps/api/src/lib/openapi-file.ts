import { newApp } from "../app.ts";
import { buildConfig, parseEnv } from "../config.ts";
import type { Database } from "../db/client.ts";
import { createApiDeps } from "../deps.ts";
import { createLogger } from "./logger.ts";
import { openApiDocument } from "./openapi-document.ts";

/**
 * The spec as checked in: built from the routes of a production-mode app, independent of the
 * environment. No database is touched; building the document only reads route definitions.
 */
export function renderOpenApiDocument(): string {
  const config = buildConfig(parseEnv({}), {
    mode: "production",
    databaseUrl: "postgres://unused/unused",
    encryptionKey: Buffer.alloc(32),
  });
  const unusedDatabase = { db: {}, sql: {}, close: async () => {} } as unknown as Database;
  const app = newApp(createApiDeps(config, createLogger("silent"), { database: unusedDatabase }));
  return `${JSON.stringify(openApiDocument(app), null, 2)}\n`;
}
