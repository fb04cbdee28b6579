import type { LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/** Every way an object or an error turns into text: inspect (all depths, hidden fields), JSON, String. */
export function printedForms(value: unknown): Record<string, string> {
  const forms: Record<string, string> = {
    inspect: inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    string: (() => {
      try {
        return String(value);
      } catch (e) {
        return `String() threw ${(e as Error).message}`;
      }
    })(),
  };
  try {
    forms.json = JSON.stringify(value) ?? 'undefined';
  } catch (e) {
    // A circular structure is not a leak; its message names only types.
    forms.json = `JSON.stringify threw ${(e as Error).message}`;
  }
  if (value instanceof Error) {
    forms.message = value.message;
    forms.stack = value.stack ?? '';
  }
  return forms;
}

/**
 * The `name: form` pairs whose text holds one of the secrets, with the text around the first hit; empty when
 * nothing leaks.
 */
export function leaks(named: Record<string, unknown>, secrets: readonly string[]): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(named)) {
    for (const [form, text] of Object.entries(printedForms(value))) {
      for (const secret of secrets) {
        const at = text.indexOf(secret);
        if (at >= 0) out.push(`${name} (${form}): …${text.slice(Math.max(0, at - 120), at + secret.length + 20)}…`);
      }
    }
  }
  return out;
}

/** A Nest logger keeping every argument of every call as inspected text (contexts, stacks, extra objects). */
export class EverythingLogger implements LoggerService {
  readonly lines: string[] = [];

  private push(level: string, args: unknown[]): void {
    this.lines.push(
      `${level} ${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: Infinity, showHidden: true }))).join(' | ')}`,
    );
  }

  log(...args: unknown[]): void {
    this.push('log', args);
  }
  error(...args: unknown[]): void {
    this.push('error', args);
  }
  warn(...args: unknown[]): void {
    this.push('warn', args);
  }
  debug(...args: unknown[]): void {
    this.push('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.push('verbose', args);
  }
  fatal(...args: unknown[]): void {
    this.push('fatal', args);
  }

  /** Lines holding a secret. */
  leaking(secrets: readonly string[]): string[] {
    return this.lines.filter((l) => secrets.some((s) => l.includes(s)));
  }
}
