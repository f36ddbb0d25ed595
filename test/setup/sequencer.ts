/**
 * Order of the test files in the one pool they share: vitest's own order (the files that
 * failed or took longest last time first), with the browser journeys spread evenly through
 * the others instead of all together. A journey drives Chromium and a Havre server; two or
 * three of them at once on a 2-core machine slow each other down, while a journey beside unit
 * files fills the time those spend waiting (fsync, PostgreSQL, timers).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const isJourney = (spec: TestSpecification) => spec.project.name === 'e2e';

export default class SpreadJourneys extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const journeys = sorted.filter(isJourney);
    const others = sorted.filter((spec) => !isJourney(spec));
    if (journeys.length === 0 || others.length === 0) return sorted;
    const every = others.length / journeys.length;
    const out: TestSpecification[] = [];
    let next = 0;
    others.forEach((spec, i) => {
      while (next < journeys.length && i >= next * every) out.push(journeys[next++] as TestSpecification);
      out.push(spec);
    });
    return out.concat(journeys.slice(next));
  }
}
