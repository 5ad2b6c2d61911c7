/* eazyBackup Console — the page's words. lang/english.php is handed to the page once, as JSON in
 * the #eb-console element's data-strings attribute; scripts never carry user-visible English. */
(function () {
  'use strict';

  var table = null;

  function load() {
    if (table !== null) { return table; }
    var root = document.getElementById('eb-console');
    try { table = JSON.parse((root && root.dataset.strings) || '{}') || {}; } catch (e) { table = {}; }
    return table;
  }

  /** The string for `key` with {name} placeholders filled from `params`; the key itself when missing
   * (visible in the page, so a missing string is noticed rather than silently blank). */
  function t(key, params) {
    var text = load()[key];
    if (typeof text !== 'string') { text = key; }
    if (params) {
      text = text.replace(/\{(\w+)\}/g, function (all, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : all;
      });
    }
    return text;
  }

  window.EbStrings = { t: t };
})();
