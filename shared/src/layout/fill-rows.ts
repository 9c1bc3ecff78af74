// How many rows a fill sheet may take, apart from the layout itself so the template compiler can check a
// form against it without depending on the layout.

/** The first row (0-based) of a fill sheet's sections and indicators, below title, metadata, status and header. */
export const FILL_BODY_ROW = 4;
/** Rows of a fill sheet besides its sections and indicators: the 4 header rows, a blank row and the signature block. */
export const FILL_FIXED_ROWS = FILL_BODY_ROW + 1 + 4;
/**
 * The most rows a fill sheet may have: what an upload reads back (2,100 rows, worker/src/upload/trim.ts)
 * with room to tell a longer sheet. A form whose tables would need more is refused where it is designed.
 */
export const FILL_MAX_ROWS = 2_090;
