import { describe, expect, it } from 'vitest';
import type { Message } from '../protocol/definitions';
import { IDLE_AFTER_MS, tabIsIdle } from './idle';
import { mentions } from './mentions';
import { TYPING_IDLE_MS, TYPING_REPEAT_MS, TypingSignal } from './typing-signal';
import { typingText } from './typing-text';
import { countUnread, titleWithUnread } from './unread';

describe('the typing line', () => {
  it('names one or two typists, and says "several" beyond', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Alice'])).toBe('Alice is typing…');
    expect(typingText(['Alice', 'Bob'])).toBe('Alice and Bob are typing…');
    expect(typingText(['Alice', 'Bob', 'Carol'])).toBe('Several people are typing…');
  });
});

describe('mentions', () => {
  it('finds @nickname in any case, at a word end', () => {
    expect(mentions('hi @alice!', 'Alice')).toBe(true);
    expect(mentions('@ALICE', 'Alice')).toBe(true);
    expect(mentions('ask @Mary Jane about it', 'Mary Jane')).toBe(true);
    // The two are one nickname, so one mentions the other.
    expect(mentions('@STRASSE', 'Straße')).toBe(true);
  });

  it('ignores a longer name, a bare name and an empty nickname', () => {
    expect(mentions('hi @alicette', 'Alice')).toBe(false);
    expect(mentions('hi alice', 'Alice')).toBe(false);
    expect(mentions('@', '')).toBe(false);
    expect(mentions('@alicette and @alice', 'Alice')).toBe(true);
  });

  it('finds a look-alike spelling, as the nickname rule would refuse it beside Alice', () => {
    expect(mentions('hi @\u0410lice', 'Alice')).toBe(true);
    expect(mentions('hi @AIice', 'Alice')).toBe(true);
    expect(mentions('hi @\u0412\u041e\u0412', 'Bob')).toBe(true);
    expect(mentions('hi @Alicia', 'Alice')).toBe(false);
    expect(mentions('hi @Борис', 'Boris')).toBe(false);
  });

  it('finds a mention inside Markdown, as the reader sees it', () => {
    expect(mentions('**@alice** look', 'Alice')).toBe(true);
    expect(mentions('_@alice_, look', 'Alice')).toBe(true);
    expect(mentions('> @alice?\n\n- ask `@alice`', 'Alice')).toBe(true);
    expect(mentions('\\@alice', 'Alice')).toBe(true);
    expect(mentions('&#64;alice and &commat;bob', 'Alice')).toBe(true);
    expect(mentions('hi \uFF20alice', 'Alice')).toBe(true);
    // A nickname with Markdown characters in it, mentioned as typed.
    expect(mentions('hi @*star*', '*star*')).toBe(true);
    expect(mentions('hi @a_b_', 'a_b_')).toBe(true);
  });

  it('does not join the words of two blocks into a mention', () => {
    expect(mentions('@ali\n\nce', 'Alice')).toBe(false);
    expect(mentions('_@alice_bob_', 'Alice')).toBe(false);
  });
});

describe('unread count', () => {
  const message = (seq: number, author: string, kind: 'user' | 'system' = 'user'): Message => ({
    id: `m${seq}`,
    roomId: 'r',
    seq,
    kind,
    author,
    text: 'x',
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  it('counts others’ messages after the mark, not our own or announcements', () => {
    const log = [
      message(1, 'Bob'),
      message(2, 'Bob'),
      message(3, 'Alice'),
      message(4, 'Carol', 'system'),
      message(5, 'Carol'),
    ];
    expect(countUnread(log, 1, 'Alice')).toBe(2);
    expect(countUnread(log, 5, 'Alice')).toBe(0);
  });

  it('puts the count in front of the title', () => {
    expect(titleWithUnread('Room x · livechat', 0)).toBe('Room x · livechat');
    expect(titleWithUnread('Room x · livechat', 3)).toBe('(3) Room x · livechat');
    expect(titleWithUnread('t', 120)).toBe('(99+) t');
  });
});

describe('typing signal', () => {
  function setup() {
    let now = 0;
    const sent: boolean[] = [];
    let timer: { run: () => void; at: number } | undefined;
    const signal = new TypingSignal({
      send: (typing) => sent.push(typing),
      now: () => now,
      setTimer: (run, ms) => (timer = { run, at: now + ms }),
      clearTimer: () => (timer = undefined),
    });
    const advance = (ms: number) => {
      now += ms;
      if (timer && timer.at <= now) {
        const due = timer;
        timer = undefined;
        due.run();
      }
    };
    return { signal, sent, advance };
  }

  it('says "typing" at once, then at most every 2 s while keys keep coming', () => {
    const { signal, sent, advance } = setup();
    signal.input();
    advance(500);
    signal.input();
    advance(1_000);
    signal.input();
    expect(sent).toEqual([true]);
    advance(TYPING_REPEAT_MS - 1_500);
    signal.input();
    expect(sent).toEqual([true, true]);
  });

  it('says "stopped" after 5 s without a key, once', () => {
    const { signal, sent, advance } = setup();
    signal.input();
    advance(TYPING_IDLE_MS);
    expect(sent).toEqual([true, false]);
    signal.stop();
    expect(sent).toEqual([true, false]);
  });

  it('says "stopped" on send or blur, and nothing when it was not typing', () => {
    const { signal, sent } = setup();
    signal.stop();
    expect(sent).toEqual([]);
    signal.input();
    signal.stop();
    signal.input();
    expect(sent).toEqual([true, false, true]);
  });
});

describe('idle tabs', () => {
  it('a hidden tab is idle at once; a visible one after five minutes untouched', () => {
    expect(tabIsIdle({ hidden: true, lastActivityMs: 1_000, nowMs: 1_000 })).toBe(true);
    expect(tabIsIdle({ hidden: false, lastActivityMs: 0, nowMs: IDLE_AFTER_MS - 1 })).toBe(false);
    expect(tabIsIdle({ hidden: false, lastActivityMs: 0, nowMs: IDLE_AFTER_MS })).toBe(true);
  });
});
