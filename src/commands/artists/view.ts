/** How artists look on stdout: table columns, record fields and the --json shape. */
import type { Column } from '../../cli/output.ts';
import type { Artist } from '../../core/model.ts';

export const ARTIST_COLUMNS: Column<Artist>[] = [
  { header: 'id', value: (a) => a.id, id: true },
  { header: 'name', value: (a) => a.name },
  { header: 'images', value: (a) => a.reference_images.length, align: 'right' },
  { header: 'description', value: (a) => a.description },
  { header: 'created', value: (a) => a.created_at },
];

export function artistFields(artist: Artist): [string, unknown][] {
  return [
    ['id', artist.id],
    ['name', artist.name],
    ['description', artist.description],
    ['images', artist.reference_images.length],
    ...artist.reference_images.map((key, i): [string, unknown] => [`image ${i + 1}`, key]),
    ['created', artist.created_at],
    ['updated', artist.updated_at],
  ];
}
