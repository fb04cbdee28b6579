/** `topic[partition]@offset`, how records are named in logs. @internal */
export function where(m: { topic: string; partition: number; offset: number }): string {
  return `${m.topic}[${m.partition}]@${m.offset}`;
}
