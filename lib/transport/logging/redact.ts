// The redaction rule lives in lib/security (the client, admin and registry layers use it too); the transport's
// logging re-exports it so its bridge and callers keep one import path.
export { redactConfig, redactLine } from '../../security/index.js';
