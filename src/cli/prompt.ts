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

/**
 * The password typed on the terminal, or the first line piped on stdin; null when stdin is not
 * a terminal and its first line is empty (`</dev/null`, a cron job, an empty variable piped):
 * that is no password given, not a short one.
 */
export async function readPassword(question: string): Promise<string | null> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const line = firstLine(Buffer.concat(chunks).toString('utf8'));
    return line === '' ? null : line;
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
