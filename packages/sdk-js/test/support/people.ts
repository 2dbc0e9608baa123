import { createHmac } from "node:crypto";
import { eventually, live, unique } from "./client.ts";

/** A fresh address for a person of this run. */
export function uniqueEmail(prefix: string): string {
  return `${unique(prefix)}@example.com`;
}

interface InboxSummary {
  id: number;
  to: string | null;
}

/**
 * The token of the newest link to `path` (`verify-email`, `reset-password`,
 * `accept-invitation`) that the live server's mail catcher received for `to`.
 */
export async function emailedToken(to: string, path: string): Promise<string> {
  return eventually(async () => {
    const inbox = (await (await fetch(`${live.url}/dev/inbox`)).json()) as { data: InboxSummary[] };
    for (const message of inbox.data.filter((m) => m.to?.includes(to))) {
      const full = (await (await fetch(`${live.url}/dev/inbox/${message.id}`)).json()) as {
        text: string | null;
      };
      const link = full.text?.match(new RegExp(`/${path}\\?token=([^\\s&"<>]+)`));
      if (link?.[1]) return decodeURIComponent(link[1]);
    }
    return undefined;
  });
}

/** The code an authenticator app shows now for a base32 secret (RFC 6238: SHA-1, 6 digits). */
export function totp(secret: string, at: number = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...secret.toUpperCase().replace(/=+$/, "")]
    .map((char) => alphabet.indexOf(char).toString(2).padStart(5, "0"))
    .join("");
  const key = Buffer.from(
    Array.from({ length: Math.floor(bits.length / 8) }, (_, i) =>
      Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2),
    ),
  );
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = (mac.at(-1) ?? 0) & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}
