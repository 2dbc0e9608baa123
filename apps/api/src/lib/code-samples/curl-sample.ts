import type { SampleSetting } from "./caller.ts";
import { jsonLiteral } from "./literals.ts";
import { headerDisplayName } from "./names.ts";
import type { Argument, OperationCall } from "./operation-call.ts";

export function queryString(query: Argument[]): string {
  const search = new URLSearchParams();
  for (const { name, value } of query) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * curl's cookie jar, read and written: the session's cookies come from the sign-in (or sign-up,
 * an accepted invitation, single sign-on) and may be rotated by any later answer.
 */
export const COOKIE_JAR = "-b cookies.txt -c cookies.txt";

/**
 * The session's CSRF token, from the jar: the `thrive_csrf` cookie (`__Host-thrive_csrf` over
 * https), its name the 6th field of a Netscape cookie-file line and its value the 7th.
 */
export const CSRF_TOKEN_HEADER = `-H "X-CSRF-Token: $(awk '$6 ~ /thrive_csrf$/ {print $7}' cookies.txt)"`;

const PERSON_COMMENT =
  "# People only (not API keys): the session the sign-in saved in cookies.txt (curl -c).";

/** Whether the call's cookies matter: a person's session, or one the answer starts. */
function keepsCookies(call: OperationCall, setting: SampleSetting): boolean {
  if (setting.caller === "person") return true;
  return (
    setting.caller === "anyone" && (call.answers === "redirect" || call.resultSchema === "Session")
  );
}

export function curlSample(call: OperationCall, setting: SampleSetting): string {
  const url = `${setting.baseUrl}${call.path}${queryString(call.query)}`;
  const options = [
    ...(call.answers === "event-stream" ? ["-N"] : []),
    ...(keepsCookies(call, setting) ? [COOKIE_JAR] : []),
    ...(call.method === "GET" ? [] : [`-X ${call.method}`]),
  ];
  const lines = [["curl", ...options, shellQuote(url)].join(" ")];
  if (setting.caller === "api_key") lines.push(`-H "Authorization: Bearer $THRIVE_API_KEY"`);
  if (setting.caller === "person" && !["GET", "HEAD"].includes(call.method)) {
    lines.push(CSRF_TOKEN_HEADER);
  }
  if (call.body !== undefined) lines.push(`-H 'Content-Type: application/json'`);
  for (const header of call.headers) {
    lines.push(`-H ${shellQuote(`${headerDisplayName(header.name)}: ${String(header.value)}`)}`);
  }
  if (call.body !== undefined) lines.push(`-d ${shellQuote(jsonLiteral(call.body))}`);
  // Not followed: the Location is the answer (where a browser goes next).
  if (call.answers === "redirect") lines.push(`-w '%{redirect_url}\\n'`);
  const command = lines.join(" \\\n  ");
  return setting.caller === "person" ? `${PERSON_COMMENT}\n${command}` : command;
}
