import { PEOPLE_ONLY, type Permission } from "../permissions.ts";
import type { OpenApiDocumentLike, OperationObject } from "./openapi-types.ts";
import { describeCall } from "./operation-call.ts";

/**
 * Who makes an operation's call in its samples:
 * - `api_key`: a client with an API key (`Authorization: Bearer`);
 * - `person`: someone signed in, with a session: the operations whose only scheme is the
 *   session cookie (`x-authentication: session`) and those needing a permission only people
 *   hold (`x-permission` organization:* or members:*, which keys answer restricted_api_key);
 * - `anyone`: no credential (sign-up, sign-in, the emailed links, single sign-on, health).
 */
export type Caller = "api_key" | "person" | "anyone";

export function callerOf(operation: OperationObject): Caller {
  const schemes = (operation.security ?? []).flatMap((requirement) =>
    Object.keys(requirement as Record<string, unknown>),
  );
  if (schemes.length === 0) return "anyone";
  const permission = operation["x-permission"];
  const peopleOnly = typeof permission === "string" && PEOPLE_ONLY.has(permission as Permission);
  return schemes.includes("bearerAuth") && !peopleOnly ? "api_key" : "person";
}

/** What every sample of a document shares besides its own call. */
export interface SampleSetting {
  baseUrl: string;
  caller: Caller;
  /** The body of the sign-in a person's sample starts with: POST /auth/sign-in's example. */
  signIn: unknown;
}

const SIGN_IN_OPERATION = "signIn";

/** POST /auth/sign-in's example body, which a person's samples sign in with. */
export function signInExample(doc: OpenApiDocumentLike): unknown {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation.operationId === SIGN_IN_OPERATION) {
        return describeCall(doc, method, path, operation).body;
      }
    }
  }
  return undefined;
}
