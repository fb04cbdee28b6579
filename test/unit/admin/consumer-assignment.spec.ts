import kafkajs from 'kafkajs';
import { decodeConsumerAssignment } from '../../../lib/admin/ops/consumer-assignment.js';

// A classic group's description comes from kafka-ts, so its members' assignments must decode without kafkajs
// having been loaded by an earlier operation. kafkajs's encoder is the reference for the wire format here.
describe('decodeConsumerAssignment', () => {
  it('reads what a consumer-protocol member assignment encodes: partitions by topic', () => {
    const encoded = kafkajs.AssignerProtocol.MemberAssignment.encode({
      version: 1,
      assignment: { orders: [0, 2], 'audit.log': [1] },
      userData: Buffer.from('opaque'),
    });
    expect(decodeConsumerAssignment(encoded)).toEqual({ orders: [0, 2], 'audit.log': [1] });
  });

  it('an empty assignment is no partitions; bytes of another protocol are null, not a guess', () => {
    expect(
      decodeConsumerAssignment(kafkajs.AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: {}, userData: Buffer.alloc(0) })),
    ).toEqual({});
    expect(decodeConsumerAssignment(Buffer.from([0, 0, 0, 0, 0, 3, 0, 9, 0x61]))).toBeNull();
    expect(decodeConsumerAssignment(Buffer.alloc(0))).toBeNull();
  });
});
