/**
 * Container image references. A release is a new task definition revision, so an image must
 * name one version for good: a tag that is not `latest`, or a digest. A tag that moves
 * (`latest`, or none, which means `latest`) would never register a new revision when it moves.
 */

/** `[registry[:port]/]repository[:tag][@sha256:digest]`, as Docker reads a reference. */
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REFERENCE = new RegExp(
  // A port belongs to a registry host, which is followed by a path: `host:5000/repo`, never `repo:5000`.
  `^(?<name>(?:[a-zA-Z0-9.-]+:\\d+/)?${COMPONENT}(?:/${COMPONENT})*)(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$`,
);

/** A parsed image reference. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The parts of an image reference, or undefined when it is not one. */
export function parseImage(image: string): ImageReference | undefined {
  const groups = REFERENCE.exec(image)?.groups;
  if (!groups?.name) return undefined;
  return { repository: groups.name, ...(groups.tag ? { tag: groups.tag } : {}), ...(groups.digest ? { digest: groups.digest } : {}) };
}

/** Why an image reference cannot be released, or undefined when it names one version for good. */
export function immutableImageProblem(image: string): string | undefined {
  const ref = parseImage(image);
  if (!ref) return `"${image}" is not an image reference (registry/repository:tag or repository@sha256:digest)`;
  if (ref.digest) return undefined;
  if (!ref.tag) return `"${image}" has no tag, which means latest: name one version (${ref.repository}:2026.11.20-1) or a digest (@sha256:...)`;
  if (ref.tag === "latest") return `"${image}" moves with every push: name one version (${ref.repository}:2026.11.20-1) or a digest (@sha256:...)`;
  return undefined;
}
