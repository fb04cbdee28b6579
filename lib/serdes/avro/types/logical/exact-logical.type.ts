import avsc from 'avsc';

/** A decoding function avsc calls with the writer's value. */
export type FromWriter = (value: unknown) => unknown;

/**
 * Base of our logical types: each maps an Avro value to one JavaScript type and back without loss, refusing
 * (`_toValue` returns undefined, so avsc reports the value invalid) what it cannot write exactly.
 * @internal
 */
export abstract class ExactLogicalType extends avsc.types.LogicalType {
  /** What a writable value looks like; serialization errors quote it. */
  abstract get expectation(): string;

  /**
   * Reads data written with the same logical type (already converted by the writer type: passed through) or
   * with its bare underlying type (converted here). Anything else cannot be resolved.
   */
  protected override _resolve(writer: avsc.Type): FromWriter | undefined {
    if (this.sameAs(writer)) return (value) => value;
    if (writer.typeName === this.underlyingType.typeName) return (value) => this._fromValue(value);
    return undefined;
  }

  /** Whether the writer is this logical type with the same parameters. */
  protected sameAs(writer: avsc.Type): boolean {
    return writer.typeName === this.typeName;
  }
}
