/* eazyBackup Console — job status classes (the API's status_class) and service states: their order,
 * their words (lang status_*) and their colours, in one place for every component. The label of a
 * single job comes from the API (status_label, from the Rust views). */
(function () {
  'use strict';

  var CLASSES = ['running', 'success', 'warning', 'error', 'missed'];
  var INCIDENT_CLASSES = ['warning', 'error', 'missed'];
  var BADGE = {
    running: 'bg-sky-100 text-sky-800', success: 'bg-emerald-100 text-emerald-800', warning: 'bg-amber-100 text-amber-800',
    error: 'bg-rose-100 text-rose-800', missed: 'bg-slate-200 text-slate-700'
  };
  var BAR = { running: 'bg-sky-500', success: 'bg-emerald-500', warning: 'bg-amber-500', error: 'bg-rose-500', missed: 'bg-slate-400' };
  var ROW = {
    success: 'border-emerald-200 bg-emerald-50', warning: 'border-amber-200 bg-amber-50',
    error: 'border-rose-200 bg-rose-50', missed: 'border-slate-200 bg-slate-50'
  };
  var SERVICE_BADGE = { Active: 'bg-emerald-100 text-emerald-800', Suspended: 'bg-amber-100 text-amber-800' };

  function label(statusClass) { return window.EbStrings.t('status_' + statusClass); }
  function serviceLabel(status) { return window.EbStrings.t('service_status_' + status); }

  window.EbStatus = {
    CLASSES: CLASSES,
    INCIDENT_CLASSES: INCIDENT_CLASSES,
    label: label,
    serviceLabel: serviceLabel,
    badgeClass: function (c) { return BADGE[c] || 'bg-slate-100 text-slate-700'; },
    barClass: function (c) { return BAR[c] || BAR.running; },
    rowClass: function (c) { return ROW[c] || 'border-slate-200 bg-slate-50'; },
    serviceBadgeClass: function (s) { return SERVICE_BADGE[s] || 'bg-slate-100 text-slate-700'; },
    emptyCounts: function () { var c = {}; CLASSES.forEach(function (k) { c[k] = 0; }); return c; }
  };
})();
