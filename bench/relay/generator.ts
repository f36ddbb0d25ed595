/**
 * Load generator of the relay benchmark (one of several child processes: the open-files
 * limit is 20,000 per process). Drives the same pattern against Havre's relay, Mosquitto
 * (MQTT 3.1.1, QoS 0) and a minimal `ws` relay: each sharer sends position frames to its
 * share's watchers. A frame's `seq` is the send instant in µs since the epoch, so a watcher
 * computes the delivery latency without any extra field; every system carries the same
 * bytes (`{"type":"pos","share":…,"seq":…,"c":…}`). Both protocols are spoken by equally lean
 * clients over node:net (`mqtt.ts`, `ws-client.ts`), so that the generators' own cost per
 * message does not differ between the systems they compare.
 */
import { serveParent } from '../lib/proc.ts';
import { Samples, sleep } from '../lib/stats.ts';
import { MqttClient, publishHeader } from './mqtt.ts';
import { WsClient } from './ws-client.ts';

type Kind = 'havre' | 'havrePg' | 'mqtt' | 'ws';
export interface ShareSpec {
  share: string;
  sharer: string; // token (Havre)
  watchers: string[];
}

interface Share {
  spec: ShareSpec;
  send: (frame: string) => void;
  /** Deliveries still expected for the frame in flight (saturation). */
  outstanding: number;
  lastSend: number;
}

interface System {
  shares: Share[];
  sockets: { close(): void }[];
}

const systems = new Map<Kind, System>();
let c = '';
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const frameOf = (share: string, seq: number) => `{"type":"pos","share":"${share}","seq":${seq},"c":"${c}"}`;

// What watchers see, per phase.
let latencies = new Samples();
/** Send instants (s since the phase began) of deliveries slower than 10 ms: do the slow ones cluster? */
let slow: number[] = [];
let phaseStartUs = 0;
let delivered = 0;
let onDelivered: ((share: Share) => void) | null = null;

function received(share: Share, data: Buffer | string) {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const i = text.indexOf('"seq":');
  if (i < 0 || text.charCodeAt(2) !== 116 /* "type" */ || !text.startsWith('{"type":"pos"')) return;
  const seq = Number(text.slice(i + 6, text.indexOf(',', i)));
  const ms = (nowUs() - seq) / 1000;
  latencies.push(ms);
  if (ms > 10 && slow.length < 5000) slow.push(Math.round((seq - phaseStartUs) / 1e5) / 10);
  delivered++;
  onDelivered?.(share);
}

/** The next message of this type on the socket (others are skipped; an error frame fails). */
function nextMessage(ws: WsClient, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(t);
      ws.onMessage = () => {};
      ws.onClose = () => {};
    };
    const t = setTimeout(() => {
      done();
      reject(new Error(`no ${type}`));
    }, 30_000);
    ws.onClose = (code) => {
      done();
      reject(new Error(`closed ${code} before ${type}`));
    };
    ws.onMessage = (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === type) {
        done();
        resolve(msg);
      } else if (msg.type === 'error') {
        done();
        reject(new Error(`relay error ${JSON.stringify(msg)}`));
      }
    };
  });
}

/**
 * A socket that authenticates and joins as the PWA does. Havre drops a socket whose auth has not
 * completed within 1 s (4401); when 15,000 connect at once its database may be that slow, so a
 * dropped socket tries again (counted in `retries`).
 */
async function havreSocket(port: number, token: string, share: string): Promise<WsClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await havreSocketOnce(port, token, share);
    } catch (error) {
      if (attempt >= 4) throw error;
      retries++;
      await sleep(200 * (attempt + 1));
    }
  }
}
let retries = 0;

async function havreSocketOnce(port: number, token: string, share: string) {
  const ws = await WsClient.open(`ws://127.0.0.1:${port}/api/shares/ws`);
  const ready = nextMessage(ws, 'ready');
  ws.send(JSON.stringify({ type: 'auth', token }));
  await ready;
  const joined = nextMessage(ws, 'joined');
  ws.send(JSON.stringify({ type: 'join', share }));
  await joined;
  return ws;
}

