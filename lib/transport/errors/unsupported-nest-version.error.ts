/**
 * The installed `@nestjs/microservices` lacks what `ServerRdKafka` needs from Nest's `Server` base class.
 * Raised by `listen()` before anything connects, so the application fails at start instead of consuming
 * records it cannot handle (and committing them).
 * @publicApi
 */
export class UnsupportedNestVersionError extends Error {
  /**
   * @param nestVersion the installed `@nestjs/microservices` version, `unknown` when it cannot be read
   * @param missing the `Server` members that are not there
   */
  constructor(
    readonly nestVersion: string,
    readonly missing: readonly string[],
  ) {
    super(`nest-rdkafka supports @nestjs/microservices 11 and 12; the installed ${nestVersion} has no ${missing.join(', ')} on Server`);
    this.name = 'UnsupportedNestVersionError';
  }
}
