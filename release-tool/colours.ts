/**
 * The two colours of a blue/green release, in the order a stack starts with them: blue live,
 * green idle. Plain values, named by the library's public types (which must not load the
 * tool's schema library) and by the tool.
 */
export const COLOURS = ["blue", "green"] as const;
export type Colour = (typeof COLOURS)[number];

/** The other colour: the idle one when this one is live. */
export const otherColour = (c: Colour): Colour => (c === "blue" ? "green" : "blue");
