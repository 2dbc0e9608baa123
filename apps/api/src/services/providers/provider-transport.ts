import type { LookupFunction } from "node:net";
import type { GlobalProviderConfig } from "../../config-providers.ts";
import { createSesTransport } from "../../mail/ses-transport.ts";
import { createSmtpTransport } from "../../mail/smtp-transport.ts";
import type { MailTransport } from "../../mail/transport.ts";
import type { ProviderSettings } from "./provider-settings.ts";

/** One of the installation's providers, as configured (config-providers.ts). */
export function globalProviderTransport(
  config: GlobalProviderConfig,
  options: { maxConnections?: number } = {},
): MailTransport {
  if (config.type === "ses") {
    return createSesTransport({
      name: config.name,
      region: config.region,
      endpoint: config.endpoint,
      credentials: config.credentials,
      configurationSetName: config.configurationSetName,
    });
  }
  return createSmtpTransport({
    name: config.name,
    url: config.url,
    finalHop: config.finalHop,
    maxConnections: options.maxConnections ?? config.maxConnections,
  });
}

/**
 * An organization's provider. Its SMTP server is reached through `lookup` (an SSRF guard:
 * the host is the organization's to choose), with a small pool: there may be many of them.
 * Its SES account is AWS's own endpoint with its own credentials, never ours.
 */
export function orgProviderTransport(
  settings: ProviderSettings,
  options: { name: string; lookup: LookupFunction; maxConnections: number },
): MailTransport {
  if (settings.type === "ses") {
    return createSesTransport({
      name: options.name,
      region: settings.region,
      credentials: {
        accessKeyId: settings.access_key_id,
        secretAccessKey: settings.secret_access_key,
      },
      configurationSetName: settings.configuration_set,
    });
  }
  const scheme = settings.security === "tls" ? "smtps" : "smtp";
  const auth = settings.username
    ? `${encodeURIComponent(settings.username)}:${encodeURIComponent(settings.password ?? "")}@`
    : "";
  const host =
    settings.host.includes(":") && !settings.host.startsWith("[")
      ? `[${settings.host}]`
      : settings.host;
  return createSmtpTransport({
    name: options.name,
    url: `${scheme}://${auth}${host}:${settings.port}`,
    finalHop: settings.final_hop,
    maxConnections: options.maxConnections,
    lookup: options.lookup,
    requireTls: settings.security === "starttls",
  });
}
