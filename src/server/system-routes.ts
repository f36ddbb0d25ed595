/** Health, OpenAPI document and the public client configuration. */

import { sql } from 'kysely';
import { Type } from 'typebox';
import { RedisBus } from '../bus/redis-bus.ts';
import type { Db } from '../db/database.ts';
import type { App } from './app.ts';

async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}

export default async function systemRoutes(app: App) {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/api/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness for a load balancer: database and Redis reachable',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            database: Type.Boolean(),
            redis: Type.Union([Type.Boolean(), Type.Null()]),
          }),
          503: Type.Object({
            status: Type.Literal('unavailable'),
            database: Type.Boolean(),
            redis: Type.Union([Type.Boolean(), Type.Null()]),
          }),
        },
      },
    },
    async (_request, reply) => {
      const { db, bus } = app.services;
      const database = await pingDatabase(db);
      const redis = bus instanceof RedisBus ? await bus.ping() : null;
      const ready = database && redis !== false;
      reply.status(ready ? 200 : 503);
      return { status: ready ? ('ready' as const) : ('unavailable' as const), database, redis };
    },
  );

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/config',
    {
      schema: {
        tags: ['system'],
        summary: 'Public settings the web app needs',
        response: {
          200: Type.Object({
            mapStyleUrl: Type.Union([Type.String(), Type.Null()]),
            kAnonymity: Type.Integer(),
            demo: Type.Boolean(),
          }),
        },
      },
    },
    async () => ({
      mapStyleUrl: app.services.config.mapStyleUrl,
      kAnonymity: app.services.config.kAnonymity,
      demo: app.services.config.demo,
    }),
  );
}
