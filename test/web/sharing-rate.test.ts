/** The sharer's sending rate and immobility rules (web/src/sharing/rate.ts), pure. */
import { describe, expect, it } from 'vitest';
import {
  bearingDeg,
  distanceM,
  Motion,
  RATE,
  sendIntervalMs,
  shouldReportStill,
} from '../../web/src/sharing/rate.ts';

const MINUTE = 60_000;
const at = (lat: number, lon: number, t: number, accuracy = 10, speed: number | null = null) => ({
  lat,
  lon,
  t,
  accuracy,
  speed,
});

describe('distance and bearing', () => {
  it('measures a degree of latitude as about 111 km and 0.001° in Paris as about 111 m', () => {
    expect(distanceM({ lat: 48, lon: 2 }, { lat: 49, lon: 2 })).toBeCloseTo(111_195, -2);
    expect(distanceM({ lat: 48.8846, lon: 2.3206 }, { lat: 48.8856, lon: 2.3206 })).toBeCloseTo(111, 0);
  });

  it('gives north as 0°, east as 90°, south-west as about 225°', () => {
    expect(bearingDeg({ lat: 48, lon: 2 }, { lat: 49, lon: 2 })).toBeCloseTo(0, 5);
    expect(bearingDeg({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(90, 5);
    expect(bearingDeg({ lat: 0, lon: 0 }, { lat: -1, lon: -1 })).toBeCloseTo(225, 0);
  });
});

describe('send interval', () => {
  const full = { level: 0.9, charging: false };
  it('sends every 5 s when moving and every 30 s when still', () => {
    expect(sendIntervalMs({ moving: true, urgent: false, battery: full })).toBe(5_000);
    expect(sendIntervalMs({ moving: false, urgent: false, battery: full })).toBe(30_000);
  });

  it('stretches the interval ×2 below 20 % and ×4 below 10 %, unless charging', () => {
    expect(sendIntervalMs({ moving: true, urgent: false, battery: { level: 0.15, charging: false } })).toBe(
      10_000,
    );
    expect(sendIntervalMs({ moving: false, urgent: false, battery: { level: 0.05, charging: false } })).toBe(
      120_000,
    );
    expect(sendIntervalMs({ moving: true, urgent: false, battery: { level: 0.05, charging: true } })).toBe(
      5_000,
    );
    expect(sendIntervalMs({ moving: true, urgent: false, battery: null })).toBe(5_000);
  });

  it('keeps an SOS fast: 3 s moving, 10 s still, only doubled when the battery is nearly empty', () => {
    expect(sendIntervalMs({ moving: true, urgent: true, battery: { level: 0.15, charging: false } })).toBe(
      3_000,
    );
    expect(sendIntervalMs({ moving: false, urgent: true, battery: full })).toBe(10_000);
    expect(sendIntervalMs({ moving: true, urgent: true, battery: { level: 0.05, charging: false } })).toBe(
      6_000,
    );
  });
});

describe('motion', () => {
  it('treats GPS jitter within the accuracy as standing still, and counts the minutes', () => {
    const motion = new Motion();
    expect(motion.update(at(48.8846, 2.3206, 0))).toBe(true); // the first fix anchors
    for (let i = 1; i <= 20; i++) {
      const jitter = (i % 2 ? 1 : -1) * 0.0001; // ±11 m
      expect(motion.update(at(48.8846 + jitter, 2.3206, i * MINUTE, 15))).toBe(false);
    }
    expect(motion.stillMinutes(20 * MINUTE)).toBe(20);
    expect(motion.moving(20 * MINUTE)).toBe(false);
  });

  it('moves when further than 25 m from the anchor, or when the GPS reports walking speed', () => {
    const motion = new Motion();
    motion.update(at(48.8846, 2.3206, 0));
    expect(motion.update(at(48.8849, 2.3206, 10_000))).toBe(true); // 33 m
    expect(motion.stillMinutes(10_000)).toBe(0);
    expect(motion.moving(10_000 + RATE.stillMs - 1)).toBe(true);
    expect(motion.update(at(48.8849, 2.3206, 20_000, 10, 1.2))).toBe(true);
  });

  it('does not count a jump smaller than a poor fix’s accuracy as movement', () => {
    const motion = new Motion();
    motion.update(at(48.8846, 2.3206, 0, 80));
    expect(motion.update(at(48.885, 2.3206, 5_000, 80))).toBe(false); // 44 m, accuracy 80 m
  });
});

describe('immobility report', () => {
  it('reports once past the threshold, never when the threshold is 0', () => {
    expect(shouldReportStill(14, 15, false)).toBe(false);
    expect(shouldReportStill(15, 15, false)).toBe(true);
    expect(shouldReportStill(40, 15, true)).toBe(false);
    expect(shouldReportStill(600, 0, false)).toBe(false);
  });
});
