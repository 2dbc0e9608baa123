import type { SecretBox } from "../../lib/secrets.ts";

/** How an organization's SMTP provider is reached. */
export interface SmtpProviderSettings {
  type: "smtp";
  host: string;
  port: number;
  /** `tls`: implicit TLS (465); `starttls`: STARTTLS required; `none`: plain, STARTTLS if offered. */
  security: "tls" | "starttls" | "none";
  username?: string | undefined;
  password?: string | undefined;
  /** The server is the recipients' own: its acceptance means `delivered`. */
  final_hop: boolean;
}

/**
 * An organization's SES account. Credentials are required: without them the SDK would fall
 * back to the installation's own AWS credentials, and send on its account.
 */
export interface SesProviderSettings {
  type: "ses";
  region: string;
  access_key_id: string;
  secret_access_key: string;
  configuration_set?: string | undefined;
}

export type ProviderSettings = SmtpProviderSettings | SesProviderSettings;

/** Everything, credentials included, is sealed: the row's `config` is one opaque value. */
export function sealSettings(secrets: SecretBox, settings: ProviderSettings): string {
  return secrets.seal(JSON.stringify(settings));
}

export function openSettings(secrets: SecretBox, sealed: string): ProviderSettings {
  return JSON.parse(secrets.open(sealed)) as ProviderSettings;
}

/** What the API shows of the settings: never a credential, not even the user name. */
export function publicSettings(settings: ProviderSettings) {
  if (settings.type === "smtp") {
    return {
      smtp: {
        host: settings.host,
        port: settings.port,
        security: settings.security,
        final_hop: settings.final_hop,
      },
    };
  }
  return {
    ses: { region: settings.region, configuration_set: settings.configuration_set ?? null },
  };
}
