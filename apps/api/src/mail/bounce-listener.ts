import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from "smtp-server";

/** A message as the bounce MX received it. */
export interface InboundMessage {
  /** The SMTP envelope: `from` is "" for the null sender that bounces use. */
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

export interface BounceListenerOptions {
  /** Handles one message. A throw or rejection answers 451, so the sender retries later. */
  onMessage: (message: InboundMessage) => Promise<void> | void;
  /** Decides at RCPT TO whether to take mail for an address (e.g. only our VERP addresses). */
  acceptRecipient?: (address: string) => boolean;
  /** Larger messages are refused (552) as they stream in. Default 10 MB. */
  maxMessageBytes?: number;
  /** Connections served at once; more are turned away until one ends. Default 100. */
  maxClients?: number;
  /** The name in the greeting and replies; the OS host name by default. */
  hostname?: string;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** An SMTP error with the reply code smtp-server should answer. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  const error = new Error(message) as Error & { responseCode: number };
  error.responseCode = code;
  return error;
}

/**
 * The MX of the bounce (return-path) domains: takes the DSNs, feedback reports and stray mail
 * remote servers send there and hands each to `onMessage`. No AUTH: it relays nothing, and
 * only accepts mail for the addresses `acceptRecipient` allows.
 */
export class BounceListener {
  readonly #options: BounceListenerOptions;
  readonly #server: SMTPServer;
  #port = 0;

  constructor(options: BounceListenerOptions) {
    this.#options = options;
    const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_BYTES;
    this.#server = new SMTPServer({
      name: options.hostname,
      // Open to the whole internet as an MX: bound what strangers can hold open.
      maxClients: options.maxClients ?? 100,
      authOptional: true,
      disabledCommands: ["AUTH", "STARTTLS"],
      disableReverseLookup: true,
      logger: false,
      // Announced in EHLO (RFC 1870) so senders refuse before sending, and enforced below.
      size: maxBytes,
      closeTimeout: 100,
      onRcptTo: (address, session, callback) => this.#onRcptTo(address, session, callback),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        stream.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          // Past the limit the rest is read (the protocol needs it) but not kept.
          if (bytes <= maxBytes) chunks.push(chunk);
        });
        stream.on("end", () => {
          if (bytes > maxBytes) {
            callback(smtpError(552, `5.3.4 Message exceeds the limit of ${maxBytes} bytes`));
            return;
          }
          this.#deliver(session, Buffer.concat(chunks)).then(
            () => callback(null, "2.0.0 Ok: report received"),
            () => callback(smtpError(451, "4.3.0 Temporary failure, please try again later")),
          );
        });
      },
    });
    this.#server.on("error", () => {
      // Client disconnects and protocol errors surface here; they are the client's problem.
    });
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.server.once("error", reject);
      this.#server.listen(port, host, () => {
        this.#server.server.off("error", reject);
        resolve();
      });
    });
    this.#port = (this.#server.server.address() as AddressInfo).port;
    return this.#port;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #deliver(session: SMTPServerSession, raw: Buffer): Promise<void> {
    const envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
      to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    };
    await this.#options.onMessage({ envelope, raw });
  }

  #onRcptTo(
    address: SMTPServerAddress,
    _session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    let accepted: boolean;
    try {
      accepted = this.#options.acceptRecipient?.(address.address) ?? true;
    } catch {
      callback(smtpError(451, "4.3.0 Temporary failure, please try again later"));
      return;
    }
    callback(accepted ? null : smtpError(550, "5.1.1 No such recipient here"));
  }
}
