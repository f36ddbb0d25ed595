import type { Command } from 'commander';
import type { importPlaces } from '../places/import/import.ts';
import { print, withServices } from './context.ts';
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
    .option('--format <format>', 'csv, geojson or osm (default: from the file)')
    .option('--source <source>', 'official or osm (default: from the layout)')
    .action(
      async (file: string, options: { format?: 'csv' | 'geojson' | 'osm'; source?: 'official' | 'osm' }) => {
        if (options.format && !['csv', 'geojson', 'osm'].includes(options.format)) {
          throw new CliError(`--format must be csv, geojson or osm, not ${options.format}`, 64);
        }
        const { ImportFormatError, importPlaces } = await import('../places/import/import.ts');
        await withServices(async (services) => {
          let report: Awaited<ReturnType<typeof importPlaces>>;
          try {
            report = await importPlaces(services, file, { ...options, onProgress: progressBar() });
          } catch (error) {
            if ((error as { code?: string }).code === 'ENOENT')
              throw new CliError(`no such file: ${file}`, 66);
            if (error instanceof ImportFormatError) throw new CliError(error.message, 65);
            throw error;
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
