/** Global set-up of the browser journeys: the web app is built once, before any of them runs. */
import { ensureWebBuilt } from './server.ts';

export default function setup(): void {
  ensureWebBuilt();
}
