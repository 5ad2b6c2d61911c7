/* eazyBackup Console — Protection Pulse card (Alpine component `pulseCard`).
 * Data: initial GET a=pulse-snapshot, then the SSE stream behind a=pulse-events (each (re)connect is
 * redirected with a fresh token). Times arrive as unix seconds UTC and are shown in the browser's
 * time zone. Comet-controlled strings are bound with x-text only. */
(function () {
  'use strict';

  var FINISHED_VISIBLE_MS = 6000;
  var SNAPSHOT_FALLBACK_MS = 4000;
  var RECONNECT_MIN_MS = 2000;
  var RECONNECT_MAX_MS = 30000;
  var INCIDENT_CLASSES = ['warning', 'error', 'missed'];

  function nowS() { return Math.floor(Date.now() / 1000); }

  /** A job's identity: job ids are unique per Comet server only, so the profile is part of it
   * everywhere (maps, Alpine keys, DOM, snooze requests). */
  function jobKey(job) { return JSON.stringify([String(job.profile || ''), String(job.job_id || '')]); }

  function formatBytes(n) {
    n = Number(n) || 0;
    var units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(n >= 100 ? 0 : 1)) + ' ' + units[i];
  }

  function formatDuration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    if (h > 0) { return h + 'h ' + String(m).padStart(2, '0') + 'm'; }
    if (m > 0) { return m + 'm ' + String(s).padStart(2, '0') + 's'; }
    return s + 's';
  }

  function parseServices(root) {
    var map = {};
    try {
      (JSON.parse(root.dataset.services || '[]') || []).forEach(function (s) { map[String(s.service_id)] = s; });
    } catch (e) { /* a broken list only costs the service labels */ }
    return map;
  }

  function pulseCard() {
    return {
      loading: true,
      error: '',
      notice: '',
      live: 'connecting',
      jobs: {},
      incidents: [],
      counts: { running: 0, success: 0, warning: 0, error: 0, missed: 0 },
      updatedAt: 0,
      now: nowS(),
      menuFor: null,
      snoozing: null,
      root: null,
      services: {},
      source: null,
      lastEventId: '',
      snapshotState: 'none', // none | loading | done
      queued: [],
      reconnectDelay: RECONNECT_MIN_MS,
      timers: [],

      init: function () {
        var self = this;
        self.root = self.$root.closest('#eb-console') || document.body;
        self.services = parseServices(self.root);
        self.timers.push(setInterval(function () { self.now = nowS(); }, 1000));
        self.connect();
        // If the stream cannot open, still show the snapshot.
        self.timers.push(setTimeout(function () { if (self.snapshotState === 'none') { self.loadSnapshot(); } }, SNAPSHOT_FALLBACK_MS));
      },

      destroy: function () {
        this.timers.forEach(function (t) { clearInterval(t); clearTimeout(t); });
        if (this.source) { this.source.close(); }
      },

      // ---- data loading -------------------------------------------------------------------

      loadSnapshot: function () {
        var self = this;
        self.snapshotState = 'loading';
        return EbApi.fetchJson(self.root.dataset.snapshotUrl).then(function (res) {
          if (!res.ok) {
            self.snapshotState = 'none';
            self.loading = false;
            self.error = res.error.message;
            return;
          }
          self.applySnapshot(res.data);
          self.snapshotState = 'done';
          self.loading = false;
          self.error = '';
          var queued = self.queued;
          self.queued = [];
          queued.forEach(function (e) { self.applyEvent(e.kind, e.job); });
        });
      },

      applySnapshot: function (snap) {
        var jobs = {};
        (snap.running || []).forEach(function (j) { jobs[jobKey(j)] = j; });
        this.jobs = jobs;
        this.incidents = (snap.incidents || []).slice().sort(function (a, b) {
          return (b.ended_at || b.started_at) - (a.ended_at || a.started_at);
        });
        this.counts = Object.assign({ running: 0, success: 0, warning: 0, error: 0, missed: 0 }, snap.counts || {});
        this.updatedAt = snap.generated_at || nowS();
      },

      connect: function () {
        var self = this;
        var url = self.root.dataset.eventsUrl;
        if (self.lastEventId) { url += '&last_event_id=' + encodeURIComponent(self.lastEventId); }
        var source = new EventSource(url);
        self.source = source;
        source.onopen = function () {
          self.live = 'live';
          self.reconnectDelay = RECONNECT_MIN_MS;
          if (self.snapshotState === 'none') { self.loadSnapshot(); }
        };
        source.onerror = function () {
          self.live = 'reconnecting';
          if (source.readyState === EventSource.CLOSED) {
            // The redirect or the API refused us (expired session, API down): retry ourselves,
            // carrying the last event id so nothing is missed.
            source.close();
            self.scheduleReconnect();
          }
        };
        ['job:start', 'job:progress', 'job:end'].forEach(function (kind) {
          source.addEventListener(kind, function (ev) { self.onEvent(kind, ev); });
        });
      },

      scheduleReconnect: function () {
        var self = this;
        var delay = self.reconnectDelay;
        self.reconnectDelay = Math.min(self.reconnectDelay * 2, RECONNECT_MAX_MS);
        setTimeout(function () {
          // A 401 here means the WHMCS session ended: say so instead of retrying forever.
          EbApi.fetchJson(self.root.dataset.snapshotUrl).then(function (res) {
            if (!res.ok && res.status === 401) {
              self.error = res.error.message;
              self.live = 'reconnecting';
              return;
            }
            if (res.ok) { self.applySnapshot(res.data); self.snapshotState = 'done'; self.loading = false; self.error = ''; }
            self.connect();
          });
        }, delay);
      },

      retry: function () {
        this.error = '';
        if (this.source) { this.source.close(); }
        this.reconnectDelay = RECONNECT_MIN_MS;
        this.snapshotState = 'none';
        this.loading = true;
        this.connect();
        this.loadSnapshot();
      },

      onEvent: function (kind, ev) {
        if (ev.lastEventId) { this.lastEventId = ev.lastEventId; }
        var job;
        try { job = JSON.parse(ev.data); } catch (e) { return; }
        if (!job || !job.job_id) { return; }
        if (this.snapshotState !== 'done') { this.queued.push({ kind: kind, job: job }); return; }
        this.applyEvent(kind, job);
      },

      applyEvent: function (kind, job) {
        var key = jobKey(job);
        var existing = this.jobs[key];
        this.updatedAt = nowS();
        if (kind === 'job:end') {
          this.finishJob(job);
          return;
        }
        if (existing && (existing.ended_at || (existing.last_update || 0) > (job.last_update || 0))) {
          return; // a late or replayed update must not resurrect or rewind a job
        }
        var jobs = Object.assign({}, this.jobs);
        jobs[key] = job;
        this.jobs = jobs;
        this.counts.running = this.activeCount();
      },

      finishJob: function (job) {
        var self = this;
        var key = jobKey(job);
        var wasShown = !!self.jobs[key] && !self.jobs[key].ended_at;
        var jobs = Object.assign({}, self.jobs);
        jobs[key] = Object.assign({}, job, { ended_at: job.ended_at || nowS() });
        self.jobs = jobs;
        self.counts.running = self.activeCount();
        if (Object.prototype.hasOwnProperty.call(self.counts, job.status_class) && (wasShown || !self.isKnownIncident(job))) {
          self.counts[job.status_class] += 1;
        }
        if (INCIDENT_CLASSES.indexOf(job.status_class) !== -1 && !self.isKnownIncident(job)) {
          self.incidents = [job].concat(self.incidents);
        }
        setTimeout(function () {
          var after = Object.assign({}, self.jobs);
          if (after[key] && after[key].ended_at) { delete after[key]; }
          self.jobs = after;
        }, FINISHED_VISIBLE_MS);
      },

      isKnownIncident: function (job) {
        var key = jobKey(job);
        return this.incidents.some(function (i) { return jobKey(i) === key; });
      },

      // ---- snooze ----------------------------------------------------------------------------

      jobKey: jobKey,
      toggleMenu: function (job) { var key = jobKey(job); this.menuFor = this.menuFor === key ? null : key; },
      closeMenu: function (job) { if (this.menuFor === jobKey(job)) { this.menuFor = null; } },
      menuOpen: function (job) { return this.menuFor === jobKey(job); },
      isSnoozing: function (job) { return this.snoozing === jobKey(job); },
      /* A suspended service is read-only (the API answers 403 read_only to every write). */
      isReadOnly: function (job) {
        var s = this.services[String(job.service_id)];
        return !!s && s.status === 'Suspended';
      },

      snooze: function (incident, minutes) {
        var self = this;
        var key = jobKey(incident);
        self.menuFor = null;
        self.snoozing = key;
        EbApi.postForm(self.root.dataset.snoozeUrl, {
          profile: incident.profile, job_id: incident.job_id, minutes: minutes, eb_csrf: self.root.dataset.csrf
        }).then(function (res) {
          self.snoozing = null;
          // A refusal (a suspended service is read-only, a job no longer yours) is shown as the
          // API words it.
          if (!res.ok) { self.error = res.error.message; return; }
          self.incidents = self.incidents.filter(function (i) { return jobKey(i) !== key; });
          self.flash('Snoozed until ' + self.formatWhen(res.data.until_ts) + '.');
        });
      },

      flash: function (text) {
        var self = this;
        self.notice = text;
        setTimeout(function () { if (self.notice === text) { self.notice = ''; } }, 4000);
      },

      // ---- view helpers -----------------------------------------------------------------------

      runningList: function () {
        var jobs = this.jobs;
        return Object.keys(jobs).map(function (k) { return jobs[k]; })
          .sort(function (a, b) { return (a.started_at || 0) - (b.started_at || 0); });
      },

      activeCount: function () {
        return this.runningList().filter(function (j) { return !j.ended_at; }).length;
      },

      serviceLabel: function (job) {
        var s = this.services[String(job.service_id)];
        return s ? s.product + ' (' + s.username + ')' : job.username;
      },

      elapsed: function (job) {
        return formatDuration((job.ended_at || this.now) - (job.started_at || this.now));
      },

      percent: function (job) {
        if (job.ended_at) { return 100; }
        if (!job.total_bytes || job.total_bytes <= 0) { return null; }
        return Math.max(0, Math.min(100, Math.round(100 * job.bytes_done / job.total_bytes)));
      },

      progressText: function (job) {
        var p = this.percent(job);
        var done = formatBytes(job.bytes_done);
        if (job.ended_at) { return done; }
        return p === null ? done + ' processed' : done + ' of ' + formatBytes(job.total_bytes) + ' (' + p + '%)';
      },

      barStyle: function (job) { return 'width: ' + (this.percent(job) || 0) + '%'; },

      barClass: function (job) {
        return {
          running: 'bg-sky-500', success: 'bg-emerald-500', warning: 'bg-amber-500', error: 'bg-rose-500', missed: 'bg-slate-400'
        }[job.status_class] || 'bg-sky-500';
      },

      jobRowClass: function (job) {
        if (!job.ended_at) { return 'border-slate-200 bg-white'; }
        return {
          success: 'border-emerald-200 bg-emerald-50', warning: 'border-amber-200 bg-amber-50',
          error: 'border-rose-200 bg-rose-50', missed: 'border-slate-200 bg-slate-50'
        }[job.status_class] || 'border-slate-200 bg-slate-50';
      },

      badgeClass: function (statusClass) {
        return {
          warning: 'bg-amber-100 text-amber-800', error: 'bg-rose-100 text-rose-800', missed: 'bg-slate-200 text-slate-700'
        }[statusClass] || 'bg-slate-100 text-slate-700';
      },

      liveBadgeClass: function () {
        return this.live === 'live' ? 'bg-emerald-50 text-emerald-700 ring-1 ring-emerald-200' : 'bg-amber-50 text-amber-700 ring-1 ring-amber-200';
      },

      liveDotClass: function () {
        return this.live === 'live' ? 'bg-emerald-500' : 'bg-amber-500 animate-pulse';
      },

      formatTime: function (ts, withSeconds) {
        if (!ts) { return ''; }
        var opts = { hour: '2-digit', minute: '2-digit' };
        if (withSeconds) { opts.second = '2-digit'; }
        return new Date(ts * 1000).toLocaleTimeString([], opts);
      },

      /** Time plus the day when it is not today, in the browser's time zone. */
      formatWhen: function (ts) {
        if (!ts) { return ''; }
        var d = new Date(ts * 1000);
        var sameDay = d.toDateString() === new Date().toDateString();
        var time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
        return sameDay ? 'Today ' + time : d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' }) + ' ' + time;
      }
    };
  }

  document.addEventListener('alpine:init', function () {
    window.Alpine.data('pulseCard', pulseCard);
  });

  window.EbPulse = { formatBytes: formatBytes, formatDuration: formatDuration };
})();
