/**
 * Exit codes every godmode command keeps to, so scripts can branch on them.
 * 0 done; 1 done but the outcome is a failure (a stream not shipped, Claude Code reported an error);
 * 2 the input or environment is wrong (the message says what to change); 3 a command or service we
 * called failed; 4 another conductor holds the run; 70 a bug in godmode; 130 interrupted.
 */
export const ExitCode = {
  ok: 0,
  failedOutcome: 1,
  userError: 2,
  externalError: 3,
  leaseHeld: 4,
  bug: 70,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
