import * as client from "openid-client";
import type { Config } from "../../config.ts";
import { AppError } from "../../lib/errors.ts";
import { safeFetch } from "../../lib/safe-fetch.ts";

export interface OidcClientSettings {
  /** Cache key: the connection and its last change. */
  key: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** Discovered providers are kept this long; a changed connection is a new key at once. */
const TTL_MS = 60 * 60_000;

/**
 * The openid-client configuration of each organization's provider, discovered on first use.
 * The issuer is a URL an organization's admin typed: every request to it (discovery, JWKS,
 * token) goes through the SSRF guard, like webhooks do.
 */
export class OidcClients {
  readonly #allowInsecure: boolean;
  readonly #ssrfAllowList: readonly string[];
  readonly #cache = new Map<string, { config: Promise<client.Configuration>; expiresAt: number }>();

  constructor(config: Pick<Config, "identity" | "ssrfAllowList">) {
    this.#allowInsecure = config.identity.allowInsecureOidc;
    this.#ssrfAllowList = config.ssrfAllowList;
  }

  /** 400 sso_failed when the issuer cannot be discovered. */
  async configuration(settings: OidcClientSettings): Promise<client.Configuration> {
    const now = Date.now();
    const cached = this.#cache.get(settings.key);
    if (cached && cached.expiresAt > now) return cached.config;
    const config = this.#discover(settings);
    this.#cache.set(settings.key, { config, expiresAt: now + TTL_MS });
    config.catch(() => this.#cache.delete(settings.key));
    return config;
  }

  async #discover(settings: OidcClientSettings): Promise<client.Configuration> {
    const issuer = new URL(settings.issuer);
    if (issuer.protocol !== "https:" && !this.#allowInsecure) {
      throw new AppError("sso_failed", "The issuer must be an https URL");
    }
    try {
      return await client.discovery(
        issuer,
        settings.clientId,
        settings.clientSecret,
        // client_secret_post: the one method every provider we know of accepts.
        client.ClientSecretPost(settings.clientSecret),
        {
          [client.customFetch]: this.#fetch,
          execute: issuer.protocol === "https:" ? [] : [client.allowInsecureRequests],
        },
      );
    } catch (error) {
      throw new AppError(
        "sso_failed",
        `Could not discover the OpenID provider at ${settings.issuer}: ${(error as Error).message}`,
      );
    }
  }

  readonly #fetch: client.CustomFetch = async (url, options) => {
    const body = options.body;
    const response = await safeFetch(url, {
      method: options.method === "POST" ? "POST" : "GET",
      headers: options.headers,
      body:
        body === undefined || body === null
          ? undefined
          : typeof body === "string"
            ? body
            : body instanceof URLSearchParams
              ? body.toString()
              : body instanceof Uint8Array
                ? body
                : body instanceof ArrayBuffer
                  ? new Uint8Array(body)
                  : undefined,
      timeoutMs: 10_000,
      maxBytes: 1024 * 1024,
      allowList: this.#ssrfAllowList,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    return new Response(new Uint8Array(response.body), { status: response.status, headers });
  };
}
