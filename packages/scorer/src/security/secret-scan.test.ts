import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanTree } from '../tree/scan-tree.js';

const jwt = (payload: object) => ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', Buffer.from(JSON.stringify(payload)).toString('base64url'), 'c2lnbmF0dXJlc2lnbmF0dXJl'].join('.');
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'godmode-secrets-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

describe('secrets in the tree', () => {
  it('finds Supabase keys, gmmcp tokens, JWTs by role and private keys, with lines and masked values', async () => {
    const secret = 'sb_secret_' + 'N7yQ2kLm9PzX4vB8wR1tC6';
    const root = tree({
      'src/config.ts': `export const a = 1;\nconst key = '${secret}';\n`,
      '.env': `SUPABASE_ACCESS_TOKEN=sbp_0123456789abcdef0123456789abcdef01234567\nGODMODE_TOKEN=gmmcp_AbCdEf0123456789xyz\n`,
      'keys/id_rsa': '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
      'src/service.ts': `const s = '${jwt({ role: 'service_role', iss: 'supabase' })}';\n`,
      'src/anon.ts': `const s = '${jwt({ role: 'anon', iss: 'supabase' })}';\n`,
      'node_modules/pkg/index.js': `'${secret}'`,
    });
    const { secrets } = await scanTree(root);
    const by = Object.fromEntries(secrets.map((f) => [`${f.rule}@${f.file}:${f.line}`, f.severity]));
    expect(by).toEqual({
      'secret.supabase-secret-key@src/config.ts:2': 'critical',
      'secret.supabase-access-token@.env:1': 'critical',
      'secret.godmode-mcp-token@.env:2': 'high',
      'secret.private-key@keys/id_rsa:1': 'critical',
      'secret.jwt@src/service.ts:1': 'critical',
      'secret.jwt@src/anon.ts:1': 'low',
    });
    expect(secrets.map((f) => f.message).join('\n')).not.toContain(secret);
  });

  it('ignores placeholders and clean trees', async () => {
    const root = tree({ 'README.md': 'Set SUPABASE_SECRET=sb_secret_xxxxxxxxxxxxxxxxxxxx and GODMODE_TOKEN=gmmcp_your-token-here-please\n', 'a.ts': 'export {}' });
    expect((await scanTree(root)).secrets).toEqual([]);
  });
});
