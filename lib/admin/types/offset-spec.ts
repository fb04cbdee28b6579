/**
 * Which offset listOffsets looks up for a partition (confluent_kafka `OffsetSpec`): the earliest, the latest
 * (high watermark), the record with the largest timestamp, or the first offset whose timestamp is >= a time.
 * @publicApi
 */
export class OffsetSpec {
  /** The Kafka ListOffsets timestamp: -2 earliest, -1 latest, -3 max timestamp, else a time in ms. */
  readonly value: number;

  private constructor(value: number) {
    this.value = value;
  }

  static earliest(): OffsetSpec {
    return new OffsetSpec(-2);
  }

  static latest(): OffsetSpec {
    return new OffsetSpec(-1);
  }

  /** The offset of the record with the highest timestamp (ListOffsets v7, KIP-734). */
  static maxTimestamp(): OffsetSpec {
    return new OffsetSpec(-3);
  }

  /**
   * @param timestampMs epoch milliseconds
   * @throws TypeError unless a non-negative integer
   */
  static forTimestamp(timestampMs: number): OffsetSpec {
    if (!Number.isInteger(timestampMs) || timestampMs < 0)
      throw new TypeError(`OffsetSpec.forTimestamp: expected epoch ms, got ${String(timestampMs)}`);
    return new OffsetSpec(timestampMs);
  }

  toString(): string {
    const names: Record<number, string> = { [-2]: 'earliest', [-1]: 'latest', [-3]: 'maxTimestamp' };
    return `OffsetSpec(${names[this.value] ?? this.value})`;
  }
}
