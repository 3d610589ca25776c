import { ClaudeNotLoggedInError } from './errors/claude-not-logged-in-error.js';
import { ClaudeUsageLimitError } from './errors/claude-usage-limit-error.js';
import { isResult, type ClaudeEvent } from './stream-event.js';

/**
 * Reads Claude Code's events for the failures a user must act on. Claude Code reports them as
 * an assistant message with an `error` kind (model `<synthetic>`), a `rate_limit_event` for
 * subscription limits, retries (`system/api_retry`) and an `is_error` result.
 */
export class FailureWatch {
  private authFailed = false;
  private rateLimited = false;
  private resetsAt: Date | undefined;
  private detail: string | undefined;

  /** Returns an error to stop at once for, e.g. Claude Code retrying a rejected login over minutes. */
  observe(event: ClaudeEvent): Error | undefined {
    if (event.type === 'system' && event.subtype === 'api_retry' && event.error === 'authentication_failed') {
      return new ClaudeNotLoggedInError({ reason: 'rejected', detail: `HTTP ${String(event.error_status ?? 401)} from the API` });
    }
    if (event.type === 'rate_limit_event') {
      const info = event.rate_limit_info as { status?: string; resetsAt?: number } | undefined;
      if (info?.status === 'rejected') {
        this.rateLimited = true;
        if (typeof info.resetsAt === 'number') this.resetsAt = new Date(info.resetsAt * 1000);
      }
    }
    if (event.type === 'assistant' && typeof event.error === 'string') {
      if (event.error === 'authentication_failed') this.authFailed = true;
      if (event.error === 'rate_limit') this.rateLimited = true;
    }
    return undefined;
  }

  /** The typed error a finished run stands for, if its result is one of the failures above. */
  fromResult(event: ClaudeEvent): Error | undefined {
    if (!isResult(event) || !event.is_error) return undefined;
    const text = typeof event.result === 'string' ? event.result : '';
    this.detail = text.split('\n')[0]?.slice(0, 200);
    if (this.authFailed || /^(Not logged in|Invalid API key)|OAuth token (has expired|revoked)/i.test(text)) {
      return new ClaudeNotLoggedInError({ reason: /^Not logged in/i.test(text) ? 'no-credentials' : 'rejected', detail: this.detail });
    }
    if (this.rateLimited || /hit your .*limit|usage limit|^API Error: 429\b/i.test(text)) {
      return new ClaudeUsageLimitError({ ...(this.resetsAt ? { resetsAt: this.resetsAt } : {}), detail: this.detail });
    }
    return undefined;
  }
}
