import nodemailer from "nodemailer";
import type { NodemailerError } from "nodemailer/lib/errors";
import { CoalesceChunks } from "./coalesce-chunks.ts";
import { classifyReply } from "./smtp-reply.ts";
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
}

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
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
    logger: false,
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

function toTransportError(error: NodemailerError): TransportError {
  const reply = classifyReply(error.response, error.responseCode);
  const description = error.response
    ? error.response
    : `${error.code ?? "ERROR"}: ${error.message}`;
  return new TransportError(
    description,
    { ...reply, response: reply.response || description },
    rejections(error.rejectedErrors),
  );
}
