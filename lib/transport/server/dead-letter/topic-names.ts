import {
  defaultDeadLetterTopic,
  defaultRetryTopic,
  DEAD_LETTER_DEFAULTS,
  type DeadLetterOptions,
  type RetryTopicsOptions,
} from './dead-letter.options.js';

/** The dead-letter topic of a source topic, or null when `topic` keeps it out. @internal */
export function deadLetterTopicName(o: DeadLetterOptions | undefined, source: string): string | null {
  const t = o?.topic;
  if (typeof t === 'string') return t;
  return t ? t(source) : defaultDeadLetterTopic(source);
}

/** The retry topics of a source topic, in order of attempt (one per delay). @internal */
export function retryTopicNames(o: RetryTopicsOptions, source: string): string[] {
  const name = o.topic ?? defaultRetryTopic;
  return (o.delaysMs ?? DEAD_LETTER_DEFAULTS.retryDelaysMs).map((_d, i) => name(source, i + 1));
}
