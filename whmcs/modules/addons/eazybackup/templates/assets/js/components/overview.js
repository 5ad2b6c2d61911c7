/* eazyBackup Console — the Overview tab (Alpine component `overview`): GET /services/{id}/overview,
 * then kept live by the page's event stream. A job event of this service moves the 24-hour counts
 * at once and re-reads the overview shortly after (the API's figures stay the truth). When Comet is
 * unreachable the API still answers with our own figures and comet.reachable = false: a banner says
 * so and the figures stay on screen. Comet-controlled text is bound with x-text only. */
(function () {
  'use strict';

  var REFRESH_AFTER_EVENT_MS = 1500;
  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var F = window.EbFormat;
  var S = window.EbStatus;

  function overview(serviceId) {
    return {
      serviceId: Number(serviceId),
      state: 'loading', // loading | ready | error
      error: '',
      data: null,
      jobs: S.emptyCounts(),
      live: 'connecting',
      api: null,
      refreshTimer: null,
      running: {},

      init: function () {
        var self = this;
        var root = self.$root.closest('#eb-console');
        self.api = window.EbApi.client(root);
        self.load();
        window.EbStream.of(root).subscribe({
          onState: function (state) { self.live = state; },
          onEvent: function (kind, job) { self.onEvent(kind, job); },
          poll: function () { self.load(); }
        });
      },

      load: function () {
        var self = this;
        return self.api.get('/services/' + self.serviceId + '/overview').then(function (res) {
          if (!res.ok) {
            // Keep figures already shown; say what went wrong.
            self.error = res.error.message;
            if (!self.data) { self.state = 'error'; }
            return;
          }
          self.error = '';
          self.data = res.data;
          self.jobs = Object.assign(S.emptyCounts(), res.data.jobs_24h || {});
          self.running = {};
          self.state = 'ready';
        });
      },

      retry: function () { this.state = this.data ? 'ready' : 'loading'; this.load(); },

      onEvent: function (kind, job) {
        if (Number(job.service_id) !== this.serviceId || this.state !== 'ready') { return; }
        var key = JSON.stringify([String(job.profile || ''), String(job.job_id)]);
        if (kind === 'job:start' && !this.running[key]) {
          this.running[key] = true;
          this.jobs.running += 1;
        } else if (kind === 'job:end') {
          if (this.running[key] || this.jobs.running > 0) { this.jobs.running -= 1; }
          delete this.running[key];
          if (Object.prototype.hasOwnProperty.call(this.jobs, job.status_class) && job.status_class !== 'running') {
            this.jobs[job.status_class] += 1;
          }
        } else {
          return;
        }
        this.scheduleRefresh();
      },

      scheduleRefresh: function () {
        var self = this;
        if (self.refreshTimer) { clearTimeout(self.refreshTimer); }
        self.refreshTimer = setTimeout(function () { self.refreshTimer = null; self.load(); }, REFRESH_AFTER_EVENT_MS);
      },

      // ---- view helpers -----------------------------------------------------------------------

      t: t,
      classes: S.CLASSES,
      statusLabel: S.label,
      badgeClass: S.badgeClass,
      barClass: S.barClass,
      formatDate: F.date,
      formatRelative: F.relative,
      formatWhen: F.when,

      cometDown: function () { return !!this.data && !!this.data.comet && this.data.comet.reachable === false; },
      cometMessage: function () { return (this.data && this.data.comet && this.data.comet.message) || ''; },
      account: function () { return (this.data && this.data.account) || {}; },
      devicesText: function () {
        var d = (this.data && this.data.devices) || {};
        return t('overview_devices_value', { online: F.count(d.online), total: F.count(d.total) });
      },
      itemsText: function () { return F.count(this.data && this.data.items && this.data.items.total); },
      vaultsText: function () { return F.count(this.data && this.data.vaults && this.data.vaults.total); },
      storageText: function () { return F.bytes(this.data && this.data.storage && this.data.storage.used_bytes); },
      jobsTotal: function () { var j = this.jobs; return S.CLASSES.reduce(function (n, c) { return n + (j[c] || 0); }, 0); },
      news: function () { return (this.data && this.data.news) || []; },
      quotas: function () { return (this.data && this.data.quotas) || []; },
      quotaKey: function (q) { return q.key + ':' + (q.vault_id || ''); },
      quotaLabel: function (q) {
        return q.key === 'vault' ? t('quota_vault', { name: q.vault_name || q.vault_id || '' }) : t('quota_' + q.key);
      },
      quotaAmount: function (q) {
        var show = q.unit === 'bytes' ? F.bytes : F.count;
        if (q.used === null || q.used === undefined) { return t('quota_unknown'); }
        if (q.limit === null || q.limit === undefined) { return show(q.used) + ' · ' + t('quota_unlimited'); }
        return t('quota_used_of', { used: show(q.used), limit: show(q.limit) });
      },
      quotaPercent: function (q) { return F.percent(q.used, q.limit); },
      quotaBarClass: function (q) {
        var p = this.quotaPercent(q);
        return p !== null && p >= 100 ? 'bg-rose-500' : (p !== null && p >= 85 ? 'bg-amber-500' : 'bg-sky-500');
      },
      /* No limit (or no figure): an empty track, so nothing reads as "full"; the words say why. */
      quotaBarStyle: function (q) {
        var p = this.quotaPercent(q);
        return 'width: ' + (p === null ? 0 : Math.max(p, 2)) + '%';
      },
      jobShare: function (c) {
        var total = this.jobsTotal();
        return 'width: ' + (total > 0 ? Math.round(100 * (this.jobs[c] || 0) / total) : 0) + '%';
      }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('overview', overview); });
})();
