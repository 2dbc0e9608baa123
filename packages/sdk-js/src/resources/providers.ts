import type { HttpClient, RequestOptions } from "../core/http.ts";
import { listPages } from "../core/list.ts";
import type { PagePromise, PaginationOptions } from "../core/pagination.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type { DeletedProvider, Provider } from "../types.ts";

type Schemas = components["schemas"];

export interface SmtpProviderSettings {
  host: string;
  /** Default 587. */
  port?: number;
  /** Default `starttls`. */
  security?: "tls" | "starttls" | "none";
  username?: string;
  password?: string;
  /** The relay delivers to recipients itself: its acceptance counts as delivered. */
  finalHop?: boolean;
}

export interface SesProviderSettings {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  configurationSet?: string;
}

interface ProviderFields {
  name: string;
  /** Lower goes first (-1000 to 1000, default 0). */
  priority?: number;
  /** Messages per second across all workers; unlimited when null. */
  ratePerSecond?: number | null;
  enabled?: boolean;
}

export type CreateProviderOptions = ProviderFields &
  ({ type: "smtp"; smtp: SmtpProviderSettings } | { type: "ses"; ses: SesProviderSettings });

export interface UpdateProviderOptions extends Partial<ProviderFields> {
  /** Merged into the stored settings; null clears the credentials. */
  smtp?: Partial<Omit<SmtpProviderSettings, "username" | "password">> & {
    username?: string | null;
    password?: string | null;
  };
  ses?: Partial<Omit<SesProviderSettings, "configurationSet">> & {
    configurationSet?: string | null;
  };
}

export type ListProvidersOptions = PaginationOptions;

export class Providers {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Adds a provider of the organization's own; its credentials are never shown again. */
  create(payload: CreateProviderOptions, options?: RequestOptions): Promise<ApiResponse<Provider>> {
    const fields = {
      name: payload.name,
      priority: payload.priority,
      rate_per_second: payload.ratePerSecond,
      enabled: payload.enabled,
    };
    const body: Schemas["CreateProviderRequest"] =
      payload.type === "smtp"
        ? { type: "smtp", smtp: toSmtpSettings(payload.smtp), ...fields }
        : { type: "ses", ses: toSesSettings(payload.ses), ...fields };
    return this.http.json({ method: "POST", path: "/providers", body, replaySafe: false }, options);
  }

  list(pagination: ListProvidersOptions = {}, options?: RequestOptions): PagePromise<Provider> {
    return listPages(this.http, { path: "/providers" }, pagination, {}, options);
  }

  get(id: string, options?: RequestOptions): Promise<ApiResponse<Provider>> {
    return this.http.json(
      { method: "GET", path: "/providers/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }

  update(
    id: string,
    payload: UpdateProviderOptions,
    options?: RequestOptions,
  ): Promise<ApiResponse<Provider>> {
    const body: Schemas["UpdateProviderRequest"] = {
      name: payload.name,
      priority: payload.priority,
      rate_per_second: payload.ratePerSecond,
      enabled: payload.enabled,
      smtp: payload.smtp && {
        host: payload.smtp.host,
        port: payload.smtp.port,
        security: payload.smtp.security,
        username: payload.smtp.username,
        password: payload.smtp.password,
        final_hop: payload.smtp.finalHop,
      },
      ses: payload.ses && {
        region: payload.ses.region,
        access_key_id: payload.ses.accessKeyId,
        secret_access_key: payload.ses.secretAccessKey,
        configuration_set: payload.ses.configurationSet,
      },
    };
    return this.http.json(
      { method: "PATCH", path: "/providers/{id}", pathParams: { id }, body, replaySafe: true },
      options,
    );
  }

  remove(id: string, options?: RequestOptions): Promise<ApiResponse<DeletedProvider>> {
    return this.http.json(
      { method: "DELETE", path: "/providers/{id}", pathParams: { id }, replaySafe: true },
      options,
    );
  }
}

function toSmtpSettings(smtp: SmtpProviderSettings): Schemas["SmtpProviderSettings"] {
  return {
    host: smtp.host,
    port: smtp.port,
    security: smtp.security,
    username: smtp.username,
    password: smtp.password,
    final_hop: smtp.finalHop,
  };
}

function toSesSettings(ses: SesProviderSettings): Schemas["SesProviderSettings"] {
  return {
    region: ses.region,
    access_key_id: ses.accessKeyId,
    secret_access_key: ses.secretAccessKey,
    configuration_set: ses.configurationSet,
  };
}
