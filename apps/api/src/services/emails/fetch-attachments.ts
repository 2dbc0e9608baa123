import { SafeFetchError } from "../../lib/safe-fetch-error.ts";
import type { SsrfGuard } from "../../lib/ssrf-guard.ts";
import type { ComposableAttachment } from "../../mail/compose.ts";
import { fetchAttachment, filenameFromUrl } from "../../mail/fetch-attachment.ts";
import type { EmailAttachmentRow } from "./claim.ts";

export interface AttachmentFetchOptions {
  /** The worker process's guard: only public addresses, plus its allow-list. */
  guard: SsrfGuard;
  /** For all of one email's `path` attachments together. */
  maxBytes: number;
  /** For all of one email's `path` attachments together. */
  timeoutMs: number;
}

/** An attachment that could not be fetched, and whether trying again later may help. */
export interface AttachmentFetchFailure {
  position: number;
  filename: string | null;
  temporary: boolean;
  /** For the client: which attachment and why, naming no internal address. */
  message: string;
  error: SafeFetchError;
}

export type AttachmentContents =
  | { attachments: ComposableAttachment[] }
  | { failure: AttachmentFetchFailure };

/** Worth another attempt: the host may answer later. Anything else will not change by itself. */
export function isTemporaryFetchFailure(error: SafeFetchError): boolean {
  if (error.code === "timeout" || error.code === "connection_failed") return true;
  if (error.code !== "http_status" || error.status === undefined) return false;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

// A Content-Type safe to write into the MIME part: a type, a subtype and simple parameters.
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\\\p{Cc}]*"|[\w.+-]+))*$/u;

/**
 * The email's attachments with their bytes: stored ones as they are, `path` ones fetched
 * through the SSRF guard. One after the other, so that the email's byte budget and deadline
 * bound them all together (a job holds its email's claim until they are in). Nothing fetched
 * is stored: a retry fetches again, which costs a download but keeps the database free of
 * files that may be large and that the URL's owner may change or revoke.
 */
export async function withAttachmentContent(
  rows: EmailAttachmentRow[],
  options: AttachmentFetchOptions,
): Promise<AttachmentContents> {
  const deadline = Date.now() + options.timeoutMs;
  let bytesLeft = options.maxBytes;
  const attachments: ComposableAttachment[] = [];
  for (const row of rows) {
    if (row.content) {
      attachments.push({
        content: row.content,
        filename: row.filename,
        contentType: row.contentType,
        contentId: row.contentId,
      });
      continue;
    }
    try {
      const timeoutMs = deadline - Date.now();
      if (timeoutMs <= 0) throw new SafeFetchError("timeout", { reason: "email deadline passed" });
      const fetched = await fetchAttachment(row.path ?? "", {
        guard: options.guard,
        maxBytes: bytesLeft,
        timeoutMs,
      });
      bytesLeft -= fetched.content.length;
      attachments.push({
        content: fetched.content,
        filename: row.filename ?? fetched.filename,
        // A generic type says nothing: nodemailer then derives one from the filename.
        contentType: row.contentType ?? usableContentType(fetched.contentType),
        contentId: row.contentId,
      });
    } catch (error) {
      if (!(error instanceof SafeFetchError)) throw error;
      return { failure: describeFailure(row, error, options.maxBytes) };
    }
  }
  return { attachments };
}

function usableContentType(value: string | null): string | null {
  if (!value || !CONTENT_TYPE.test(value)) return null;
  return /^application\/octet-stream\b/i.test(value) ? null : value;
}

function describeFailure(
  row: EmailAttachmentRow,
  error: SafeFetchError,
  maxBytes: number,
): AttachmentFetchFailure {
  const filename = row.filename ?? safeFilenameFromUrl(row.path);
  const which = `attachments[${row.position}]${filename ? ` (${JSON.stringify(filename)})` : ""}`;
  const why =
    error.code === "too_large"
      ? `${error.message}: the files fetched for one email may total at most ${maxBytes} bytes`
      : error.message;
  return {
    position: row.position,
    filename,
    temporary: isTemporaryFetchFailure(error),
    message: `Could not fetch ${which}: ${why}`,
    error,
  };
}

function safeFilenameFromUrl(path: string | null): string | null {
  try {
    return path ? filenameFromUrl(path) : null;
  } catch {
    return null;
  }
}
