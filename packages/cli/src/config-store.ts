import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError } from "./errors.ts";

/** What `thrive login` keeps. */
export interface StoredConfig {
  apiKey: string;
  baseUrl: string;
}

/** `$XDG_CONFIG_HOME/thrive/config.json`, else `~/.config/thrive/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "thrive", "config.json");
}

/** The stored config, or undefined when there is none (never logged in, or logged out). */
export async function readConfig(path: string): Promise<StoredConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: Partial<StoredConfig>;
  try {
    parsed = JSON.parse(text) as Partial<StoredConfig>;
  } catch {
    throw new CliError(`${path} is not valid JSON: run \`thrive login\` again.`, {
      code: "invalid_config",
    });
  }
  if (typeof parsed.apiKey !== "string" || typeof parsed.baseUrl !== "string") {
    throw new CliError(`${path} has no apiKey and baseUrl: run \`thrive login\` again.`, {
      code: "invalid_config",
    });
  }
  return { apiKey: parsed.apiKey, baseUrl: parsed.baseUrl };
}

/**
 * Writes the config readable by its owner only (0600, in a 0700 folder): it holds an API key.
 * Written beside and renamed over, so an interrupted write never leaves half a file.
 */
export async function writeConfig(path: string, config: StoredConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFile is filtered by the umask, and ignored for an existing file.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Removes the config; false when there was none. */
export async function removeConfig(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
