import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env.ts";
import { AppError } from "./errors.ts";

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a NUL that reached a query would fail it (a
 * 500). No field of the API has a use for one, so a request carrying one anywhere is refused
 * up front with a 422, whichever field it is in.
 */
export const NUL_REFUSED = "Text must not contain NUL characters (U+0000)";

/** Refuses a URL (path or query) with an encoded NUL, `%00`. */
export const refuseNulInUrl = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.url.includes("%00")) {
    throw new AppError("validation_error", `${NUL_REFUSED}: the URL has %00`);
  }
  await next();
});

/**
 * Whether a JSON text has a NUL in one of its strings: the escape `\u0000` (a raw NUL is not
 * valid JSON), not preceded by an escaped backslash (`\\u0000` is the text `\u0000`).
 */
export function hasNulEscape(json: string): boolean {
  for (let at = json.indexOf("\\u0000"); at !== -1; at = json.indexOf("\\u0000", at + 1)) {
    let backslashes = 0;
    for (let i = at; i >= 0 && json[i] === "\\"; i--) backslashes++;
    if (backslashes % 2 === 1) return true;
  }
  return false;
}
