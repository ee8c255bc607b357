import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/plan";

// The committed schema (test/plugin/construct.test.ts checks it is the one inferred from plugin/):
// what a C#, Python or Go team reads in its generated SDK, so every part of it is described.

interface Property {
  readonly description?: string;
  readonly $ref?: string;
  readonly type?: string;
  readonly items?: Property;
  readonly additionalProperties?: Property;
}
interface Schema {
  readonly name: string;
  readonly version: string;
  readonly resources: Record<
    string,
    { description?: string; inputProperties: Record<string, Property>; requiredInputs?: string[]; properties: Record<string, Property> }
  >;
  readonly types: Record<string, { properties: Record<string, Property> }>;
}

const schema = JSON.parse(readFileSync(join(ROOT, "plugin", "schema.json"), "utf8")) as Schema;

/** Every place of the schema that a generated SDK documents, as `where: description`. */
function described(): [string, string | undefined][] {
  const places: [string, string | undefined][] = [];
  for (const [token, resource] of Object.entries(schema.resources)) {
    places.push([token, resource.description]);
    for (const [key, p] of Object.entries(resource.inputProperties)) places.push([`${token} input ${key}`, p.description]);
    for (const [key, p] of Object.entries(resource.properties)) places.push([`${token} output ${key}`, p.description]);
  }
  // A type's own description is not carried: @pulumi/pulumi 3.270's generateSchema drops it.
  for (const [token, type] of Object.entries(schema.types)) {
    for (const [key, p] of Object.entries(type.properties)) places.push([`${token}.${key}`, p.description]);
  }
  return places;
}

describe("plugin/schema.json", () => {
  it("is the package infra at the library's version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect([schema.name, schema.version]).toEqual(["infra", pkg.version]);
  });

  it("describes every component, input, output and field of a type", () => {
    const missing = described().filter(([, description]) => !description?.trim());
    expect(missing.map(([where]) => where)).toEqual([]);
    expect(described().length).toBeGreaterThan(100);
  });

  it("refers only to types it defines", () => {
    const refs = JSON.stringify(schema).match(/"\$ref":"#\/types\/[^"]+"/g) ?? [];
    const undefinedTypes = refs.map((r) => r.slice('"$ref":"#/types/'.length, -1)).filter((t) => !(t in schema.types));
    expect(refs.length).toBeGreaterThan(0);
    expect(undefinedTypes).toEqual([]);
  });

  it("requires what the components cannot do without, and nothing they default", () => {
    expect(schema.resources["infra:index:BlueGreenService"]?.requiredInputs?.sort()).toEqual([
      "cluster",
      "loadBalancer",
      "serviceName",
      "subnetIds",
      "task",
      "vpcId",
    ]);
    expect(schema.resources["infra:index:Vpc"]?.requiredInputs?.sort()).toEqual(["availabilityZones", "cidrBlock"]);
    expect(schema.types["infra:index:TaskSettings"]?.properties).toHaveProperty("container");
  });
});
