import type { ExactLogicalTypeClass } from './exact-logical.type.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Our `uuid` logical type, defined on first use on the base from `defineExactLogicalType`.
 * @internal
 */
export function defineUuidType(Base: ExactLogicalTypeClass) {
  /** `uuid` (string): the string as written; writing refuses what is not a UUID's text form. @internal */
  class UuidType extends Base {
    get expectation(): string {
      return 'a UUID string (8-4-4-4-12 hex digits)';
    }
    override _fromValue(text: string): string {
      return text;
    }
    override _toValue(value: unknown): string | undefined {
      return typeof value === 'string' && UUID.test(value) ? value : undefined;
    }
  }
  return UuidType;
}
