import { generateSecret, generateURI, verify } from "otplib";

/** RFC 6238 TOTP as authenticator apps do it: SHA-1, 6 digits, 30-second steps. */
const PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: "Thrive-Send", label: account, secret, period: PERIOD });
}

/**
 * The time step of a valid code, or null. One step of clock drift either way is accepted, and
 * a step at or before `lastStep` never is again: a code seen over a shoulder is useless after
 * its first use.
 */
export async function verifyTotp(input: {
  secret: string;
  code: string;
  now: Date;
  lastStep: number | null;
}): Promise<number | null> {
  if (!/^\d{6}$/.test(input.code)) return null;
  try {
    const result = await verify({
      secret: input.secret,
      token: input.code,
      period: PERIOD,
      epoch: Math.floor(input.now.getTime() / 1000),
      epochTolerance: PERIOD,
      ...(input.lastStep === null ? {} : { afterTimeStep: input.lastStep }),
    });
    return result.valid && "timeStep" in result ? result.timeStep : null;
  } catch {
    return null;
  }
}
