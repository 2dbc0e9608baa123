import { isIP } from "node:net";
import { validationError } from "../../lib/errors.ts";
import { parseCidrs, refusalReason } from "../../lib/ssrf.ts";
import type { ProviderSettings } from "./provider-settings.ts";

/**
 * Refuses an SMTP host given as a non-public IP address at once, with a clear error. A host
 * name is checked when the worker connects (mail/smtp-socket.ts): what it resolves to can
 * change, so only the socket's own lookup can be trusted.
 */
export function checkProviderHost(settings: ProviderSettings, allowed: readonly string[]): void {
  if (settings.type !== "smtp") return;
  const host = settings.host.replace(/^\[(.*)\]$/, "$1");
  if (!isIP(host)) return;
  const reason = refusalReason(host, parseCidrs(allowed));
  if (reason) {
    throw validationError("The SMTP host must be a public address", [
      { path: "smtp.host", message: `is a ${reason} address` },
    ]);
  }
}
