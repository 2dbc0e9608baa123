import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SafeFetchError } from "../lib/safe-fetch-error.ts";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";
import {
  type FetchAttachmentOptions,
  fetchAttachment,
  filenameFromUrl,
  sanitizeFilename,
} from "./fetch-attachment.ts";

const PDF = Buffer.from("%PDF-1.7 not really");
const ALLOW = { allowList: ["127.0.0.0/8"], timeoutMs: 2000 };

let server: TestHttpServer;

beforeAll(async () => {
  server = await startHttpServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    const disposition = url.searchParams.get("cd");
    if (url.pathname.startsWith("/go/")) {
      // /go/3/files/x.pdf redirects 3 times before reaching /files/x.pdf.
      const [, , count, ...rest] = url.pathname.split("/");
      const left = Number(count) - 1;
      const next = left > 0 ? `/go/${left}/${rest.join("/")}` : `/${rest.join("/")}`;
      response.writeHead(302, { location: next + url.search });
      response.end();
      return;
    }
    if (url.pathname === "/to") {
      response.writeHead(301, { location: url.searchParams.get("url") ?? "/" });
      response.end();
      return;
    }
    if (url.pathname === "/missing.pdf") {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
      return;
    }
    response.writeHead(200, {
      "content-type": "application/pdf",
      ...(disposition ? { "content-disposition": disposition } : {}),
    });
    response.end(PDF);
  });
});

afterAll(() => server.close());

async function failure(url: string, options: FetchAttachmentOptions): Promise<SafeFetchError> {
  const error = await fetchAttachment(url, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SafeFetchError);
  return error as SafeFetchError;
}

describe("fetchAttachment", () => {
  it("answers the content, its type and the file name from the URL", async () => {
    const attachment = await fetchAttachment(`${server.origin}/files/Q3%20report.pdf`, ALLOW);
    expect(attachment).toEqual({
      content: PDF,
      contentType: "application/pdf",
      filename: "Q3 report.pdf",
    });
  });

  it("prefers the file name of Content-Disposition, RFC 8187 form included", async () => {
    const plain = encodeURIComponent('attachment; filename="invoice 7.pdf"');
    const extended = encodeURIComponent(
      "attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf; filename=\"rates.pdf\"",
    );
    const first = await fetchAttachment(`${server.origin}/download?cd=${plain}`, ALLOW);
    expect(first.filename).toBe("invoice 7.pdf");
    const second = await fetchAttachment(`${server.origin}/download?cd=${extended}`, ALLOW);
    expect(second.filename).toBe("€ rates.pdf");
  });

  it("keeps only the last component of a file name with a path", async () => {
    const traversal = encodeURIComponent('attachment; filename="../../etc/passwd"');
    const attachment = await fetchAttachment(`${server.origin}/x.bin?cd=${traversal}`, ALLOW);
    expect(attachment.filename).toBe("passwd");
  });

  it("falls back to the URL when Content-Disposition has no usable name", async () => {
    const noName = encodeURIComponent("inline");
    const attachment = await fetchAttachment(`${server.origin}/files/a.pdf?cd=${noName}`, ALLOW);
    expect(attachment.filename).toBe("a.pdf");
    const onlyDots = encodeURIComponent('attachment; filename=".."');
    const dots = await fetchAttachment(`${server.origin}/files/b.pdf?cd=${onlyDots}`, ALLOW);
    expect(dots.filename).toBe("b.pdf");
  });

  it("has no file name when neither gives one", async () => {
    const attachment = await fetchAttachment(`${server.origin}/files/`, ALLOW);
    expect(attachment.filename).toBeNull();
  });

  it("follows up to 3 redirects, and names the file after the URL that answered", async () => {
    const attachment = await fetchAttachment(`${server.origin}/go/3/files/final.pdf`, ALLOW);
    expect(attachment.filename).toBe("final.pdf");
    expect(attachment.content).toEqual(PDF);
  });

  it("refuses a fourth redirect", async () => {
    const error = await failure(`${server.origin}/go/4/files/final.pdf`, ALLOW);
    expect(error.code).toBe("too_many_redirects");
  });

  it("refuses a redirect to a refused address", async () => {
    const to = encodeURIComponent("http://169.254.169.254/latest/meta-data/iam");
    const error = await failure(`${server.origin}/to?url=${to}`, ALLOW);
    expect(error.code).toBe("blocked_address");
  });

  it("refuses loopback without an allow-list", async () => {
    const error = await failure(`${server.origin}/files/a.pdf`, { timeoutMs: 2000 });
    expect(error.code).toBe("blocked_address");
  });

  it("answers http_status, with the status, for a non-2xx answer", async () => {
    const error = await failure(`${server.origin}/missing.pdf`, ALLOW);
    expect(error.code).toBe("http_status");
    expect(error.status).toBe(404);
    expect(error.message).toBe("The URL answered with HTTP status 404");
  });

  it("refuses an attachment larger than maxBytes", async () => {
    const error = await failure(`${server.origin}/files/a.pdf`, {
      ...ALLOW,
      maxBytes: PDF.length - 1,
    });
    expect(error.code).toBe("too_large");
  });

  it("refuses what is not an http(s) URL", async () => {
    const error = await failure("file:///etc/passwd", ALLOW);
    expect(error.code).toBe("invalid_url");
  });
});

describe("sanitizeFilename", () => {
  it.each([
    ["report.pdf", "report.pdf"],
    ["  spaced.pdf  ", "spaced.pdf"],
    ["dir/sub/file.txt", "file.txt"],
    ["C:\\Users\\me\\file.txt", "file.txt"],
    ["bell\u0007and\nnewline\r.txt", "bellandnewline.txt"],
    ["nul\u0000.txt", "nul.txt"],
    ["invoice\u202Efdp.exe", "invoicefdp.exe"],
    ["\u0085next-line.txt", "next-line.txt"],
    ["rés umé.pdf", "rés umé.pdf"],
    ["..", null],
    [".", null],
    ["dir/", null],
    ["\u0001\u0002", null],
    ["", null],
  ])("%j becomes %j", (input, output) => {
    expect(sanitizeFilename(input)).toBe(output);
  });

  it("cuts a name to 255 characters without splitting one", () => {
    const name = sanitizeFilename("😀".repeat(300));
    expect(Array.from(name ?? "")).toHaveLength(255);
    expect(name?.endsWith("😀")).toBe(true);
  });
});

describe("filenameFromUrl", () => {
  it("decodes the last segment of the path, ignoring query and fragment", () => {
    expect(filenameFromUrl("https://cdn.example.com/a/b/My%20File.pdf?sig=1#x")).toBe(
      "My File.pdf",
    );
    expect(filenameFromUrl("https://example.com/a/..%2F..%2Fsecret")).toBe("secret");
    expect(filenameFromUrl("https://example.com/bad%E0%A4%A.txt")).toBe("bad%E0%A4%A.txt");
    expect(filenameFromUrl("https://example.com/")).toBeNull();
  });
});
