/**
 * One status line for long phases: rewritten in place on a terminal, or printed every few
 * seconds when the output goes to a file or CI log.
 */
export class Progress {
  #tty = Boolean(process.stderr.isTTY);
  #lastPrint = 0;
  #shown = false;

  update(text: string): void {
    if (this.#tty) {
      process.stderr.write(`\r\x1b[2K${text}`);
      this.#shown = true;
      return;
    }
    const now = Date.now();
    if (now - this.#lastPrint < 2000) return;
    this.#lastPrint = now;
    process.stderr.write(`  .. ${text}\n`);
  }

  /** Clears the line so the results print on a clean one. */
  done(): void {
    if (this.#tty && this.#shown) process.stderr.write("\r\x1b[2K");
    this.#shown = false;
    this.#lastPrint = 0;
  }
}
