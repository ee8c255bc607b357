/**
 * The two colours of a blue/green release, in the order a stack starts with them: blue live,
 * green idle. Plain values, shared by the components and the release tool (which loads no Pulumi).
 */
export const COLOURS = ["blue", "green"] as const;
export type Colour = (typeof COLOURS)[number];

/** The other colour: the idle one when this one is live. */
export const otherColour = (c: Colour): Colour => (c === "blue" ? "green" : "blue");
