// Types only: avsc is an optional peer, loaded on first use so that importing the package never needs it.
import type * as AvscTypes from 'avsc';
import { MissingDependencyError } from '../../errors/missing-dependency.error.js';
import { nodeRequire } from '../../internal/node-require.cjs';

/** The avsc module. @internal */
export type Avsc = typeof AvscTypes;

/** How avsc is required; a seam for tests. @internal */
export type AvscRequire = (id: string) => unknown;

const AVSC = 'avsc';
const FEATURE = 'Avro serialization (AvroSerializer, AvroDeserializer, AvroProducer, AvroConsumer)';

// avsc is CommonJS: required synchronously, because schemas given to a serializer's constructor are parsed there.
const requireFromHere: AvscRequire = nodeRequire;

let avsc: Avsc | undefined;

/**
 * avsc, required on first use and kept.
 * @throws MissingDependencyError when avsc is not installed
 * @internal
 */
export function loadAvsc(): Avsc {
  avsc ??= requireAvsc(requireFromHere);
  return avsc;
}

/**
 * Requires avsc.
 * @param require how to require it
 * @throws MissingDependencyError when avsc is not installed (other load failures are passed on)
 * @internal
 */
export function requireAvsc(require: AvscRequire): Avsc {
  try {
    return require(AVSC) as Avsc;
  } catch (err) {
    const { code, message } = err as { code?: string; message?: string };
    // A module avsc itself requires may be the one missing: that is a broken install, not an absent peer.
    if (code === 'MODULE_NOT_FOUND' && String(message).includes(`'${AVSC}'`)) throw new MissingDependencyError(AVSC, FEATURE, err);
    throw err;
  }
}
