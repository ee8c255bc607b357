/**
 * Errors of the release tool. Each ends as one line on the terminal, with no stack trace: what
 * happened, and what to run or check next.
 */

/** A refusal or a failure the operator acts on; its message is the whole story. */
export class ReleaseError extends Error {
  override readonly name = "ReleaseError";

  /** @param notified the channel has already heard of this failure (no second notification). */
  constructor(
    message: string,
    readonly notified = false,
  ) {
    super(message);
  }
}

/** AWS's error names that mean the caller's credentials, not the request. */
const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "TokenRefreshRequired",
]);

/** What to check for each kind of AWS error. */
function hint(name: string, region: string): string {
  if (CREDENTIAL_ERRORS.has(name))
    return `check your AWS credentials for the stack's account in ${region}: AWS_PROFILE, or aws sso login, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY`;
  if (name === "AccessDeniedException" || name === "AccessDenied" || name === "UnauthorizedOperation")
    return `your role may not do this in ${region}: check its IAM permissions, and that AWS_PROFILE is the stack's account`;
  if (name.endsWith("NotFoundException") || name.endsWith("DoesNotExistException") || name === "ResourceNotFoundException")
    return `check that the stack has been applied (pulumi up) in this account and ${region}`;
  if (name === "ThrottlingException" || name === "TooManyRequestsException" || name === "Throttling")
    return "AWS is throttling this account; the SDK already retried: wait a minute and run it again";
  return `check the stack's account and region (${region}), and AWS_ENDPOINT_URL if you set it`;
}

/**
 * An AWS SDK error as one line: the operation, AWS's error name and message, what to check.
 * Anything that is not an AWS error (a bug) is returned as it is.
 */
export function awsErrorLine(operation: string, error: unknown, region: string): unknown {
  if (!(error instanceof Error) || error instanceof ReleaseError) return error;
  const sdk = error as Error & { $metadata?: unknown; $fault?: unknown };
  const isAws = sdk.$metadata !== undefined || sdk.$fault !== undefined || CREDENTIAL_ERRORS.has(error.name);
  if (!isAws) return error;
  const message = error.message.split("\n")[0]?.trim() ?? "";
  return new ReleaseError(`${operation} failed: ${error.name}: ${message} (${hint(error.name, region)})`);
}

/** Runs one AWS call, turning its error into one line. */
export async function aws<T>(operation: string, region: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsErrorLine(operation, error, region);
  }
}
