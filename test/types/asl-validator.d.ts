// asl-validator ships no types: the one function the tests call.
declare module "asl-validator" {
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: { message?: string; path?: string }[]; errorsText: (separator?: string) => string };
  export = aslValidator;
}
