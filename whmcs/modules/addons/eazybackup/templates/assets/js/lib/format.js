/* eazyBackup Console — how numbers and times are shown. Times arrive as unix seconds UTC and are
 * shown in the browser's time zone and locale. */
(function () {
  'use strict';

  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

  function nowS() { return Math.floor(Date.now() / 1000); }

  function bytes(n) {
    n = Number(n) || 0;
    var i = 0;
    while (n >= 1024 && i < BYTE_UNITS.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(n >= 100 ? 0 : 1)) + ' ' + BYTE_UNITS[i];
  }

  function count(n) { return Number(n || 0).toLocaleString(); }

  function duration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    if (h > 0) { return t('duration_hm', { h: h, m: String(m).padStart(2, '0') }); }
    if (m > 0) { return t('duration_ms', { m: m, s: String(s).padStart(2, '0') }); }
    return t('duration_s', { s: s });
  }

  function time(ts, withSeconds) {
    if (!ts) { return ''; }
    var opts = { hour: '2-digit', minute: '2-digit' };
    if (withSeconds) { opts.second = '2-digit'; }
    return new Date(ts * 1000).toLocaleTimeString([], opts);
  }

  function date(ts) {
    if (!ts) { return ''; }
    return new Date(ts * 1000).toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' });
  }

  /** Time plus the day when it is not today. */
  function when(ts) {
    if (!ts) { return ''; }
    var d = new Date(ts * 1000);
    if (d.toDateString() === new Date().toDateString()) { return t('today_at', { time: time(ts) }); }
    return d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' }) + ' ' + time(ts);
  }

  var RELATIVE_STEPS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];

  /** "3 minutes ago", "in 2 days", worded by the browser's Intl for its locale. */
  function relative(ts) {
    if (!ts) { return ''; }
    var diff = ts - nowS();
    var rtf = new Intl.RelativeTimeFormat([], { numeric: 'auto' });
    for (var i = 0; i < RELATIVE_STEPS.length; i++) {
      var unit = RELATIVE_STEPS[i];
      if (Math.abs(diff) >= unit[1] || unit[0] === 'second') { return rtf.format(Math.round(diff / unit[1]), unit[0]); }
    }
    return '';
  }

  /** Whole percent of used/limit, clamped to 0–100; null when there is no limit to compare with. */
  function percent(used, limit) {
    if (used === null || used === undefined || !limit || limit <= 0) { return null; }
    return Math.max(0, Math.min(100, Math.round(100 * used / limit)));
  }

  window.EbFormat = { nowS: nowS, bytes: bytes, count: count, duration: duration, time: time, date: date, when: when, relative: relative, percent: percent };
})();
