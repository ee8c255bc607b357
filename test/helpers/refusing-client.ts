/** The error AWS's SDK throws for a throttled call (its retries spent). */
export const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: {} });

/**
 * An AWS SDK client as it is, but for the commands `refuses` picks: they fail the way a throttled
 * call does. Every other command goes to the client.
 */
export function refusing<C extends { send: (command: never) => Promise<unknown> }>(client: C, refuses: (command: unknown) => boolean): C {
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  return Object.assign(Object.create(client) as C, { send: (command: unknown) => (refuses(command) ? Promise.reject(throttled()) : send(command)) });
}
