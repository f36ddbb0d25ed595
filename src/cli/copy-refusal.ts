/** What `havre db copy` says when it refuses a target: what would be lost, and what to do. */
import { type TargetContent, TargetInUseError, type TargetNotEmptyError } from '../db/copy.ts';

/** Non-empty tables, one per line with the rows a copy would delete. */
function rowsLines(content: TargetContent): string {
  const width = Math.max(...content.tables.map((t) => t.table.length));
  return content.tables
    .map((t) => `  ${t.table.padEnd(width)} ${t.rows.toLocaleString('en')} rows`)
    .join('\n');
}

function leasesLine(content: TargetContent): string {
  const held = content.leases
    .map((l) => `${l.name} held by ${l.holder} until ${new Date(l.expiresAt).toISOString()}`)
    .join('; ');
  return `${content.leases.length} unexpired job lease(s): ${held}`;
}

const STOP_FIRST =
  "stop every instance that uses it (systemctl stop 'havre@*'; a stopped instance releases its " +
  "leases at once, a crashed one's expire at the time shown)";

export function describeTargetRefusal(error: TargetNotEmptyError | TargetInUseError): string {
  const { content } = error;
  const inUse = error instanceof TargetInUseError;
  const lines = [
    inUse
      ? `Havre instances are serving the target database (${leasesLine(content)}); nothing was changed.`
      : 'the target database already holds Havre data; nothing was changed.',
  ];
  if (content.tables.length) {
    lines.push('The copy empties the target first, and would delete:', rowsLines(content));
  }
  if (inUse) {
    lines.push(
      '--replace does not apply while instances serve it. If it really is an earlier copy of this ' +
        `installation, ${STOP_FIRST}, then run this again.`,
    );
  } else {
    if (content.leases.length) lines.push(`Instances are serving it right now: ${leasesLine(content)}.`);
    lines.push(
      'If it is an earlier copy of this installation (a re-run before switching), run again with ' +
        `--replace${content.leases.length ? ` after you ${STOP_FIRST}` : ''}. Never copy onto a ` +
        'database that Havre instances serve: what they wrote would be lost (docs/DEPLOY.md §3).',
    );
  }
  return lines.join('\n');
}
