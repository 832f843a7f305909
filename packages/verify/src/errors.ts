import { PulseError } from '@pulse/errors';

/** The closed list of @pulse/verify error codes. */
export type VerifyErrorCode = 'BAD_SENT_LOG'; // a sent log line cannot be read

export class VerifyError extends PulseError<VerifyErrorCode> {}
