export { loadNative } from './load-native.js';