async function connectShare(kind: Kind, port: number, spec: ShareSpec, sys: System): Promise<void> {
  const share: Share = { spec, send: () => {}, outstanding: 0, lastSend: 0 };
  if (kind === 'mqtt') {
    const topic = `havre/${spec.share}`;
    const header = publishHeader(topic, Buffer.byteLength(frameOf(spec.share, nowUs())));
    for (let w = 0; w < spec.watchers.length; w++) {
      const m = new MqttClient(port);
      await m.open(`w-${spec.share}-${w}`);
      await m.subscribe(topic);
      m.onPublish = (payload) => received(share, payload);
      sys.sockets.push({ close: () => m.socket.destroy() });
    }
    const s = new MqttClient(port);
    await s.open(`s-${spec.share}`);
    share.send = (frame) => s.socket.write(Buffer.concat([header, Buffer.from(frame)]));
    sys.sockets.push({ close: () => s.socket.destroy() });
  } else if (kind === 'ws') {
    for (let w = 0; w < spec.watchers.length; w++) {
      const ws = await WsClient.open(`ws://127.0.0.1:${port}/?room=${spec.share}&role=watcher`);
      ws.onMessage = (data) => received(share, data);
      sys.sockets.push({ close: () => ws.terminate() });
    }
    const s = await WsClient.open(`ws://127.0.0.1:${port}/?room=${spec.share}&role=sharer`);
    share.send = (frame) => s.send(frame);
    sys.sockets.push({ close: () => s.terminate() });
  } else {
    for (const token of spec.watchers) {
      const ws = await havreSocket(port, token, spec.share);
      ws.onMessage = (data) => received(share, data);
      sys.sockets.push({ close: () => ws.terminate() });
    }
    const s = await havreSocket(port, spec.sharer, spec.share);
    share.send = (frame) => s.send(frame); // acks come back on this socket; not counted
    sys.sockets.push({ close: () => s.terminate() });
  }
  sys.shares.push(share);
}

serveParent({
  async connect({
    kind,
    port,
    shares,
    ciphertext,
  }: {
    kind: Kind;
    port: number;
    shares: ShareSpec[];
    ciphertext: string;
  }) {
    c = ciphertext;
    const sys: System = { shares: [], sockets: [] };
    systems.set(kind, sys);
    const t0 = performance.now();
    retries = 0;
    const step = kind === 'mqtt' || kind === 'ws' ? 50 : 20;
    for (let i = 0; i < shares.length; i += step)
      await Promise.all(shares.slice(i, i + step).map((s) => connectShare(kind, port, s, sys)));
    return { sockets: sys.sockets.length, ms: performance.now() - t0, retries };
  },

  /** Every sharer sends one frame every `intervalMs` (phases spread evenly) for `durationMs`. */
  async steady({ kind, durationMs, intervalMs }: { kind: Kind; durationMs: number; intervalMs: number }) {
    const sys = systems.get(kind) as System;
    latencies = new Samples();
    slow = [];
    phaseStartUs = nowUs();
    delivered = 0;
    onDelivered = null;
    let sent = 0;
    const timers: NodeJS.Timeout[] = [];
    sys.shares.forEach((share, i) => {
      const first = setTimeout(
        () => {
          const tick = () => {
            share.send(frameOf(share.spec.share, nowUs()));
            sent++;
          };
          tick();
          timers.push(setInterval(tick, intervalMs));
        },
        (i * intervalMs) / sys.shares.length,
      );
      timers.push(first);
    });
    await sleep(durationMs);
    for (const t of timers) clearTimeout(t);
    await sleep(500); // last deliveries
    return { sent, delivered, latencies: Array.from(latencies.values()), slow };
  },

  /**
   * Saturation: each sharer sends its next frame as soon as all its watchers got the previous
   * one (at most 150 frames/s per sharer: Havre closes a socket above 200 messages/s).
   */
  async saturate({ kind, durationMs }: { kind: Kind; durationMs: number }) {
    const sys = systems.get(kind) as System;
    latencies = new Samples();
    delivered = 0;
    let running = true;
    const MIN_GAP_MS = 1000 / 150;
    const fire = (share: Share) => {
      if (!running) return;
      const now = performance.now();
      const wait = share.lastSend + MIN_GAP_MS - now;
      if (wait > 0) {
        setTimeout(() => fire(share), wait);
        return;
      }
      share.lastSend = now;
      share.outstanding = share.spec.watchers.length;
      share.send(frameOf(share.spec.share, nowUs()));
    };
    onDelivered = (share) => {
      if (--share.outstanding === 0) fire(share);
    };
    // A frame lost or dropped must not stall its sharer for the rest of the phase.
    const unstick = setInterval(() => {
      const now = performance.now();
      for (const s of sys.shares) if (now - s.lastSend > 1000) fire(s);
    }, 500);
    const t0 = performance.now();
    for (const s of sys.shares) fire(s);
    await sleep(durationMs);
    running = false;
    clearInterval(unstick);
    const ms = performance.now() - t0;
    const count = delivered;
    onDelivered = null;
    await sleep(300);
    const sorted = Float64Array.from(latencies.values()).sort();
    return {
      delivered: count,
      ms,
      p50: sorted[Math.floor(sorted.length * 0.5)] ?? null,
      p99: sorted[Math.floor(sorted.length * 0.99)] ?? null,
    };
  },

  close({ kind }: { kind: Kind }) {
    for (const s of systems.get(kind)?.sockets ?? []) s.close();
    systems.delete(kind);
    return null;
  },
});
