import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real terminal for an interactive command: a tmux server on its own socket, one window running
 * the command, driven with send-keys and read with capture-pane.
 */
export class TmuxSession {
  private readonly socket = `godmode-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(private readonly dir: string) {}

  start(argv: string[], env: Record<string, string>, cwd: string): void {
    const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
    const script = join(this.dir, 'tmux-command.sh');
    // The command's exit code is printed after it, so a test can see it leave and how.
    writeFileSync(
      script,
      [
        ...Object.entries(env).map(([key, value]) => `export ${key}=${quote(value)}`),
        `cd ${quote(cwd)}`,
        `${argv.map(quote).join(' ')}`,
        'echo "COMMAND-EXIT:$?"',
        'sleep 600',
      ].join('\n') + '\n',
    );
    this.tmux('new-session', '-d', '-s', 'main', '-x', '200', '-y', '50', `sh ${quote(script)}`);
  }

  /** Types text (literally), then Enter if asked. */
  type(text: string, enter = true): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
    if (enter) this.tmux('send-keys', '-t', 'main', 'Enter');
  }

  key(name: string): void {
    this.tmux('send-keys', '-t', 'main', name);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'main');
  }

  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern} on screen:\n${screen}`);
      await sleep(100);
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }
}
