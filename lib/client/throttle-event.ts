/**
 * A broker throttled this client (quota exceeded), as confluent_kafka's `ThrottleEvent`; times in milliseconds.
 * @publicApi
 */
export class ThrottleEvent {
  constructor(
    /** The broker's name, `host:port/id`. */
    readonly brokerName: string,
    /** The broker's node id. */
    readonly brokerId: number,
    /** How long the broker held the request back, in ms (confluent_kafka reports seconds). */
    readonly throttleTime: number,
  ) {}

  toString(): string {
    return `${this.brokerName}/${this.brokerId} throttled for ${this.throttleTime} ms`;
  }
}
