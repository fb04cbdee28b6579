/**
 * Whether a handler's pattern belongs to a server limited to `topics` (`ServerRdKafkaOptions.topics`).
 * Without a list every pattern does (Nest's rule: a server serves every handler of the app). A string
 * pattern is in scope when the list has it or a RegExp matching it; a RegExp pattern when the list has the
 * same RegExp (source and flags): which topics a RegExp subscription reaches is only known at the broker.
 * @param pattern the handler's pattern, a topic or a RegExp
 * @param topics the server's topic list
 * @internal
 */
export function isPatternInScope(pattern: string | RegExp, topics: readonly (string | RegExp)[] | undefined): boolean {
  if (topics === undefined) return true;
  return topics.some((entry) => {
    if (pattern instanceof RegExp) return entry instanceof RegExp && entry.source === pattern.source && entry.flags === pattern.flags;
    if (typeof entry === 'string') return entry === pattern;
    entry.lastIndex = 0;
    const hit = entry.test(pattern);
    entry.lastIndex = 0;
    return hit;
  });
}
