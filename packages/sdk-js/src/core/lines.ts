/**
 * Lines of a fetch body, read with the reader API that every runtime has (not every one can
 * `for await` a ReadableStream). Ends on `\n`, `\r\n` or a lone `\r` (Server-Sent Events
 * allow all three); a last line without an end is yielded too. Leaving early cancels the
 * body, which closes the connection.
 */
export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      done = chunk.done;
      buffer += done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      let start = 0;
      for (;;) {
        const end = nextLineEnd(buffer, start);
        if (end === -1) break;
        // A `\r` closing the buffer may be half of a `\r\n` split across chunks: wait for more.
        if (buffer[end] === "\r" && end === buffer.length - 1 && !done) break;
        yield buffer.slice(start, end);
        start = buffer[end] === "\r" && buffer[end + 1] === "\n" ? end + 2 : end + 1;
      }
      buffer = buffer.slice(start);
    }
    if (buffer !== "") yield buffer;
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function nextLineEnd(text: string, from: number): number {
  const lf = text.indexOf("\n", from);
  const cr = text.indexOf("\r", from);
  if (cr === -1) return lf;
  if (lf === -1) return cr;
  return Math.min(cr, lf);
}
