import type { IdentitySettings } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import type { AuditOrigin } from "../audit/record-audit.ts";
import type { SecurityEvents } from "../audit/security-events.ts";
import type { SessionTimeouts } from "../sessions/sessions.ts";
import type { SystemMailSettings } from "../system-mail/send-system-email.ts";

/** What the services of people, sessions and members need. Built per request. */
export interface IdentityContext {
  db: Db;
  /** The request's time (the injectable clock). */
  now: Date;
  settings: IdentitySettings;
  timeouts: SessionTimeouts;
  /** Where the console is: the links in emails point there. */
  publicUrl: string;
  mail: SystemMailSettings;
  secrets: SecretBox;
  /** The caller's address and browser, recorded on the sessions they open. */
  client: { ip: string | null; userAgent: string | null };
  /**
   * Who acts, for the audit entries: the signed-in person, or the system on a route without a
   * session (the services put the person the request is about there: user-audit.ts).
   */
  audit: AuditOrigin;
  /** For refusals with no change to record them with (a sign-in on a locked account). */
  securityEvents: SecurityEvents;
}
