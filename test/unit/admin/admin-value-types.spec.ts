import {
  AclBinding,
  AclBindingFilter,
  AclOperation,
  AclPermissionType,
  AlterConfigOpType,
  ConfigEntry,
  ConfigResource,
  ConfigSource,
  JsonMap,
  ConsumerGroupTopicPartitions,
  NewPartitions,
  NewTopic,
  OffsetSpec,
  ResourcePatternType,
  ResourceType,
  ScramMechanism,
  UserScramCredentialAlteration,
} from '../../../lib/admin/index.js';

const aclFields = {
  restype: ResourceType.TOPIC,
  name: 't',
  resourcePatternType: ResourcePatternType.LITERAL,
  principal: 'User:a',
  host: '*',
  operation: AclOperation.READ,
  permissionType: AclPermissionType.ALLOW,
} as const;

describe('admin value types', () => {
  it('NewTopic keeps counts, derives the partition count from an assignment and rejects contradictions', () => {
    expect(new NewTopic('t')).toMatchObject({ numPartitions: -1, replicationFactor: -1, replicaAssignment: null, config: {} });
    expect(
      new NewTopic('t', {
        replicaAssignment: [
          [1, 2],
          [2, 1],
        ],
      }).numPartitions,
    ).toBe(2);
    expect(() => new NewTopic('t', { replicaAssignment: [[1]], replicationFactor: 1 })).toThrow(/excludes replicationFactor/);
    expect(() => new NewTopic('t', { replicaAssignment: [[1]], numPartitions: 3 })).toThrow(/differs/);
    expect(() => new NewTopic('t', { numPartitions: 0 })).toThrow(TypeError);
    expect(() => new NewTopic('t', { replicaAssignment: [[]] })).toThrow(/broker id/);
    expect(() => new NewTopic('t', { config: { 'retention.ms': 5 as unknown as string } })).toThrow(/must be a string/);
    expect(() => new NewTopic('')).toThrow(TypeError);
  });

  it('NewPartitions validates the count and the assignment', () => {
    expect(new NewPartitions('t', 4, [[1]]).replicaAssignment).toEqual([[1]]);
    expect(() => new NewPartitions('t', 0)).toThrow(TypeError);
    expect(() => new NewPartitions('t', 2, [[-1]])).toThrow(TypeError);
  });

  it('ConfigResource accepts TOPIC/BROKER only, collects set and incremental configs, and needs values except for DELETE', () => {
    const r = new ConfigResource(ResourceType.TOPIC, 't', { a: '1' }).setConfig('b', '2');
    expect([...r.setConfigs]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    r.addIncrementalConfig(new ConfigEntry('c', null, { incrementalOperation: AlterConfigOpType.DELETE }));
    expect(r.incrementalConfigs).toHaveLength(1);
    expect(() => r.addIncrementalConfig(new ConfigEntry('d', null))).toThrow(/needs a value for SET/);
    expect(() => new ConfigResource(ResourceType.GROUP, 'g')).toThrow(/has no configs/);
    expect(() => new ConfigResource(9 as ResourceType, 'x')).toThrow(/must be one of/);
    expect(r.toString()).toBe('ConfigResource(TOPIC,t)');
  });

  it('ConfigEntry hides sensitive values in toString and validates its operation', () => {
    expect(String(new ConfigEntry('sasl.jaas.config', 'secret', { isSensitive: true }))).not.toContain('secret');
    expect(() => new ConfigEntry('x', '1', { incrementalOperation: 7 as AlterConfigOpType })).toThrow(TypeError);
  });

  it('AclBinding must be concrete while AclBindingFilter may use nulls and ANY', () => {
    expect(new AclBinding(aclFields).toString()).toBe('AclBinding(TOPIC,t,LITERAL,User:a,*,READ,ALLOW)');
    expect(() => new AclBinding({ ...aclFields, operation: AclOperation.ANY })).toThrow(/concrete/);
    expect(() => new AclBinding({ ...aclFields, principal: null })).toThrow(/principal/);
    expect(() => new AclBinding({ ...aclFields, resourcePatternType: ResourcePatternType.MATCH })).toThrow(/concrete/);
    const f = new AclBindingFilter({ ...aclFields, name: null, principal: null, host: null, operation: AclOperation.ANY });
    expect(f.toString()).toBe('AclBindingFilter(TOPIC,null,LITERAL,null,null,ANY,ALLOW)');
    expect(() => new AclBindingFilter({ ...aclFields, permissionType: 9 as AclPermissionType })).toThrow(/permissionType/);
  });

  it('OffsetSpec maps to the ListOffsets timestamps', () => {
    expect([OffsetSpec.earliest(), OffsetSpec.latest(), OffsetSpec.maxTimestamp(), OffsetSpec.forTimestamp(5)].map((s) => s.value)).toEqual(
      [-2, -1, -3, 5],
    );
    expect(() => OffsetSpec.forTimestamp(-1)).toThrow(TypeError);
    expect(String(OffsetSpec.maxTimestamp())).toBe('OffsetSpec(maxTimestamp)');
  });

  it('ConsumerGroupTopicPartitions converts partitions and requires a group id', () => {
    const c = new ConsumerGroupTopicPartitions('g', [{ topic: 't', partition: 1, offset: 5 }]);
    expect(c.topicPartitions![0]!.offset).toBe(5);
    expect(new ConsumerGroupTopicPartitions('g').topicPartitions).toBeNull();
    expect(() => new ConsumerGroupTopicPartitions('')).toThrow(TypeError);
  });

  it('UserScramCredentialAlteration validates upsertions and deletions', () => {
    const u = UserScramCredentialAlteration.upsertion('u', { mechanism: ScramMechanism.SCRAM_SHA_512, iterations: 4096 }, 'pw');
    expect(u).toMatchObject({ kind: 'upsertion', user: 'u', iterations: 4096, password: Buffer.from('pw') });
    expect(UserScramCredentialAlteration.deletion('u', ScramMechanism.SCRAM_SHA_256)).toMatchObject({ kind: 'deletion', password: null });
    expect(() => UserScramCredentialAlteration.upsertion('u', { mechanism: ScramMechanism.UNKNOWN, iterations: 1 }, 'p')).toThrow(
      /SCRAM_SHA/,
    );
    expect(() => UserScramCredentialAlteration.upsertion('u', { mechanism: ScramMechanism.SCRAM_SHA_256, iterations: 0 }, 'p')).toThrow(
      /iterations/,
    );
    expect(() => UserScramCredentialAlteration.upsertion('u', { mechanism: ScramMechanism.SCRAM_SHA_256, iterations: 1 }, '')).toThrow(
      /password/,
    );
  });
});

describe('admin results in JSON', () => {
  it('JsonMap serializes as an object by key; a plain Map would give {}', () => {
    const topics = new JsonMap([['orders', { name: 'orders', partitions: [] }]]);
    expect(JSON.parse(JSON.stringify({ topics }))).toEqual({ topics: { orders: { name: 'orders', partitions: [] } } });
    expect(topics.get('orders')).toEqual({ name: 'orders', partitions: [] });
  });

  it('config entries, config resources and ACL bindings name their enums', () => {
    const entry = new ConfigEntry('retention.ms', '1000', { source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    expect(JSON.parse(JSON.stringify(entry))).toMatchObject({
      name: 'retention.ms',
      value: '1000',
      source: 'DYNAMIC_TOPIC_CONFIG',
      incrementalOperation: 'SET',
    });
    expect(JSON.parse(JSON.stringify(new ConfigEntry('sasl.jaas.config', 'secret', { isSensitive: true })))).toMatchObject({ value: null });
    expect(JSON.parse(JSON.stringify(new ConfigResource(ResourceType.TOPIC, 'orders')))).toEqual({ restype: 'TOPIC', name: 'orders' });
    const acl = new AclBinding({
      restype: ResourceType.TOPIC,
      name: 'orders',
      resourcePatternType: ResourcePatternType.LITERAL,
      principal: 'User:alice',
      host: '*',
      operation: AclOperation.READ,
      permissionType: AclPermissionType.ALLOW,
    });
    expect(JSON.parse(JSON.stringify(acl))).toEqual({
      restype: 'TOPIC',
      name: 'orders',
      resourcePatternType: 'LITERAL',
      principal: 'User:alice',
      host: '*',
      operation: 'READ',
      permissionType: 'ALLOW',
    });
  });
});
