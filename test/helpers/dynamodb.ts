import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

/**
 * DynamoDB's API in memory (dynalite): condition expressions, key schemas and errors as the real
 * service has them, so a missing condition shows as an overwrite, not as a refusal the double
 * made up. Reached like any endpoint: `endpoint` for a client, AWS_ENDPOINT_URL for a process.
 */
export async function startDynamoDb(): Promise<{
  endpoint: string;
  client: DynamoDBClient;
  createTable: (name: string) => Promise<void>;
  stop: () => Promise<void>;
}> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: "ap-northeast-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  return {
    endpoint,
    client,
    createTable: async (name) => {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
      for (;;) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === "ACTIVE") return;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
