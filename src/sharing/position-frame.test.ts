import { describe, expect, it } from 'vitest';
import { MAX_POSITION_CIPHERTEXT } from '../shared/envelope.ts';
import { positionFrame, readPositionFrame } from './position-frame.ts';

const SHARE = '0b6f3c2a-9d4e-4f1a-8b7c-1234567890ab';
const C = 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5-_';
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('position frame read in place', () => {
  it('reads what a browser sends (JSON.stringify of {type, share, seq, c}), same bytes as the frame built again', () => {
    for (const seq of [0, 7, 1795880000000000, Number.MAX_SAFE_INTEGER]) {
      const data = bytes({ type: 'pos', share: SHARE, seq, c: C });
      expect(readPositionFrame(data)).toEqual({ share: SHARE, seq, c: C });
      expect(positionFrame(SHARE, seq, C).equals(data)).toBe(true);
    }
  });

  it('leaves every other spelling to JSON.parse (null), never reading it differently', () => {
    const others = [
      { type: 'pos', seq: 1, c: C }, // share left out
      { type: 'pos', seq: 1, share: SHARE, c: C }, // key order
      { type: 'pos', share: SHARE.toUpperCase(), seq: 1, c: C },
      { type: 'pos', share: SHARE.replace(/-/g, 'x'), seq: 1, c: C },
      { type: 'pos', share: SHARE, seq: -1, c: C },
      { type: 'pos', share: SHARE, seq: 1.5, c: C },
      { type: 'pos', share: SHARE, seq: 1e21, c: C },
      { type: 'pos', share: SHARE, seq: Number.MAX_SAFE_INTEGER + 1, c: C },
      { type: 'pos', share: SHARE, seq: '1', c: C },
      { type: 'pos', share: SHARE, seq: 1, c: '' },
      { type: 'pos', share: SHARE, seq: 1, c: `${C}=` },
      { type: 'pos', share: SHARE, seq: 1, c: 'a'.repeat(MAX_POSITION_CIPHERTEXT + 1) },
      { type: 'pos', share: SHARE, seq: 1, c: C, extra: 1 },
      { type: 'pos', share: SHARE, seq: 1, c: 5 },
    ];
    for (const frame of others) expect(readPositionFrame(bytes(frame))).toBeNull();
    const raw = [
      `{"type":"pos","share":"${SHARE}","seq":01,"c":"${C}"}`,
      `{"type":"pos","share":"${SHARE}","seq":1,"c":"${C}"} `,
      `{"type":"pos","share":"${SHARE}","seq":1,"c":"${C}"}}`,
      `{"type":"pos","share":"${SHARE}","seq":1,"c":"${C}`,
      `{"type":"pos", "share":"${SHARE}","seq":1,"c":"${C}"}`,
      `{"type":"pos","share":"${SHARE}","seq":,"c":"${C}"}`,
      `{"type":"pos","share":"${SHARE}","seq":1,"c":"${C}\\u0041"}`,
      '{"type":"pos","share":"',
      '',
    ];
    for (const text of raw) expect(readPositionFrame(bytes(text))).toBeNull();
  });

  it('accepts a ciphertext of exactly the largest size', () => {
    const c = 'a'.repeat(MAX_POSITION_CIPHERTEXT);
    expect(readPositionFrame(bytes({ type: 'pos', share: SHARE, seq: 3, c }))?.c).toBe(c);
  });
});
