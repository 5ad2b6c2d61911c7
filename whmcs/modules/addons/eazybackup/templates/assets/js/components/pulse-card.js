/* eazyBackup Console — Protection Pulse card (Alpine component `pulseCard`): running jobs, last-24h
 * incidents and counts. Data: GET /pulse/snapshot, then the page's event stream (lib/stream.js).
 * Comet-controlled strings are bound with x-text only. */
(function () {
  'use strict';

  var FINISHED_VISIBLE_MS = 6000;
  var SNAPSHOT_FALLBACK_MS = 4000;
  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var F = window.EbFormat;
  var S = window.EbStatus;

  /** A job's identity: job ids are unique per Comet server only, so the profile is part of it
   * everywhere (maps, Alpine keys, DOM, snooze requests). */
  function jobKey(job) { return JSON.stringify([String(job.profile || ''), String(job.job_id || '')]); }

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
      live: 'connecting',
      jobs: {},
      incidents: [],
      // The snapshot lists the newest incidents only; this is how many there are in all.
      incidentsTotal: 0,
      counts: S.emptyCounts(),
      updatedAt: 0,
      now: F.nowS(),
      menuFor: null,
      snoozing: null,
      root: null,
      api: null,
      services: {},
      snapshotState: 'none', // none | loading | done
      queued: [],
      timers: [],

      init: function () {
        var self = this;
        self.root = self.$root.closest('#eb-console') || document.body;
        self.api = window.EbApi.client(self.root);
        self.services = parseServices(self.root);
        self.timers.push(setInterval(function () { self.now = F.nowS(); }, 1000));
        window.EbStream.of(self.root).subscribe({
          onState: function (state) { self.live = state; },
          onOpen: function () { if (self.snapshotState === 'none') { self.loadSnapshot(); } },
          onEvent: function (kind, job) { self.onEvent(kind, job); },
          poll: function () { self.loadSnapshot(); }
        });
        // If the stream cannot open, still show the snapshot.
        self.timers.push(setTimeout(function () { if (self.snapshotState === 'none') { self.loadSnapshot(); } }, SNAPSHOT_FALLBACK_MS));
      },

      destroy: function () {
        this.timers.forEach(function (id) { clearInterval(id); clearTimeout(id); });
      },

      // ---- data loading -------------------------------------------------------------------

      loadSnapshot: function () {
        var self = this;
        if (self.snapshotState === 'loading') { return Promise.resolve(); }
        var previous = self.snapshotState;
        self.snapshotState = 'loading';
        return self.api.get('/pulse/snapshot').then(function (res) {
          if (!res.ok) {
            self.snapshotState = previous === 'done' ? 'done' : 'none';
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
        this.incidentsTotal = Math.max(Number(snap.incidents_total) || 0, this.incidents.length);
        this.counts = Object.assign(S.emptyCounts(), snap.counts || {});
        this.updatedAt = snap.generated_at || F.nowS();
      },

      retry: function () {
        this.error = '';
        this.loading = true;
        this.snapshotState = 'none';
        this.loadSnapshot();
      },

      onEvent: function (kind, job) {
        if (this.snapshotState !== 'done') { this.queued.push({ kind: kind, job: job }); return; }
        this.applyEvent(kind, job);
      },

      applyEvent: function (kind, job) {
        var key = jobKey(job);
        var existing = this.jobs[key];
        this.updatedAt = F.nowS();
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
        jobs[key] = Object.assign({}, job, { ended_at: job.ended_at || F.nowS() });
        self.jobs = jobs;
        self.counts.running = self.activeCount();
        if (Object.prototype.hasOwnProperty.call(self.counts, job.status_class) && (wasShown || !self.isKnownIncident(job))) {
          self.counts[job.status_class] += 1;
        }
        if (S.INCIDENT_CLASSES.indexOf(job.status_class) !== -1 && !self.isKnownIncident(job)) {
          self.incidents = [job].concat(self.incidents);
          self.incidentsTotal += 1;
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
        self.api.post('/incidents/snooze', { profile: incident.profile, job_id: incident.job_id, minutes: minutes }).then(function (res) {
          self.snoozing = null;
          // A refusal (a suspended service is read-only, a job no longer yours) is shown as the
          // API words it.
          if (!res.ok) { self.error = res.error.message; return; }
          self.incidents = self.incidents.filter(function (i) { return jobKey(i) !== key; });
          self.incidentsTotal = Math.max(self.incidentsTotal - 1, self.incidents.length);
          window.EbToast.show(t('snoozed_until', { when: F.when(res.data.until_ts) }), 'success');
        });
      },

      // ---- view helpers -----------------------------------------------------------------------

      t: t,
      /* Incidents the snapshot left out (it lists the newest ones only). */
      hiddenIncidents: function () { return Math.max(this.incidentsTotal - this.incidents.length, 0); },
      formatTime: F.time,
      formatWhen: F.when,
      statusLabel: S.label,
      badgeClass: S.badgeClass,

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
        return F.duration((job.ended_at || this.now) - (job.started_at || this.now));
      },

      percent: function (job) {
        if (job.ended_at) { return 100; }
        return F.percent(job.bytes_done, job.total_bytes);
      },

      progressText: function (job) {
        var p = this.percent(job);
        var done = F.bytes(job.bytes_done);
        if (job.ended_at) { return done; }
        return p === null ? t('bytes_processed', { done: done }) : t('bytes_of_total', { done: done, total: F.bytes(job.total_bytes), percent: p });
      },

      barStyle: function (job) { return 'width: ' + (this.percent(job) || 0) + '%'; },
      barClass: function (job) { return S.barClass(job.status_class); },
      jobRowClass: function (job) { return job.ended_at ? S.rowClass(job.status_class) : 'border-slate-200 bg-white'; },

      liveBadgeClass: function () {
        return this.live === 'live' ? 'bg-emerald-50 text-emerald-700 ring-1 ring-emerald-200' : 'bg-amber-50 text-amber-700 ring-1 ring-amber-200';
      },

      liveDotClass: function () {
        return this.live === 'live' ? 'bg-emerald-500' : 'bg-amber-500 animate-pulse';
      }
    };
  }

  document.addEventListener('alpine:init', function () {
    window.Alpine.data('pulseCard', pulseCard);
  });
})();
