/** A stream or phase id: ids become folder names and git branch names, so they are kept plain. Checked without zod where only an id is read. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A run id. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
