import type { Command } from 'commander';
import { print, withServices } from './context.ts';
import { readInputFile } from './input-file.ts';
import { CliError } from './main.ts';

export function registerTerritoryCommands(program: Command) {
  const territory = program.command('territory').description('Municipalities and arrondissements');
  territory
    .command('import')
    .description(
      'Create or replace territories from a GeoJSON file (properties: code/c_arinsee and nom/l_aroff)',
    )
    .argument('<file>', 'GeoJSON FeatureCollection or Feature of Polygon/MultiPolygon boundaries')
    .action(async (file: string) => {
      // sysexits: 66 the file cannot be read, 65 its content is wrong (as for places import).
      const text = await readInputFile(file);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new CliError(`${file} is not valid JSON`, 65);
      }
      const { describeProblem, importTerritories, parseTerritories } = await import(
        '../territories/import.ts'
      );
      const { territories, problems } = parseTerritories(json);
      for (const problem of problems) process.stderr.write(`rejected ${describeProblem(problem)}\n`);
      if (territories.length === 0) throw new CliError('nothing to import', 65);
      await withServices(async (services) => {
        const result = await importTerritories(services, territories);
        print(`created ${result.created}, updated ${result.updated}: ${result.codes.join(', ')}`);
        if (result.placesMoved) print(`${result.placesMoved} places changed territory`);
      });
      if (problems.length) process.exitCode = 65;
    });

  territory
    .command('list')
    .description('List territories')
    .action(async () => {
      await withServices(async (services) => {
        const { listTerritorySummaries } = await import('../territories/store.ts');
        for (const t of await listTerritorySummaries(services.db.kysely))
          print(`${t.code}  ${t.kind.padEnd(14)} ${t.name}`);
      });
    });
}
