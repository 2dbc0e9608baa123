import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient, signUp, uniqueEmail, waitForToken } from "../../test/console.ts";
import { startTestApi, startTestMail, type TestApi, type TestMail } from "../../test/harness.ts";

let api: TestApi;
let mail: TestMail;
let offsetMs = 0;

beforeAll(async () => {
  api = await startTestApi({}, { clock: () => new Date(Date.now() + offsetMs) });
  mail = await startTestMail(api);
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

const NEW_PASSWORD = "a brand new passphrase";

describe("password reset", () => {
  it("emails a link through the pipeline; the link sets a new password once and ends every session", async () => {
    const { client, email, password } = await signUp(api);
    const asked = await new ConsoleClient(api).call("POST", "/auth/password-reset", {
      json: { email },
    });
    expect(asked.status).toBe(202);
    const token = await waitForToken(mail.catcher, email, "/reset-password");
    const message = mail.catcher.messages.find(
      (m) => m.envelope.to.includes(email) && m.raw.includes("Reset your"),
    );
    expect(message?.raw.toString()).toMatch(
      /^From: "?Thrive-Send"? <no-reply@localhost\.localdomain>$/m,
    );

    const confirmed = await new ConsoleClient(api).call("POST", "/auth/password-reset/confirm", {
      json: { token, password: NEW_PASSWORD },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ object: "password_reset", reset: true });
    // The session that existed before is over.
    expect((await client.call("GET", "/auth/session")).status).toBe(401);
    const signIn = (pw: string) =>
      new ConsoleClient(api).call("POST", "/auth/sign-in", { json: { email, password: pw } });
    expect((await signIn(password)).status).toBe(401);
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);
    // Single use.
    const again = await new ConsoleClient(api).call("POST", "/auth/password-reset/confirm", {
      json: { token, password: "yet another passphrase" },
    });
    expect(again.status).toBe(400);
    expect(again.body.name).toBe("invalid_token");
  });

  it("answers 202 for an unknown email too, and sends nothing", async () => {
    const unknown = uniqueEmail("nobody");
    const response = await new ConsoleClient(api).call("POST", "/auth/password-reset", {
      json: { email: unknown },
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ object: "password_reset", requested: true });
    const rows = await api.database
      .sql`select count(*)::int as n from emails where ${unknown} = any("to")`;
    expect(rows[0]?.n).toBe(0);
  });

  it("refuses an expired link, a made-up one, and a weak password", async () => {
    const { email } = await signUp(api);
    await new ConsoleClient(api).call("POST", "/auth/password-reset", { json: { email } });
    const token = await waitForToken(mail.catcher, email, "/reset-password");
    const weak = await new ConsoleClient(api).call("POST", "/auth/password-reset/confirm", {
      json: { token, password: "short" },
    });
    expect(weak.status).toBe(422);
    const madeUp = await new ConsoleClient(api).call("POST", "/auth/password-reset/confirm", {
      json: { token: "x".repeat(43), password: NEW_PASSWORD },
    });
    expect(madeUp.status).toBe(400);
    offsetMs += 31 * 60_000;
    const expired = await new ConsoleClient(api).call("POST", "/auth/password-reset/confirm", {
      json: { token, password: NEW_PASSWORD },
    });
    expect(expired.status).toBe(400);
    expect(expired.body.name).toBe("invalid_token");
  });

  it("lifts a lockout", async () => {
    const { email } = await signUp(api);
    for (let i = 0; i < 5; i++) {
      await new ConsoleClient(api).call("POST", "/auth/sign-in", {
        json: { email, password: "wrong password!" },
      });
    }
    const locked = await new ConsoleClient(api).call("POST", "/auth/sign-in", {
      json: { email, password: "wrong password!" },
    });
    expect(locked.status).toBe(429);
    await new ConsoleClient(api).call("POST", "/auth/password-reset", { json: { email } });
    const token = await waitForToken(mail.catcher, email, "/reset-password");
    await new ConsoleClient(api).call("POST", "/auth/password-reset/confirm", {
      json: { token, password: NEW_PASSWORD },
    });
    const signedIn = await new ConsoleClient(api).call("POST", "/auth/sign-in", {
      json: { email, password: NEW_PASSWORD },
    });
    expect(signedIn.status).toBe(200);
  });

  it("sends system mail from the system organization, not the customer's", async () => {
    const { email, orgId } = await signUp(api);
    await new ConsoleClient(api).call("POST", "/auth/password-reset", { json: { email } });
    const rows = await api.database.sql<{ org_id: string }[]>`
      select org_id from emails where ${email} = any("to")`;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.org_id !== orgId)).toBe(true);
    expect(new Set(rows.map((row) => row.org_id))).toEqual(
      new Set(["00000000-0000-7000-8000-000000000001"]),
    );
  });
});
