import { AclOperation, AclPermissionType, ResourcePatternType, ResourceType, assertEnum, enumName } from '../admin.enums.js';

/** The fields of an ACL binding or filter. */
export interface AclFields {
  restype: ResourceType;
  /** Resource name; null in a filter matches any. */
  name: string | null;
  resourcePatternType: ResourcePatternType;
  /** `User:alice`; null in a filter matches any. */
  principal: string | null;
  /** `*` or an IP; null in a filter matches any. */
  host: string | null;
  operation: AclOperation;
  permissionType: AclPermissionType;
}

/**
 * A pattern over ACL bindings for describeAcls/deleteAcls (confluent_kafka `AclBindingFilter`): null strings
 * and the `ANY` enum values match anything; `ResourcePatternType.MATCH` also matches prefixed and wildcard
 * patterns that cover the name.
 * @publicApi
 */
export class AclBindingFilter implements AclFields {
  readonly restype: ResourceType;
  readonly name: string | null;
  readonly resourcePatternType: ResourcePatternType;
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: AclOperation;
  readonly permissionType: AclPermissionType;

  /** @throws TypeError on an unknown enum value or a non-string name/principal/host */
  constructor(fields: AclFields) {
    assertEnum(ResourceType, fields.restype, 'ACL restype');
    assertEnum(ResourcePatternType, fields.resourcePatternType, 'ACL resourcePatternType');
    assertEnum(AclOperation, fields.operation, 'ACL operation');
    assertEnum(AclPermissionType, fields.permissionType, 'ACL permissionType');
    for (const key of ['name', 'principal', 'host'] as const) {
      const v = fields[key];
      if (v !== null && typeof v !== 'string') throw new TypeError(`ACL ${key} must be a string or null`);
    }
    this.restype = fields.restype;
    this.name = fields.name;
    this.resourcePatternType = fields.resourcePatternType;
    this.principal = fields.principal;
    this.host = fields.host;
    this.operation = fields.operation;
    this.permissionType = fields.permissionType;
  }

  /** JSON with enum names (`"operation": "READ"`), not their protocol numbers. */
  toJSON(): Record<string, unknown> {
    return {
      restype: enumName(ResourceType, this.restype),
      name: this.name,
      resourcePatternType: enumName(ResourcePatternType, this.resourcePatternType),
      principal: this.principal,
      host: this.host,
      operation: enumName(AclOperation, this.operation),
      permissionType: enumName(AclPermissionType, this.permissionType),
    };
  }

  toString(): string {
    return (
      `${this.constructor.name}(${enumName(ResourceType, this.restype)},${String(this.name)},` +
      `${enumName(ResourcePatternType, this.resourcePatternType)},${String(this.principal)},${String(this.host)},` +
      `${enumName(AclOperation, this.operation)},${enumName(AclPermissionType, this.permissionType)})`
    );
  }
}
