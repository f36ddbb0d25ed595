import { type Command, Option } from 'commander';
import type { importPlaces } from '../places/import/import.ts';
import { print, withServices } from './context.ts';
import { inputError, requireInputFile } from './input-file.ts';
import { CliError } from './main.ts';

/** A one-line progress bar on a terminal; silent when piped. */
function progressBar() {
  if (!process.stderr.isTTY) return undefined;
  return ({ done, total }: { done: number; total: number }) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
    if (done === total) process.stderr.write('\n');
  };
}

function nothingImported(file: string, rejected: number): string {
  return rejected
    ? `nothing imported: every record of ${file} was rejected (reasons above). Check that it is ` +
        'the file you meant and its --format: a police CSV (name and coordinate columns), GeoJSON ' +
        '(Point features with a name) or Overpass JSON'
    : `nothing imported: ${file} holds no records`;
}

export function registerPlacesCommands(program: Command) {
  const places = program.command('places').description('Safe places, police stations and gendarmeries');
  places
    .command('import')
    .description(
      'Import places (idempotent upsert by source id); every rejected row is reported with its reason',
    )
    .argument(
      '<file>',
      'police/gendarmerie open data (CSV or GeoJSON), GeoJSON, or OpenStreetMap Overpass JSON',
    )
    .addOption(
      new Option('--format <format>', 'default: from the file name and content').choices([
        'csv',
        'geojson',
        'osm',
      ]),
    )
    .addOption(new Option('--source <source>', 'default: from the layout').choices(['official', 'osm']))
    .action(
      async (file: string, options: { format?: 'csv' | 'geojson' | 'osm'; source?: 'official' | 'osm' }) => {
        requireInputFile(file);
        const { ImportFormatError, importPlaces } = await import('../places/import/import.ts');
        await withServices(async (services) => {
          let report: Awaited<ReturnType<typeof importPlaces>>;
          try {
            report = await importPlaces(services, file, { ...options, onProgress: progressBar() });
          } catch (error) {
            if (error instanceof ImportFormatError) throw new CliError(error.message, 65);
            throw inputError(file, error);
          }
          for (const rejected of report.rejected) {
            const stored = rejected.storedId
              ? ` (an earlier import stored it; to take it off the map: havre places remove ${report.source} ${rejected.storedId})`
              : '';
            process.stderr.write(`rejected row ${rejected.row}: ${rejected.reason}${stored}\n`);
          }
          const unreadable = report.unreadableHours;
          if (unreadable.length) {
            const rows = unreadable.slice(0, 20).join(', ') + (unreadable.length > 20 ? ', …' : '');
            process.stderr.write(
              `opening hours not readable, shown as unknown: ${unreadable.length} row(s): ${rows}\n`,
            );
          }
          print(
            `inserted ${report.inserted}, updated ${report.updated}, unchanged ${report.unchanged}, rejected ${report.rejected.length}`,
          );
          // A file of which no record is usable is the wrong file, format or source: a script
          // (a nightly import) must see it fail, not a success that changed nothing.
          if (report.inserted + report.updated + report.unchanged === 0) {
            throw new CliError(nothingImported(file, report.rejected.length), 65); // EX_DATAERR
          }
        });
      },
    );

  places
    .command('remove')
    .description('Remove imported places by source id (partner venues withdraw or are rejected instead)')
    .argument('<source>', 'official or osm')
    .argument('<ids...>', 'source ids, as the import reports them')
    .action(async (source: string, ids: string[]) => {
      if (source !== 'official' && source !== 'osm') {
        throw new CliError(`the source must be official or osm, not ${source}`, 64);
      }
      const { removeImported } = await import('../places/import/import.ts');
      await withServices(async (services) => {
        const { removed, unknown } = await removeImported(services, source, ids);
        for (const id of unknown) process.stderr.write(`no ${source} place with id ${id}\n`);
        print(removed.length ? `removed ${removed.length}: ${removed.join(', ')}` : 'nothing changed');
      });
    });
}
