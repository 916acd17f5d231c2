import { afterEach, describe, expect, it } from 'vitest';
import { TillError } from '../../../../main/core/errors';
import { createScanner, NoScanner } from '../../../../native/scanners/create-scanner';
import { FakeScanner } from '../../../../native/scanners/fake-scanner';
import { HidScanner } from '../../../../native/scanners/hid-scanner';
import { describeOpenError, SerialScanner } from '../../../../native/scanners/serial-scanner';

const fake = new FakeScanner();

describe('FakeScanner', () => {
  afterEach(() => fake.reset());

  it('emits scans once connected and records them', async () => {
    const seen: string[] = [];
    fake.onDidScan((s) => seen.push(s.raw));
    await fake.open();
    fake.emit('4006381333931');
    expect(seen).toEqual(['4006381333931']);
    expect(fake.recording).toEqual([{ raw: '4006381333931', symbology: undefined }]);
  });

  it('throws DEVICE_DISCONNECTED when emitting while unplugged, like a dead device', async () => {
    await fake.open();
    fake.setStatus({ state: 'disconnected', reason: 'unplugged' });
    expect(() => fake.emit('1')).toThrow(TillError);
    try {
      fake.emit('1');
    } catch (error) {
      expect((error as TillError).code).toBe('DEVICE_DISCONNECTED');
    }
  });

  it('fires status changes only when the status changes', async () => {
    const states: string[] = [];
    fake.onDidChangeStatus((s) => states.push(s.state));
    await fake.open();
    await fake.open();
    fake.setStatus({ state: 'unavailable', reason: 'x' });
    expect(states).toEqual(['connected', 'unavailable']);
  });

  it('reset forgets listeners, recording and status', async () => {
    const seen: string[] = [];
    fake.onDidScan((s) => seen.push(s.raw));
    await fake.open();
    fake.reset();
    await fake.open();
    fake.emit('1');
    expect(seen).toEqual([]);
    expect(fake.recording).toHaveLength(1);
  });

  it('a throwing listener does not cost the others their scan', async () => {
    const seen: string[] = [];
    fake.onDidScan(() => {
      throw new Error('bad listener');
    });
    const sub = fake.onDidScan((s) => seen.push(s.raw));
    await fake.open();
    fake.emit('1');
    sub.dispose();
    fake.emit('2');
    expect(seen).toEqual(['1']);
  });
});

describe('createScanner', () => {
  it('builds the configured kind without opening anything', () => {
    expect(createScanner({ kind: 'serial', path: '/dev/ttyACM0', baudRate: 9600, terminator: 'CR' })).toBeInstanceOf(SerialScanner);
    expect(createScanner({ kind: 'hid', vendorId: 0x0c2e })).toBeInstanceOf(HidScanner);
    const none = createScanner({ kind: 'none' });
    expect(none).toBeInstanceOf(NoScanner);
    expect(none.status.state).toBe('unavailable');
    expect(createScanner({ kind: 'hid' }).id).toBe('hid:*:*');
  });
});

describe('describeOpenError', () => {
  it('turns open errors into statuses a manager can act on', () => {
    expect(describeOpenError('/dev/ttyUSB0', new Error('Error: No such file or directory, cannot open /dev/ttyUSB0'))).toMatchObject({ state: 'disconnected' });
    expect(describeOpenError('/dev/ttyUSB0', new Error('Error: Permission denied, cannot open /dev/ttyUSB0'))).toMatchObject({
      state: 'unavailable',
      reason: expect.stringContaining('dialout'),
    });
    expect(describeOpenError('/dev/ttyUSB0', new Error('Error Resource temporarily unavailable Cannot lock port'))).toMatchObject({ state: 'unavailable' });
  });
});
