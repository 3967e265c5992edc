// Built-in styles: a prompt fragment each, in the page's language (texts in the i18n dictionaries
// under styles.<key>). Choosing one appends its fragment to the prompt; nothing is sent but the prompt.
export const STYLE_KEYS = ['photo', 'watercolor', 'anime', 'ink', 'cyberpunk', 'oil']
