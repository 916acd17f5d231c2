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

  it('reports each timed-out session once, from the sweep, a later call or a logout, with the time it expired', () => {
    let now = 1_000_000;
    const expired: number[] = [];
    const sessions = new ManagerSessions({ now: () => new Date(now) }, { idleMs: 60_000, sweepMs: 0, onDidExpire: (at) => expired.push(at.getTime()) });
    const a = sessions.issue();
    const b = sessions.issue();
    const c = sessions.issue();
    now += 30_000;
    sessions.require(c);
    now += 31_000;
    // a and b idle for 61 s: the sweep ends both; c (used 31 s ago) lives on.
    sessions.sweep();
    expect(expired).toEqual([1_060_000, 1_060_000]);
    expect(() => sessions.require(a)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(sessions.end(b)).toBe(false);
    expect(expired).toHaveLength(2);
    // c times out and is first noticed by the manager's next call: reported then, and only then.
    now += 60_001;
    expect(() => sessions.require(c)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(expired).toEqual([1_060_000, 1_060_000, 1_090_000]);
    sessions.sweep();
    expect(expired).toHaveLength(3);
    // A live session logged out is not an expiry.
    const d = sessions.issue();
    expect(sessions.end(d)).toBe(true);
    expect(expired).toHaveLength(3);
  });
});
