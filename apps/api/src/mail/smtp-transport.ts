import type { LookupFunction } from "node:net";
import nodemailer from "nodemailer";
import type { NodemailerError } from "nodemailer/lib/errors";
import { CoalesceChunks } from "./coalesce-chunks.ts";
import { replyIsProviderFault } from "./provider-fault.ts";
import { classifyReply } from "./smtp-reply.ts";
import { guardedSocket } from "./smtp-socket.ts";
import {
  type MailTransport,
  type OutgoingMessage,
  type RecipientRejection,
  TransportError,
  type TransportReport,
} from "./transport.ts";

export interface SmtpTransportOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://...` (implicit TLS). */
  url: string;
  finalHop: boolean;
  maxConnections?: number;
  name?: string;
  /**
   * Resolves the server's host for the socket (an SSRF guard's lookup, for servers that
   * organizations give us): a refused address fails the connection before it is made.
   */
  lookup?: LookupFunction;
  /** Refuse to send (credentials included) unless the server starts TLS: `starttls` required. */
  requireTls?: boolean;
}

const CONNECT_TIMEOUT_MS = 30_000;

/**
 * Hands messages to an SMTP server over a pool of reused connections (nodemailer). Refusals
 * are reported per recipient; a refusal of the whole message or a connection failure throws
 * a TransportError carrying the classified reply.
 */
export function createSmtpTransport(options: SmtpTransportOptions): MailTransport {
  const url = new URL(options.url);
  const secure = url.protocol === "smtps:";
  const transporter = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: options.requireTls ?? false,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
    logger: false,
    ...(options.lookup ? { getSocket: guardedSocket(options.lookup, CONNECT_TIMEOUT_MS) } : {}),
  });
  transporter.use("stream", (mail, done) => {
    mail.message.transform(() => new CoalesceChunks());
    done();
  });

  return {
    name: options.name ?? `smtp:${url.hostname}:${url.port}`,
    finalHop: options.finalHop,
    async send(message: OutgoingMessage): Promise<TransportReport> {
      try {
        const info = await transporter.sendMail({ ...message.content, envelope: message.envelope });
        return {
          accepted: (info.accepted ?? []).map(String),
          rejected: rejections(info.rejectedErrors),
          response: info.response ?? "",
        };
      } catch (error) {
        throw toTransportError(error as NodemailerError);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

function rejections(errors: NodemailerError[] | undefined): RecipientRejection[] {
  return (errors ?? []).map((error) => ({
    recipient: error.recipient ?? "",
    reply: classifyReply(error.response ?? error.message, error.responseCode),
  }));
}

/**
 * Failures that lie with the server or the way to it, whatever it answered: nodemailer's codes
 * for a connection that failed, dropped or timed out, a failed TLS handshake or login, Node's
 * socket codes when they come through unwrapped, and the SSRF guard's refusal. Not EENVELOPE,
 * EMESSAGE or ESTREAM: those are about the message or its recipients.
 */
const CONNECTION_FAILURES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "ETLS",
  "EAUTH",
  "ENOAUTH",
  "EPROXY",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "blocked_address",
]);

function toTransportError(error: NodemailerError): TransportError {
  const reply = classifyReply(error.response, error.responseCode);
  const description = error.response
    ? error.response
    : `${error.code ?? "ERROR"}: ${error.message}`;
  // The step that failed says it first (a refused STARTTLS or login answers with a 5xx that
  // is about our session, not the message); then the reply (provider-fault.ts).
  const providerFault =
    CONNECTION_FAILURES.has(error.code ?? "") ||
    (reply.code !== null && replyIsProviderFault(reply));
  return new TransportError(
    description,
    { ...reply, response: reply.response || description },
    rejections(error.rejectedErrors),
    { providerFault },
  );
}
