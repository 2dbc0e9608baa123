import { pino } from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs. Secrets and message bodies are never passed to it. */
export function createLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  options: { pretty?: boolean } = {},
): Logger {
  return pino({
    level,
    base: { service: "thrive-send", ...bindings },
    // Human-readable lines for `pnpm dev`; JSON everywhere else.
    transport: options.pretty
      ? { target: "pino-pretty", options: { ignore: "pid,hostname,service" } }
      : undefined,
    redact: {
      paths: ["authorization", "*.authorization", "apiKey", "*.apiKey"],
      censor: "[redacted]",
    },
  });
}
