import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "../deps.ts";
import type { AuthenticatedKey } from "../services/api-keys/authenticate-api-key.ts";

export interface AppEnv {
  Variables: {
    deps: ApiDeps;
    requestId: string;
    /** Set by the auth middleware on every authenticated route. */
    apiKey: AuthenticatedKey;
  };
}

export type App = OpenAPIHono<AppEnv>;
