/**
 * The gateway could not get its own Partner Center token. The message is for logs; it never holds
 * a secret or a token.
 */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
  constructor(
    /** `refused`: the authority rejected our credentials; `unavailable`: it could not be asked. */
    readonly kind: 'refused' | 'unavailable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
