import CircuitBreaker from "opossum";
import type { Provider } from "./provider.ts";
import { isProviderFault } from "./provider-fault.ts";
import type { OutgoingMessage, TransportReport } from "./transport.ts";

export interface BreakerSettings {
  /** How long an open breaker skips its provider before letting one trial send through. */
  resetMs: number;
  /** The window over which failures are counted. */
  windowMs: number;
  /** Sends in the window before failures can open the breaker: one early failure is noise. */
  minSends: number;
  /** Share of failed sends in the window (percent) above which the breaker opens. */
  errorPercent: number;
}

export type BreakerState = "closed" | "open" | "half_open";

export interface GuardedProviderHooks {
  /** Waits for the provider's send rate to allow one more message (lib/shared-rate-limit.ts). */
  throttle?: (provider: Provider) => Promise<void>;
  onStateChange?: (provider: Provider, state: BreakerState) => void;
}

/** What a breaker that is open answers instead of trying: the chain skips the provider. */
export class BreakerOpenError extends Error {
  override name = "BreakerOpenError";
}

/**
 * A provider behind a circuit breaker (opossum). Only the provider's own failures count
 * against it (provider-fault.ts): a recipient's 550 is a success of the provider. After
 * `resetMs` open, the breaker is half-open: exactly one send goes through as a trial (opossum
 * rejects the others meanwhile), and its success closes the breaker, its failure reopens it.
 *
 * opossum's own timeout is off: it would only stop waiting, not stop the send, and a message
 * the provider then takes anyway would also go out through the next provider. The transports'
 * socket and request timeouts end a hung send for real.
 */
export class GuardedProvider {
  readonly provider: Provider;
  readonly #breaker: CircuitBreaker<[OutgoingMessage], TransportReport>;
  readonly #throttle: GuardedProviderHooks["throttle"];

  constructor(provider: Provider, settings: BreakerSettings, hooks: GuardedProviderHooks = {}) {
    this.provider = provider;
    this.#throttle = hooks.throttle;
    // Inside the breaker: an open breaker takes no token from the shared bucket.
    this.#breaker = new CircuitBreaker((message: OutgoingMessage) => this.sendDirectly(message), {
      name: provider.key,
      timeout: false,
      resetTimeout: settings.resetMs,
      rollingCountTimeout: settings.windowMs,
      rollingCountBuckets: 10,
      volumeThreshold: settings.minSends,
      errorThresholdPercentage: settings.errorPercent,
      errorFilter: (error: unknown) => !isProviderFault(error),
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
    const onStateChange = hooks.onStateChange;
    if (onStateChange) {
      this.#breaker.on("open", () => onStateChange(provider, "open"));
      this.#breaker.on("halfOpen", () => onStateChange(provider, "half_open"));
      this.#breaker.on("close", () => onStateChange(provider, "closed"));
    }
  }

  get state(): BreakerState {
    if (this.#breaker.opened) return "open";
    return this.#breaker.halfOpen ? "half_open" : "closed";
  }

  /** Sends through the breaker; a BreakerOpenError when it is open (or its trial is out). */
  async send(message: OutgoingMessage): Promise<TransportReport> {
    try {
      return await this.#breaker.fire(message);
    } catch (error) {
      if (error instanceof Error && CircuitBreaker.isOurError(error)) {
        throw new BreakerOpenError(`${this.provider.name}: circuit open, not tried`);
      }
      throw error;
    }
  }

  /** Sends without the breaker: the provider is the only one, there is nothing to skip to. */
  async sendDirectly(message: OutgoingMessage): Promise<TransportReport> {
    if (this.#throttle && this.provider.ratePerSecond !== null) await this.#throttle(this.provider);
    return this.provider.transport.send(message);
  }

  async close(): Promise<void> {
    this.#breaker.shutdown();
    await this.provider.transport.close();
  }
}
