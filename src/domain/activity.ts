import type { Job, JobFailure } from './job.js';
import type { VideoMode } from './video.js';

/**
 * What happened in a server that its admins may want to read in a log channel. Features report these through an
 * `ActivityListener` they are given, and never learn who listens, so no feature imports another.
 */
export type ActivityEvent =
	| { kind: 'job-accepted'; job: Job }
	| { kind: 'job-ended'; job: Job }
	| { kind: 'job-refused'; guildId: string; userId: string; mode: VideoMode; refusal: JobFailure }
	| {
			kind: 'admin-change';
			guildId: string;
			userId: string;
			/** The command as the admin gave it, e.g. `/quota set credits:20 period:day`. */
			command: string;
	  };

/** Called on the path of a job or a command: it must return at once and never throw, whatever it does later. */
export type ActivityListener = (event: ActivityEvent) => void;
