/** Handing the cut to an editor: the timeline and its OTIO, CMX3600 EDL and FCPXML writers. */
export { EXPORT_FORMATS, MARKER_COLOURS, cutTimeline, fileUrl, isExportFormat } from './timeline.ts';
export type { CutClip, CutInput, CutMarker, CutTimeline, ExportFormat, MarkerColour } from './timeline.ts';
export { writeOtio } from './otio.ts';
export { reelName, timecode, writeEdl } from './edl.ts';
export { fcpTime, writeFcpxml, xmlEscape } from './fcpxml.ts';
import type { CutTimeline, ExportFormat } from './timeline.ts';
import { writeOtio } from './otio.ts';
import { writeEdl } from './edl.ts';
import { writeFcpxml } from './fcpxml.ts';

export function writeTimeline(format: ExportFormat, t: CutTimeline): string {
  return format === 'otio' ? writeOtio(t) : format === 'edl' ? writeEdl(t) : writeFcpxml(t);
}
