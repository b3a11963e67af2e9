/** The languages messages can be written in (`MESSAGE_LANGUAGE`, `cronjob-watcher/language`). */
export const LANGUAGES = ['en', 'ja'] as const;

/** A language messages can be written in. */
export type Language = (typeof LANGUAGES)[number];
