import { describe, expect, it } from "vitest";
import { EMAIL_EVENT_TYPES } from "../../db/schema/index.ts";
import { ORG_EVENT_TYPES } from "../events/record-event.ts";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE } from "./event-types.ts";

describe("the webhook event catalog", () => {
  it("names only events that are recorded, so each one can be received", () => {
    for (const type of WEBHOOK_EVENT_TYPES) {
      if (type.startsWith("email.")) {
        expect(EMAIL_EVENT_TYPES, type).toContain(type.slice("email.".length));
      } else {
        expect(ORG_EVENT_TYPES, type).toContain(type);
      }
    }
    expect(new Set(WEBHOOK_EVENT_TYPES).size).toBe(WEBHOOK_EVENT_TYPES.length);
  });

  it("has every organization event, and not the test event nobody may subscribe to", () => {
    for (const type of ORG_EVENT_TYPES) expect(WEBHOOK_EVENT_TYPES).toContain(type);
    expect(WEBHOOK_EVENT_TYPES).not.toContain(WEBHOOK_TEST_EVENT_TYPE);
    expect(WEBHOOK_EVENT_TYPES).not.toContain("email.queued");
  });
});
