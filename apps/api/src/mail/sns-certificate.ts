import { X509Certificate } from "node:crypto";
import { get } from "node:https";
import { SnsVerificationError } from "./sns-error.ts";

/** Fetches the PEM at an https URL (already checked to be Amazon's). */
export type CertificateFetcher = (url: string) => Promise<string>;

export interface CertificateFetcherOptions {
  /** Extra trusted CA certificates (PEM), for a test server; the system's are used otherwise. */
  ca?: string | string[];
  timeoutMs?: number;
  /** SNS certificates are ~2 KB: anything much larger is not one. */
  maxBytes?: number;
}

/**
 * The production fetcher: an HTTPS GET with TLS verification, a timeout and a size cap. No
 * redirects are followed, so the host that answers is the host that was checked.
 */
export function createCertificateFetcher(
  options: CertificateFetcherOptions = {},
): CertificateFetcher {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  return (url) =>
    new Promise<string>((resolve, reject) => {
      const request = get(url, { ca: options.ca, timeout: timeoutMs }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`certificate fetch answered ${response.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy(new Error(`certificate larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        response.on("error", reject);
      });
      request.on("timeout", () => request.destroy(new Error("certificate fetch timed out")));
      request.on("error", reject);
    });
}

const MAX_CACHED = 50;
const caches = new WeakMap<CertificateFetcher, Map<string, Promise<X509Certificate>>>();

/**
 * The certificate at `url`, fetched once per fetcher and URL: SNS signs every message of a
 * region with the same certificate for months. A failed fetch or parse is not kept, so the next
 * message tries again.
 */
export function cachedCertificate(
  fetcher: CertificateFetcher,
  url: string,
): Promise<X509Certificate> {
  let cache = caches.get(fetcher);
  if (!cache) {
    cache = new Map();
    caches.set(fetcher, cache);
  }
  const cached = cache.get(url);
  if (cached) return cached;

  const loading = fetcher(url).then(parseCertificate, (error: unknown) => {
    throw new SnsVerificationError("certificate_unavailable", "signing certificate unavailable", {
      cause: error,
    });
  });
  cache.set(url, loading);
  if (cache.size > MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  const owner = cache;
  loading.catch(() => {
    if (owner.get(url) === loading) owner.delete(url);
  });
  return loading;
}

function parseCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new SnsVerificationError("invalid_certificate", "signing certificate does not parse", {
      cause: error,
    });
  }
}
