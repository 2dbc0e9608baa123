/**
 * Group commit: concurrent callers submit items, and items that arrive while earlier commits
 * are in flight are written together in one transaction. A caller's promise settles only after
 * the transaction holding its item has committed, so every acknowledged write is durable; under
 * load many requests share one commit instead of paying for one each.
 */
export interface CommitBatcherOptions<T, R> {
  /** Writes the items in one transaction and answers one result per item, in order. */
  commit: (items: T[]) => Promise<R[]>;
  /** Upper bound on the summed weight of the items in one commit. */
  maxBatchWeight: number;
  /** Commits allowed in flight at once. */
  maxConcurrentCommits: number;
  /**
   * While a commit is in flight, another starts only once this much weight is waiting: small
   * requests then gather into big groups (cheaper per row), large ones still run in parallel.
   */
  parallelCommitMinWeight?: number;
  /**
   * When idle, wait this long for more items before committing (0: commit at once). For
   * background work, where a few milliseconds matter less than fewer, larger commits.
   */
  lingerMs?: number;
  /** The weight of an item (e.g. its number of rows); 1 when not given. */
  weight?: (item: T) => number;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class CommitBatcher<T, R> {
  readonly #options: CommitBatcherOptions<T, R>;
  #queue: Pending<T, R>[] = [];
  #queuedWeight = 0;
  #inFlight = 0;
  #lingering: NodeJS.Timeout | undefined;

  constructor(options: CommitBatcherOptions<T, R>) {
    this.#options = options;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#queuedWeight += this.#weightOf(item);
      this.#dispatch();
    });
  }

  /** Items waiting for a commit slot (not counting those being committed). */
  get backlog(): number {
    return this.#queue.length;
  }

  #weightOf(item: T): number {
    return this.#options.weight?.(item) ?? 1;
  }

  #dispatch(): void {
    if (this.#lingering) return;
    const linger = this.#options.lingerMs ?? 0;
    if (linger > 0 && this.#inFlight === 0 && this.#queuedWeight < this.#options.maxBatchWeight) {
      this.#lingering = setTimeout(() => {
        this.#lingering = undefined;
        this.#dispatchNow();
      }, linger);
      return;
    }
    this.#dispatchNow();
  }

  #dispatchNow(): void {
    const parallelFrom = this.#options.parallelCommitMinWeight ?? 0;
    while (
      this.#queue.length > 0 &&
      this.#inFlight < this.#options.maxConcurrentCommits &&
      (this.#inFlight === 0 || this.#queuedWeight >= parallelFrom)
    ) {
      const group = this.#takeGroup();
      this.#inFlight++;
      void this.#commitGroup(group).finally(() => {
        this.#inFlight--;
        this.#dispatchNow();
      });
    }
  }

  #takeGroup(): Pending<T, R>[] {
    let weight = 0;
    let count = 0;
    for (const pending of this.#queue) {
      const next = this.#weightOf(pending.item);
      // An item heavier than the limit still goes, alone.
      if (count > 0 && weight + next > this.#options.maxBatchWeight) break;
      weight += next;
      count++;
    }
    this.#queuedWeight -= weight;
    return this.#queue.splice(0, count);
  }

  async #commitGroup(group: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.#options.commit(group.map((pending) => pending.item));
      for (const [index, pending] of group.entries()) pending.resolve(results[index] as R);
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      // One bad item must not fail the requests it happened to share a transaction with.
      await Promise.all(group.map((pending) => this.#commitAlone(pending)));
    }
  }

  async #commitAlone(pending: Pending<T, R>): Promise<void> {
    try {
      const [result] = await this.#options.commit([pending.item]);
      pending.resolve(result as R);
    } catch (error) {
      pending.reject(error);
    }
  }
}
