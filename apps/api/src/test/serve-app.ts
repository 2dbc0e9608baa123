import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { App } from "../lib/app-env.ts";

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** The app on a real socket on loopback: the client address is the socket's, as in production. */
export async function serveApp(app: App): Promise<ServedApp> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
      resolve(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
