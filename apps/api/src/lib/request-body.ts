import { isUtf8 } from "node:buffer";
import type { IncomingMessage } from "node:http";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import { AppError } from "./errors.ts";
import { hasNulEscape, NUL_REFUSED } from "./nul-characters.ts";

const JSON_TYPE = /^application\/([\w.-]+\+)?json/i;

/**
 * Strict UTF-8 (RFC 8259 §8.1): invalid bytes are refused, not replaced with U+FFFD. Node's
 * native isUtf8 then Buffer's decoder: a fatal TextDecoder costs twice as much per body.
 */
function decodeUtf8(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) {
    throw new AppError("validation_error", "The request body is not valid UTF-8");
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/**
 * Reads a JSON request body once, refusing it past `maxBytes` (413) while it arrives, and
 * hands the text to Hono's body cache, where the route validators find it. On Node it reads
 * the IncomingMessage directly: building a Web Request and stream per request was a tenth of
 * the accept path's CPU. Other bodies are left alone for the routes to refuse (415). Bytes that
 * are not UTF-8 are refused (422) rather than silently replaced, so that what a client signed
 * (request signing) is what is read; so is a NUL character, which PostgreSQL cannot store
 * (lib/nul-characters.ts). Duplicate keys are not refused: JSON.parse keeps the last, as
 * RFC 8259 allows; checking would cost a second parse of every body.
 */
export function jsonBody(maxBytes: number) {
  const tooLarge = () =>
    new AppError("payload_too_large", `Request body is over ${maxBytes} bytes`);
  return createMiddleware<AppEnv>(async (c, next) => {
    const method = c.req.method;
    if (
      method === "GET" ||
      method === "HEAD" ||
      !JSON_TYPE.test(c.req.header("content-type") ?? "")
    ) {
      return next();
    }
    if (Number(c.req.header("content-length") ?? 0) > maxBytes) throw tooLarge();
    const incoming = c.env?.incoming;
    let text: string;
    if (incoming) {
      text = await readIncoming(incoming, maxBytes, tooLarge);
    } else {
      // In-process requests (tests): the Request body, measured after reading.
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength > maxBytes) throw tooLarge();
      text = decodeUtf8(bytes);
    }
    if (hasNulEscape(text)) throw new AppError("validation_error", NUL_REFUSED);
    // Hono keeps promises in its body cache (its type says otherwise).
    (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
    await next();
  });
}

function readIncoming(
  incoming: IncomingMessage,
  maxBytes: number,
  tooLarge: () => AppError,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Answer 413 now; the rest of the upload is drained and dropped.
      incoming.off("data", onData);
      incoming.resume();
      reject(tooLarge());
    };
    incoming.on("data", onData);
    incoming.once("end", () => {
      try {
        resolve(decodeUtf8(Buffer.concat(chunks, size)));
      } catch (error) {
        reject(error);
      }
    });
    incoming.once("error", reject);
  });
}
