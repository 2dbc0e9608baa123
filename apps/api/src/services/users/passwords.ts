import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane): about 20 ms of one core per
 * hash here. @node-rs/argon2 ships prebuilt binaries, so installing needs no compiler.
 */
// The package's `Algorithm` is a const enum, which type stripping cannot inline: 2 is Argon2id.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;
/** Hashing cost grows with the input: a megabyte "password" would be a cheap denial of service. */
export const PASSWORD_MAX_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no hash (unknown email, single-sign-on-only
 * user) it verifies against a dummy one and answers false: the answer takes as long either
 * way, so timing does not tell whether an account exists.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  dummyHash ??= hashPassword("not the password of anyone");
  const target = stored ?? (await dummyHash);
  try {
    const matches = await verify(target, password);
    return stored !== null && matches;
  } catch {
    return false;
  }
}
