import { TopicPartition } from '../../client/topic-partition.js';
import { ErrorCode, KafkaError } from '../../errors/index.js';
import { brokerError } from '../admin-error.mapper.js';
import { ConsumerGroupState, ConsumerGroupType, assertEnum } from '../admin.enums.js';
import type { AdminOperationOptions, ListConsumerGroupsOptions } from '../admin-options.interface.js';
import { adminPromise, assertUniqueList, resultMap, withTimeout, type AdminResults } from '../admin-results.util.js';
import type {
  KafkaTsAssignment,
  KafkaTsConsumerGroupDescribeResponse,
  KafkaTsDescribeGroupsResponse,
  KafkaTsFindCoordinatorResponse,
  KafkaTsListGroupsResponse,
  KafkaTsMetadataResponse,
} from '../backend/kafka-ts.types.js';
import type {
  ConsumerGroupDescription,
  ConsumerGroupListing,
  GroupMetadata,
  ListConsumerGroupsResult,
  MemberDescription,
  Node,
} from '../types/admin-results.interface.js';
import { requestTimeout, type AdminBackends } from './admin-backends.js';
import { decodeConsumerAssignment } from './consumer-assignment.js';

/** The broker's state names, classic and KIP-848 (`Assigning`, `Reconciling`), case as Kafka writes them. */
const STATES: Readonly<Record<string, ConsumerGroupState>> = Object.freeze({
  preparingrebalance: ConsumerGroupState.PREPARING_REBALANCING,
  completingrebalance: ConsumerGroupState.COMPLETING_REBALANCING,
  stable: ConsumerGroupState.STABLE,
  dead: ConsumerGroupState.DEAD,
  empty: ConsumerGroupState.EMPTY,
  assigning: ConsumerGroupState.ASSIGNING,
  reconciling: ConsumerGroupState.RECONCILING,
});

/** A group state as the broker names it (`Stable`, `Reconciling`) → ConsumerGroupState. @internal */
export function toGroupState(state: string): ConsumerGroupState {
  return STATES[state.toLowerCase()] ?? ConsumerGroupState.UNKNOWN;
}

/** ListGroups' group type (`consumer`, `classic`) → ConsumerGroupType. @internal */
export function toGroupType(type: string): ConsumerGroupType {
  const t = type.toLowerCase();
  return t === 'consumer' ? ConsumerGroupType.CONSUMER : t === 'classic' ? ConsumerGroupType.CLASSIC : ConsumerGroupType.UNKNOWN;
}

/** GROUP_ID_NOT_FOUND / UNSUPPORTED_VERSION from ConsumerGroupDescribe: the group is a classic one (or none). */
const CLASSIC_FALLBACK = new Set<number>([ErrorCode.GROUP_ID_NOT_FOUND, ErrorCode.UNSUPPORTED_VERSION]);

async function brokersOf(b: AdminBackends, operation: string): Promise<Node[]> {
  const meta = await b.kafkaTs.send<KafkaTsMetadataResponse>(operation, 'METADATA', { topics: [], allowTopicAutoCreation: false });
  return meta.brokers.map((n) => ({ id: n.nodeId, host: n.host, port: n.port, rack: n.rack })).sort((x, y) => x.id - y.id);
}

async function coordinatorOf(b: AdminBackends, operation: string, groupId: string): Promise<Node> {
  const answer = await b.kafkaTs.send<KafkaTsFindCoordinatorResponse>(operation, 'FIND_COORDINATOR', { keyType: 0, keys: [groupId] });
  const c = answer.coordinators[0];
  const err = c
    ? brokerError(c.errorCode, c.errorMessage)
    : brokerError(ErrorCode.COORDINATOR_NOT_AVAILABLE, `no coordinator for ${groupId}`);
  if (err) throw err;
  return { id: c!.nodeId, host: c!.host, port: c!.port, rack: null };
}

function checkFilters(options: ListConsumerGroupsOptions): void {
  for (const s of options.states ?? []) assertEnum(ConsumerGroupState, s, 'listConsumerGroups: states');
  for (const t of options.types ?? []) assertEnum(ConsumerGroupType, t, 'listConsumerGroups: types');
}

/**
 * listConsumerGroups: ListGroups v5 on every broker, which reports each group's state and type (classic or
 * KIP-848 `consumer`) itself; the state and type filters apply to that answer.
 * @internal
 */
export function listConsumerGroups(b: AdminBackends, options: ListConsumerGroupsOptions = {}): Promise<ListConsumerGroupsResult> {
  checkFilters(options);
  return adminPromise(
    withTimeout(
      (async () => {
        const brokers = await brokersOf(b, 'listConsumerGroups');
        const valid = new Map<string, ConsumerGroupListing>();
        const errors: KafkaError[] = [];
        await Promise.all(
          brokers.map(async (n) => {
            const answer = await b.kafkaTs.send<KafkaTsListGroupsResponse>(
              'listConsumerGroups',
              'LIST_GROUPS',
              { statesFilter: [], typesFilter: [] },
              n.id,
            );
            if (answer.errorCode) return void errors.push(new KafkaError(answer.errorCode, `broker ${n.id}`));
            for (const g of answer.groups) {
              valid.set(g.groupId, {
                groupId: g.groupId,
                protocolType: g.protocolType,
                isSimpleConsumerGroup: g.protocolType === '',
                state: toGroupState(g.groupState),
                type: toGroupType(g.groupType),
              });
            }
          }),
        );
        const listed = [...valid.values()]
          .filter((g) => !options.states?.length || options.states.includes(g.state))
          .filter((g) => !options.types?.length || options.types.includes(g.type));
        return { valid: listed, errors };
      })(),
      requestTimeout(b, options),
      'listConsumerGroups',
    ),
  );
}

