// Thrown by callers (main.ts, CLIs) that cannot continue without a valid env or config.
// Carries every problem line so the top level can print them all, one per line.
export class ConfigProblemsError extends Error {
  readonly problems: string[];

  constructor(problems: string[], summary = 'invalid configuration') {
    super(`${summary}:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigProblemsError';
    this.problems = problems;
  }
}
