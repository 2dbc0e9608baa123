import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Secrets at rest (DKIM private keys, provider credentials, webhook secrets) are sealed with
 * AES-256-GCM under a key derived from ENCRYPTION_KEY. The format carries a version, so the
 * scheme or key can change later without guessing what a stored value is.
 */
export class SecretBox {
  readonly #sealKey: Buffer;
  readonly #master: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error("the encryption key must be 32 bytes");
    this.#master = masterKey;
    this.#sealKey = this.derive("secrets-at-rest");
  }

  /** `v1.<base64url(iv ‖ tag ‖ ciphertext)>`. */
  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#sealKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
  }

  /** Throws when the value was not sealed with this key, or was altered. */
  open(sealed: string): string {
    const [version, encoded] = sealed.split(".");
    if (version !== VERSION || !encoded) throw new Error("not a sealed secret");
    const raw = Buffer.from(encoded, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.#sealKey, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  }

  /** An independent key for one purpose (token signing, ...), so no two uses share a key. */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync("sha256", this.#master, Buffer.alloc(0), purpose, 32));
  }
}

/** ENCRYPTION_KEY as bytes: 64 hex characters or base64(url) of 32 bytes. */
export function decodeEncryptionKey(value: string): Buffer | undefined {
  const bytes = /^[0-9a-f]{64}$/i.test(value)
    ? Buffer.from(value, "hex")
    : Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return bytes.length === 32 ? bytes : undefined;
}

export function generateEncryptionKey(): string {
  return randomBytes(32).toString("base64");
}
