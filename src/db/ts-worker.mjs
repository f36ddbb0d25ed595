/**
 * Entry point of worker threads written in TypeScript (src/reports/batch-thread.ts). A worker
 * does not inherit the TypeScript loader of the main thread (tsx at run time, Vite in tests):
 * this plain-JavaScript entry registers tsx in the thread, as scripts/start.mjs does for the
 * server, then imports the module named by `workerData.module` (a file URL). So the worker runs
 * the very code the main thread would, not a copy of it in JavaScript.
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
