/**
 * The relay's route seen over plain HTTP: what a GET without a WebSocket upgrade gets (a client
 * behind a proxy that drops the Upgrade header, a curious browser), and the OpenAPI document.
 * The socket itself is tested in relay.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { Client, listen } from '../../test/helpers/sharing.ts';

describe('GET /api/shares/ws without an upgrade', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 426 Upgrade Required as problem+json with a stable code', async () => {
    const res = await t.app.inject({ url: '/api/shares/ws' });
    expect(res.statusCode).toBe(426);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers.upgrade).toBe('websocket');
    expect(res.json()).toMatchObject({ status: 426, code: 'HAVRE_ERR_UPGRADE_REQUIRED' });
    // The Origin check comes first, as for an upgrade.
    const foreign = await t.app.inject({
      url: '/api/shares/ws',
      headers: { origin: 'https://evil.example' },
    });
    expect([foreign.statusCode, foreign.json().code]).toEqual([403, 'HAVRE_ERR_FORBIDDEN']);
  });

  it('is in the OpenAPI document with its answers', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/shares/ws']?.get;
    expect(op?.tags).toEqual(['sharing']);
    expect(Object.keys(op?.responses ?? {}).sort()).toEqual(['101', '403', '426']);
  });

  it('still opens the socket on an upgrade', async () => {
    const url = await listen(t);
    const client = await Client.open(url);
    try {
      expect(client.ws.readyState).toBe(client.ws.OPEN);
    } finally {
      client.ws.terminate();
    }
  });
});
