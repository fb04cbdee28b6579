import type { LoggerService } from '@nestjs/common';

/** One line a CaptureLogger received. */
export interface CapturedLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context: string | undefined;
}

/** A Nest LoggerService that keeps every line, to assert what a component logged and under which context. */
export class CaptureLogger implements LoggerService {
  readonly lines: CapturedLine[] = [];

  private push(level: CapturedLine['level'], message: unknown, rest: unknown[]): void {
    const context = [...rest].reverse().find((r) => typeof r === 'string' && !r.includes('\n')) as string | undefined;
    this.lines.push({ level, message: String(message), context });
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.push('fatal', message, rest);
  }

  /** Lines of a level, optionally under a context. */
  of(level: CapturedLine['level'], context?: string): CapturedLine[] {
    return this.lines.filter((l) => l.level === level && (context === undefined || l.context === context));
  }
}
