import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors.ts";
import { checkEndpointUrl } from "./endpoint-url.ts";

const DEV_ALLOW = ["127.0.0.0/8"];

function refusal(endpoint: string, allowList: string[] = []): string | undefined {
  try {
    checkEndpointUrl(endpoint, allowList);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details?.[0]?.path).toBe("endpoint");
    return (error as AppError).details?.[0]?.message;
  }
}

describe("checkEndpointUrl", () => {
  it.each([
    "https://example.com/hook",
    "https://hooks.example.com:8443/a?b=c",
    "https://93.184.216.34/hook",
    "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
    // A name's addresses are checked when the worker connects, not here.
    "https://internal.example/hook",
  ])("accepts %s", (endpoint) => {
    expect(refusal(endpoint)).toBeUndefined();
  });

  it.each([
    ["https://127.0.0.1/hook", "loopback"],
    ["https://localhost/hook", "loopback"],
    ["https://api.localhost/hook", "loopback"],
    ["https://10.1.2.3/hook", "private"],
    ["https://192.168.0.10/hook", "private"],
    ["https://169.254.169.254/latest/meta-data", "linkLocal"],
    ["https://[::1]/hook", "loopback"],
    ["https://[::ffff:10.0.0.1]/hook", "private"],
    ["https://[fd00::1]/hook", "uniqueLocal"],
    ["https://0.0.0.0/hook", "unspecified"],
  ])("refuses %s (%s)", (endpoint, reason) => {
    expect(refusal(endpoint)).toContain(reason);
  });

  it("wants https but for the allow-list", () => {
    expect(refusal("http://example.com/hook")).toBe("must be an https URL");
    expect(refusal("http://93.184.216.34/hook")).toBe("must be an https URL");
    expect(refusal("http://127.0.0.1:3000/hook")).toContain("loopback");
    expect(refusal("http://127.0.0.1:3000/hook", DEV_ALLOW)).toBeUndefined();
    expect(refusal("http://localhost:3000/hook", DEV_ALLOW)).toBeUndefined();
    expect(refusal("http://[::ffff:127.0.0.1]:3000/hook", DEV_ALLOW)).toBeUndefined();
    expect(refusal("https://127.0.0.1/hook", DEV_ALLOW)).toBeUndefined();
    // The allow-list lets loopback through, nothing else.
    expect(refusal("http://10.0.0.1/hook", DEV_ALLOW)).toContain("private");
    expect(refusal("http://dev.example/hook", DEV_ALLOW)).toBe("must be an https URL");
  });
});
