export {
  REDACTED,
  isSecretKey,
  printsRedacted,
  redactConfig,
  redactLine,
  redactUrl,
  redactValue,
  redactWhenPrinted,
  scrubSecrets,
} from './redact.js';
