/**
 * How many deliveries to each endpoint this process has in flight, bounded per endpoint, so
 * that one slow endpoint (answering in 15 s, or not at all) cannot take every worker slot and
 * hold up the other endpoints' deliveries. A job that finds its endpoint's slots full does not
 * wait for one: it is put back to run a moment later, and its graphile-worker slot goes to a
 * job of another endpoint.
 */
export class EndpointSlots {
  readonly #limit: number;
  readonly #inFlight = new Map<string, number>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error("the limit must be at least 1");
    this.#limit = limit;
  }

  tryAcquire(endpointId: string): boolean {
    const count = this.#inFlight.get(endpointId) ?? 0;
    if (count >= this.#limit) return false;
    this.#inFlight.set(endpointId, count + 1);
    return true;
  }

  release(endpointId: string): void {
    const count = this.#inFlight.get(endpointId) ?? 0;
    if (count <= 1) this.#inFlight.delete(endpointId);
    else this.#inFlight.set(endpointId, count - 1);
  }

  inFlight(endpointId: string): number {
    return this.#inFlight.get(endpointId) ?? 0;
  }
}
