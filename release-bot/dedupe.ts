import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { SlashCommand } from "./slack";

/**
 * One run per request: a command is claimed in DynamoDB before anything starts, with a condition
 * that only one claim of it can pass. A delivery Slack retries carries the same trigger id; a
 * second submit of the same words by the same person is another trigger within the window. Both
 * meet the first claim and start nothing.
 */

/** How long the same words from the same person count as one request. */
export const SAME_REQUEST_SECONDS = 60;

export type Claim = { readonly first: true } | { readonly first: false; readonly retry: boolean; readonly at: string };

/** Claims a command: `first` when nobody claimed the same words of this person in the window. */
export async function claimOnce(dynamodb: DynamoDBClient, table: string, request: SlashCommand, nowSeconds: number): Promise<Claim> {
  const words = request.text.trim().split(/\s+/).join(" ");
  const pk = `${request.teamId}/${request.userId}/${words}`;
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: pk },
          triggerId: { S: request.triggerId },
          at: { N: String(nowSeconds) },
          // The table's TTL attribute: DynamoDB deletes the claim some time after; the condition does not wait for it.
          expiresAt: { N: String(nowSeconds + SAME_REQUEST_SECONDS) },
        },
        ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
        ExpressionAttributeValues: { ":now": { N: String(nowSeconds) } },
      }),
    );
    return { first: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The claim that won: a read after the refusal (it stays in the window, so it is still there).
    const old = (await dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item ?? {};
    return { first: false, retry: old.triggerId?.S === request.triggerId, at: new Date(Number(old.at?.N ?? nowSeconds) * 1000).toISOString() };
  }
}
