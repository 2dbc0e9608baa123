import { parse as parseContentDisposition } from "content-disposition";
import { safeFetch } from "../lib/safe-fetch.ts";
import { SafeFetchError } from "../lib/safe-fetch-error.ts";
import type { SsrfGuard } from "../lib/ssrf-guard.ts";

export interface FetchAttachmentOptions {
  /** CIDRs reachable although refused otherwise (see ssrf.ts); none by default. */
  allowList?: string | readonly string[];
  /** A shared guard instead (its allow-list then applies). */
  guard?: SsrfGuard;
  maxBytes?: number;
  timeoutMs?: number;
}

export interface FetchedAttachment {
  content: Buffer;
  contentType: string | null;
  filename: string | null;
}

export const FETCH_ATTACHMENT_DEFAULTS = {
  // Resend takes 40 MB per email, base64 included: about 30 MB of raw attachment.
  maxBytes: 30 * 1024 * 1024,
  timeoutMs: 30_000,
  maxRedirects: 3,
} as const;

const MAX_FILENAME_LENGTH = 255;
// Controls, and the bidirectional marks that make `invoice\u202Efdp.exe` read as a PDF.
const UNSAFE_CHARACTERS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/**
 * Downloads an attachment given by URL (Resend's `path`), through the SSRF guard: redirects
 * are followed (each hop checked again) and only a 2xx answer is taken. Fails only with a
 * SafeFetchError (`http_status` for any other answer).
 */
export async function fetchAttachment(
  url: string,
  options: FetchAttachmentOptions = {},
): Promise<FetchedAttachment> {
  const response = await safeFetch(url, {
    method: "GET",
    headers: { accept: "*/*", "user-agent": "Thrive-Send attachment fetcher" },
    guard: options.guard,
    allowList: options.allowList,
    maxBytes: options.maxBytes ?? FETCH_ATTACHMENT_DEFAULTS.maxBytes,
    timeoutMs: options.timeoutMs ?? FETCH_ATTACHMENT_DEFAULTS.timeoutMs,
    maxRedirects: FETCH_ATTACHMENT_DEFAULTS.maxRedirects,
  });
  if (response.status < 200 || response.status > 299) {
    throw new SafeFetchError("http_status", {
      status: response.status,
      message: `The URL answered with HTTP status ${response.status}`,
    });
  }
  return {
    content: response.body,
    contentType: response.headers["content-type"]?.trim() || null,
    filename:
      filenameFromContentDisposition(response.headers["content-disposition"]) ??
      filenameFromUrl(response.url),
  };
}

function filenameFromContentDisposition(header: string | undefined): string | null {
  if (!header) return null;
  try {
    const { filename } = parseContentDisposition(header).parameters;
    return filename === undefined ? null : sanitizeFilename(filename);
  } catch {
    return null;
  }
}

/** The last segment of the URL's path, decoded: `/files/Q3%20report.pdf` is `Q3 report.pdf`. */
export function filenameFromUrl(url: string): string | null {
  const segment = new URL(url).pathname.split("/").at(-1) ?? "";
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A stray `%` in the path: the segment as it is.
  }
  return sanitizeFilename(decoded);
}

/**
 * A name safe to put in the MIME headers and to save on the recipient's disk: its last path
 * component (no `/` or `\`), without control characters, at most 255 characters; null when
 * nothing is left.
 */
export function sanitizeFilename(name: string): string | null {
  const base = name.split(/[/\\]/).at(-1) ?? "";
  const cleaned = base.replace(UNSAFE_CHARACTERS, "").trim();
  if (cleaned === "" || cleaned === "." || cleaned === "..") return null;
  return Array.from(cleaned).slice(0, MAX_FILENAME_LENGTH).join("");
}
