import type avsc from 'avsc';
import type { Avsc } from '../../load-avsc.js';

/** A decoding function avsc calls with the writer's value. */
export type FromWriter = (value: unknown) => unknown;

/**
 * Base of our logical types: each maps an Avro value to one JavaScript type and back without loss, refusing
 * (`_toValue` returns undefined, so avsc reports the value invalid) what it cannot write exactly. Defined on
 * first use, as avsc is: its members are public because the class's type is inferred from this function.
 * @param runtime the loaded avsc
 * @internal
 */
export function defineExactLogicalType(runtime: Avsc) {
  abstract class ExactLogicalType extends runtime.types.LogicalType {
    /** What a writable value looks like; serialization errors quote it. */
    abstract get expectation(): string;

    /** The JavaScript value of an Avro value. */
    abstract override _fromValue(value: unknown): unknown;

    /** The Avro value of a JavaScript value; undefined when it cannot be written exactly. */
    abstract override _toValue(value: unknown): unknown;

    /** The logical type's own schema attributes (avsc's hook, public here for the reason above). */
    override _export(attrs: avsc.Schema): void {
      super._export(attrs);
    }

    /**
     * Reads data written with the same logical type (already converted by the writer type: passed through) or
     * with its bare underlying type (converted here). Anything else cannot be resolved.
     */
    override _resolve(writer: avsc.Type): FromWriter | undefined {
      if (this.sameAs(writer)) return (value) => value;
      if (writer.typeName === this.underlyingType.typeName) return (value) => this._fromValue(value);
      return undefined;
    }

    /** Whether the writer is this logical type with the same parameters. */
    sameAs(writer: avsc.Type): boolean {
      return writer.typeName === this.typeName;
    }
  }
  return ExactLogicalType;
}

/** The class `defineExactLogicalType` returns. @internal */
export type ExactLogicalTypeClass = ReturnType<typeof defineExactLogicalType>;
