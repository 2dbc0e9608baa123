import { ThriveSend, type ThriveSendOptions } from "@thrive-send/sdk";
import type { Command } from "commander";
import { configPath, readConfig } from "./config-store.ts";
import { CliError, EXIT_USAGE } from "./errors.ts";
import { Output } from "./output.ts";
import { USER_AGENT } from "./version.ts";

/** The options every command takes (commander fills apiKey and baseUrl from the env too). */
export interface GlobalOptions {
  apiKey?: string;
  baseUrl?: string;
  json?: boolean;
  color?: boolean;
}

export const DEFAULT_BASE_URL = "http://localhost:3000";

export interface Credentials {
  apiKey: string;
  baseUrl: string;
}

/** What a command runs with: its global options, where it writes, and the API client. */
export class Context {
  readonly options: GlobalOptions;
  readonly out: Output;
  readonly configPath: string;

  constructor(options: GlobalOptions) {
    this.options = options;
    this.out = new Output({ json: Boolean(options.json), color: options.color !== false });
    this.configPath = configPath();
  }

  static of(command: Command): Context {
    return new Context(command.optsWithGlobals<GlobalOptions>());
  }

  /**
   * The key and URL to use, each from the flag, else the environment (THRIVE_API_KEY,
   * THRIVE_BASE_URL), else what `thrive login` stored.
   */
  async credentials(): Promise<Credentials> {
    const { apiKey: flagKey, baseUrl: flagUrl } = this.options;
    // A broken config file gets in the way only of commands that need it.
    const stored = flagKey && flagUrl ? undefined : await readConfig(this.configPath);
    const apiKey = flagKey || stored?.apiKey;
    if (!apiKey) {
      throw new CliError("No API key: run `thrive login`, pass --api-key or set THRIVE_API_KEY.", {
        code: "missing_api_key",
      });
    }
    const baseUrl = normalizeBaseUrl(flagUrl || stored?.baseUrl || DEFAULT_BASE_URL);
    return { apiKey, baseUrl };
  }

  async client(options: Omit<ThriveSendOptions, "baseUrl"> = {}): Promise<ThriveSend> {
    const { apiKey, baseUrl } = await this.credentials();
    return newClient(apiKey, baseUrl, options);
  }
}

export function newClient(
  apiKey: string,
  baseUrl: string,
  options: Omit<ThriveSendOptions, "baseUrl"> = {},
): ThriveSend {
  return new ThriveSend(apiKey, {
    baseUrl,
    userAgent: USER_AGENT,
    ...options,
    fetch: explainingFailures(options.fetch ?? ((input, init) => fetch(input, init))),
  });
}

/**
 * Node's fetch rejects with "fetch failed" whatever went wrong; the SDK puts that message in
 * its connection_error. This says where and why instead: `http://localhost:3000: ECONNREFUSED`.
 */
function explainingFailures(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (error) {
      if (init?.signal?.aborted || !(error instanceof TypeError)) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? error.message;
      const url = input instanceof Request ? input.url : String(input);
      throw new TypeError(`${new URL(url).origin}: ${why}`, { cause: error });
    }
  };
}

/** An http(s) URL without its trailing slash; anything else is a usage error. */
export function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`The base URL \`${value}\` is not a URL (e.g. http://localhost:3000).`, {
      code: "invalid_base_url",
      exitCode: EXIT_USAGE,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`The base URL \`${value}\` must be http:// or https://.`, {
      code: "invalid_base_url",
      exitCode: EXIT_USAGE,
    });
  }
  return url.href.replace(/\/+$/, "");
}
