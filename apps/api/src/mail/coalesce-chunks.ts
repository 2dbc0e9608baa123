import { Transform, type TransformCallback } from "node:stream";

/**
 * Joins the many small chunks nodemailer's MIME stream emits (a header block, each part's
 * headers, boundaries, encoded lines) into chunks of up to `limit` bytes. Every chunk becomes
 * one socket write (a system call, or a TLS record); a receipt-sized message went out in 10
 * writes, now in one. Bounded: past the limit a chunk goes on, so memory stays small.
 */
export class CoalesceChunks extends Transform {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(limit = 64 * 1024) {
    super();
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    if (this.#size >= this.#limit) this.#release();
    done();
  }

  override _flush(done: TransformCallback): void {
    this.#release();
    done();
  }

  #release(): void {
    if (this.#size === 0) return;
    this.push(
      this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks, this.#size),
    );
    this.#chunks = [];
    this.#size = 0;
  }
}
