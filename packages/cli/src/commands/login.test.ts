import { describe, expect, it } from 'vitest';
import { browserDecision } from './login.js';

describe('godmode login opens the page only on a desktop session', () => {
  it.each([
    ['Linux with X11', true, { DISPLAY: ':0' }, 'linux', true, 'desktop'],
    ['Linux with Wayland', true, { WAYLAND_DISPLAY: 'wayland-0' }, 'linux', true, 'desktop'],
    ['Linux console, no display', true, {}, 'linux', false, 'no display'],
    ['macOS', true, {}, 'darwin', true, 'desktop'],
    ['Windows', true, {}, 'win32', true, 'desktop'],
    ['--no-browser wins', false, { DISPLAY: ':0' }, 'darwin', false, '--no-browser'],
    ['over SSH, even with X forwarding', true, { DISPLAY: 'localhost:10.0', SSH_CONNECTION: '10.0.0.2 51000 10.0.0.1 22' }, 'linux', false, 'SSH session'],
    ['over SSH to a Mac', true, { SSH_TTY: '/dev/ttys001' }, 'darwin', false, 'SSH session'],
    ['in CI', true, { CI: 'true', DISPLAY: ':99' }, 'linux', false, 'CI'],
    ['CI=false is not CI', true, { CI: 'false' }, 'darwin', true, 'desktop'],
    ['FreeBSD with X11', true, { DISPLAY: ':0' }, 'freebsd', true, 'desktop'],
  ] as const)('%s', (_name, wanted, env, platform, open, reason) => {
    expect(browserDecision(wanted, env, platform as NodeJS.Platform)).toEqual({ open, reason });
  });
});
