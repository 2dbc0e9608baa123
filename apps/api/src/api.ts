import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { newApp } from "./app.ts";
import type { ApiDeps } from "./deps.ts";

export interface ApiHandle {
  port: number;
  stop(): Promise<void>;
}

export async function startApi(deps: ApiDeps): Promise<ApiHandle> {
  const app = newApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, port: deps.config.port, hostname: deps.config.host },
      () => resolve(started),
    );
    started.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        // Event streams never end by themselves: end them, or close() would wait for them.
        deps.eventNotifications.close();
        // What the usage meter counted since its last flush is written before the end.
        server.close(() => void deps.usage.stop().finally(resolve));
        // Keep-alive connections would hold close() open.
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      }),
  };
}
