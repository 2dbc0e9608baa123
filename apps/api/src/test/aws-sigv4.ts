import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A refusal as AWS's front door answers it, before the service sees the request. */
export interface AuthFailure {
  status: number;
  errorType: string;
  message: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const refused = (status: number, errorType: string, message: string): AuthFailure => ({
  status,
  errorType,
  message,
});

/**
 * Checks a request's AWS Signature Version 4 (Authorization header form) the way AWS does:
 * known access key, scope of this region and service, body hash, then the signature itself,
 * recomputed over the headers the client says it signed. Answers undefined when it holds.
 */
export async function verifySigV4(
  request: IncomingMessage,
  body: Buffer,
  expected: { credentials: AwsTestCredentials; region: string; service: string },
): Promise<AuthFailure | undefined> {
  const header = request.headers.authorization;
  if (!header)
    return refused(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  const parts = AUTHORIZATION.exec(header);
  const amzDate = AMZ_DATE.exec(String(request.headers["x-amz-date"] ?? ""));
  if (!parts || !amzDate) {
    return refused(
      400,
      "IncompleteSignatureException",
      "Authorization header or X-Amz-Date is malformed.",
    );
  }
  const [, accessKeyId, scopeDate, region, service, signedHeaders = "", signature = ""] = parts;
  const names = signedHeaders.split(";");
  if (!names.includes("host")) {
    return refused(
      400,
      "IncompleteSignatureException",
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const { credentials } = expected;
  if (
    accessKeyId !== credentials.accessKeyId ||
    (credentials.sessionToken !== undefined &&
      request.headers["x-amz-security-token"] !== credentials.sessionToken)
  ) {
    return refused(
      403,
      "UnrecognizedClientException",
      "The security token included in the request is invalid.",
    );
  }
  if (region !== expected.region) {
    return refused(
      403,
      "InvalidSignatureException",
      "Credential should be scoped to a valid region.",
    );
  }
  if (service !== expected.service) {
    return refused(
      403,
      "InvalidSignatureException",
      `Credential should be scoped to correct service: '${expected.service}'.`,
    );
  }
  const [, year, month, day, hours, minutes, seconds] = amzDate.map(Number);
  const signingDate = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hours, minutes, seconds));
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const url = new URL(request.url ?? "/", "http://localhost");
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? "") : values;
  }

  let recomputed: string | undefined;
  try {
    const signer = new SignatureV4({
      credentials,
      region,
      service,
      sha256: Sha256,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      {
        method: request.method ?? "GET",
        protocol: "http:",
        hostname: url.hostname,
        path: decodeURIComponent(url.pathname),
        query,
        headers,
        body,
      },
      { signingDate, signableHeaders: new Set(names) },
    );
    recomputed = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1];
  } catch {
    recomputed = undefined;
  }
  // The signature covers the declared body hash: the body must match it, as AWS checks.
  const declaredHash = request.headers["x-amz-content-sha256"];
  const matches =
    (declaredHash === undefined ||
      declaredHash === createHash("sha256").update(body).digest("hex")) &&
    scopeDate === String(request.headers["x-amz-date"]).slice(0, 8) &&
    recomputed !== undefined &&
    timingSafeEqual(Buffer.from(recomputed), Buffer.from(signature));
  if (matches) return undefined;
  return refused(
    403,
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  );
}
