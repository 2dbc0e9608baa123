/**
 * A real OpenID provider for the Python tests (apps/api's test provider, panva's
 * oidc-provider), driven over stdin/stdout, one JSON line each way:
 * `node tests/support/oidc_provider.ts <redirect_uri>` prints
 * `{"issuer", "clientId", "clientSecret"}`, then answers
 * `{"signInAs": {"sub", "email"}}` with `{}` and `{"authorize": "<url>"}` with
 * `{"callback": "<url>"}` (a browser at the provider, signing in as that account). It stops
 * when stdin closes.
 */
import { createInterface } from "node:readline";
import { startOidcProvider } from "../../../../apps/api/src/test/oidc-provider.ts";

// The provider's notices (console.log, console.info) would mix with the answers: to stderr.
console.log = console.info = console.warn = console.error;

const provider = await startOidcProvider(process.argv[2] ?? "");
const { issuer, clientId, clientSecret } = provider;
process.stdout.write(`${JSON.stringify({ issuer, clientId, clientSecret })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as {
    signInAs?: { sub: string; email: string };
    authorize?: string;
  };
  try {
    if (command.signInAs) {
      provider.signInAs(command.signInAs);
      process.stdout.write("{}\n");
    } else {
      const callback = await provider.authorize(command.authorize ?? "");
      process.stdout.write(`${JSON.stringify({ callback: callback.toString() })}\n`);
    }
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
  }
}
await provider.close();
process.exit(0);
