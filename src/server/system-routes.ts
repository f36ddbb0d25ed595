/** Health, OpenAPI document and the public client configuration. */
import { Type } from 'typebox';
import type { App } from './app.ts';

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
