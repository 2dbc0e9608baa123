import type { IdentitySettings } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { SecretBox } from "../../lib/secrets.ts";
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
}
