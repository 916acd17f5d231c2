import { describe, expect, it } from 'vitest';
import { ManagerSessions } from '../../../main/agent/manager-sessions';

describe('manager sessions', () => {
  it('expire after the idle time; each use extends them; logging out ends them', () => {
    let now = 1_000_000;
    const sessions = new ManagerSessions({ now: () => new Date(now) }, 60_000);
    const a = sessions.issue();
    const b = sessions.issue();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    now += 59_000;
    sessions.require(a);
    now += 59_000;
    // a was used a moment ago; b has been idle for 118 s.
    expect(() => sessions.require(a)).not.toThrow();
    expect(() => sessions.require(b)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    sessions.end(a);
    expect(() => sessions.require(a)).toThrow(/log in with the manager PIN/);
    expect(() => sessions.require(undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(() => sessions.require('made-up-session-id-000000000000')).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
  });
});
