import { randomBytes } from "node:crypto";
import { newApp } from "../app.ts";
import { buildConfig, type Config, parseEnv } from "../config.ts";
import { type ApiDeps, createApiDeps } from "../deps.ts";
import type { App } from "../lib/app-env.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { MailCatcher, type MailCatcherOptions } from "../mail/catcher.ts";
import { createSmtpTransport } from "../mail/smtp-transport.ts";
import { createApiKey } from "../services/api-keys/create-api-key.ts";
import { SYSTEM_ORIGIN } from "../services/audit/record-audit.ts";
import { createOrganization } from "../services/organizations/create-organization.ts";
import { startWorker, type WorkerHandle } from "../worker.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

export interface TestOrg {
  orgId: string;
  /** A full_access key. */
  key: string;
  /** A sending_access key of the same organization. */
  sendingKey: string;
}

export interface CallOptions {
  /** Bearer key; null sends no Authorization header. */
  key?: string | null;
  json?: unknown;
  /** A raw body (sent as is, with the given or a JSON content type). */
  body?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any;
  headers: Headers;
}

export interface TestApi {
  database: TestDatabase;
  config: Config;
  deps: ApiDeps;
  app: App;
  logger: Logger;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  createOrg(name?: string): Promise<TestOrg>;
  close(): Promise<void>;
}

export function testLogger(): Logger {
  return createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
}

/** One key per test process; a worker process a test starts gets it as ENCRYPTION_KEY. */
export const TEST_ENCRYPTION_KEY = randomBytes(32);

/** Tests call faster than any client should: request limits are off unless a test sets them. */
export const NO_RATE_LIMITS: Config["rateLimits"] = {
  perKey: null,
  perOrg: null,
  perIp: null,
  signInPerIp: null,
};

export function testConfig(databaseUrl: string, overrides: Partial<Config> = {}): Config {
  return buildConfig(parseEnv({}), {
    mode: "test",
    databaseUrl,
    encryptionKey: TEST_ENCRYPTION_KEY,
    rateLimits: NO_RATE_LIMITS,
    ...overrides,
  });
}

/** The API in-process on a database of its own; requests go through app.request(). */
export async function startTestApi(
  overrides: Partial<Config> = {},
  extras: Omit<Parameters<typeof createApiDeps>[2], "database"> = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, overrides);
  const logger = testLogger();
  const deps = createApiDeps(config, logger, { ...extras, database });
  const app = newApp(deps);

  const call = async (
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<CallResult> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    } else if (options.body !== undefined) {
      body = options.body;
      headers["content-type"] ??= "application/json";
    }
    const response = await app.request(path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };

  return {
    database,
    config,
    deps,
    app,
    logger,
    call,
    async createOrg(name = "Test organization") {
      const org = await createOrganization({ db: database.db, input: { name } });
      const sending = await createApiKey({
        ctx: { db: database.db, orgId: org.orgId, audit: SYSTEM_ORIGIN },
        input: { name: "sending", permission: "sending_access" },
      });
      return { orgId: org.orgId, key: org.token, sendingKey: sending.token };
    },
    async close() {
      await deps.usage.stop();
      await database.drop();
    },
  };
}

export interface TestMail {
  catcher: MailCatcher;
  worker: WorkerHandle;
  stop(): Promise<void>;
}

/** A real SMTP sink and a worker delivering into it, on the test API's database. */
export async function startTestMail(
  api: Pick<TestApi, "database" | "config" | "logger">,
  options: { catcher?: MailCatcherOptions; finalHop?: boolean; config?: Partial<Config> } = {},
): Promise<TestMail> {
  const catcher = new MailCatcher(options.catcher);
  await catcher.listen();
  const transport = createSmtpTransport({ url: catcher.url, finalHop: options.finalHop ?? true });
  const worker = await startWorker({
    config: { ...api.config, workerConcurrency: 8, ...options.config },
    database: api.database,
    transport,
    logger: api.logger,
  });
  return {
    catcher,
    worker,
    async stop() {
      await worker.stop();
      await catcher.close();
    },
  };
}

/** Polls until `check` answers something truthy (then returns it), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await check();
    if (value) return value;
    last = value;
    if (Date.now() > deadline)
      throw new Error(`${what} not reached within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
