import { parseArgs } from "node:util";

export interface NumberOption {
  /** Flag name, e.g. "duration" for --duration. */
  flag: string;
  /** Environment variable read when the flag is absent. */
  env?: string;
  fallback: number;
  description: string;
}

/**
 * Positive numeric flags (`--duration 20` or `--duration=20`), falling back to an environment
 * variable, then to the default. `--help` lists them.
 */
export function readNumberOptions<const T extends Record<string, NumberOption>>(
  script: string,
  options: T,
): { [K in keyof T]: number } {
  const { values } = parseArgs({
    options: {
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(
        Object.values(options).map((option) => [option.flag, { type: "string" as const }]),
      ),
    },
  });
  if (values.help) {
    console.log(`usage: pnpm ${script} [options]\n`);
    for (const option of Object.values(options)) {
      const env = option.env ? `, env ${option.env}` : "";
      console.log(
        `  --${option.flag} <n>  ${option.description} (default ${option.fallback}${env})`,
      );
    }
    process.exit(0);
  }

  const result: Record<string, number> = {};
  for (const [key, option] of Object.entries(options)) {
    const flagValue = (values as Record<string, string | boolean | undefined>)[option.flag];
    const raw = flagValue ?? (option.env ? process.env[option.env] : undefined);
    const value = raw === undefined || raw === "" ? option.fallback : Number(raw);
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      console.error(`--${option.flag} must be a positive number, got ${String(raw)}`);
      process.exit(2);
    }
    result[key] = value;
  }
  return result as { [K in keyof T]: number };
}
