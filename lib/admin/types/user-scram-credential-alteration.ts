import { ScramMechanism, assertEnum } from '../admin.enums.js';

/** A SCRAM mechanism and its iteration count (confluent_kafka `ScramCredentialInfo`). @publicApi */
export interface ScramCredentialInfo {
  readonly mechanism: ScramMechanism;
  readonly iterations: number;
}

/**
 * Creates or replaces a user's SCRAM credential, or deletes one (confluent_kafka
 * `UserScramCredentialUpsertion(user, scram_credential_info, password, salt=None)` and
 * `UserScramCredentialDeletion(user, mechanism)`, as one class with a `kind`).
 * @publicApi
 */
export class UserScramCredentialAlteration {
  readonly kind: 'upsertion' | 'deletion';
  readonly user: string;
  readonly mechanism: ScramMechanism;
  /** Upsertion only: iteration count (4096..16384 on Kafka brokers). */
  readonly iterations: number;
  /** Upsertion only. */
  readonly password: Buffer | null;
  /** Upsertion only: random when omitted. */
  readonly salt: Buffer | null;

  private constructor(
    kind: 'upsertion' | 'deletion',
    user: string,
    mechanism: ScramMechanism,
    iterations: number,
    password: Buffer | null,
    salt: Buffer | null,
  ) {
    if (typeof user !== 'string' || user.length === 0) throw new TypeError('SCRAM alteration: user must be a non-empty string');
    assertEnum(ScramMechanism, mechanism, 'SCRAM alteration: mechanism');
    if (mechanism === ScramMechanism.UNKNOWN) throw new TypeError('SCRAM alteration: mechanism must be SCRAM_SHA_256 or SCRAM_SHA_512');
    this.kind = kind;
    this.user = user;
    this.mechanism = mechanism;
    this.iterations = iterations;
    this.password = password;
    this.salt = salt;
  }

  /**
   * @param user the SCRAM user name
   * @param info mechanism and iterations
   * @param password the new password (UTF-8 when a string)
   * @param salt the salt; random bytes when omitted
   * @throws TypeError on a bad user, mechanism, iteration count or empty password
   */
  static upsertion(
    user: string,
    info: ScramCredentialInfo,
    password: string | Buffer,
    salt: Buffer | null = null,
  ): UserScramCredentialAlteration {
    if (!Number.isInteger(info.iterations) || info.iterations < 1)
      throw new TypeError('SCRAM upsertion: iterations must be a positive integer');
    const pw = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
    if (!Buffer.isBuffer(pw) || pw.length === 0) throw new TypeError('SCRAM upsertion: password must be non-empty');
    return new UserScramCredentialAlteration('upsertion', user, info.mechanism, info.iterations, pw, salt);
  }

  /** Deletes the user's credential for one mechanism. */
  static deletion(user: string, mechanism: ScramMechanism): UserScramCredentialAlteration {
    return new UserScramCredentialAlteration('deletion', user, mechanism, 0, null, null);
  }
}
