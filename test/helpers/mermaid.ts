import { JSDOM } from "jsdom";

/** Mermaid's own parser, in Node with a jsdom window (what GitHub renders the picture with). */
export async function mermaidParse(source: string): Promise<unknown> {
  const dom = new JSDOM("<!doctype html><html><body></body></html>");
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const mermaid = (await import("mermaid")).default;
  return mermaid.parse(source);
}
