import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";

const generate = promisify(generateKeyPair);

export interface DkimKey {
  selector: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** Base64 of the DER SubjectPublicKeyInfo: the `p=` of the DKIM record. */
  publicKey: string;
}

/**
 * A 2048-bit RSA key pair and a selector of its own. The selector is unique per key, so a new
 * key can be published beside the old one, and two organizations can verify the same domain.
 */
export async function generateDkimKey(): Promise<DkimKey> {
  const { privateKey, publicKey } = await generate("rsa", { modulusLength: 2048 });
  return {
    selector: `ts${randomBytes(5).toString("hex")}`,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
  };
}
