import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { newApp } from "../app.ts";
import { buildConfig, type Config, parseEnv } from "../config.ts";
import type { Database } from "../db/client.ts";
import { createApiDeps } from "../deps.ts";
import type { Logger } from "../lib/logger.ts";
import { MailCatcher } from "../mail/catcher.ts";
import { createSmtpTransport } from "../mail/smtp-transport.ts";
import { createOrganization } from "../services/organizations/create-organization.ts";
import { startDnsServer } from "../test/dns-server.ts";
import { freePort } from "../test/free-port.ts";
import { startWorker } from "../worker.ts";

export interface FuzzKey {
  /** A full_access API key. */
  key: string;
  keyId: string;
}

export interface FuzzServer {
  /** Base URL of the API, on loopback. */
  url: string;
  /** The key of the organization the fuzzer works in. */
  main: FuzzKey;
  /** Another organization's: none of the first one's objects are its. */
  other: FuzzKey;
  /** A key of a new organization of its own. */
  addOrganization(name: string): Promise<FuzzKey>;
  stop(): Promise<void>;
}

/**
 * Request limits far above what the fuzzer sends, but on: the rate-limit headers stay in the
 * answers, so their documentation is checked too, without a 429 standing in for the answer.
 */
const HIGH_LIMITS = {
  RATE_LIMIT_PER_KEY: "100000",
  RATE_LIMIT_PER_ORG: "100000",
  RATE_LIMIT_PER_IP: "100000",
  RATE_LIMIT_SIGN_IN_PER_MINUTE: "1000000",
};

/**
 * The API and a worker on a real socket, for the schemathesis run: mail goes to an in-process
 * SMTP catcher, domain checks to a local DNS server that knows no names (no lookup leaves the
 * machine), and two organizations with a full_access key each.
 */
export async function startFuzzServer(input: {
  database: Database & { url: string };
  logger: Logger;
}): Promise<FuzzServer> {
  const { database, logger } = input;
  const catcher = new MailCatcher({ maxMessages: 1000 });
  await catcher.listen();
  const dns = await startDnsServer();
  const port = await freePort();
  const config: Config = buildConfig(parseEnv(HIGH_LIMITS), {
    mode: "test",
    databaseUrl: database.url,
    encryptionKey: randomBytes(32),
    port,
    host: "127.0.0.1",
    publicUrl: `http://127.0.0.1:${port}`,
    dnsServers: [dns.address],
    workerConcurrency: 4,
  });

  const addOrganization = async (name: string): Promise<FuzzKey> => {
    const created = await createOrganization({ db: database.db, input: { name } });
    return { key: created.token, keyId: created.apiKeyId };
  };
  const main = await addOrganization("Fuzzed organization");
  const other = await addOrganization("Other organization");

  const deps = createApiDeps(config, logger, { database });
  const worker = await startWorker({
    config,
    database,
    transport: createSmtpTransport({ url: catcher.url, finalHop: true, name: "fuzz-catcher" }),
    logger,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve(
      {
        fetch: newApp(deps).fetch,
        port,
        hostname: "127.0.0.1",
        // Node refuses a request head over 16 KB with a 431 before the app sees it. The spec's
        // maxLengths count characters; percent-encoded, the fuzzer's longest query values
        // pass 16 KB, and what is tested is the app's answer to them, not Node's limit.
        serverOptions: { maxHeaderSize: 1024 * 1024 },
      },
      () => resolve(started),
    );
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    main,
    other,
    addOrganization,
    async stop() {
      // Event streams never end by themselves: end them, or close() would wait for them.
      deps.eventNotifications.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await deps.usage.stop();
      await worker.stop();
      await catcher.close();
      await dns.close();
    },
  };
}
