import { ExactLogicalType } from './exact-logical.type.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `uuid` (string): the string as written; writing refuses what is not a UUID's text form. @internal */
export class UuidType extends ExactLogicalType {
  get expectation(): string { return 'a UUID string (8-4-4-4-12 hex digits)'; }
  protected override _fromValue(text: string): string { return text; }
  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }
}
