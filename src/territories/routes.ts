import type { App } from '../server/app.ts';

export default async function territoriesRoutes(_app: App) {}
