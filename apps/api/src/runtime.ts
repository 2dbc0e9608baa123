import { setTimeout as sleep } from "node:timers/promises";
import { type ApiHandle, startApi } from "./api.ts";
import type { Config } from "./config.ts";
import { connectDatabase, type Database } from "./db/client.ts";
import { migrationState } from "./db/status.ts";
import { createApiDeps } from "./deps.ts";
import type { Logger } from "./lib/logger.ts";
import { SecretBox } from "./lib/secrets.ts";
import { BounceListener } from "./mail/bounce-listener.ts";
import type { MailCatcher } from "./mail/catcher.ts";
import type { MailTransport } from "./mail/transport.ts";
import { createBounceMailbox } from "./services/feedback/bounce-mailbox.ts";
import { bootstrapApiKey } from "./services/organizations/bootstrap.ts";
import { createGlobalProviders } from "./services/providers/global-providers.ts";
import { startWorker, type WorkerHandle } from "./worker.ts";

export interface Runtime {
  api?: ApiHandle;
  worker?: WorkerHandle;
  bounces?: BounceListener;
  stop(): Promise<void>;
}

/**
 * Starts what THRIVE_ROLE asks for (API, worker, or both) once the database is migrated.
 * The API answers /health and /ready while it waits.
 */
export async function startRuntime(
  config: Config,
  logger: Logger,
  extras: { devInbox?: MailCatcher; transport?: MailTransport } = {},
): Promise<Runtime> {
  const database = connectDatabase(config.databaseUrl, { max: config.databasePoolSize });
  const runtime: Runtime = {
    async stop() {
      await runtime.api?.stop();
      await runtime.bounces?.close();
      await runtime.worker?.stop();
      await database.close();
    },
  };

  if (config.role !== "worker") {
    runtime.api = await startApi(
      createApiDeps(config, logger, { database, devInbox: extras.devInbox }),
    );
    logger.info({ port: runtime.api.port }, "API listening");
  }

  await waitForMigrations(database.sql, logger);

  if (config.bootstrapApiKey && config.role !== "worker") {
    if (await bootstrapApiKey(database.db, config.bootstrapApiKey)) {
      logger.info("created an organization and a full-access key from BOOTSTRAP_API_KEY");
    }
  }

  if (config.role !== "api") {
    // A transport given (dev's catcher) stands for the whole chain; otherwise PROVIDERS's.
    const providers = extras.transport ? undefined : createGlobalProviders(config.providers);
    if (!extras.transport && providers?.length === 0) throw new Error("the worker needs SMTP_URL");
    runtime.worker = await startWorker({
      config,
      database,
      transport: extras.transport,
      providers,
      logger,
    });
    if (config.bounceSmtp) {
      runtime.bounces = await startBounceMailbox(config, database.db, logger);
    }
  }
  return runtime;
}

/** The return-path domains' MX: DSNs and complaints sent to our VERP addresses. */
async function startBounceMailbox(config: Config, db: Database["db"], logger: Logger) {
  const settings = config.bounceSmtp as { port: number; host: string };
  const mailbox = createBounceMailbox({
    db,
    verpKey: new SecretBox(config.encryptionKey).derive("verp"),
    logger: logger.child({ component: "bounces" }),
  });
  const listener = new BounceListener({ ...mailbox, hostname: config.bounceMxHost });
  await listener.listen(settings.port, settings.host);
  logger.info({ port: listener.port, host: settings.host }, "bounce mailbox listening");
  return listener;
}

async function waitForMigrations(
  sql: Parameters<typeof migrationState>[0],
  logger: Logger,
): Promise<void> {
  let warned = false;
  for (;;) {
    try {
      if ((await migrationState(sql)) === "applied") return;
      if (!warned) logger.warn("database not migrated yet: run `pnpm db:migrate`; waiting");
    } catch (error) {
      if (!warned) logger.warn({ err: error }, "database unreachable; waiting");
    }
    warned = true;
    await sleep(2000);
  }
}
