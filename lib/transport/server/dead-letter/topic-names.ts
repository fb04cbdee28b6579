import {
  defaultDeadLetterTopic,
  defaultRetryTopic,
  DEAD_LETTER_DEFAULTS,
  type DeadLetterOptions,
  type RetryTopicSettings,
  type RetryTopicsOptions,
} from './dead-letter.options.js';

/** The retry settings of one source topic, delays resolved. @internal */
export type ResolvedRetrySettings = RetryTopicSettings & { readonly delaysMs: readonly number[] };

/** The dead-letter topic of a source topic, or null when `topic` keeps it out. @internal */
export function deadLetterTopicName(o: DeadLetterOptions | undefined, source: string): string | null {
  const t = o?.topic;
  if (typeof t === 'string') return t;
  return t ? t(source) : defaultDeadLetterTopic(source);
}

/**
 * The retry settings of a source topic (`perTopic` over the common ones), or null when it has no retry topics
 * (not in `topics`, `perTopic` false, no delays).
 * @internal
 */
export function retrySettingsOf(o: RetryTopicsOptions, source: string): ResolvedRetrySettings | null {
  if (o.topics !== undefined && !o.topics.includes(source)) return null;
  const own = o.perTopic && Object.hasOwn(o.perTopic, source) ? o.perTopic[source] : undefined;
  if (own === false) return null;
  const delaysMs = own?.delaysMs ?? o.delaysMs ?? DEAD_LETTER_DEFAULTS.retryDelaysMs;
  if (delaysMs.length === 0) return null;
  return { delaysMs, retryOn: own?.retryOn ?? o.retryOn, notRetryOn: own?.notRetryOn ?? o.notRetryOn };
}

/** The retry topics of a source topic, in order of attempt (one per delay; none without retry topics). @internal */
export function retryTopicNames(o: RetryTopicsOptions, source: string): string[] {
  const name = o.topic ?? defaultRetryTopic;
  return (retrySettingsOf(o, source)?.delaysMs ?? []).map((_d, i) => name(source, i + 1));
}
