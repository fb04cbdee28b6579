/**
 * How an optional package is required; a seam for tests. Its own file so the serdes' declarations (which
 * take it as a constructor argument) do not import ajv's or protobufjs's types.
 * Kept in the published typings (not exported by the package): the serdes' constructors take it.
 */
export type PeerRequire = (name: string) => unknown;
