// What turns a multi-language input into the library's own args: the schema can only carry plain
// strings where the library has string-literal types, and the library checks each of those
// against its list with the message it gives a TypeScript caller; so the value is passed on as is.

/** A string the component checks against its own list of allowed values. */
export function checkedByComponent<T extends string>(value: string): T;
export function checkedByComponent<T extends string>(value: string | undefined): T | undefined;
export function checkedByComponent<T extends string>(value: string | undefined): T | undefined {
  return value as T | undefined;
}
