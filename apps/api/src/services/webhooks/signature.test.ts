import { randomBytes } from "node:crypto";
import { Webhook } from "svix";
import { describe, expect, it } from "vitest";
import { SecretBox } from "../../lib/secrets.ts";
import { webhookMessageId } from "./message-id.ts";
import { signedHeaders, WebhookSigner } from "./signature.ts";

const box = new SecretBox(randomBytes(32));
const secret = () => `whsec_${randomBytes(24).toString("base64")}`;

describe("webhook signatures", () => {
  it("are what svix's verifier accepts, under both header names", () => {
    const key = secret();
    const body = JSON.stringify({ type: "email.delivered", data: { email_id: "1" } });
    const headers = signedHeaders("msg_1", new Date(), body, [new Webhook(key)]);
    expect(new Webhook(key).verify(body, headers)).toBeUndefined();
    // Only the svix-* names, as older receivers read them.
    const svixOnly = Object.fromEntries(
      Object.entries(headers).filter(([name]) => name.startsWith("svix-")),
    );
    expect(new Webhook(key).verify(body, svixOnly)).toBeUndefined();
    expect(() => new Webhook(key).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(secret()).verify(body, headers)).toThrow(/No matching signature/);
  });

  it("carry both secrets' signatures while the previous one lasts", () => {
    const signer = new WebhookSigner(box);
    const [current, previous] = [secret(), secret()];
    const now = new Date();
    const secrets = {
      secret: box.seal(current),
      previousSecret: box.seal(previous),
      previousSecretExpiresAt: new Date(now.getTime() + 60_000),
    };
    const body = "{}";
    const during = signer.headers({ messageId: "msg_2", timestamp: now, body, secrets, now });
    const parts = during["webhook-signature"]?.split(" ") ?? [];
    expect(parts).toHaveLength(2);
    expect(parts.every((part) => part.startsWith("v1,"))).toBe(true);
    expect(parts[0]).toBe(new Webhook(current).sign("msg_2", now, body));
    expect(new Webhook(current).verify(body, during)).toBeUndefined();
    expect(new Webhook(previous).verify(body, during)).toBeUndefined();

    const later = new Date(now.getTime() + 61_000);
    const after = signer.headers({
      messageId: "msg_2",
      timestamp: later,
      body,
      secrets,
      now: later,
    });
    expect(after["webhook-signature"]?.split(" ")).toHaveLength(1);
  });

  it("use the event's id as the message id", () => {
    expect(webhookMessageId("019abd1e-5c3a-7f2b-8d4e-6a1b2c3d4e5f")).toBe(
      "msg_019abd1e5c3a7f2b8d4e6a1b2c3d4e5f",
    );
  });
});
