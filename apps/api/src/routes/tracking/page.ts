import { html } from "hono/html";

/**
 * A small self-contained page (no external assets) for people who follow tracking or
 * unsubscribe links. `body` may be a string (escaped) or html`` markup.
 */
export function page(title: string, body: unknown) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f7f9;color:#1f2328;margin:0}
main{max-width:28rem;margin:12vh auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.25rem;margin:0 0 1rem}
button{font:inherit;background:#1f2328;color:#fff;border:0;border-radius:8px;padding:.6rem 1.2rem;cursor:pointer}
</style>
</head>
<body><main><h1>${title}</h1>${body}</main></body>
</html>`;
}
