/**
 * A React element, typed structurally so the SDK's types need no @types/react: any JSX
 * element (`<Welcome name="Ada" />`) fits.
 */
export interface ReactEmailElement {
  type: unknown;
  props: unknown;
  key: string | null;
}

/**
 * Renders `react` with @react-email/render, an optional peer dependency imported only when an
 * email has `react`: html always, text (its plain-text rendering) only when none was given.
 */
export async function renderReact(
  element: ReactEmailElement,
  withText: boolean,
): Promise<{ html: string; text: string | undefined }> {
  let render: typeof import("@react-email/render").render;
  try {
    ({ render } = await import("@react-email/render"));
  } catch {
    throw new Error(
      "Rendering `react` needs @react-email/render: install it (or @react-email/components).",
    );
  }
  // biome-ignore lint/suspicious/noExplicitAny: the element is React's; its types stay out of ours.
  const node = element as any;
  const [html, text] = await Promise.all([
    render(node),
    withText ? render(node, { plainText: true }) : undefined,
  ]);
  return { html, text };
}
