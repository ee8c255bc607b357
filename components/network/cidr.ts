/**
 * IPv4 CIDR arithmetic and the subnet layout of a {@link Vpc}: pure functions, no Pulumi.
 *
 * Layout (documented in components/network/README.md): the VPC is cut in two halves. The first
 * half holds the private subnets (large: every Fargate task takes an IP); the second half holds
 * the public subnets, then the isolated subnets, each a quarter of a private subnet's size.
 * Room is reserved for 4 AZs (8 above 4), so adding an AZ never moves an existing subnet.
 */

/** A parsed IPv4 CIDR block. `base` is the network address as an unsigned 32-bit integer. */
export interface Ipv4Cidr {
  readonly base: number;
  readonly prefix: number;
}

/** The three subnets of one availability zone. */
export interface AzSubnets {
  readonly availabilityZone: string;
  readonly public: string;
  readonly private: string;
  readonly isolated: string;
}

/** AWS accepts VPC (and subnet) prefixes from /16 to /28. */
export const AWS_MIN_PREFIX = 16;
export const AWS_MAX_PREFIX = 28;
/** The most AZs a region offers today is 6; a layout reserves room for at most 8. */
export const MAX_AZS = 6;

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/p`; returns undefined when the text is not an IPv4 CIDR. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const match = IPV4_CIDR.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const [a, b, c, d] = octets as [number, number, number, number];
  return { base: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0, prefix };
}

/** Formats a CIDR block back to `a.b.c.d/p`. */
export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const b = cidr.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

/** Number of addresses in a block of this prefix. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The network address of `cidr` with its host bits cleared. */
export function networkOf(cidr: Ipv4Cidr): Ipv4Cidr {
  const size = blockSize(cidr.prefix);
  return { base: cidr.base - (cidr.base % size), prefix: cidr.prefix };
}

/** True when block `inner` lies entirely inside block `outer`. */
export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + blockSize(inner.prefix) <= outer.base + blockSize(outer.prefix);
}

/** True when two blocks share at least one address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

/**
 * Why `text` cannot be a VPC CIDR block, or undefined when it can.
 * The returned phrase follows the quoted value, e.g. `"10.0.0.0/33" is not an IPv4 CIDR`.
 */
export function vpcCidrProblem(text: string): string | undefined {
  const cidr = parseIpv4Cidr(text);
  if (!cidr) return `${JSON.stringify(text)} is not an IPv4 CIDR`;
  if (cidr.prefix < AWS_MIN_PREFIX || cidr.prefix > AWS_MAX_PREFIX) {
    return `${JSON.stringify(text)} has prefix /${cidr.prefix}; AWS allows /${AWS_MIN_PREFIX} to /${AWS_MAX_PREFIX} for a VPC`;
  }
  const network = networkOf(cidr);
  if (network.base !== cidr.base) {
    return `${JSON.stringify(text)} has host bits set; the network address is "${formatIpv4Cidr(network)}"`;
  }
  return undefined;
}

/** Bits of AZ room a layout reserves: 4 AZs (2 bits) up to 4, else 8 (3 bits). */
function slotBits(azCount: number): number {
  return azCount <= 4 ? 2 : 3;
}

/**
 * Why a VPC of this CIDR cannot hold this many AZs, or undefined when it can.
 * Assumes `vpcCidrProblem(cidrText)` is undefined.
 */
export function layoutProblem(cidrText: string, azCount: number): string | undefined {
  if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZS) {
    return `${azCount} AZs is not supported; use 1 to ${MAX_AZS}`;
  }
  const vpc = parseIpv4Cidr(cidrText);
  if (!vpc) return `${JSON.stringify(cidrText)} is not an IPv4 CIDR`;
  const smallest = vpc.prefix + 3 + slotBits(azCount);
  if (smallest > AWS_MAX_PREFIX) {
    const largest = AWS_MAX_PREFIX - 3 - slotBits(azCount);
    return (
      `a /${vpc.prefix} VPC is too small for ${azCount} AZ${azCount === 1 ? "" : "s"}: public and isolated subnets would be ` +
      `/${smallest}, AWS's smallest subnet is /${AWS_MAX_PREFIX}; use a /${largest} or larger VPC`
    );
  }
  return undefined;
}

/**
 * Computes the public, private and isolated subnet of each AZ, in the order of `availabilityZones`.
 * Throws with {@link layoutProblem}'s message when the VPC cannot hold them.
 */
export function planSubnets(cidrText: string, availabilityZones: readonly string[]): AzSubnets[] {
  const problem = vpcCidrProblem(cidrText) ?? layoutProblem(cidrText, availabilityZones.length);
  if (problem) throw new Error(`cannot lay out subnets: ${problem}`);
  const vpc = parseIpv4Cidr(cidrText) as Ipv4Cidr;
  const bits = slotBits(availabilityZones.length);
  const slots = 2 ** bits;
  const privatePrefix = vpc.prefix + 1 + bits;
  const smallPrefix = vpc.prefix + 3 + bits;
  const secondHalf = vpc.base + blockSize(vpc.prefix + 1);
  const isolatedStart = secondHalf + slots * blockSize(smallPrefix);
  const at = (base: number, prefix: number) => formatIpv4Cidr({ base, prefix });
  return availabilityZones.map((availabilityZone, i) => ({
    availabilityZone,
    private: at(vpc.base + i * blockSize(privatePrefix), privatePrefix),
    public: at(secondHalf + i * blockSize(smallPrefix), smallPrefix),
    isolated: at(isolatedStart + i * blockSize(smallPrefix), smallPrefix),
  }));
}
