/**
 * Script lines of the people part of the collection, which acts as people signed in to the
 * console do: with the session cookie and the X-CSRF-Token header rather than the API key.
 *
 * The session is carried in collection variables, not in Postman's cookie jar: the run changes
 * people (Ada, then Grace, then Ada again), which a jar holding one session per host cannot do,
 * and a jar would send Ada's cookie where Grace accepts her invitation signed out. So those
 * requests disable the jar and send `Cookie: {{session_cookie}}` themselves; each one's test
 * script keeps what the answer's Set-Cookie gives (a new session, a rotated one, none).
 */

const set = (variable: string, expression: string) =>
  `pm.collectionVariables.set("${variable}", ${expression});`;

/**
 * Test lines: {{session_cookie}} and {{csrf_token}} from the answer's cookies. The names have
 * the `__Host-` prefix over https; a cleared cookie (sign-out) has an empty value.
 */
export const KEEP_SESSION_COOKIES = [
  "pm.response.headers.each(function (header) {",
  '  if (header.key.toLowerCase() !== "set-cookie") return;',
  '  const pair = header.value.split(";")[0];',
  '  const name = pair.slice(0, pair.indexOf("=")).replace(/^__Host-/, "");',
  '  const value = pair.slice(pair.indexOf("=") + 1);',
  `  if (name === "thrive_session") ${set("session_cookie", 'value ? pair : ""')}`,
  `  if (name === "thrive_csrf") ${set("csrf_token", "value")}`,
  "});",
];

/** Pre-request lines: `person`'s session becomes the one the requests send. */
export function actAs(person: string, previous: string): string[] {
  return [
    `// ${capitalized(previous)} steps aside (her session is kept); ${capitalized(person)} acts.`,
    set(`${previous}_session_cookie`, 'pm.collectionVariables.get("session_cookie")'),
    set(`${previous}_csrf_token`, 'pm.collectionVariables.get("csrf_token")'),
    set("session_cookie", `pm.collectionVariables.get("${person}_session_cookie")`),
    set("csrf_token", `pm.collectionVariables.get("${person}_csrf_token")`),
  ];
}

/** Pre-request lines: the current session is kept as `person`'s, for `actAs` to come back to. */
export function keepSessionOf(person: string): string[] {
  return [
    set(`${person}_session_cookie`, 'pm.collectionVariables.get("session_cookie")'),
    set(`${person}_csrf_token`, 'pm.collectionVariables.get("csrf_token")'),
  ];
}

const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Pre-request lines: the token of the link last emailed to {{address}} whose URL has `path`,
 * read from the dev inbox of `pnpm dev` (GET /dev/inbox, which the worker's mail reaches within
 * a moment: it is polled for up to 10 seconds). Against a server without it, paste the token of
 * the email into {{variable}}: it is kept when no link is found.
 */
export function emailedToken(variable: string, address: string, path: string): string[] {
  return [
    `// The token of the ${path} link emailed to {{${address}}}, from the dev inbox of \`pnpm dev\`.`,
    `const address = pm.collectionVariables.get("${address}");`,
    "const deadline = Date.now() + 10000;",
    'const inbox = pm.variables.replaceIn("{{base_url}}/dev/inbox");',
    "function lookAt(ids) {",
    "  if (ids.length === 0) {",
    "    if (Date.now() < deadline) setTimeout(lookAgain, 200);",
    "    return;",
    "  }",
    '  pm.sendRequest(inbox + "/" + ids[0], function (error, response) {',
    '    const text = !error && response.code === 200 ? response.json().text || "" : "";',
    `    const link = text.match(/\\/${path}\\?token=([^\\s&"<>]+)/);`,
    `    if (link) ${set(variable, "decodeURIComponent(link[1])")}`,
    "    else lookAt(ids.slice(1));",
    "  });",
    "}",
    "function lookAgain() {",
    "  pm.sendRequest(inbox, function (error, response) {",
    "    if (error || response.code !== 200) return;",
    "    const mine = response.json().data.filter(function (message) {",
    '      return (message.to || "").toLowerCase().indexOf(address.toLowerCase()) !== -1;',
    "    });",
    "    lookAt(",
    "      mine.map(function (message) {",
    "        return message.id;",
    "      }),",
    "    );",
    "  });",
    "}",
    "lookAgain();",
  ];
}

/**
 * Pre-request lines: {{mfa_code}}, the code an authenticator app shows now for {{mfa_secret}}
 * (RFC 6238: HMAC-SHA1 of the 30-second time step, 6 digits), with the sandbox's CryptoJS.
 */
export const MFA_CODE = [
  "// The code an authenticator app shows now for {{mfa_secret}} (RFC 6238 TOTP).",
  'const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";',
  'let bits = "";',
  'for (const char of pm.collectionVariables.get("mfa_secret").toUpperCase().replace(/=+$/, "")) {',
  '  bits += alphabet.indexOf(char).toString(2).padStart(5, "0");',
  "}",
  "const key = CryptoJS.lib.WordArray.create([], 0);",
  "for (let i = 0; i + 8 <= bits.length; i += 8) {",
  "  key.concat(CryptoJS.lib.WordArray.create([parseInt(bits.slice(i, i + 8), 2) << 24], 1));",
  "}",
  "const step = Math.floor(Date.now() / 30000);",
  "const counter = CryptoJS.lib.WordArray.create([Math.floor(step / 4294967296), step >>> 0], 8);",
  "const mac = CryptoJS.HmacSHA1(counter, key).toString();",
  "const offset = parseInt(mac.slice(-1), 16);",
  "const number = parseInt(mac.slice(offset * 2, offset * 2 + 8), 16) & 0x7fffffff;",
  `${set("mfa_code", 'String(number % 1000000).padStart(6, "0")')}`,
];

/**
 * Pre-request lines: a second person is invited ({{revoked_email}}), and {{invitation_id}} is
 * that invitation, for the request to revoke.
 */
export const INVITE_SOMEONE_TO_REVOKE = [
  "// Someone else is invited first: this request revokes that invitation.",
  'const email = "postman-" + Date.now() + "-revoked@example.com";',
  set("revoked_email", "email"),
  "pm.sendRequest(",
  "  {",
  '    url: pm.variables.replaceIn("{{base_url}}/invitations"),',
  '    method: "POST",',
  "    header: {",
  '      "Content-Type": "application/json",',
  '      Cookie: pm.collectionVariables.get("session_cookie"),',
  '      "X-CSRF-Token": pm.collectionVariables.get("csrf_token"),',
  "    },",
  '    body: { mode: "raw", raw: JSON.stringify({ email: email, role: "analyst" }) },',
  "  },",
  "  function (error, response) {",
  `    if (!error && response.code === 201) ${set("invitation_id", "response.json().id")}`,
  "  },",
  ");",
];

/** Test lines: the ids of Ada's and Grace's memberships, from GET /members. */
export const STORE_MEMBER_IDS = [
  "if (pm.response.code === 200) {",
  "  const members = pm.response.json().data;",
  "  const idOf = function (variable) {",
  "    const email = pm.collectionVariables.get(variable).toLowerCase();",
  "    const member = members.find(function (candidate) {",
  "      return candidate.email === email;",
  "    });",
  '    return member ? member.id : "";',
  "  };",
  `  ${set("ada_member_id", 'idOf("ada_email")')}`,
  `  ${set("grace_member_id", 'idOf("grace_email")')}`,
  "}",
];
