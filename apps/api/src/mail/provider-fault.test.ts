import { describe, expect, it } from "vitest";
import { isProviderFault, replyIsProviderFault } from "./provider-fault.ts";
import { classifyReply } from "./smtp-reply.ts";
import { TransportError } from "./transport.ts";

describe("replyIsProviderFault", () => {
  it.each([
    "421 4.3.2 Service not available, closing transmission channel",
    "421 Too many connections",
    "451 4.3.0 Temporary lookup failure",
    "452 4.3.1 Insufficient system storage",
    "451 4.4.1 No answer from host",
    "454 4.7.0 TLS not available due to local problem",
    "450 4.7.0 Too many messages, slow down",
    "530 5.7.0 Authentication required",
    "535 5.7.8 Authentication credentials invalid",
    "534 5.7.9 Authentication mechanism is too weak",
  ])("the provider's: %s", (response) => {
    expect(replyIsProviderFault(classifyReply(response))).toBe(true);
  });

  it.each([
    "550 5.1.1 No such user",
    "552 5.2.2 Mailbox full",
    "450 4.2.1 Mailbox temporarily disabled",
    "451 4.7.1 Greylisted, try again later",
    "550 5.7.1 Message rejected as spam",
    "552 5.3.4 Message too big",
    "554 5.6.0 Content rejected",
    "550 User unknown",
    "451 Try again later",
  ])("the recipient's or the message's: %s", (response) => {
    expect(replyIsProviderFault(classifyReply(response))).toBe(false);
  });
});

describe("isProviderFault", () => {
  const soft = classifyReply("451 4.3.0 Temporary lookup failure");
  const unknownUser = classifyReply("550 5.1.1 No such user");

  it("takes the transport's flag for failures without a reply", () => {
    const dropped = classifyReply("");
    expect(isProviderFault(new TransportError("ECONNECTION", dropped))).toBe(false);
    expect(
      isProviderFault(new TransportError("ECONNECTION", dropped, [], { providerFault: true })),
    ).toBe(true);
  });

  it("counts a refusal at RCPT TO as the provider's only when every recipient's reply is", () => {
    const allSoft = [
      { recipient: "a@example.com", reply: soft },
      { recipient: "b@example.com", reply: soft },
    ];
    expect(isProviderFault(new TransportError("x", soft, allSoft))).toBe(true);
    const mixed = [
      allSoft[0] as (typeof allSoft)[0],
      { recipient: "c@example.com", reply: unknownUser },
    ];
    expect(isProviderFault(new TransportError("x", soft, mixed))).toBe(false);
  });

  it("never blames the provider for an error that is not a TransportError", () => {
    expect(isProviderFault(new Error("attachment 0 has no content"))).toBe(false);
  });
});
