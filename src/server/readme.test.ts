import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from './config.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the two commands', () => {
    const start = readme.indexOf('npm install && npm start');
    const test = readme.indexOf('npm install && npm test');
    expect(start).toBeGreaterThan(0);
    expect(test).toBeGreaterThan(start);
    expect(readme.indexOf('## ')).toBeGreaterThan(test);
  });

  it('documents every configuration variable with its default', () => {
    for (const variable of CONFIG_VARIABLES) {
      expect(readme, variable.name).toContain(`| \`${variable.name}\` | ${variable.default} |`);
    }
  });
});
