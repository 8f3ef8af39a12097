import type { Column } from '../../cli/output.ts';
import { formatDuration } from '../../cli/output.ts';
import type { Scene } from '../../core/model.ts';

export const SCENE_COLUMNS: Column<Scene>[] = [
  { header: '#', value: (s) => s.order_idx + 1, align: 'right' },
  { header: 'start', value: (s) => formatDuration(s.start_time_s), align: 'right' },
  { header: 'end', value: (s) => formatDuration(s.end_time_s), align: 'right' },
  { header: 'len', value: (s) => `${(s.end_time_s - s.start_time_s).toFixed(2)}s`, align: 'right' },
  { header: 'title', value: (s) => s.title },
  { header: 'theme', value: (s) => s.theme },
  { header: 'energy', value: (s) => (s.energy === null ? '' : s.energy.toFixed(2)), align: 'right' },
  { header: 'lyric', value: (s) => s.lyric_excerpt },
];
