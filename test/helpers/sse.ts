/** A small Server-Sent Events client over fetch, as a dashboard's EventSource reads the stream. */
export interface SseEvent {
  name: string;
  data: Record<string, unknown>;
}

export interface Sse {
  status: number;
  events: SseEvent[];
  /** Whether the server ended the stream. */
  ended(): boolean;
  /** The first event named `name` not returned yet, waiting up to `ms`. */
  next(name: string, ms?: number): Promise<Record<string, unknown>>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<Sse> {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { ...headers, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const taken = new Set<SseEvent>();
  let done = false;
  let buffer = '';
  (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data) events.push({ name, data: JSON.parse(data) });
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
    done = true;
  })();
  return {
    status: res.status,
    events,
    ended: () => done,
    async next(name, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.find((e) => e.name === name && !taken.has(e));
        if (found) {
          taken.add(found);
          return found.data;
        }
        if (Date.now() > deadline)
          throw new Error(`no "${name}" event; got ${events.map((e) => e.name).join(', ') || 'none'}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => controller.abort(),
  };
}
