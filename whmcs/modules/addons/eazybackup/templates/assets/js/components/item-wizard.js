/* eazyBackup Console — the protected-item wizard (Alpine component `itemWizard`), one generic form
 * rendered from the engine catalog (GET /catalog/engines): engine → device, name and the engine's
 * options (browsing the live device where the catalog names a browse kind) → include/exclude with
 * a tester → schedules → retention → save. Opened by `EbItemWizard.open({...})` from the items tab;
 * a save answers 409 when the item changed meanwhile: the form reloads and says so.
 * Comet-controlled text (paths, names) is bound with x-text only. */
(function () {
  'use strict';

  var EVENT = 'eb:item-wizard';
  var DONE = 'eb:items-changed';
  var t = function (k, p) { return window.EbStrings.t(k, p); };

  var FREQ = { ONCE: 8010, DAILY: 8011, HOURLY: 8012, WEEKLY: 8013, MONTHLY: 8014, PERIODIC: 8015, YEARLY: 8016 };
  var DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  var KEEP_EVERYTHING = 801;
  var DELETE_EXCEPT = 802;

  // ---- include / exclude tester: Comet's matching ---------------------------------------------
  // Paths are compared case-insensitively on Windows (a drive letter or a backslash). A glob
  // without a separator matches any one path component (a file or folder name); with one, the
  // whole path. `*` and `?` stay within one component, `**` crosses them. Regular expressions are
  // matched against the whole path, unanchored.

  function isWindowsPath(p) { return /^[A-Za-z]:/.test(p) || p.indexOf('\\') !== -1; }

  function norm(p, win) {
    var s = String(p || '').trim();
    if (win) { s = s.replace(/\//g, '\\').toLowerCase(); }
    while (s.length > 1 && (s.charAt(s.length - 1) === '\\' || s.charAt(s.length - 1) === '/') && !/^[a-z]:\\$/i.test(s)) {
      s = s.slice(0, -1);
    }
    return s;
  }

  function globRegex(glob, win) {
    var sep = win ? '\\\\' : '/';
    var out = '';
    for (var i = 0; i < glob.length; i++) {
      var c = glob.charAt(i);
      if (c === '*' && glob.charAt(i + 1) === '*') { out += '.*'; i++; }
      else if (c === '*') { out += '[^' + sep + ']*'; }
      else if (c === '?') { out += '[^' + sep + ']'; }
      else if (c === '/' || c === '\\') { out += win ? '\\\\' : '/'; }
      else { out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&'); }
    }
    return new RegExp('^' + out + '$', win ? 'i' : '');
  }

  function globMatches(glob, path, win) {
    var g = String(glob || '').trim();
    if (!g) { return false; }
    var re;
    try { re = globRegex(win ? g.replace(/\//g, '\\') : g, win); } catch (e) { return false; }
    if (g.indexOf('/') === -1 && g.indexOf('\\') === -1) {
      return path.split(win ? '\\' : '/').some(function (part) { return part !== '' && re.test(part); });
    }
    return re.test(path);
  }

  function underOrEqual(path, root, win) {
    if (path === root) { return true; }
    var sep = win ? '\\' : '/';
    var prefix = root.charAt(root.length - 1) === sep ? root : root + sep;
    return path.indexOf(prefix) === 0;
  }

  /** { included: bool, rule: string, why: 'include'|'exclude'|'rexclude'|'none' } for `path`. */
  function testPath(path, includes, excludes, rexcludes) {
    var raw = String(path || '').trim();
    if (!raw) { return null; }
    var win = isWindowsPath(raw) || (includes || []).some(isWindowsPath);
    var p = norm(raw, win);
    var inc = (includes || []).filter(function (r) { return underOrEqual(p, norm(r, win), win); });
    if (inc.length === 0) { return { included: false, rule: '', why: 'none' }; }
    var g = (excludes || []).filter(function (x) { return globMatches(x, p, win); });
    if (g.length) { return { included: false, rule: g[0], why: 'exclude' }; }
    var r = (rexcludes || []).filter(function (x) {
      try { return new RegExp(x, win ? 'i' : '').test(win ? raw.replace(/\//g, '\\') : raw); } catch (e) { return false; }
    });
    if (r.length) { return { included: false, rule: r[0], why: 'rexclude' }; }
    return { included: true, rule: inc[0], why: 'include' };
  }

  // ---- schedules ----------------------------------------------------------------------------

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function hhmm(secs) { return pad(Math.floor(secs / 3600) % 24) + ':' + pad(Math.floor(secs / 60) % 60); }
  function parseHHMM(s) {
    var m = /^(\d{1,2}):(\d{2})$/.exec(String(s || '').trim());
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) { return null; }
    return Number(m[1]) * 3600 + Number(m[2]) * 60;
  }

  /** A schedule as the form edits it, from Comet's ScheduleConfig (unknown keys kept in `raw`). */
  function editSchedule(s) {
    var f = s.FrequencyType || FREQ.DAILY;
    var secs = s.SecondsPast || 0;
    var days = s.DaysSelect || {};
    return {
      raw: s,
      freq: f,
      time: hhmm(f === FREQ.WEEKLY ? secs % 86400 : secs),
      minute: Math.floor((secs % 3600) / 60),
      weekday: Math.floor(secs / 86400) % 7,
      periodHours: f === FREQ.PERIODIC ? Math.max(1, Math.round(secs / 3600)) : 4,
      day: s.SelectedDay || 1,
      month: s.SelectedMonth || 1,
      restrictDays: !!s.RestrictDays,
      days: DAYS.map(function (d) { return !!days[d]; }),
      restrictRuntime: !!s.RestrictRuntime,
      from: pad((s.FromTime || {}).Hour || 0) + ':' + pad((s.FromTime || {}).Minutes || 0),
      to: pad((s.ToTime || {}).Hour || 0) + ':' + pad((s.ToTime || {}).Minutes || 0),
      randomDelayMin: Math.round((s.RandomDelaySecs || 0) / 60)
    };
  }

  /** Comet's ScheduleConfig from the form's schedule (keys we do not edit survive from `raw`). */
  function toSchedule(e) {
    var time = parseHHMM(e.time);
    if (time === null) { time = 0; }
    var secs;
    if (e.freq === FREQ.HOURLY) { secs = Math.min(59, Math.max(0, Number(e.minute) || 0)) * 60; }
    else if (e.freq === FREQ.WEEKLY) { secs = (Number(e.weekday) || 0) * 86400 + time; }
    else if (e.freq === FREQ.PERIODIC) { secs = Math.max(1, Number(e.periodHours) || 1) * 3600; }
    else { secs = time; }
    var from = parseHHMM(e.from) || 0;
    var to = parseHHMM(e.to) || 0;
    var days = {};
    DAYS.forEach(function (d, i) { days[d] = !!e.days[i]; });
    return Object.assign({}, e.raw || {}, {
      FrequencyType: Number(e.freq),
      SecondsPast: secs,
      RestrictDays: !!e.restrictDays,
      DaysSelect: Object.assign({}, (e.raw || {}).DaysSelect || {}, days),
      RestrictRuntime: !!e.restrictRuntime,
      FromTime: { Hour: Math.floor(from / 3600), Minutes: Math.floor(from / 60) % 60 },
      ToTime: { Hour: Math.floor(to / 3600), Minutes: Math.floor(to / 60) % 60 },
      RandomDelaySecs: Math.min(300, Math.max(0, Number(e.randomDelayMin) || 0)) * 60,
      SelectedDay: e.freq === FREQ.MONTHLY || e.freq === FREQ.YEARLY ? Number(e.day) || 1 : ((e.raw || {}).SelectedDay || 0),
      SelectedMonth: e.freq === FREQ.YEARLY ? Number(e.month) || 1 : ((e.raw || {}).SelectedMonth || 0)
    });
  }

  function scheduleSummary(e) {
    var text;
    if (e.freq === FREQ.HOURLY) { text = t('items_sched_hourly', { minute: Number(e.minute) || 0 }); }
    else if (e.freq === FREQ.DAILY) { text = t('items_sched_daily', { time: e.time }); }
    else if (e.freq === FREQ.WEEKLY) { text = t('items_sched_weekly', { day: t('items_day_' + e.weekday), time: e.time }); }
    else if (e.freq === FREQ.MONTHLY) { text = t('items_sched_monthly', { day: e.day, time: e.time }); }
    else if (e.freq === FREQ.YEARLY) { text = t('items_sched_yearly', { month: t('items_month_' + e.month), day: e.day, time: e.time }); }
    else if (e.freq === FREQ.PERIODIC) { text = t('items_sched_periodic', { hours: e.periodHours }); }
    else { text = t('items_sched_once'); }
    if (e.restrictDays) {
      var names = e.days.map(function (on, i) { return on ? t('items_day_short_' + i) : null; }).filter(Boolean);
      text += ', ' + t('items_sched_only_on', { days: names.join(', ') });
    }
    if (e.restrictRuntime) { text += ', ' + t('items_sched_between', { from: e.from, to: e.to }); }
    if (Number(e.randomDelayMin) > 0) { text += ', ' + t('items_sched_random', { minutes: e.randomDelayMin }); }
    return text;
  }

  /** The next `n` start times (Date) of a schedule, in the browser's time zone (the device runs
   * schedules in its own local time; for most customers that is the same zone). */
  function nextRuns(e, n) {
    var out = [];
    var now = new Date();
    var time = parseHHMM(e.time) || 0;
    var allowed = function (d) { return !e.restrictDays || e.days[d.getDay()]; };
    var cursor = new Date(now.getTime());
    cursor.setSeconds(0, 0);
    var guard = 0;
    if (e.freq === FREQ.ONCE) { return out; }
    while (out.length < n && guard++ < 20000) {
      var c;
      if (e.freq === FREQ.HOURLY) {
        var floor = out.length ? out[out.length - 1] : now;
        c = new Date(cursor.getTime()); c.setMinutes(Number(e.minute) || 0, 0, 0);
        while (c <= floor) { c.setHours(c.getHours() + 1); }
        cursor = new Date(c.getTime());
      } else if (e.freq === FREQ.PERIODIC) {
        var step = Math.max(1, Number(e.periodHours) || 1) * 3600000;
        c = new Date(Math.ceil((cursor.getTime() + 1) / step) * step);
        cursor = new Date(c.getTime());
      } else {
        c = new Date(cursor.getFullYear(), cursor.getMonth(), cursor.getDate(), Math.floor(time / 3600), Math.floor(time / 60) % 60);
        if (c <= now) { c.setDate(c.getDate() + 1); }
        cursor = new Date(c.getFullYear(), c.getMonth(), c.getDate() + 1);
        if (e.freq === FREQ.WEEKLY && c.getDay() !== Number(e.weekday)) { continue; }
        if (e.freq === FREQ.MONTHLY && c.getDate() !== Number(e.day)) { continue; }
        if (e.freq === FREQ.YEARLY && (c.getDate() !== Number(e.day) || c.getMonth() + 1 !== Number(e.month))) { continue; }
      }
      if (!allowed(c)) { continue; }
      out.push(c);
    }
    return out;
  }

  function newSchedule() {
    return editSchedule({ FrequencyType: FREQ.DAILY, SecondsPast: 2 * 3600 });
  }

  function editRule(r, vaults) {
    var ev = r.event_triggers || {};
    return {
      id: r.id || null,
      vault_id: r.vault_id || (vaults[0] && vaults[0].id) || '',
      description: r.description || '',
      schedules: (r.schedules || []).map(editSchedule),
      onBoot: !!ev.OnPCBoot,
      onMissed: !!ev.OnPCBootIfLastJobMissed,
      retry: !!ev.OnLastJobFailDoRetry,
      retryCount: ev.LastJobFailDoRetryCount || 2,
      retryMinutes: ev.LastJobFailDoRetryTime || 10,
      rawTriggers: ev,
      skip_already_running: !!r.skip_already_running,
      stop_after_hours: Math.round((r.stop_after_secs || 0) / 3600),
      limit_mbps: Math.round(((r.limit_bps || 0) * 8) / 1e6),
      use_on_disk_indexes: !!r.use_on_disk_indexes,
      reduce_disk_concurrency: !!r.reduce_disk_concurrency,
      allow_zero_files_success: !!r.allow_zero_files_success,
      concurrency_count: r.concurrency_count || 0,
      log_level: r.log_level || ''
    };
  }

  function toRule(e) {
    var triggers = Object.assign({}, e.rawTriggers || {}, {
      OnPCBoot: !!e.onBoot,
      OnPCBootIfLastJobMissed: !!e.onMissed,
      OnLastJobFailDoRetry: !!e.retry,
      LastJobFailDoRetryCount: e.retry ? Math.max(1, Number(e.retryCount) || 1) : 0,
      LastJobFailDoRetryTime: e.retry ? Math.max(1, Number(e.retryMinutes) || 1) : 0
    });
    return {
      id: e.id || undefined,
      vault_id: e.vault_id,
      description: e.description,
      schedules: e.schedules.map(toSchedule),
      event_triggers: triggers,
      skip_already_running: !!e.skip_already_running,
      stop_after_secs: Math.max(0, Number(e.stop_after_hours) || 0) * 3600,
      limit_bps: Math.round((Math.max(0, Number(e.limit_mbps) || 0) * 1e6) / 8),
      use_on_disk_indexes: !!e.use_on_disk_indexes,
      reduce_disk_concurrency: !!e.reduce_disk_concurrency,
      allow_zero_files_success: !!e.allow_zero_files_success,
      concurrency_count: Math.max(0, Number(e.concurrency_count) || 0),
      log_level: e.log_level
    };
  }

  // ---- retention ----------------------------------------------------------------------------

  function editRetention(policy) {
    if (!policy) { return { override: false, mode: DELETE_EXCEPT, ranges: [{ Type: 900, Jobs: 30 }], raw: {} }; }
    return { override: true, mode: policy.Mode || KEEP_EVERYTHING, ranges: (policy.Ranges || []).map(function (r) { return Object.assign({}, r); }), raw: policy };
  }

  function retentionText(range) {
    var n = function (k) { return Number(range[k]) || 0; };
    switch (Number(range.Type)) {
      case 900: return t('items_keep_jobs', { n: n('Jobs') });
      case 902: return t('items_keep_days', { n: n('Days') });
      case 903: return t('items_keep_daily', { n: n('Days') });
      case 906: return t('items_keep_weekly', { n: n('Weeks') });
      case 905: return t('items_keep_monthly', { n: n('Months') });
      case 911: return t('items_keep_yearly', { n: n('Years') });
      default: return t('items_keep_other');
    }
  }

  function lines(text) {
    return String(text || '').split('\n').map(function (l) { return l.trim(); }).filter(Boolean);
  }

  // ---- the component ------------------------------------------------------------------------

  function itemWizard() {
    return {
      open: false,
      mode: 'create', // create | edit
      step: 'engine', // engine | settings | rules | retention
      serviceId: 0,
      api: null,
      catalog: { engines: [], frequencies: [], retention_ranges: [] },
      devices: [],
      vaults: [],
      engine: null,
      form: null,
      loaded: null,
      settings: {},
      writeOnly: {},
      rules: [],
      retention: {},
      saving: false,
      error: '',
      errorField: '',
      notice: '',
      browse: { key: '', kind: '', path: null, entries: [], loading: false, error: '', trail: [] },
      tester: { path: '', result: null },
      newValue: {},
      commands: { pre_exec: '', thaw_exec: '', post_exec: '' },

      init: function () {
        var self = this;
        window.addEventListener(EVENT, function (ev) { self.show(ev.detail); });
      },

      show: function (d) {
        this.api = d.api;
        this.serviceId = d.serviceId;
        this.catalog = d.catalog;
        this.devices = d.devices || [];
        this.vaults = d.vaults || [];
        var self0 = this;
        this.retention = {};
        this.vaults.forEach(function (v) { self0.retention[v.id] = editRetention(undefined); });
        this.error = '';
        this.errorField = '';
        this.notice = d.notice || '';
        this.newValue = {};
        this.resetBrowse();
        this.tester = { path: '', result: null };
        if (d.form) {
          this.mode = 'edit';
          this.load(d.form);
          this.step = 'settings';
        } else {
          this.mode = 'create';
          this.engine = null;
          this.form = null;
          this.step = 'engine';
        }
        this.open = true;
        var self = this;
        this.$nextTick(function () { var h = self.$refs.heading; if (h) { h.focus(); } });
      },

      close: function () { this.open = false; },

      load: function (form) {
        var self = this;
        self.form = form;
        // The item as read, untouched by the inputs bound to `form`: what a 409 compares against.
        self.loaded = JSON.parse(JSON.stringify(form));
        self.engine = self.engineById(form.engine);
        self.settings = {};
        self.writeOnly = {};
        (self.engine ? self.engine.options : []).forEach(function (o) {
          var v = form.settings ? form.settings[o.key] : undefined;
          if (o.write_only) {
            self.writeOnly[o.key] = { set: (form.write_only_set || []).indexOf(o.key) !== -1, value: '', clear: false };
            return;
          }
          if (o.kind === 'flag') { self.settings[o.key] = v === undefined ? o.default === '1' : !!v; }
          else if (o.kind === 'list' || o.kind === 'pattern_list') { self.settings[o.key] = Array.isArray(v) ? v.slice() : []; }
          else { self.settings[o.key] = v === undefined || v === null ? (o.default || '') : String(v); }
        });
        self.commands = {
          pre_exec: (form.pre_exec || []).join('\n'),
          thaw_exec: (form.thaw_exec || []).join('\n'),
          post_exec: (form.post_exec || []).join('\n')
        };
        self.rules = (form.rules || []).map(function (r) { return editRule(r, self.vaults); });
        self.retention = {};
        self.vaults.forEach(function (v) { self.retention[v.id] = editRetention((form.retention || {})[v.id]); });
      },

      engineById: function (id) {
        return (this.catalog.engines || []).filter(function (e) { return e.id === id; })[0] || null;
      },

      chooseEngine: function (e) {
        if (e.deprecated) { return; }
        var device = this.devices[0] ? this.devices[0].id : '';
        this.load({ engine: e.id, description: e.label, device_id: device, settings: {}, rules: [], retention: {}, write_only_set: [] });
        this.rules = [editRule({ schedules: [] }, this.vaults)];
        this.rules[0].schedules.push(newSchedule());
        this.step = 'settings';
      },

      steps: function () { return this.mode === 'create' ? ['engine', 'settings', 'rules', 'retention'] : ['settings', 'rules', 'retention']; },
      stepLabel: function (s) { return t('items_step_' + s); },
      go: function (s) { if (this.engine) { this.step = s; } },

      options: function () { return this.engine ? this.engine.options : []; },
      visibleOptions: function (kind) {
        return this.options().filter(function (o) { return kind === 'list' ? o.kind === 'list' : o.kind !== 'list'; });
      },
      isFileEngine: function () { return !!this.engine && this.engine.id === 'engine1/file'; },

      addValue: function (key, value) {
        var v = String(value === undefined ? (this.newValue[key] || '') : value).trim();
        if (!v) { return; }
        var list = this.settings[key] || [];
        if (list.indexOf(v) === -1) { list.push(v); }
        this.settings[key] = list;
        if (value === undefined) { this.newValue[key] = ''; }
      },
      removeValue: function (key, i) { this.settings[key].splice(i, 1); },

      // ---- browsing the live device ---------------------------------------------------------

      resetBrowse: function () { this.browse = { key: '', kind: '', path: null, entries: [], loading: false, error: '', trail: [] }; },
      canBrowse: function (o) { return o.browse === 'filesystem' || o.browse === 'disk_drives'; },
      openBrowse: function (o) {
        this.browse = { key: o.key, kind: o.browse, path: null, entries: [], loading: false, error: '', trail: [] };
        this.browseTo(null);
      },
      browseTo: function (path) {
        var self = this;
        if (!self.form || !self.form.device_id) { self.browse.error = t('items_pick_device_first'); return; }
        self.browse.loading = true;
        self.browse.error = '';
        var body = { kind: self.browse.kind };
        if (path) { body.path = path; }
        var device = encodeURIComponent(self.form.device_id);
        return self.api.post('/services/' + self.serviceId + '/devices/' + device + '/browse', body).then(function (res) {
          self.browse.loading = false;
          if (!res.ok) { self.browse.error = res.error.message; return; }
          self.browse.path = res.data.path;
          self.browse.entries = res.data.entries || [];
          var trail = self.browse.trail;
          var at = trail.indexOf(path);
          if (path === null) { self.browse.trail = []; }
          else if (at !== -1) { self.browse.trail = trail.slice(0, at + 1); }
          else { trail.push(path); }
        });
      },
      browseUp: function () {
        var trail = this.browse.trail;
        trail.pop();
        this.browseTo(trail.length ? trail.pop() : null);
      },
      picked: function (entry) { return (this.settings[this.browse.key] || []).indexOf(entry.value) !== -1; },
      togglePick: function (entry) {
        var list = this.settings[this.browse.key] || [];
        var i = list.indexOf(entry.value);
        if (i === -1) { list.push(entry.value); } else { list.splice(i, 1); }
        this.settings[this.browse.key] = list;
      },
      excludeEntry: function (entry) { this.addValue('EXCLUDE', entry.value); },

      // ---- tester ---------------------------------------------------------------------------

      runTester: function () {
        this.tester.result = testPath(this.tester.path, this.settings.INCLUDE, this.settings.EXCLUDE, this.settings.REXCLUDE);
      },
      testerText: function () {
        var r = this.tester.result;
        if (!r) { return ''; }
        if (r.included) { return t('items_test_included', { rule: r.rule }); }
        if (r.why === 'none') { return t('items_test_not_included'); }
        return t(r.why === 'exclude' ? 'items_test_excluded' : 'items_test_rexcluded', { rule: r.rule });
      },

      // ---- schedules and retention ---------------------------------------------------------

      addRule: function () { var r = editRule({ schedules: [] }, this.vaults); r.schedules.push(newSchedule()); this.rules.push(r); },
      removeRule: function (i) { this.rules.splice(i, 1); },
      addSchedule: function (rule) { rule.schedules.push(newSchedule()); },
      removeSchedule: function (rule, i) { rule.schedules.splice(i, 1); },
      summary: scheduleSummary,
      nextRunsText: function (s) {
        var F = window.EbFormat;
        return nextRuns(s, 3).map(function (d) { return F.when(Math.floor(d.getTime() / 1000)); }).join(' · ');
      },
      ruleTriggersText: function (r) {
        var parts = [];
        if (r.onBoot) { parts.push(t('items_trigger_boot')); }
        if (r.onMissed) { parts.push(t('items_trigger_missed')); }
        if (r.retry) { parts.push(t('items_trigger_retry', { n: r.retryCount })); }
        return parts.join(', ');
      },
      days: DAYS.map(function (d, i) { return i; }),
      dayLabel: function (i) { return t('items_day_' + i); },
      dayShort: function (i) { return t('items_day_short_' + i); },
      months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      monthLabel: function (m) { return t('items_month_' + m); },
      FREQ: FREQ,
      KEEP_EVERYTHING: KEEP_EVERYTHING,
      DELETE_EXCEPT: DELETE_EXCEPT,
      retentionText: retentionText,
      addRange: function (v) { this.retention[v].ranges.push({ Type: 900, Jobs: 10 }); },
      removeRange: function (v, i) { this.retention[v].ranges.splice(i, 1); },
      rangeField: function (range) {
        return { 900: 'Jobs', 902: 'Days', 903: 'Days', 906: 'Weeks', 905: 'Months', 911: 'Years' }[Number(range.Type)] || 'Jobs';
      },
      setRangeCount: function (range, value) { range[this.rangeField(range)] = Math.max(0, Number(value) || 0); },
      retentionPreview: function (v) {
        var r = this.retention[v];
        if (!r || !r.override) { return t('items_retention_vault_default'); }
        if (Number(r.mode) === KEEP_EVERYTHING) { return t('items_retention_everything'); }
        return t('items_retention_keeps', { what: r.ranges.map(retentionText).join('; ') || '—' });
      },
      vaultName: function (id) { var v = this.vaults.filter(function (x) { return x.id === id; })[0]; return v ? v.name : id; },

      // ---- save -----------------------------------------------------------------------------

      body: function () {
        var self = this;
        var settings = {};
        self.options().forEach(function (o) {
          if (o.write_only) {
            var w = self.writeOnly[o.key];
            if (w && w.clear) { settings[o.key] = null; }
            else if (w && w.value !== '') { settings[o.key] = o.kind === 'pattern_list' ? [] : w.value; }
            return;
          }
          settings[o.key] = self.settings[o.key];
        });
        var retention = {};
        Object.keys(self.retention).forEach(function (v) {
          var r = self.retention[v];
          if (!r.override) { return; }
          retention[v] = Object.assign({}, r.raw || {}, { Mode: Number(r.mode), Ranges: Number(r.mode) === KEEP_EVERYTHING ? [] : r.ranges });
        });
        return {
          engine: self.form.engine,
          description: self.form.description,
          device_id: self.form.device_id,
          settings: settings,
          pre_exec: lines(self.commands.pre_exec),
          thaw_exec: lines(self.commands.thaw_exec),
          post_exec: lines(self.commands.post_exec),
          rules: self.rules.map(toRule),
          retention: retention,
          profile_hash: self.form.profile_hash || ''
        };
      },

      save: function () {
        var self = this;
        if (self.saving) { return; }
        self.saving = true;
        self.error = '';
        self.errorField = '';
        var path = '/services/' + self.serviceId + '/items';
        var call = self.mode === 'edit'
          ? self.api.request('PUT', path + '/' + encodeURIComponent(self.form.id), self.body())
          : self.api.post(path, self.body());
        return call.then(function (res) {
          self.saving = false;
          if (res.ok) {
            window.EbToast.show(t(self.mode === 'edit' ? 'items_saved' : 'items_created'), 'success');
            self.open = false;
            window.dispatchEvent(new CustomEvent(DONE));
            return;
          }
          if (res.status === 409) { return self.reloadAfterConflict(); }
          self.error = res.error.message;
          self.errorField = res.error.field || '';
          if (self.errorField === 'rules') { self.step = 'rules'; }
          else if (self.errorField === 'retention') { self.step = 'retention'; }
          else if (self.errorField) { self.step = 'settings'; }
        });
      },

      /** 409: read the item again and say what changed; the customer's edits are re-applied where
       * the field did not change under them. */
      reloadAfterConflict: function () {
        var self = this;
        var mine = self.body();
        var before = self.loaded;
        return self.api.get('/services/' + self.serviceId + '/items/' + encodeURIComponent(before.id)).then(function (res) {
          if (!res.ok) { self.error = res.error.message; return; }
          var fresh = res.data;
          var changed = [];
          if (fresh.description !== before.description) { changed.push(t('items_field_name')); }
          if (fresh.device_id !== before.device_id) { changed.push(t('items_field_device')); }
          if (JSON.stringify(fresh.settings) !== JSON.stringify(before.settings)) { changed.push(t('items_field_settings')); }
          if (JSON.stringify(fresh.rules) !== JSON.stringify(before.rules)) { changed.push(t('items_field_rules')); }
          if (JSON.stringify(fresh.retention) !== JSON.stringify(before.retention)) { changed.push(t('items_field_retention')); }
          self.load(fresh);
          // Keep what the customer typed for the fields nobody else changed.
          if (fresh.description === before.description) { self.form.description = mine.description; }
          self.notice = changed.length
            ? t('items_conflict_changed', { what: changed.join(', ') })
            : t('items_conflict_account');
        });
      },

      hasError: function (key) { return this.errorField === key; }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('itemWizard', itemWizard); });

  window.EbItemWizard = {
    open: function (detail) { window.dispatchEvent(new CustomEvent(EVENT, { detail: detail })); },
    CHANGED: DONE,
    testPath: testPath,
    nextRuns: nextRuns,
    editSchedule: editSchedule
  };
})();
