/**
 * Signs requests for an organization that requires it (POST /request-signing/rotate turns it
 * on): `X-Thrive-Timestamp` (Unix seconds) and `X-Thrive-Signature: v1=<hex HMAC-SHA256 of
 * "METHOD\npath?query\ntimestamp\nhex SHA-256(body)">`, with the secret's UTF-8 bytes as key.
 * Web Crypto does the hashing, so it runs wherever fetch does.
 */
export class RequestSigner {
  private readonly key: Promise<CryptoKey>;
  /** The last timestamp each request (method, path, body) was signed with. */
  private readonly lastSigned = new Map<string, number>();

  constructor(secret: string) {
    this.key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
  }

  /** The two headers of one attempt of a request to `url` with this body. */
  async headers(method: string, url: string, body: string): Promise<Record<string, string>> {
    const target = new URL(url);
    const request = [method.toUpperCase(), target.pathname + target.search].join("\n");
    const bodyHash = await sha256Hex(body);
    const timestamp = this.timestampFor(`${request}\n${bodyHash}`);
    const base = [request, String(timestamp), bodyHash].join("\n");
    const mac = await crypto.subtle.sign("HMAC", await this.key, new TextEncoder().encode(base));
    return {
      "X-Thrive-Timestamp": String(timestamp),
      "X-Thrive-Signature": `v1=${hex(mac)}`,
    };
  }

  /**
   * Now, in seconds, or a second after this request's previous signature. The API accepts a
   * signed request once: the same request signed again within the same second (a retry, a
   * poll) would be refused as a replay. The API allows timestamps up to 5 minutes ahead.
   */
  private timestampFor(request: string): number {
    const now = Math.floor(Date.now() / 1000);
    const timestamp = Math.max(now, (this.lastSigned.get(request) ?? 0) + 1);
    this.lastSigned.set(request, timestamp);
    if (this.lastSigned.size > 1000) {
      for (const [key, last] of this.lastSigned) if (last < now) this.lastSigned.delete(key);
    }
    return timestamp;
  }
}

async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
