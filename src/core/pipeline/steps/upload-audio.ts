/** upload_audio: a song copied into storage. It runs where the file is (the command), never in a worker. */
import { z } from 'zod';
import { OmveeError } from '../../errors.ts';
import { defineStep } from '../step-definition.ts';

export default defineStep({
  payload: z.object({}).passthrough(),
  worker: false,
  async run(_deps, _project, _payload, control) {
    throw new OmveeError('invalid_input', `job ${control.job.id}: uploads run where the file is, not in a worker`);
  },
});
