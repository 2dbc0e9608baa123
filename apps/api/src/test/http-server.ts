import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TestHttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** A real HTTP server on loopback, for code that makes outgoing requests. */
export async function startHttpServer(handler: http.RequestListener): Promise<TestHttpServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Some tests leave requests hanging on purpose: cut them rather than wait.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
