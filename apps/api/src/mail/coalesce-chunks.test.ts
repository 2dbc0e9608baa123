import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CoalesceChunks } from "./coalesce-chunks.ts";

/** The chunks as emitted ('data' events; an async iterator would join what is buffered). */
function through(chunks: string[], limit: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const stream = Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(
    new CoalesceChunks(limit),
  );
  stream.on("data", (chunk: Buffer) => out.push(chunk));
  return new Promise((resolve, reject) => {
    stream.on("end", () => resolve(out));
    stream.on("error", reject);
  });
}

describe("CoalesceChunks", () => {
  it("joins small chunks into one, byte for byte", async () => {
    const out = await through(["From: a\r\n", "To: b\r\n", "\r\n", "body\r\n"], 1024);
    expect(out.map(String)).toEqual(["From: a\r\nTo: b\r\n\r\nbody\r\n"]);
  });

  it("lets a chunk go once the limit is reached, so memory stays bounded", async () => {
    const out = await through(["aaaa", "bbbb", "cc", "dddddd", "e"], 8);
    expect(out.map(String)).toEqual(["aaaabbbb", "ccdddddd", "e"]);
  });

  it("emits nothing for an empty stream", async () => {
    expect(await through([], 8)).toEqual([]);
  });
});
