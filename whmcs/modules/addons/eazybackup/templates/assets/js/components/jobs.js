/* eazyBackup Console — the Jobs tab (Alpine component `jobsTab`): GET /services/{id}/jobs with the
 * filter bar's choices (status chips, device, item, vault, kind, date range, search), sorting and
 * keyset paging; running rows follow the page's event stream. A row opens the job drawer
 * (GET …/jobs/{job_id}: live progress while running) with its log (GET …/log: severity and text
 * filtered by the API, jump to the first error, download …/log.txt) and a cancel that asks first
 * and shows "cancel requested" until the stream says the job ended. Comet text is bound with
 * x-text only. */
(function () {
  'use strict';

  var SEARCH_DEBOUNCE_MS = 300;
  var REFRESH_AFTER_EVENT_MS = 1500;
  var PAGE_SIZE = 25;
  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var F = window.EbFormat;
  var S = window.EbStatus;

  function emptyFilters() {
    return { status: [], device_id: '', item_id: '', vault_id: '', classification: '', from: '', to: '', q: '' };
  }

  /** Unix seconds of local midnight of a yyyy-mm-dd input value (plus `days`), or null. */
  function dayStart(value, days) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
    if (!m) { return null; }
    return Math.floor(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (days || 0)).getTime() / 1000);
  }

  function jobsTab(serviceId) {
    return {
      serviceId: Number(serviceId),
      state: 'loading', // loading | ready | error
      error: '',
      rows: [],
      choices: null,
      filters: emptyFilters(),
      sort: 'started',
      order: 'desc',
      cursors: [null], // the cursor of each page seen; the last one is the current page's
      nextCursor: null,
      live: 'connecting',
      api: null,
      root: null,
      searchTimer: null,
      refreshTimer: null,
      seq: 0,
      cancelRequested: {},
      // the drawer
      drawerOpen: false,
      detail: null,
      detailState: 'idle', // idle | loading | ready | error
      detailError: '',
      log: null,
      logState: 'idle',
      logError: '',
      logSeverity: 'I',
      logQuery: '',
      logTimer: null,
      logSeq: 0,
      downloading: false,
      returnFocus: null,

      init: function () {
        var self = this;
        self.root = self.$root.closest('#eb-console');
        self.api = window.EbApi.client(self.root);
        self.load();
        window.EbStream.of(self.root).subscribe({
          onState: function (state) { self.live = state; },
          onEvent: function (kind, job) { self.onEvent(kind, job); },
          poll: function () { self.reloadQuietly(); }
        });
      },

      // ---- the list ----------------------------------------------------------------------------

      query: function () {
        var f = this.filters;
        var p = [];
        var add = function (k, v) { if (v !== '' && v !== null && v !== undefined) { p.push(k + '=' + encodeURIComponent(v)); } };
        add('status', f.status.join(','));
        add('device_id', f.device_id);
        add('item_id', f.item_id);
        add('vault_id', f.vault_id);
        add('classification', f.classification);
        add('from', dayStart(f.from, 0));
        add('to', dayStart(f.to, 1));
        add('q', f.q.trim());
        add('sort', this.sort);
        add('order', this.order);
        add('limit', PAGE_SIZE);
        var cursor = this.cursors[this.cursors.length - 1];
        add('cursor', cursor);
        return p.join('&');
      },

      load: function () {
        var self = this;
        var seq = ++self.seq;
        if (!self.rows.length) { self.state = 'loading'; }
        return self.api.get('/services/' + self.serviceId + '/jobs?' + self.query()).then(function (res) {
          if (seq !== self.seq) { return; }
          if (!res.ok) {
            self.error = res.error.message;
            if (self.state !== 'ready') { self.state = 'error'; }
            return;
          }
          self.error = '';
          self.rows = res.data.jobs;
          self.nextCursor = res.data.next_cursor;
          if (res.data.filters) { self.choices = res.data.filters; }
          self.state = 'ready';
        });
      },

      /** A refresh that keeps what is shown until the answer arrives. */
      reloadQuietly: function () { if (this.state === 'ready') { this.load(); } },

      retry: function () { this.error = ''; this.load(); },

      /** Any filter or the sort changed: back to the first page. */
      refilter: function () {
        this.cursors = [null];
        this.load();
      },

      searchChanged: function () {
        var self = this;
        if (self.searchTimer) { clearTimeout(self.searchTimer); }
        self.searchTimer = setTimeout(function () { self.searchTimer = null; self.refilter(); }, SEARCH_DEBOUNCE_MS);
      },

      toggleStatus: function (c) {
        var i = this.filters.status.indexOf(c);
        if (i === -1) { this.filters.status.push(c); } else { this.filters.status.splice(i, 1); }
        this.refilter();
      },

      statusOn: function (c) { return this.filters.status.indexOf(c) !== -1; },

      clearFilters: function () {
        this.filters = emptyFilters();
        this.refilter();
      },

      hasFilters: function () {
        var f = this.filters;
        return f.status.length > 0 || !!(f.device_id || f.item_id || f.vault_id || f.classification || f.from || f.to || f.q.trim());
      },

      sortBy: function (key) {
        if (this.sort === key) { this.order = this.order === 'desc' ? 'asc' : 'desc'; } else { this.sort = key; this.order = 'desc'; }
        this.refilter();
      },

      ariaSort: function (key) {
        if (this.sort !== key) { return 'none'; }
        return this.order === 'desc' ? 'descending' : 'ascending';
      },

      sortIcon: function (key) {
        if (this.sort !== key) { return ''; }
        return this.order === 'desc' ? '↓' : '↑';
      },

      nextPage: function () {
        if (!this.nextCursor) { return; }
        this.cursors.push(this.nextCursor);
        this.load();
      },

      prevPage: function () {
        if (this.cursors.length < 2) { return; }
        this.cursors.pop();
        this.load();
      },

      pageNumber: function () { return this.cursors.length; },

      // ---- the live stream ---------------------------------------------------------------------

      onEvent: function (kind, job) {
        if (Number(job.service_id) !== this.serviceId) { return; }
        var row = null;
        for (var i = 0; i < this.rows.length; i++) {
          if (this.rows[i].job_id === job.job_id) { row = this.rows[i]; break; }
        }
        if (row && kind === 'job:progress') {
          row.bytes_done = job.bytes_done;
          row.progress_counter = job.progress_counter;
          row.last_update = job.last_update;
          if (job.total_bytes) { row.total_bytes = job.total_bytes; }
          if (job.upload_bytes) { row.upload_bytes = job.upload_bytes; }
        }
        if (kind === 'job:end') {
          delete this.cancelRequested[job.job_id];
          if (row) {
            row.status = job.status;
            row.status_label = job.status_label;
            row.status_class = job.status_class;
            row.ended_at = job.ended_at;
          }
        }
        if (this.detail && this.detail.job.job_id === job.job_id && kind !== 'job:start') {
          this.loadDetail(job.job_id, true);
        }
        if (kind !== 'job:progress' || !row) { this.scheduleRefresh(); }
      },

      scheduleRefresh: function () {
        var self = this;
        if (self.refreshTimer) { clearTimeout(self.refreshTimer); }
        self.refreshTimer = setTimeout(function () { self.refreshTimer = null; self.reloadQuietly(); }, REFRESH_AFTER_EVENT_MS);
      },

      // ---- the drawer --------------------------------------------------------------------------

      open: function (row) {
        this.returnFocus = document.activeElement;
        this.drawerOpen = true;
        this.detail = { job: row, cancellable: row.status_class === 'running', items_done: null, items_total: null };
        this.log = null;
        this.logSeverity = 'I';
        this.logQuery = '';
        this.loadDetail(row.job_id, false);
        this.loadLog();
        var self = this;
        self.$nextTick(function () { var c = self.$refs.drawerClose; if (c) { c.focus(); } });
      },

      close: function () {
        this.drawerOpen = false;
        this.detail = null;
        this.log = null;
        if (this.returnFocus && this.returnFocus.focus) { this.returnFocus.focus(); }
      },

      jobPath: function (jobId) { return '/services/' + this.serviceId + '/jobs/' + encodeURIComponent(jobId); },

      loadDetail: function (jobId, quiet) {
        var self = this;
        if (!quiet) { self.detailState = 'loading'; }
        return self.api.get(self.jobPath(jobId)).then(function (res) {
          if (!self.detail || self.detail.job.job_id !== jobId) { return; }
          if (!res.ok) { self.detailError = res.error.message; self.detailState = 'error'; return; }
          self.detail = res.data;
          self.detailError = '';
          self.detailState = 'ready';
          if (res.data.job.status_class !== 'running') { delete self.cancelRequested[jobId]; }
        });
      },

      loadLog: function () {
        var self = this;
        if (!self.detail) { return; }
        var jobId = self.detail.job.job_id;
        var seq = ++self.logSeq;
        self.logState = 'loading';
        var q = [];
        if (self.logSeverity !== 'I') { q.push('severity=' + encodeURIComponent(self.logSeverity)); }
        if (self.logQuery.trim()) { q.push('q=' + encodeURIComponent(self.logQuery.trim())); }
        return self.api.get(self.jobPath(jobId) + '/log' + (q.length ? '?' + q.join('&') : '')).then(function (res) {
          if (seq !== self.logSeq) { return; }
          if (!res.ok) { self.logError = res.error.message; self.logState = 'error'; return; }
          self.log = res.data;
          self.logError = '';
          self.logState = 'ready';
        });
      },

      logSearchChanged: function () {
        var self = this;
        if (self.logTimer) { clearTimeout(self.logTimer); }
        self.logTimer = setTimeout(function () { self.logTimer = null; self.loadLog(); }, SEARCH_DEBOUNCE_MS);
      },

      logEntries: function () { return (this.log && this.log.entries) || []; },

      jumpToFirstError: function () {
        if (!this.log || this.log.first_error === null || this.log.first_error === undefined) { return; }
        var el = this.$root.querySelector('[data-log-index="' + this.log.first_error + '"]');
        if (el) { el.scrollIntoView({ block: 'center' }); el.focus(); }
      },

      /** Fetches log.txt with the page's credentials and saves it under the API's file name. */
      download: function () {
        var self = this;
        if (!self.detail || self.downloading) { return; }
        var jobId = self.detail.job.job_id;
        var api = self.api;
        var url = api.url(self.jobPath(jobId) + '/log.txt');
        var headers = {};
        var go = function () {
          return fetch(url, { headers: headers, credentials: api.mode === 'direct' ? 'omit' : 'same-origin' }).then(function (res) {
            if (!res.ok) {
              return res.json().then(function (b) { throw new Error((b && b.error && b.error.message) || t('error_http', { status: res.status })); },
                function () { throw new Error(t('error_http', { status: res.status })); });
            }
            var name = 'job-' + jobId + '.log';
            var m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
            if (m) { name = m[1]; }
            return res.blob().then(function (blob) {
              var a = document.createElement('a');
              a.href = URL.createObjectURL(blob);
              a.download = name;
              document.body.appendChild(a);
              a.click();
              setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
            });
          });
        };
        self.downloading = true;
        var ready = api.mode === 'direct'
          ? api.tokens.get().then(function (token) { headers.Authorization = 'Bearer ' + token; })
          : Promise.resolve();
        ready.then(go).then(function () {
          self.downloading = false;
        }, function (e) {
          self.downloading = false;
          window.EbToast.show((e && e.message) || t('error_network'), 'error');
        });
      },

      cancel: function (row) {
        var self = this;
        var name = self.jobTitle(row);
        window.EbConfirm.ask({
          title: t('jobs_cancel_title'),
          lost: [t('jobs_cancel_lost', { name: name })],
          confirmLabel: t('jobs_cancel_confirm')
        }).then(function (ok) {
          if (!ok) { return; }
          self.api.post(self.jobPath(row.job_id) + '/cancel').then(function (res) {
            if (!res.ok) { window.EbToast.show(res.error.message, 'error'); return; }
            if (res.data.state === 'cancel_requested') { self.cancelRequested[row.job_id] = true; }
            window.EbToast.show(res.data.message, res.data.state === 'cancel_requested' ? 'success' : 'info');
            if (self.detail && self.detail.job.job_id === row.job_id) { self.loadDetail(row.job_id, true); }
          });
        });
      },

      // ---- view helpers ------------------------------------------------------------------------

      t: t,
      classes: S.CLASSES,
      statusLabel: S.label,
      badgeClass: S.badgeClass,
      formatBytes: F.bytes,
      formatCount: F.count,
      formatWhen: F.when,
      formatDuration: F.duration,

      canCancel: function (row) { return row.status_class === 'running' && !this.cancelRequested[row.job_id]; },
      isCancelRequested: function (row) { return row.status_class === 'running' && !!this.cancelRequested[row.job_id]; },
      jobTitle: function (row) { return row.item_name || row.item_id || row.classification_label; },
      deviceText: function (row) { return row.device_name || row.device_id || '—'; },
      bytesText: function (row) {
        if (row.status_class === 'running' && row.bytes_done !== null && row.bytes_done !== undefined) {
          return t('jobs_bytes_so_far', { bytes: F.bytes(row.bytes_done) });
        }
        return F.bytes(row.total_bytes);
      },
      speedText: function (row) {
        return row.speed_bytes_per_sec === null || row.speed_bytes_per_sec === undefined ? '—' : t('jobs_speed', { bytes: F.bytes(row.speed_bytes_per_sec) });
      },
      progressPercent: function () {
        var d = this.detail;
        if (!d || !d.items_total) { return null; }
        return F.percent(d.items_done, d.items_total);
      },
      progressStyle: function () { var p = this.progressPercent(); return 'width: ' + (p === null ? 0 : Math.max(p, 2)) + '%'; },
      severityClass: function (s) {
        return { E: 'bg-rose-50 text-rose-900', W: 'bg-amber-50 text-amber-900' }[s] || 'text-slate-700';
      },
      severityLabel: function (s) { return t('jobs_log_sev_' + (['I', 'W', 'E', 'D'].indexOf(s) === -1 ? 'I' : s)); },
      logTime: function (ts) { return F.time(ts, true); },
      pageSummary: function () { return t('jobs_page', { page: this.pageNumber() }); }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('jobsTab', jobsTab); });
})();
