import { describe, expect, it } from 'vitest';
import { acceptsGzip } from './content-coding.ts';

describe('acceptsGzip', () => {
  it('reads what browsers and tools send', () => {
    expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true); // Chromium
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('x-gzip')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false); // curl without --compressed
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
  });

  it('lets an explicit gzip entry decide over *, and q=0 refuse', () => {
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*;q=0.5, gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip;q=0.001, *;q=0')).toBe(true);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('GZIP ; Q=0.5')).toBe(true);
  });
});
