import { deriveKey, signToken, verifyToken } from "../lib/signed-token.ts";

/**
 * What the open pixel, click and unsubscribe links carry, packed tight because every tracked
 * link of every email carries one: a UUID as its 16 bytes, the recipient's index as a varint
 * (one byte below 128), a click's URL as UTF-8 to the end. No version byte: a new layout gets
 * a new purpose (and so a new key and route), which old tokens then simply fail.
 */
export interface OpenToken {
  emailId: string;
  /** The recipient's position in the email's recipient list. */
  recipient: number;
}

export interface ClickToken extends OpenToken {
  /** The only place this token redirects to, as a browser would navigate to it (WHATWG href). */
  url: string;
}

export interface UnsubscribeToken extends OpenToken {
  topicId?: string;
}

export const TOKEN_PURPOSES = {
  open: "tracking:open",
  click: "tracking:click",
  unsubscribe: "tracking:unsubscribe",
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_BYTES = 16;
/** Four varint bytes: far more recipients than an email can have. */
const MAX_RECIPIENT = 2 ** 28 - 1;

export function encodeOpen(token: OpenToken): Buffer {
  return Buffer.concat([uuidBytes(token.emailId), varint(token.recipient)]);
}

export function decodeOpen(payload: Buffer): OpenToken | null {
  const head = readHead(payload);
  return head && head.next === payload.length ? head.token : null;
}

export function encodeClick(token: ClickToken): Buffer {
  return Buffer.concat([encodeOpen(token), Buffer.from(webUrl(token.url), "utf8")]);
}

export function decodeClick(payload: Buffer): ClickToken | null {
  const head = readHead(payload);
  if (!head || head.next === payload.length) return null;
  const url = utf8(payload.subarray(head.next));
  // Only http(s) was ever signed; checked again so a redirect can never lead anywhere else.
  return url !== null && isWebUrl(url) ? { ...head.token, url } : null;
}

export function encodeUnsubscribe(token: UnsubscribeToken): Buffer {
  const parts = [encodeOpen(token)];
  if (token.topicId !== undefined) parts.push(uuidBytes(token.topicId));
  return Buffer.concat(parts);
}

export function decodeUnsubscribe(payload: Buffer): UnsubscribeToken | null {
  const head = readHead(payload);
  if (!head) return null;
  const rest = payload.length - head.next;
  if (rest === 0) return head.token;
  if (rest !== UUID_BYTES) return null;
  return { ...head.token, topicId: uuidString(payload.subarray(head.next)) };
}

/**
 * Signs and reads the three kinds of tracking token, each under its own key derived from one
 * master secret. Retired secrets still verify (so links in mail already sent keep working
 * through a rotation) but never sign.
 */
export class TrackingTokens {
  readonly #signing: Record<keyof typeof TOKEN_PURPOSES, Buffer>;
  readonly #verifying: Record<keyof typeof TOKEN_PURPOSES, Buffer[]>;

  constructor(secret: Buffer, retiredSecrets: readonly Buffer[] = []) {
    const keysFor = (purpose: string) =>
      [secret, ...retiredSecrets].map((master) => deriveKey(master, purpose));
    this.#verifying = {
      open: keysFor(TOKEN_PURPOSES.open),
      click: keysFor(TOKEN_PURPOSES.click),
      unsubscribe: keysFor(TOKEN_PURPOSES.unsubscribe),
    };
    this.#signing = {
      open: this.#verifying.open[0] as Buffer,
      click: this.#verifying.click[0] as Buffer,
      unsubscribe: this.#verifying.unsubscribe[0] as Buffer,
    };
  }

  open(token: OpenToken): string {
    return signToken(this.#signing.open, TOKEN_PURPOSES.open, encodeOpen(token));
  }

  readOpen(token: unknown): OpenToken | null {
    const payload = verifyToken(this.#verifying.open, TOKEN_PURPOSES.open, token);
    return payload && decodeOpen(payload);
  }

  click(token: ClickToken): string {
    return signToken(this.#signing.click, TOKEN_PURPOSES.click, encodeClick(token));
  }

  readClick(token: unknown): ClickToken | null {
    const payload = verifyToken(this.#verifying.click, TOKEN_PURPOSES.click, token);
    return payload && decodeClick(payload);
  }

  unsubscribe(token: UnsubscribeToken): string {
    return signToken(
      this.#signing.unsubscribe,
      TOKEN_PURPOSES.unsubscribe,
      encodeUnsubscribe(token),
    );
  }

  readUnsubscribe(token: unknown): UnsubscribeToken | null {
    const payload = verifyToken(this.#verifying.unsubscribe, TOKEN_PURPOSES.unsubscribe, token);
    return payload && decodeUnsubscribe(payload);
  }
}

function readHead(payload: Buffer): { token: OpenToken; next: number } | null {
  if (payload.length < UUID_BYTES + 1) return null;
  const recipient = readVarint(payload, UUID_BYTES);
  if (!recipient) return null;
  return {
    token: { emailId: uuidString(payload.subarray(0, UUID_BYTES)), recipient: recipient.value },
    next: recipient.next,
  };
}

function uuidBytes(id: string): Buffer {
  if (!UUID.test(id)) throw new TypeError("not a UUID");
  return Buffer.from(id.replaceAll("-", ""), "hex");
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Unsigned LEB128. */
function varint(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > MAX_RECIPIENT) {
    throw new RangeError(`a recipient index must be an integer from 0 to ${MAX_RECIPIENT}`);
  }
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function readVarint(bytes: Buffer, start: number): { value: number; next: number } | null {
  let value = 0;
  for (let index = start; index < bytes.length && index < start + 4; index++) {
    const byte = bytes[index] as number;
    value += (byte & 0x7f) * 2 ** (7 * (index - start));
    if (byte < 0x80) {
      // A zero last byte after the first means a longer spelling than needed: refuse it, so a
      // value has one encoding only.
      if (byte === 0 && index > start) return null;
      return { value, next: index + 1 };
    }
  }
  return null;
}

function webUrl(url: string): string {
  if (!isWebUrl(url)) throw new TypeError("a click token needs an absolute http(s) URL");
  return new URL(url).href;
}

function isWebUrl(url: string): boolean {
  const protocol = URL.parse(url)?.protocol;
  return protocol === "http:" || protocol === "https:";
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

function utf8(bytes: Buffer): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}
