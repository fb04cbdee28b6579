/** @internal the client layer's own helpers, stripped from the published typings */
export { loadNative } from './load-native.js';
export type * from './native.types.js';
