import { type BounceClass, describeEnhancedCode, type SmtpReply } from "./smtp-reply.ts";
import { TransportError } from "./transport.ts";

/**
 * What an SES answer means, said as the SMTP reply a relay would have given, so that the
 * worker's bounce logic applies unchanged: `5.x` (hard) only when SES refuses the message
 * itself; `4.x` (soft, retried) for everything else, flagged as the provider's fault when it
 * lies with SES or with our account (throttling, outages, credentials, identities).
 */
interface Verdict {
  code: number;
  enhancedCode: string;
  providerFault: boolean;
}

const verdict = (code: number, enhancedCode: string, providerFault: boolean): Verdict => ({
  code,
  enhancedCode,
  providerFault,
});

const REFUSED = verdict(554, "5.7.1", false);
const TOO_BIG = verdict(552, "5.3.4", false);
const BAD_REQUEST = verdict(554, "5.5.4", false);
const THROTTLED = verdict(451, "4.4.5", true);
const MISCONFIGURED = verdict(451, "4.3.5", true);
const NOT_ALLOWED = verdict(451, "4.7.1", true);
const UNAUTHENTICATED = verdict(454, "4.7.8", true);
const SERVICE_ERROR = verdict(451, "4.3.0", true);
const UNAVAILABLE = verdict(451, "4.3.2", true);

/** SES (and AWS-wide) error names, as the SDK sets them on its exceptions. */
const BY_NAME: Record<string, Verdict> = {
  TooManyRequestsException: THROTTLED,
  ThrottlingException: THROTTLED,
  Throttling: THROTTLED,
  // Daily quota and other account limits: waiting (or another provider) helps, the message is fine.
  LimitExceededException: THROTTLED,
  AccountSuspendedException: NOT_ALLOWED,
  SendingPausedException: NOT_ALLOWED,
  AccessDeniedException: NOT_ALLOWED,
  AccessDenied: NOT_ALLOWED,
  MailFromDomainNotVerifiedException: MISCONFIGURED,
  // SendEmail's only named resource is the configuration set.
  NotFoundException: MISCONFIGURED,
  UnrecognizedClientException: UNAUTHENTICATED,
  InvalidClientTokenId: UNAUTHENTICATED,
  InvalidSignatureException: UNAUTHENTICATED,
  SignatureDoesNotMatch: UNAUTHENTICATED,
  IncompleteSignatureException: UNAUTHENTICATED,
  IncompleteSignature: UNAUTHENTICATED,
  MissingAuthenticationTokenException: UNAUTHENTICATED,
  MissingAuthenticationToken: UNAUTHENTICATED,
  ExpiredTokenException: UNAUTHENTICATED,
  ExpiredToken: UNAUTHENTICATED,
  // The SDK found no credentials, or could not refresh them: nothing was sent.
  CredentialsProviderError: UNAUTHENTICATED,
  InternalServiceErrorException: SERVICE_ERROR,
  InternalFailure: SERVICE_ERROR,
  ServiceUnavailable: UNAVAILABLE,
  ServiceUnavailableException: UNAVAILABLE,
};

/** Failures below HTTP, by Node's error code: SES never answered. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: "4.4.1",
  ETIMEDOUT: "4.4.1",
  TimeoutError: "4.4.1",
  ECONNRESET: "4.4.2",
  EPIPE: "4.4.2",
  ENOTFOUND: "4.4.3",
  EAI_AGAIN: "4.4.3",
  EHOSTUNREACH: "4.4.4",
  ENETUNREACH: "4.4.4",
};

/**
 * SES says "not verified" when the sending identity is not verified in the region, or, while
 * the account is in the sandbox, when a recipient is not: our account's set-up either way,
 * not something the recipient did.
 */
const NOT_VERIFIED = /not verified/i;
const IDENTITY_PROBLEM = /verif|identit|credential|authori[sz]|permission|sandbox/i;
const SIZE_PROBLEM = /length|too (long|large|big)|size/i;

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Turns whatever SendEmail threw (a service exception, a network or SDK error) into a TransportError. */
export function sesTransportError(thrown: unknown): TransportError {
  const error: SdkError = typeof thrown === "object" && thrown !== null ? thrown : {};
  const name = error.name ?? "Error";
  const message = error.message ?? String(thrown);
  const status = error.$metadata?.httpStatusCode;

  if (status === undefined && name !== "CredentialsProviderError") {
    const code = error.code && NETWORK[error.code] ? error.code : name;
    const response = `SES unreachable: ${code}: ${message}`;
    return failure(response, verdict(451, NETWORK[code] ?? "4.4.0", true));
  }

  const requestId = error.$metadata?.requestId;
  const response = `SES ${name}${status ? ` (HTTP ${status})` : ""}: ${message}${requestId ? ` [request ${requestId}]` : ""}`;
  const named = BY_NAME[name];
  if (named) return failure(response, named);
  if (name === "MessageRejected") {
    if (NOT_VERIFIED.test(message)) return failure(response, MISCONFIGURED);
    return failure(response, SIZE_PROBLEM.test(message) ? TOO_BIG : REFUSED);
  }
  if (name === "BadRequestException") {
    return failure(response, IDENTITY_PROBLEM.test(message) ? MISCONFIGURED : BAD_REQUEST);
  }
  if (status === 429) return failure(response, THROTTLED);
  if (status === 401 || status === 403) return failure(response, UNAUTHENTICATED);
  if (status === 503) return failure(response, UNAVAILABLE);
  if ((status !== undefined && status >= 500) || error.$fault === "server") {
    return failure(response, SERVICE_ERROR);
  }
  // An answer we do not know (a proxy's page, a request SES found malformed): nothing says
  // the recipients are at fault, and another provider may well take the message.
  return failure(response, null);
}

function failure(response: string, found: Verdict | null): TransportError {
  const text = response.slice(0, 500);
  const reply: SmtpReply = found
    ? {
        code: found.code,
        enhancedCode: found.enhancedCode,
        bounceClass: classOf(found.enhancedCode),
        reason: describeEnhancedCode(found.enhancedCode),
        response: text,
      }
    : {
        code: null,
        enhancedCode: null,
        bounceClass: "undetermined",
        reason: "unrecognized SES error",
        response: text,
      };
  return new TransportError(text, reply, [], { providerFault: found?.providerFault ?? true });
}

function classOf(enhancedCode: string): BounceClass {
  return enhancedCode.startsWith("5") ? "hard" : "soft";
}
