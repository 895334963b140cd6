import { type Identity } from '@lateral/identity';
import { describe, expect, it } from 'vitest';
import { PageAccess } from './page-access.js';

const as = (role: Identity['role']) => PageAccess.of({ userId: 'u-1', name: 'U', role });

describe('PageAccess', () => {
  it('lets global editors write team spaces, only editor/admin members write private ones', () => {
    const team = { visibility: 'team' as const, myRole: null };
    const privateReader = { visibility: 'private' as const, myRole: 'reader' as const };
    const privateEditor = { visibility: 'private' as const, myRole: 'editor' as const };
    expect(as('editor').canWrite(team)).toBe(true);
    expect(as('reader').canWrite(team)).toBe(false);
    expect(as('editor').canWrite(privateReader)).toBe(false);
    expect(as('editor').canWrite(privateEditor)).toBe(true);
    expect(as('admin').canWrite(privateReader)).toBe(true);
  });

  it('lets only space admins and global admins administer a space', () => {
    expect(as('editor').canAdmin({ visibility: 'team', myRole: 'editor' })).toBe(false);
    expect(as('reader').canAdmin({ visibility: 'private', myRole: 'admin' })).toBe(true);
    expect(as('admin').canAdmin({ visibility: 'private', myRole: null })).toBe(true);
  });

  it('reads everything as a global admin, else filters by team spaces and membership', () => {
    const params: unknown[] = ['x'];
    expect(as('admin').readable(params)).toBe('TRUE');
    expect(params).toEqual(['x']);
    const sql = as('editor').readable(params, 't.space_id');
    expect(params).toEqual(['x', 'u-1']);
    expect(sql).toMatch(
      /^t\.space_id IN \(SELECT rs\.id FROM spaces rs WHERE rs\.visibility = 'team'/,
    );
    expect(sql).toContain('rm.user_id = $2::text');
  });
});
