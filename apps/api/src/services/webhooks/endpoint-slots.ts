import { performance } from "node:perf_hooks";

interface EndpointState {
  /** Deliveries claimed and not yet done (waiting to send, or sending). */
  claimed: number;
  /** Requests in flight: at most `limit`. */
  sending: number;
  /** Recent time a request takes (exponential average), in ms. */
  averageMs: number;
  /** When a request last finished (performance.now() time; when first used until then). */
  lastFinishAt: number;
  /** When the last job put back should come back (performance.now() time). */
  nextAt: number;
  /** Claimed jobs waiting for a request slot, first come first served. */
  waiters: (() => void)[];
}

/**
 * An endpoint is fast while its requests take less than this, on average and since the last
 * one finished: its slots turn over. A new endpoint is taken to be fast until shown otherwise.
 */
const FAST_MS = 100;
/** Claims of a fast endpoint's deliveries, beyond its request slots, per slot. */
const FAST_CLAIMS_PER_SLOT = 2;
/** Longest a claimed job waits for a request slot before it lets the delivery go. */
export const MAX_SEND_WAIT_MS = 250;
/** A job put back comes back at the soonest this much later, at the latest this much. */
const MIN_PUT_BACK_MS = 20;
const MAX_PUT_BACK_MS = 3_600_000;

/**
 * The requests to each endpoint in flight in this process, at most `limit`
 * (WEBHOOK_ENDPOINT_CONCURRENCY), so that a slow endpoint (answering in 15 s, or not at all)
 * cannot take every worker slot and hold up the other endpoints' deliveries. Deliveries are
 * claimed only up to an endpoint's allowance (claim-deliveries.ts); a job over it is put back on
 * the queue without an attempt, spaced at the rate the endpoint's slots free up (`limit`
 * requests per average request time), so that each comes back about when a slot is free for it.
 *
 * A slow endpoint's allowance is its free slots: its jobs never wait in a worker slot. A fast
 * one's (requests under 100 ms, and one finished in the last 100 ms when all slots are busy) is
 * larger: its claimed jobs wait in process for a request slot, at most 250 ms, so a slot that
 * frees is taken at once instead of after a claim's round trip to the database. Putting every job over the limit back made one endpoint's
 * backlog cycle through the queue two or three times and cut its rate fourfold (bench:webhooks).
 */
export class EndpointSlots {
  readonly limit: number;
  readonly #endpoints = new Map<string, EndpointState>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error("the limit must be at least 1");
    this.limit = limit;
  }

  /** Claims each endpoint in use may still take; an endpoint not listed has `limit`. */
  claimAllowances(): Record<string, number> {
    const allowances: Record<string, number> = {};
    for (const [endpointId, state] of this.#endpoints) {
      allowances[endpointId] = Math.max(0, this.#claimCap(state) - state.claimed);
    }
    return allowances;
  }

  /** Records a delivery claimed against `claimAllowances`. */
  claimed(endpointId: string): void {
    this.#state(endpointId).claimed += 1;
  }

  /** A claimed delivery is done with (attempted, or let go). */
  unclaim(endpointId: string): void {
    const state = this.#endpoints.get(endpointId);
    if (!state) return;
    state.claimed = Math.max(0, state.claimed - 1);
    this.#forgetIdle(endpointId, state);
  }

  /**
   * Takes a request slot for a claimed delivery: at once when one is free, else when one is
   * handed over, or false at `untilMs` (performance.now() time).
   */
  async startSend(endpointId: string, untilMs: number): Promise<boolean> {
    const state = this.#state(endpointId);
    if (state.sending < this.limit && state.waiters.length === 0) {
      state.sending += 1;
      return true;
    }
    const wait = untilMs - performance.now();
    if (wait <= 0) return false;
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const index = state.waiters.indexOf(wake);
        if (index >= 0) state.waiters.splice(index, 1);
        resolve(false);
      }, wait);
      state.waiters.push(wake);
    });
  }

  /** Gives the request slot back after `heldMs`, to the first waiting job if there is one. */
  finishSend(endpointId: string, heldMs: number): void {
    const state = this.#endpoints.get(endpointId);
    if (!state) return;
    state.averageMs = 0.8 * state.averageMs + 0.2 * heldMs;
    state.lastFinishAt = performance.now();
    const next = state.waiters.shift();
    if (next) next();
    else state.sending = Math.max(0, state.sending - 1);
  }

  /** How long a job put back waits before it looks again, in ms. */
  putBackDelay(endpointId: string): number {
    const state = this.#state(endpointId);
    const now = performance.now();
    state.nextAt = Math.max(state.nextAt, now) + this.#requestMs(state, now) / this.limit;
    const delay = Math.min(MAX_PUT_BACK_MS, Math.max(MIN_PUT_BACK_MS, state.nextAt - now));
    this.#forgetIdle(endpointId, state);
    return delay;
  }

  /** What a request to the endpoint takes: its average, or longer when none finishes. */
  #requestMs(state: EndpointState, now: number): number {
    return state.sending > 0
      ? Math.max(state.averageMs, now - state.lastFinishAt)
      : state.averageMs;
  }

  #claimCap(state: EndpointState): number {
    const fast = this.#requestMs(state, performance.now()) < FAST_MS;
    return fast ? this.limit * (1 + FAST_CLAIMS_PER_SLOT) : this.limit;
  }

  #state(endpointId: string): EndpointState {
    let state = this.#endpoints.get(endpointId);
    if (!state) {
      const now = performance.now();
      state = { claimed: 0, sending: 0, averageMs: 0, lastFinishAt: now, nextAt: 0, waiters: [] };
      this.#endpoints.set(endpointId, state);
    }
    return state;
  }

  /** Keeps the map to the endpoints in use: an idle one's timings are learned again. */
  #forgetIdle(endpointId: string, state: EndpointState): void {
    if (state.claimed === 0 && state.sending === 0 && state.nextAt <= performance.now()) {
      this.#endpoints.delete(endpointId);
    }
  }
}
