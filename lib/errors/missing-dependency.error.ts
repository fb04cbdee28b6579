/**
 * An optional peer package a feature needs is not installed. Thrown where the feature is used (never
 * `process.exit`, unlike Nest's `loadPackage`), so an application that does not use the feature is unaffected.
 * @publicApi
 */
export class MissingDependencyError extends Error {
  /**
   * @param packageName the npm package that is missing, e.g. `@nestjs/terminus`
   * @param feature what needed it, e.g. `RdKafkaHealthIndicator`
   * @param cause the import failure
   */
  constructor(
    readonly packageName: string,
    readonly feature: string,
    cause?: unknown,
  ) {
    super(`${feature} needs the optional package "${packageName}": npm install ${packageName}`, { cause });
    this.name = 'MissingDependencyError';
  }
}
