// Names in a group robot's message are written by many units (a unit's name by the unit itself or
// any unit above it, a template's by its owner), and the robot speaks for the unit that set it up. So
// every name is shown as plain words on the line the message puts it on: it cannot start a line of
// its own, look like markdown, a link, an HTML tag or an @-mention in 企业微信 or 钉钉 (text or
// markdown messages), or run on to forge a paragraph.

/** The longest unit name shown in a message (characters); longer ones end in "…". */
export const NAME_MAX = 40;
/** The longest round title shown (period and template name). */
export const TITLE_MAX = 60;

// line and paragraph breaks, other controls, invisible format characters (zero-width, bidi
// overrides), lone surrogates and unusual spaces: one ordinary space each run
const BREAKS = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Zs}]+/gu;
// ASCII punctuation carries every markup these robots read (# * _ ` [ ] ( ) < > ~ | @ : / . …)
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * A name as plain words on one line: breaks and invisible characters become a space, ASCII
 * punctuation its full-width form (＃ ［ ］ ＠ ： ／ …, as Chinese text writes it anyway), at most
 * `max` characters. An ordinary name (泽州县, 高平市（县级市）) is unchanged.
 */
export function plainName(text: string, max = NAME_MAX): string {
  const flat = text
    .replace(BREAKS, " ")
    .replace(ASCII_PUNCTUATION, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
    .trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}
