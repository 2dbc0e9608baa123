import type { MailTransport } from "./transport.ts";

/** A way out for mail: a transport with the name and limits a chain needs. */
export interface Provider {
  /**
   * The same in every worker process: it names the provider's shared rate bucket
   * (`global:smtp`, `provider:<id>`).
   */
  key: string;
  /** What the email's events record as the provider that took it. */
  name: string;
  /** An organization's provider's id; null for the installation's own. */
  id: string | null;
  transport: MailTransport;
  /** Messages per second across all workers; null: no limit of ours. */
  ratePerSecond: number | null;
}

/** A provider on its own, as the whole chain (the dev catcher, a test's transport). */
export function providerOf(transport: MailTransport): Provider {
  return {
    key: `global:${transport.name}`,
    name: transport.name,
    id: null,
    transport,
    ratePerSecond: null,
  };
}
