/**
 * The console's session, for a client made without an API key (`new ThriveSend({ baseUrl })`):
 * the cookies the API sets (sign-up, sign-in, a rotation, single sign-on's), sent back with
 * every request, and the CSRF token that changes must carry in X-CSRF-Token.
 *
 * A client talks to one API, so this is a map of its cookies by name rather than a browser's
 * cookie jar: no domains or paths to match (the API sets every cookie on `/`), and no library
 * to ship for it. In a browser, where Set-Cookie cannot be read, the browser keeps the cookies
 * itself (requests go with `credentials: "include"`) and the CSRF token comes from the
 * answers' `csrf_token`.
 */
export class SessionCookies {
  private readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  /** `cookie`: a session cookie to resume, as `name=value` or the bare token. */
  constructor(baseUrl: string, cookie?: string) {
    if (cookie === undefined || cookie === "") return;
    const pair = splitPair(cookie);
    // Over https the API's cookies carry the `__Host-` prefix (apps/api lib/session-cookie.ts).
    const name = pair?.[0] ?? `${baseUrl.startsWith("https:") ? "__Host-" : ""}${SESSION}`;
    this.cookies.set(name, pair?.[1] ?? cookie);
  }

  /** The session cookie as `name=value`, to keep and resume with later; none when signed out. */
  get sessionCookie(): string | undefined {
    for (const [name, value] of this.cookies) {
      if (unprefixed(name) === SESSION) return `${name}=${value}`;
    }
    return undefined;
  }

  /** The CSRF cookie's (the latest, a rotation's too); else the last session answer's. */
  get csrfToken(): string | undefined {
    return this.cookieValue(CSRF) ?? this.csrf;
  }

  /** The `Cookie` header's value, when there is a cookie to send. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Keeps what the answer's Set-Cookie headers set, and forgets what they clear. */
  absorb(headers: Headers): void {
    // getSetCookie: Node 20+, Deno, Bun, workers; browsers never show Set-Cookie to scripts.
    const lines = typeof headers.getSetCookie === "function" ? headers.getSetCookie() : [];
    for (const line of lines) {
      const [first = "", ...attributes] = line.split(";");
      const pair = splitPair(first);
      if (!pair) continue;
      const [name, value] = pair;
      const cleared = value === "" || isExpired(attributes);
      if (cleared) this.cookies.delete(name);
      else this.cookies.set(name, value);
      // A session that ended takes its CSRF token with it.
      if (cleared && unprefixed(name) === SESSION) this.csrf = undefined;
    }
  }

  /** The `csrf_token` of a session answer: how a browser, which hides Set-Cookie, learns it. */
  rememberCsrfToken(token: string): void {
    this.csrf = token;
  }

  private cookieValue(wanted: string): string | undefined {
    for (const [name, value] of this.cookies) if (unprefixed(name) === wanted) return value;
    return undefined;
  }
}

const SESSION = "thrive_session";
const CSRF = "thrive_csrf";

function unprefixed(name: string): string {
  return name.replace(/^__Host-/, "");
}

function splitPair(text: string): [string, string] | undefined {
  const index = text.indexOf("=");
  if (index <= 0) return undefined;
  return [text.slice(0, index).trim(), text.slice(index + 1).trim()];
}

/** `Max-Age=0` (or less), or an `Expires` in the past: how a server deletes a cookie. */
function isExpired(attributes: string[]): boolean {
  for (const attribute of attributes) {
    const [key = "", value = ""] = attribute.split("=").map((part) => part.trim());
    if (key.toLowerCase() === "max-age" && Number(value) <= 0) return true;
    if (key.toLowerCase() === "expires" && Date.parse(value) <= Date.now()) return true;
  }
  return false;
}
