import { connect, isIP, type LookupFunction, type Socket } from "node:net";

type GetSocketCallback = (error: Error | null, socketOptions?: { connection: Socket }) => void;

/**
 * nodemailer's `getSocket` hook: connects to the server with our own lookup, so that an SSRF
 * guard checks the very addresses the socket connects to (no window for DNS rebinding between
 * a check and nodemailer's own resolution). nodemailer then speaks SMTP over the socket, and
 * starts TLS on it for `smtps://`.
 */
export function guardedSocket(lookup: LookupFunction, timeoutMs: number) {
  return (options: { host?: string; port?: number }, callback: GetSocketCallback): void => {
    const host = options.host ?? "localhost";
    const port = options.port ?? 587;
    // Node skips the lookup for an IP address: it goes through it here, to be checked too.
    if (!isIP(host)) {
      connectTo({ host, port, lookup, timeoutMs }, callback);
      return;
    }
    lookup(host, {}, (error) => {
      if (error) callback(error);
      else connectTo({ host, port, lookup, timeoutMs }, callback);
    });
  };
}

function connectTo(
  target: { host: string; port: number; lookup: LookupFunction; timeoutMs: number },
  callback: GetSocketCallback,
): void {
  let settled = false;
  const socket = connect({ host: target.host, port: target.port, lookup: target.lookup });
  const settle = (error: Error | null) => {
    if (settled) return;
    settled = true;
    socket.setTimeout(0);
    socket.removeAllListeners("connect");
    if (error) {
      socket.destroy();
      callback(error);
    } else {
      callback(null, { connection: socket });
    }
  };
  socket.setTimeout(target.timeoutMs, () =>
    settle(Object.assign(new Error("connection timed out"), { code: "ETIMEDOUT" })),
  );
  socket.once("connect", () => settle(null));
  socket.once("error", (error) => settle(error));
}
