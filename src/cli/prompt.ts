/**
 * Reads a password from the terminal without echo, or from stdin when piped. Spaces are part
 * of a password (the sign-in form sends them as typed): only the line ending is removed.
 */
import { createInterface } from 'node:readline';

/** The first line of piped input without its line ending (`\n` or `\r\n`), nothing else. */
export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  const line = end === -1 ? text : text.slice(0, end);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export async function readPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return firstLine(Buffer.concat(chunks).toString('utf8'));
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  let muted = false;
  output._writeToOutput = (s: string) => {
    if (!muted || s.includes('\n')) process.stdout.write(muted ? '\n' : s);
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer); // readline already removed the line ending
    });
    muted = true;
  });
}
