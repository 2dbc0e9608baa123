import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpServer, type TestHttpServer } from "./http-server.ts";

/**
 * The part of Svix's REST API (api.svix.com/docs) that the svix SDK calls for us: applications
 * (get-or-create), endpoints (list, create, patch, delete, secret, rotate) and messages
 * (create, with `eventId` unique per application: 409 for a second one). It checks the bearer
 * token as Svix does (401) and records every request, so a test sees what reached "Svix".
 * We cannot reach Svix's cloud from tests; a self-hosted Svix speaks the same API.
 */
export interface SvixRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: IncomingMessage["headers"];
}

interface App {
  id: string;
  uid: string | null;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface SvixEndpoint {
  id: string;
  uid: string | null;
  url: string;
  description: string;
  eventTypes: string[] | null;
  disabled: boolean;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /** Not in Svix's EndpointOut: served by GET .../secret. */
  secret: string;
  /** Keys rotated out, with their grace period. */
  rotations: { key: string; gracePeriodSeconds: number | null }[];
}

export interface SvixMessage {
  id: string;
  eventId: string | null;
  eventType: string;
  payload: unknown;
  timestamp: string;
}

export interface FakeSvix extends TestHttpServer {
  token: string;
  requests: SvixRequest[];
  apps: Map<string, App>;
  endpoints: Map<string, SvixEndpoint[]>;
  messages: Map<string, SvixMessage[]>;
  /** Answer every request with this status (a Svix outage) until set back to null. */
  failWith: number | null;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

export async function startFakeSvix(token = `testsk_${randomBytes(8).toString("hex")}`) {
  const state = {
    token,
    requests: [] as SvixRequest[],
    apps: new Map<string, App>(),
    endpoints: new Map<string, SvixEndpoint[]>(),
    messages: new Map<string, SvixMessage[]>(),
    failWith: null as number | null,
  };

  const findApp = (key: string) =>
    [...state.apps.values()].find((app) => app.id === key || app.uid === key);
  const findEndpoint = (app: App, key: string) =>
    (state.endpoints.get(app.id) ?? []).find((ep) => ep.id === key || ep.uid === key);
  const endpointOut = ({ secret: _, rotations: __, ...endpoint }: SvixEndpoint) => endpoint;

  const handle = (request: SvixRequest, response: ServerResponse) => {
    const send = (status: number, body?: unknown) => {
      response.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const error = (status: number, code: string, detail: string) => send(status, { code, detail });
    if (request.headers.authorization !== `Bearer ${state.token}`) {
      return error(401, "authentication_failed", "Invalid token");
    }
    if (state.failWith !== null) return error(state.failWith, "server_error", "Svix is down");
    const now = new Date().toISOString();
    const parts = request.path.split("/").filter(Boolean); // api, v1, app, ...
    const body = (request.body ?? {}) as Record<string, unknown>;

    if (request.method === "POST" && parts.length === 3) {
      const uid = (body.uid as string | undefined) ?? null;
      const existing = uid ? findApp(uid) : undefined;
      if (existing) {
        return request.query.get_if_exists === "true"
          ? send(200, { ...existing, metadata: {} })
          : error(409, "conflict", "An application with this uid already exists");
      }
      const app = { id: id("app"), uid, name: String(body.name), createdAt: now, updatedAt: now };
      state.apps.set(app.id, app);
      return send(201, { ...app, metadata: {} });
    }
    const app = parts[3] ? findApp(decodeURIComponent(parts[3])) : undefined;
    if (!app) return error(404, "not_found", "Application not found");

    if (parts[4] === "msg" && request.method === "POST" && parts.length === 5) {
      const messages = state.messages.get(app.id) ?? [];
      const eventId = (body.eventId as string | undefined) ?? null;
      if (eventId && messages.some((message) => message.eventId === eventId)) {
        return error(409, "conflict", "A message with this eventId already exists");
      }
      const message = {
        id: id("msg"),
        eventId,
        eventType: String(body.eventType),
        payload: body.payload,
        timestamp: now,
      };
      state.messages.set(app.id, [...messages, message]);
      return send(202, message);
    }

    if (parts[4] !== "endpoint") return error(404, "not_found", "No such route");
    const endpoints = state.endpoints.get(app.id) ?? [];
    if (parts.length === 5 && request.method === "GET") {
      return send(200, { data: endpoints.map(endpointOut), iterator: null, done: true });
    }
    if (parts.length === 5 && request.method === "POST") {
      const endpoint: SvixEndpoint = {
        id: id("ep"),
        uid: (body.uid as string | undefined) ?? null,
        url: String(body.url),
        description: "",
        eventTypes: (body.eventTypes as string[] | undefined) ?? null,
        disabled: Boolean(body.disabled),
        metadata: {},
        createdAt: now,
        updatedAt: now,
        secret:
          (body.secret as string | undefined) ?? `whsec_${randomBytes(24).toString("base64")}`,
        rotations: [],
      };
      state.endpoints.set(app.id, [...endpoints, endpoint]);
      return send(201, endpointOut(endpoint));
    }
    const endpoint = parts[5] ? findEndpoint(app, decodeURIComponent(parts[5])) : undefined;
    if (!endpoint) return error(404, "not_found", "Endpoint not found");
    if (parts.length === 6 && request.method === "PATCH") {
      for (const key of ["url", "eventTypes", "disabled"] as const) {
        if (key in body) Object.assign(endpoint, { [key]: body[key] });
      }
      endpoint.updatedAt = now;
      return send(200, endpointOut(endpoint));
    }
    if (parts.length === 6 && request.method === "DELETE") {
      state.endpoints.set(
        app.id,
        endpoints.filter((other) => other !== endpoint),
      );
      return send(204);
    }
    if (parts[6] === "secret" && parts.length === 7 && request.method === "GET") {
      return send(200, { key: endpoint.secret });
    }
    if (parts[6] === "secret" && parts[7] === "rotate" && request.method === "POST") {
      endpoint.rotations.push({
        key: endpoint.secret,
        gracePeriodSeconds: (body.gracePeriodSeconds as number | null | undefined) ?? null,
      });
      endpoint.secret =
        (body.key as string | undefined) ?? `whsec_${randomBytes(24).toString("base64")}`;
      return send(204);
    }
    return error(404, "not_found", "No such route");
  };

  const server = await startHttpServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const url = new URL(incoming.url ?? "/", "http://svix.test");
      const text = Buffer.concat(chunks).toString("utf8");
      const request: SvixRequest = {
        method: incoming.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text ? JSON.parse(text) : undefined,
        headers: incoming.headers,
      };
      state.requests.push(request);
      handle(request, response);
    });
  });
  return Object.assign(state, server) as FakeSvix;
}
