import { BreakerOpenError, type BreakerState, type GuardedProvider } from "./provider-breaker.ts";
import { isProviderFault } from "./provider-fault.ts";
import { classifyReply } from "./smtp-reply.ts";
import {
  type MailTransport,
  type OutgoingMessage,
  TransportError,
  type TransportReport,
} from "./transport.ts";

/**
 * A MailTransport made of several providers, tried in order. The next one is tried only when
 * a send failed for the provider's fault (provider-fault.ts); any other outcome, a recipient's
 * refusal included, is the answer. A provider whose breaker is open is skipped without trying.
 * When every provider fails, the last error is the result: the worker records a deferral and
 * retries with backoff, so nothing is lost.
 *
 * The report names the provider that took the message and whether that provider is the final
 * hop (the chain's own `finalHop` is only true when all of them are).
 */
export class ProviderChain implements MailTransport {
  readonly name: string;
  readonly finalHop: boolean;
  readonly links: readonly GuardedProvider[];

  constructor(links: readonly GuardedProvider[]) {
    if (links.length === 0) throw new Error("a provider chain needs at least one provider");
    this.links = links;
    this.name = links.map((link) => link.provider.name).join(" > ");
    this.finalHop = links.every((link) => link.provider.transport.finalHop);
  }

  /** The same providers (same breakers, same pools) behind others: an organization's own. */
  after(first: readonly GuardedProvider[]): ProviderChain {
    return first.length === 0 ? this : new ProviderChain([...first, ...this.links]);
  }

  states(): { name: string; state: BreakerState }[] {
    return this.links.map((link) => ({ name: link.provider.name, state: link.state }));
  }

  async send(message: OutgoingMessage): Promise<TransportReport> {
    const [only] = this.links;
    // Alone, a provider has nothing to be skipped for: the worker's backoff spaces its retries.
    if (only && this.links.length === 1) return tag(only, await only.sendDirectly(message));
    let last: unknown;
    for (const link of this.links) {
      try {
        return tag(link, await link.send(message));
      } catch (error) {
        if (!(error instanceof BreakerOpenError) && !isProviderFault(error)) throw error;
        // A skipped provider does not hide the last real failure.
        if (!(error instanceof BreakerOpenError) || !(last instanceof TransportError)) {
          last = error;
        }
      }
    }
    throw last instanceof BreakerOpenError ? everyBreakerOpen(last) : last;
  }

  /** Closes its providers: those a chain made with `after` shares are closed by their owner. */
  async close(): Promise<void> {
    await Promise.all(this.links.map((link) => link.close()));
  }
}

function tag(link: GuardedProvider, report: TransportReport): TransportReport {
  return { ...report, provider: link.provider.name, finalHop: link.provider.transport.finalHop };
}

/** No provider was tried: a soft failure of the whole message, for the worker to retry. */
function everyBreakerOpen(error: BreakerOpenError): TransportError {
  const response = `451 4.3.0 every provider is unavailable (${error.message})`;
  return new TransportError(response, classifyReply(response), [], { providerFault: true });
}
