import { AclOperation, AclPermissionType, ResourcePatternType, ResourceType } from '../admin.enums.js';
import { AclBindingFilter, type AclFields } from './acl-binding-filter.js';

const NOT_IN_BINDING = {
  restype: [ResourceType.ANY, ResourceType.UNKNOWN],
  resourcePatternType: [ResourcePatternType.ANY, ResourcePatternType.MATCH, ResourcePatternType.UNKNOWN],
  operation: [AclOperation.ANY, AclOperation.UNKNOWN],
  permissionType: [AclPermissionType.ANY, AclPermissionType.UNKNOWN],
} as const;

/**
 * One ACL: a principal is allowed or denied an operation on a resource pattern from a host (confluent_kafka
 * `AclBinding(restype, name, resource_pattern_type, principal, host, operation, permission_type)`). Unlike a
 * filter, every field is concrete: no nulls, no ANY/MATCH/UNKNOWN.
 * @publicApi
 */
export class AclBinding extends AclBindingFilter {
  declare readonly name: string;
  declare readonly principal: string;
  declare readonly host: string;

  /** @throws TypeError on a null field or a wildcard enum value */
  constructor(fields: AclFields) {
    super(fields);
    for (const key of ['name', 'principal', 'host'] as const) {
      if (typeof fields[key] !== 'string' || fields[key] === '') throw new TypeError(`AclBinding: ${key} must be a non-empty string`);
    }
    for (const [key, banned] of Object.entries(NOT_IN_BINDING)) {
      if ((banned as readonly number[]).includes(fields[key as keyof typeof NOT_IN_BINDING])) {
        throw new TypeError(`AclBinding: ${key} must be concrete (ANY, MATCH and UNKNOWN are for filters)`);
      }
    }
  }
}
