import { configOrExit, loadProductionConfig } from "./config.ts";
import { createLogger } from "./lib/logger.ts";
import { startRuntime } from "./runtime.ts";

// `pnpm start`: production mode. Configuration comes from the environment only.
const config = configOrExit(() => loadProductionConfig(process.env));

const logger = createLogger(config.logLevel, { role: config.role });
const runtime = await startRuntime(config, logger);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
