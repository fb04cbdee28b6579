// Types only: ajv, ajv-formats and protobufjs are optional peers, so nothing here may load them when the
// package is imported (that would fail every application without them). They are required when a JSON Schema
// or Protobuf serde is constructed. They are CommonJS packages, so require loads them synchronously and
// a missing one fails the constructor, not a later message.
import type { Ajv as AjvCore } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';
import type * as Protobuf from 'protobufjs';
import { MissingDependencyError } from '../../errors/missing-dependency.error.js';
import { nodeRequire as packageRequire } from '../../internal/node-require.cjs';

import type { PeerRequire } from './peer-require.js';

export type { PeerRequire } from './peer-require.js';

const nodeRequire: PeerRequire = packageRequire;

/** The ajv classes by dialect, and ajv-formats. @internal */
export interface JsonSchemaPeers {
  /** draft-07 (and draft-06 schemas, which it reads). */
  readonly Ajv: typeof AjvCore;
  readonly Ajv2019: typeof AjvCore;
  readonly Ajv2020: typeof AjvCore;
  readonly addFormats: FormatsPlugin;
}

/**
 * Requires one optional peer.
 * @throws MissingDependencyError when it is not installed (other load failures are passed on)
 * @internal
 */
export function requirePeer<T>(name: string, feature: string, req: PeerRequire = nodeRequire): T {
  try {
    return req(name) as T;
  } catch (err) {
    const code = (err as { code?: string })?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND')
      throw new MissingDependencyError(
        name
          .split('/')
          .slice(0, name.startsWith('@') ? 2 : 1)
          .join('/'),
        feature,
        err,
      );
    throw err;
  }
}

/** A CommonJS module's export, whether it sets `module.exports` or `exports.default`. */
function defaultOf<T>(mod: unknown): T {
  return ((mod as { default?: T }).default ?? mod) as T;
}

/** @throws MissingDependencyError naming ajv or ajv-formats @internal */
export function loadJsonSchemaPeers(feature: string, req: PeerRequire = nodeRequire): JsonSchemaPeers {
  return {
    Ajv: defaultOf(requirePeer('ajv', feature, req)),
    Ajv2019: defaultOf(requirePeer('ajv/dist/2019', feature, req)),
    Ajv2020: defaultOf(requirePeer('ajv/dist/2020', feature, req)),
    addFormats: defaultOf(requirePeer('ajv-formats', feature, req)),
  };
}

/** The protobufjs namespace and its descriptor extension. @internal */
export interface ProtobufPeers {
  readonly protobuf: typeof Protobuf;
  /** `protobufjs/ext/descriptor`: reads schemas registered as base64 FileDescriptorProtos (confluent_kafka 1.x). */
  readonly descriptor: { FileDescriptorSet: Protobuf.Type };
}

/** @throws MissingDependencyError naming protobufjs @internal */
export function loadProtobufPeers(feature: string, req: PeerRequire = nodeRequire): ProtobufPeers {
  const protobuf = requirePeer<typeof Protobuf>('protobufjs', feature, req);
  const descriptor = requirePeer<ProtobufPeers['descriptor']>('protobufjs/ext/descriptor', feature, req);
  return { protobuf, descriptor };
}
