/**
 * A response body pulled from an async generator of text: the next piece is produced only when
 * the HTTP layer asks for more (after the socket drained), so a slow client slows the
 * producer instead of filling memory, and a client that goes away stops it (return()). A
 * client that stops reading for `stallMs` is given up on, so that what the producer holds
 * (a database cursor, its connection) is released.
 */
export function textStream(
  pieces: AsyncGenerator<string>,
  options: { stallMs: number; onError: (error: unknown) => void },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stallTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    clearTimeout(stallTimer);
    pieces.return(undefined).catch(() => {});
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        clearTimeout(stallTimer);
        try {
          const { value, done } = await pieces.next();
          if (done) {
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(value));
          stallTimer = setTimeout(() => {
            stop();
            controller.error(new Error(`the client read nothing for ${options.stallMs} ms`));
          }, options.stallMs);
          stallTimer.unref();
        } catch (error) {
          options.onError(error);
          stop();
          // Headers are gone: erroring the body cuts the response short, which the client sees.
          controller.error(error);
        }
      },
      cancel: stop,
    },
    // Nothing produced ahead of what the socket takes.
    { highWaterMark: 0 },
  );
}
