import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from "smtp-server";

/** A message as the catcher received it. */
export interface CaughtMessage {
  id: number;
  receivedAt: Date;
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

/** An SMTP refusal the catcher should answer, for tests of bounces and retries. */
export interface SmtpRefusal {
  code: number;
  message: string;
}

export interface MailCatcherOptions {
  /** Oldest messages are dropped past this many (the dev inbox); unlimited when not set. */
  maxMessages?: number;
  /** Decides, per recipient, whether to refuse it (RCPT TO) instead of accepting it. */
  refuseRecipient?: (address: string, session: SMTPServerSession) => SmtpRefusal | undefined;
  maxMessageBytes?: number;
}

/**
 * A real SMTP server that keeps what it receives: the dev mail catcher behind GET /dev/inbox,
 * and the mail sink of the tests. It accepts any sender and recipient unless told otherwise.
 */
export class MailCatcher {
  readonly #options: MailCatcherOptions;
  readonly #server: SMTPServer;
  readonly #messages: CaughtMessage[] = [];
  readonly #waiters = new Set<() => void>();
  #nextId = 1;
  #port = 0;

  constructor(options: MailCatcherOptions = {}) {
    this.#options = options;
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["AUTH", "STARTTLS"],
      disableReverseLookup: true,
      logger: false,
      size: options.maxMessageBytes ?? 60 * 1024 * 1024,
      // close() would otherwise wait 30 s for pooled client connections to go idle.
      closeTimeout: 100,
      onRcptTo: (address, session, callback) => this.#onRcptTo(address, session, callback),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          this.#store({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            raw: Buffer.concat(chunks),
          });
          callback(null, `Ok: queued as ${this.#nextId - 1}`);
        });
      },
    });
    this.#server.on("error", () => {
      // Client disconnects surface here; they are not the catcher's problem.
    });
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.server.once("error", reject);
      this.#server.listen(port, host, () => resolve());
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

  get messages(): readonly CaughtMessage[] {
    return this.#messages;
  }

  find(id: number): CaughtMessage | undefined {
    return this.#messages.find((message) => message.id === id);
  }

  /** Resolves once `predicate` holds over the messages received so far. */
  async waitFor(
    predicate: (messages: readonly CaughtMessage[]) => boolean,
    timeoutMs = 10_000,
  ): Promise<void> {
    if (predicate(this.#messages)) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate(this.#messages)) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `mail catcher: condition not met within ${timeoutMs} ms (${this.#messages.length} messages)`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #onRcptTo(
    address: SMTPServerAddress,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    const refusal = this.#options.refuseRecipient?.(address.address, session);
    if (!refusal) {
      callback();
      return;
    }
    const error = new Error(refusal.message) as Error & { responseCode: number };
    error.responseCode = refusal.code;
    callback(error);
  }

  #store(message: Omit<CaughtMessage, "id" | "receivedAt">): void {
    this.#messages.push({ id: this.#nextId++, receivedAt: new Date(), ...message });
    const max = this.#options.maxMessages;
    if (max !== undefined && this.#messages.length > max) this.#messages.shift();
    for (const waiter of this.#waiters) waiter();
  }
}
