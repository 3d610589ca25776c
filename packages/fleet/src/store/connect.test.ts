import { describe, expect, it } from 'vitest';
import { classifyDatabaseError, describeDatabase } from './connect.js';

const url = 'postgres://godmode:s3cret@db.internal:6543/fleet';

// A connection failure, and what the user is told to do: one rule, pinned.
describe('classifyDatabaseError', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'unreachable', 'external'],
    [{ code: 'ETIMEDOUT', message: 'timeout' }, 'unreachable', 'external'],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db.internal' }, 'unreachable', 'external'],
    [{ code: '57P03', message: 'the database system is starting up' }, 'unreachable', 'external'],
    [{ message: 'Connection terminated due to connection timeout' }, 'unreachable', 'external'],
    [{ code: '28P01', message: 'password authentication failed for user "godmode"' }, 'credentials', 'user'],
    [{ code: '28000', message: 'no pg_hba.conf entry for host' }, 'credentials', 'user'],
    [{ code: '3D000', message: 'database "fleet" does not exist' }, 'no-database', 'user'],
  ])('%j → %s (%s)', (error, problem, audience) => {
    const classified = classifyDatabaseError(error, url);
    expect(classified?.problem).toBe(problem);
    expect(classified?.audience).toBe(audience);
    expect(classified?.message).toContain('db.internal:6543/fleet');
    expect(classified?.message).not.toContain('s3cret');
  });

  it('leaves errors that are not about the connection alone', () => {
    expect(classifyDatabaseError({ code: '42P01', message: 'relation does not exist' }, url)).toBeNull();
  });

  it('never shows the password of a URL', () => {
    expect(describeDatabase(url)).toBe('db.internal:6543/fleet');
    expect(describeDatabase('not a url')).toBe('(unparseable URL)');
  });
});
