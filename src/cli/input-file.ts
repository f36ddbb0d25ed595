/**
 * The files commands read, with messages that name the file as the user typed it: a directory,
 * a missing or unreadable file is the input's fault (EX_NOINPUT), not its content's ("not valid
 * JSON") nor a crash (a raw EISDIR).
 */

import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { CliError } from './main.ts';

const EX_NOINPUT = 66;

/** Throws the CliError for a file that cannot be read, or returns when it looks readable. */
export function requireInputFile(path: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw inputError(path, error);
  }
  if (isDirectory) throw new CliError(`${path} is a directory: give the file to read`, EX_NOINPUT);
}

/** The file's text, or the CliError saying why it cannot be read. */
export async function readInputFile(path: string): Promise<string> {
  requireInputFile(path);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw inputError(path, error);
  }
}

/** The message for a file system error on the user's file; anything unexpected as it is. */
export function inputError(path: string, error: unknown): unknown {
  switch ((error as { code?: string }).code) {
    case 'ENOENT':
      return new CliError(`no such file: ${path}`, EX_NOINPUT);
    case 'EISDIR':
      return new CliError(`${path} is a directory: give the file to read`, EX_NOINPUT);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`cannot read ${path}: permission denied`, EX_NOINPUT);
    default:
      return error;
  }
}
