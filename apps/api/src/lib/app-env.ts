import type { IncomingMessage } from "node:http";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "../deps.ts";
import type { ActiveSession } from "../services/sessions/sessions.ts";
import type { Principal } from "./principal.ts";

export interface AppEnv {
  /** Set by @hono/node-server; absent for in-process requests (tests). */
  Bindings: { incoming?: IncomingMessage };
  Variables: {
    deps: ApiDeps;
    requestId: string;
    /** Set by the auth middleware on every authenticated route. */
    principal: Principal;
    /** Set when the caller is a signed-in person (the session cookie). */
    session: ActiveSession;
    /** Set by limitByIp(policy, "flag") when the client's address is over its limit. */
    overIpLimit?: boolean;
    /** The Content-Security-Policy nonce of /docs (lib/security-headers.ts). */
    cspNonce?: string;
  };
}

export type App = OpenAPIHono<AppEnv>;
