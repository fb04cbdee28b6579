export { loadNative } from './load-native.js';
export type * from './native.types.js';
