import { describe, expect, it } from 'vitest';
import { readableLogLine } from './log-lines';
import { createLogger } from './logger';

const TIME = /^\d\d:\d\d:\d\d\.\d{3} /;

describe('readable log lines', () => {
  it('show time, level, message and the fields, without the ones every line has', () => {
    const line = readableLogLine(
      JSON.stringify({
        level: 30,
        time: Date.now(),
        pid: 4242,
        hostname: 'box',
        service: 'livechat',
        msg: 'room created',
        roomId: 'k3vq-8m2x-d7tp',
        members: 2,
        public: false,
      }),
    );
    expect(line).toMatch(TIME);
    expect(line.replace(TIME, '')).toBe(
      'INFO  room created roomId=k3vq-8m2x-d7tp members=2 public=false',
    );
  });

  it('quote text with spaces, and write objects as JSON', () => {
    const line = readableLogLine(
      JSON.stringify({
        level: 40,
        time: 0,
        msg: 'readiness check failed',
        check: 'redis store',
        limits: { joins: 10 },
      }),
    );
    expect(line.replace(TIME, '')).toBe(
      'WARN  readiness check failed check="redis store" limits={"joins":10}',
    );
  });

  it('put an error on the line and its stack below it', () => {
    const line = readableLogLine(
      JSON.stringify({
        level: 50,
        time: 0,
        msg: 'request failed',
        url: '/rooms/x',
        err: { name: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at a (x.ts:1:1)' },
      }),
    );
    expect(line.replace(TIME, '')).toBe(
      'ERROR request failed url=/rooms/x err="TypeError: boom"\n    at a (x.ts:1:1)',
    );
  });

  it('leave a line that is not a JSON object as it is', () => {
    expect(readableLogLine('not json\n')).toBe('not json');
    expect(readableLogLine('[1,2]')).toBe('[1,2]');
  });
});

describe('createLogger', () => {
  function capture() {
    const written: string[] = [];
    return { written, out: { write: (text: string) => written.push(text) } };
  }

  it('writes readable lines when asked to, one per entry', () => {
    const { written, out } = capture();
    createLogger({ level: 'info', readable: true, out }).info({ port: 3000 }, 'livechat ready');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}livechat ready port=3000\n$/);
  });

  it('writes JSON otherwise, with the level it was given', () => {
    const { written, out } = capture();
    const logger = createLogger({ level: 'warn', readable: false, out });
    logger.info({}, 'not shown');
    logger.warn({ check: 'store' }, 'readiness check failed');
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0]!)).toMatchObject({
      level: 40,
      service: 'livechat',
      msg: 'readiness check failed',
      check: 'store',
    });
  });
});
