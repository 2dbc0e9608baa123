import { EventEmitter } from "node:events";
import { Logger as GraphileLogger, type LogLevel, run, type WorkerEvents } from "graphile-worker";
import pLimit from "p-limit";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { createDomainVerifyTask } from "./jobs/domain_verify.ts";
import { createDomainsRecheckTask } from "./jobs/domains_recheck.ts";
import { createEmailSendTask } from "./jobs/email_send.ts";
import { createIdempotencyPruneTask } from "./jobs/idempotency_prune.ts";
import { createOrganizationPurgeTask } from "./jobs/organization_purge.ts";
import { createReputationStatsTask } from "./jobs/reputation_stats.ts";
import { createRetentionPruneTask } from "./jobs/retention_prune.ts";
import { createWebhookDeliverTask } from "./jobs/webhook_deliver.ts";
import { startLiveness } from "./jobs/worker-liveness.ts";
import { createDnsResolver } from "./lib/dns-resolver.ts";
import type { Logger } from "./lib/logger.ts";
import { SecretBox } from "./lib/secrets.ts";
import { createSsrfGuard } from "./lib/ssrf-guard.ts";
import { type Provider, providerOf } from "./mail/provider.ts";
import { TrackingTokens } from "./mail/tracking-tokens.ts";
import type { MailTransport } from "./mail/transport.ts";
import { SenderIdentities } from "./services/domains/sender-identities.ts";
import { WarmupGate } from "./services/domains/warmup-gate.ts";
import { createClaimBatcher } from "./services/emails/claim.ts";
import { createOutcomeBatcher } from "./services/emails/record-attempt.ts";
import { createProviderRouting } from "./services/providers/routing.ts";
import { SendingPauses } from "./services/reputation/sending-pauses.ts";
import { createWebhookDispatcher } from "./services/webhooks/create-dispatcher.ts";

export interface WorkerHandle {
  stop(): Promise<void>;
}

function graphileLogger(logger: Logger): GraphileLogger {
  const levels: Record<LogLevel, "error" | "warn" | "info" | "debug"> = {
    error: "error",
    warning: "warn",
    info: "info",
    debug: "debug",
  } as Record<LogLevel, "error" | "warn" | "info" | "debug">;
  return new GraphileLogger((scope) => (level, message, meta) => {
    logger[levels[level] ?? "info"]({ scope: { ...scope }, ...meta }, message);
  });
}

/**
 * Starts graphile-worker with Thrive-Send's tasks. Jobs are fetched in batches (local queue)
 * and completed in batches; a heartbeat lets other pools free this one's jobs if it dies.
 */
export async function startWorker(input: {
  config: Config;
  database: Database;
  /** The installation's providers, in the order they are tried (runtime.ts builds them)... */
  providers?: Provider[];
  /** ...or one transport as the only one (dev's catcher, tests). */
  transport?: MailTransport;
  logger: Logger;
}): Promise<WorkerHandle> {
  const { config, database } = input;
  const secrets = new SecretBox(config.encryptionKey);
  const logger = input.logger.child({ component: "worker" });
  const globals = input.providers ?? (input.transport ? [providerOf(input.transport)] : []);
  if (globals.length === 0) throw new Error("the worker needs a provider (SMTP_URL)");
  const routing = createProviderRouting({ config, database, secrets, globals, logger });
  const transport = routing.globalChain;
  const events: WorkerEvents = new EventEmitter();
  const liveness: { stop(): Promise<void> }[] = [];
  // One guard for the process's attachment fetches: each goes through its agents.
  const ssrfGuard = createSsrfGuard({ allowList: config.ssrfAllowList });
  // Webhooks have a guard of their own, keep-alive: endpoints get message after message.
  const webhooks = createWebhookDispatcher({
    settings: config.webhooks,
    database,
    secrets,
    logger,
    ssrfAllowList: config.ssrfAllowList,
  });
  events.on("pool:create", ({ workerPool }) => {
    liveness.push(
      startLiveness({
        sql: database.sql,
        workerId: workerPool.id,
        heartbeatMs: config.workerHeartbeatMs,
        deadAfterMs: config.workerDeadAfterMs,
        logger,
      }),
    );
  });

  const runner = await run({
    connectionString: config.databaseUrl,
    concurrency: config.workerConcurrency,
    maxPoolSize: config.workerConcurrency + 2,
    noHandleSignals: true,
    // Scheduled sends and retries are found by polling: this bounds how late they start.
    pollInterval: 1000,
    logger: graphileLogger(logger),
    events,
    taskList: {
      email_send: createEmailSendTask({
        db: database.db,
        transport,
        routing,
        warmup: config.warmupSchedule
          ? new WarmupGate(database.db, config.warmupSchedule)
          : undefined,
        logger,
        claims: createClaimBatcher(database.db, config.workerDeadAfterMs),
        outcomes: createOutcomeBatcher(database.sql),
        // A job may carry up to 100 emails: the process-wide bound keeps memory (stored
        // attachments are loaded at claim time, `path` ones fetched up to
        // attachmentFetchMaxBytes each email) and the SMTP pool's queue as with one per job.
        deliveries: pLimit(config.workerConcurrency),
        identities: new SenderIdentities(database.db, secrets),
        verpKey: secrets.derive("verp"),
        links: {
          tokens: new TrackingTokens(secrets.derive("tracking")),
          trackingBaseUrl: config.trackingBaseUrl,
          unsubscribeBaseUrl: config.publicUrl,
          listUnsubscribe: config.listUnsubscribe,
        },
        attachmentFetch: {
          guard: ssrfGuard,
          maxBytes: config.attachmentFetchMaxBytes,
          timeoutMs: config.attachmentFetchTimeoutMs,
        },
        pauses: new SendingPauses(database.db),
        holdMs: config.reputation.holdMs,
      }),
      idempotency_prune: createIdempotencyPruneTask({ db: database.db, logger }),
      domain_verify: createDomainVerifyTask({
        db: database.db,
        dns: createDnsResolver({ servers: config.dnsServers }),
        config,
        logger,
      }),
      domains_recheck: createDomainsRecheckTask({ db: database.db, logger }),
      webhook_deliver: createWebhookDeliverTask({ dispatcher: webhooks }),
      organization_purge: createOrganizationPurgeTask({ db: database.db, logger }),
      retention_prune: createRetentionPruneTask({ db: database.db, logger }),
      reputation_stats: createReputationStatsTask({
        db: database.db,
        config,
        settings: config.reputation,
        logger,
      }),
    },
    crontab: [
      "0 * * * * idempotency_prune",
      "30 * * * * retention_prune",
      "*/5 * * * * domains_recheck",
      // Runs that overlap take turns on the stats cursor's row lock.
      "* * * * * reputation_stats",
    ].join("\n"),
    preset: {
      worker: {
        localQueue: { size: config.workerConcurrency },
        // Completions of concurrent jobs share statements; a completion lost in a crash
        // only re-runs a job whose email is already sent, which the claim turns into a no-op.
        completeJobBatchDelay: 2,
        failJobBatchDelay: 0,
      },
    },
  });
  logger.info(
    { concurrency: config.workerConcurrency, transport: transport.name },
    "worker started",
  );

  let stopped: Promise<void> | undefined;
  return {
    // Idempotent: signal handlers and test teardowns may both ask.
    stop() {
      stopped ??= (async () => {
        await runner.stop();
        ssrfGuard.close();
        await webhooks.close();
        await Promise.all(liveness.map((handle) => handle.stop()));
        await routing.close();
      })();
      return stopped;
    },
  };
}