function partitionsOf(a: KafkaTsAssignment): TopicPartition[] {
  return a.topicPartitions
    .flatMap((t) => t.partitions.map((p) => new TopicPartition(t.topicName, p)))
    .sort((x, y) => x.topic.localeCompare(y.topic) || x.partition - y.partition);
}

type ConsumerGroup = KafkaTsConsumerGroupDescribeResponse['groups'][number];
type ClassicGroup = KafkaTsDescribeGroupsResponse['groups'][number];

function fromConsumerGroup(g: ConsumerGroup, coordinator: Node): ConsumerGroupDescription {
  const members: MemberDescription[] = g.members.map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.clientHost,
    groupInstanceId: m.instanceId,
    assignment: partitionsOf(m.assignment),
    targetAssignment: partitionsOf(m.targetAssignment),
  }));
  return {
    groupId: g.groupId,
    isSimpleConsumerGroup: false,
    members,
    partitionAssignor: g.assignorName,
    state: toGroupState(g.groupState),
    type: ConsumerGroupType.CONSUMER,
    coordinator,
  };
}

function fromClassicGroup(g: ClassicGroup, coordinator: Node): ConsumerGroupDescription {
  const members: MemberDescription[] = g.members.map((m) => {
    const decoded = g.protocolType === 'consumer' ? decodeConsumerAssignment(m.memberAssignment) : null;
    const assignment = Object.entries(decoded ?? {}).flatMap(([topic, parts]) => parts.map((p) => new TopicPartition(topic, p)));
    return {
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      assignment,
      targetAssignment: null,
      groupInstanceId: m.groupInstanceId,
    };
  });
  return {
    groupId: g.groupId,
    isSimpleConsumerGroup: g.protocolType === '',
    members,
    partitionAssignor: g.protocolData,
    state: toGroupState(g.groupState),
    type: ConsumerGroupType.CLASSIC,
    coordinator,
  };
}

/**
 * One group, as librdkafka 2.12 describes it: ConsumerGroupDescribe (KIP-848) at the coordinator first; a
 * classic group (GROUP_ID_NOT_FOUND / UNSUPPORTED_VERSION there) through DescribeGroups.
 */
async function describeOne(b: AdminBackends, groupId: string, operation: string): Promise<ConsumerGroupDescription> {
  const coordinator = await coordinatorOf(b, operation, groupId);
  const modern = await b.kafkaTs
    .send<KafkaTsConsumerGroupDescribeResponse>(
      operation,
      'CONSUMER_GROUP_DESCRIBE',
      { groupIds: [groupId], includeAuthorizedOperations: false },
      coordinator.id,
    )
    .catch((e: unknown) => {
      if (e instanceof Error && e.message.startsWith('Broker does not support API')) return undefined;
      throw e;
    });
  const g = modern?.groups[0];
  if (g && !CLASSIC_FALLBACK.has(g.errorCode)) {
    const err = brokerError(g.errorCode, g.errorMessage);
    if (err) throw err;
    return fromConsumerGroup(g, coordinator);
  }
  const classic = await b.kafkaTs.send<KafkaTsDescribeGroupsResponse>(
    operation,
    'DESCRIBE_GROUPS',
    { groups: [groupId], includeAuthorizedOperations: false },
    coordinator.id,
  );
  const c = classic.groups[0]!;
  const err = brokerError(c.errorCode, c.errorMessage);
  if (err) throw err;
  return fromClassicGroup(c, coordinator);
}

function checkGroupIds(ids: readonly string[], what: string): void {
  assertUniqueList(ids, what, (g) => {
    if (typeof g !== 'string' || g === '') throw new TypeError(`${what}: group ids must be non-empty strings`);
    return g;
  });
}

/** describeConsumerGroups: per group, its type, state, assignor, coordinator and members with their partitions. @internal */
export function describeConsumerGroups(
  b: AdminBackends,
  ids: readonly string[],
  options: AdminOperationOptions = {},
): AdminResults<string, ConsumerGroupDescription> {
  checkGroupIds(ids, 'describeConsumerGroups');
  return resultMap(
    ids,
    (groupId) => describeOne(b, groupId, 'describeConsumerGroups'),
    requestTimeout(b, options),
    'describeConsumerGroups',
  );
}

/**
 * listGroups (confluent_kafka's deprecated `list_groups`): every group, or one, with its members.
 * @param groupId only this group (one the broker does not know fails with GROUP_ID_NOT_FOUND)
 * @internal
 */
export function listGroups(b: AdminBackends, groupId: string | undefined, options: AdminOperationOptions = {}): Promise<GroupMetadata[]> {
  if (groupId !== undefined) checkGroupIds([groupId], 'listGroups');
  return adminPromise(
    withTimeout(
      (async () => {
        const listings = (await listConsumerGroups(b, {})).valid;
        const ids = groupId !== undefined ? [groupId] : listings.map((g) => g.groupId).sort();
        return Promise.all(
          ids.map(async (id): Promise<GroupMetadata> => {
            const d = await describeOne(b, id, 'listGroups');
            return {
              id,
              broker: d.coordinator,
              state: d.state,
              type: d.type,
              protocol: d.partitionAssignor,
              protocolType: listings.find((g) => g.groupId === id)?.protocolType ?? '',
              members: d.members.map((m) => ({ id: m.memberId, clientId: m.clientId, clientHost: m.host, assignment: m.assignment })),
            };
          }),
        );
      })(),
      requestTimeout(b, options),
      'listGroups',
    ),
  );
}
