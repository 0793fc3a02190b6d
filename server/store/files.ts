/** The store's file in DATA_DIR (apart from sqlite.ts, so a caller can look for it without loading the driver). */
export const DB_FILE = 'review.sqlite';
