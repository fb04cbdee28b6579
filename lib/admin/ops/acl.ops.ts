import { brokerError } from '../admin-error.mapper.js';
import type { AdminOperationOptions } from '../admin-options.interface.js';
import { adminPromise, assertUniqueList, resultMap, withTimeout, type AdminResults } from '../admin-results.util.js';
import { AclBinding } from '../types/acl-binding.js';
import { AclBindingFilter, type AclFields } from '../types/acl-binding-filter.js';
import { requestTimeout, type AdminBackends } from './admin-backends.js';

/** kafkajs's ACL shape (its field names, the protocol's numbers). */
interface KafkaJsAcl {
  resourceType: number;
  resourceName: string | null;
  resourcePatternType: number;
  principal: string | null;
  host: string | null;
  operation: number;
  permissionType: number;
}

interface KafkaJsAclResource {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  acls: { principal: string; host: string; operation: number; permissionType: number }[];
}

/** Our ACL fields in kafkajs's shape; kafkajs wants undefined, not null, for "any". @internal */
export function toKafkaJsAcl(f: AclFields): KafkaJsAcl {
  return {
    resourceType: f.restype,
    resourceName: f.name ?? (undefined as unknown as null),
    resourcePatternType: f.resourcePatternType,
    principal: f.principal ?? (undefined as unknown as null),
    host: f.host ?? (undefined as unknown as null),
    operation: f.operation,
    permissionType: f.permissionType,
  };
}

/** The bindings of a DescribeAcls/DeleteAcls answer. @internal */
export function toBindings(resources: KafkaJsAclResource[]): AclBinding[] {
  return resources.flatMap((r) =>
    r.acls.map(
      (a) =>
        new AclBinding({
          restype: r.resourceType as AclFields['restype'],
          name: r.resourceName,
          resourcePatternType: r.resourcePatternType as AclFields['resourcePatternType'],
          principal: a.principal,
          host: a.host,
          operation: a.operation as AclFields['operation'],
          permissionType: a.permissionType as AclFields['permissionType'],
        }),
    ),
  );
}

/** createAcls: one request per binding, each with its own result. @internal */
export function createAcls(
  b: AdminBackends,
  acls: readonly AclBinding[],
  options: AdminOperationOptions = {},
): AdminResults<AclBinding, void> {
  assertUniqueList(acls, 'createAcls', (a) => {
    if (!(a instanceof AclBinding)) throw new TypeError('createAcls: expected AclBinding instances');
    return a.toString();
  });
  return resultMap(
    acls,
    async (a) => {
      // kafkajs's typings say `acl: ITopicConfig`-like objects with non-null strings; a binding has them.
      await (await b.kafkajs.ready('createAcls')).createAcls({ acl: [toKafkaJsAcl(a)] as never });
    },
    requestTimeout(b, options),
    'createAcls',
  );
}

/** describeAcls: the bindings matching a filter. @internal */
export function describeAcls(b: AdminBackends, filter: AclBindingFilter, options: AdminOperationOptions = {}): Promise<AclBinding[]> {
  if (!(filter instanceof AclBindingFilter)) throw new TypeError('describeAcls: expected an AclBindingFilter');
  return adminPromise(
    withTimeout(
      (async () => {
        const answer = (await (await b.kafkajs.ready('describeAcls')).describeAcls(toKafkaJsAcl(filter) as never)) as {
          errorCode?: number;
          errorMessage?: string;
          resources: KafkaJsAclResource[];
        };
        const err = brokerError(answer.errorCode ?? 0, answer.errorMessage);
        if (err) throw err;
        return toBindings(answer.resources);
      })(),
      requestTimeout(b, options),
      'describeAcls',
    ),
  );
}

/** deleteAcls: per filter, the bindings it deleted. @internal */
export function deleteAcls(
  b: AdminBackends,
  filters: readonly AclBindingFilter[],
  options: AdminOperationOptions = {},
): AdminResults<AclBindingFilter, AclBinding[]> {
  assertUniqueList(filters, 'deleteAcls', (f) => {
    if (!(f instanceof AclBindingFilter)) throw new TypeError('deleteAcls: expected AclBindingFilter instances');
    return f.toString();
  });
  return resultMap(
    filters,
    async (f) => {
      const answer = await (await b.kafkajs.ready('deleteAcls')).deleteAcls({ filters: [toKafkaJsAcl(f) as never] });
      const res = answer.filterResponses[0] as unknown as {
        errorCode: number;
        errorMessage?: string;
        matchingAcls: (KafkaJsAcl & { errorCode: number; errorMessage?: string })[];
      };
      const err = brokerError(res.errorCode, res.errorMessage);
      if (err) throw err;
      const failed = res.matchingAcls.find((m) => m.errorCode !== 0);
      if (failed) throw brokerError(failed.errorCode, failed.errorMessage)!;
      return toBindings(
        res.matchingAcls.map((m) => ({
          resourceType: m.resourceType,
          resourceName: m.resourceName ?? '',
          resourcePatternType: m.resourcePatternType,
          acls: [{ principal: m.principal ?? '', host: m.host ?? '', operation: m.operation, permissionType: m.permissionType }],
        })),
      );
    },
    requestTimeout(b, options),
    'deleteAcls',
  );
}
