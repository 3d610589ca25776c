import { CanaryMatcher } from '@godmode/scorer';

/** What replaces a planted secret in anything sent to the page. */
export const redactedMark = '[canary]';

/**
 * Removes the run's planted canaries — raw, base64, hex and URL-encoded, as the scorer finds them — from
 * text about to leave the server. Applied to the serialised JSON of every message, so no field can be
 * forgotten: no canary form contains a character JSON escapes, so a canary in a value is verbatim in the JSON.
 */
export class Redactor {
  private readonly pattern: RegExp | null;

  constructor(canaries: readonly string[]) {
    const source = new CanaryMatcher(canaries).source;
    this.pattern = source === null ? null : new RegExp(source, 'g');
  }

  redact(text: string): string {
    return this.pattern === null ? text : text.replace(this.pattern, redactedMark);
  }
}
