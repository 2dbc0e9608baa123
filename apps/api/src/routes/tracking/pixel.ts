/** A transparent 1×1 GIF: what an open-tracking image answers, whatever the token. */
export const TRANSPARENT_GIF = Buffer.from(
  "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
  "base64",
);

/** Tracking answers must reach the server every time: no cache may answer for it. */
export const NO_STORE = {
  "cache-control": "no-store, no-cache, must-revalidate, private, max-age=0",
  pragma: "no-cache",
  expires: "0",
} as const;
