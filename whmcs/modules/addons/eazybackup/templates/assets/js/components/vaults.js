/* eazyBackup Console — the Storage vaults tab (Alpine component `vaults`): GET /services/{id}/vaults
 * (cards with usage bar, retention, items, usage chart), the provider's templates to request a vault,
 * rename / quota / retention edits (the API writes them conditionally on the profile it read: a
 * concurrent change answers 409 and the list is re-read), a retention preview of which snapshots would be kept, the
 * maintenance menu (confirm, then the job is followed through the page's event stream), the snapshot
 * list with multi-select delete (two steps: select and press Delete, then confirm). Labels of vault
 * types, rule types and job classifications all come from the API. Comet text is bound with x-text. */
(function () {
  'use strict';

  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var F = window.EbFormat;
  var ACTIONS = ['apply_retention', 'reindex', 'unlock', 'deep_verify'];
  var CHART_W = 280;
  var CHART_H = 56;

  function vaults(serviceId) {
    return {
      serviceId: Number(serviceId),
      state: 'loading', // loading | ready | error
      error: '',
      list: [],
      hash: '',
      ruleTypes: [],
      caps: null,
      api: null,
      busy: false,
      // The request panel.
      requesting: false,
      templates: null,
      templateId: '',
      // One editor open at a time: { vaultId, kind: rename|quota|retention|snapshots }.
      open: null,
      form: { name: '', quotaEnabled: false, quotaGb: '', retention: { keep_everything: true, ranges: [] } },
      formError: '',
      preview: null,
      previewing: false,
      snapshots: null,
      snapState: 'idle', // idle | loading | ready | error
      snapError: '',
      selected: {},
      confirmStep: false,
      // Jobs this page started, by vault: [{ job_id, label, status_label, status_class, at }].
      jobs: {},
      actions: ACTIONS,

      started: false,

      /* Runs when the tab is first shown (x-effect on the root), so other tabs never pay for it. */
      activate: function () {
        var self = this;
        if (self.started) { return; }
        self.started = true;
        var root = self.$root.closest('#eb-console');
        self.api = window.EbApi.client(root);
        self.load();
        self.api.get('/services/' + self.serviceId + '/capabilities').then(function (res) {
          if (res.ok) { self.caps = res.data; }
        });
        window.EbStream.of(root).subscribe({
          onEvent: function (kind, job) { self.onEvent(kind, job); }
        });
      },

      base: function () { return '/services/' + this.serviceId; },

      load: function () {
        var self = this;
        return self.api.get(self.base() + '/vaults').then(function (res) {
          if (!res.ok) {
            self.error = res.error.message;
            if (self.state !== 'ready') { self.state = 'error'; }
            return;
          }
          self.error = '';
          self.list = res.data.vaults || [];
          self.hash = res.data.profile_hash || '';
          self.ruleTypes = res.data.rule_types || [];
          self.state = 'ready';
        });
      },

      retry: function () { this.error = ''; this.state = 'loading'; this.load(); },

      can: function (name) {
        if (!this.caps || !this.caps.capabilities) { return true; }
        var d = this.caps.capabilities[name];
        return !d || d.allowed;
      },
      whyNot: function (name) {
        var d = this.caps && this.caps.capabilities && this.caps.capabilities[name];
        return d && !d.allowed ? (d.reason || '') : '';
      },

      // ---- events: follow the jobs this page started ----------------------------------------

      onEvent: function (kind, job) {
        if (Number(job.service_id) !== this.serviceId) { return; }
        var list = this.jobs[job.vault_id];
        if (!list) { return; }
        var hit = false;
        list.forEach(function (j) {
          if (j.job_id && j.job_id === job.job_id) {
            j.status_label = job.status_label || j.status_label;
            j.status_class = job.status_class || j.status_class;
            hit = true;
          }
        });
        if (hit && kind === 'job:end') {
          this.jobs = Object.assign({}, this.jobs);
          this.load();
        }
      },

      trackJob: function (vaultId, started) {
        var list = (this.jobs[vaultId] || []).slice(0, 4);
        list.unshift({
          job_id: started.job_id || '',
          label: started.classification_label,
          status_label: t('vaults_job_running'),
          status_class: 'running',
          device: started.device_name || ''
        });
        var next = Object.assign({}, this.jobs);
        next[vaultId] = list;
        this.jobs = next;
      },
      jobsOf: function (v) { return this.jobs[v.vault_id] || []; },
      jobClass: function (j) {
        return {
          success: 'bg-emerald-50 text-emerald-700 ring-emerald-200', warning: 'bg-amber-50 text-amber-700 ring-amber-200',
          error: 'bg-rose-50 text-rose-700 ring-rose-200', missed: 'bg-slate-100 text-slate-600 ring-slate-200'
        }[j.status_class] || 'bg-sky-50 text-sky-700 ring-sky-200';
      },

      // ---- figures --------------------------------------------------------------------------

      used: function (v) { return v.used_bytes === null || v.used_bytes === undefined ? t('vaults_not_measured') : F.bytes(v.used_bytes); },
      usageText: function (v) {
        if (v.quota_bytes === null || v.quota_bytes === undefined) { return t('vaults_used_no_quota', { used: this.used(v) }); }
        return t('vaults_used_of', { used: this.used(v), quota: F.bytes(v.quota_bytes) });
      },
      percent: function (v) { return F.percent(v.used_bytes, v.quota_bytes); },
      barStyle: function (v) { var p = this.percent(v); return 'width: ' + (p === null ? 0 : Math.max(2, Math.min(100, p))) + '%'; },
      barClass: function (v) {
        var p = this.percent(v);
        return p !== null && p >= 100 ? 'bg-rose-500' : (p !== null && p >= 85 ? 'bg-amber-500' : 'bg-sky-500');
      },
      when: function (ts) { return ts ? F.when(ts) : t('vaults_never'); },
      itemText: function (i) { return i.device_name ? t('vaults_item_on', { item: i.name, device: i.device_name }) : i.name; },

      /* The usage history as an SVG polyline: points scaled into CHART_W × CHART_H. */
      chartPoints: function (v) {
        var h = v.usage_history || [];
        if (h.length < 2) { return ''; }
        var t0 = h[0].at, t1 = h[h.length - 1].at;
        var max = Math.max.apply(null, h.map(function (p) { return p.bytes; })) || 1;
        return h.map(function (p) {
          var x = t1 === t0 ? 0 : ((p.at - t0) / (t1 - t0)) * CHART_W;
          var y = CHART_H - 4 - (p.bytes / max) * (CHART_H - 8);
          return x.toFixed(1) + ',' + y.toFixed(1);
        }).join(' ');
      },
      chartLabel: function (v) {
        var h = v.usage_history || [];
        if (h.length < 2) { return t('vaults_chart_empty'); }
        return t('vaults_chart_label', { from: F.bytes(h[0].bytes), to: F.bytes(h[h.length - 1].bytes), days: h.length });
      },

      // ---- request a vault ------------------------------------------------------------------

      startRequest: function () {
        var self = this;
        self.requesting = true;
        self.formError = '';
        if (self.templates) { return; }
        self.api.get(self.base() + '/vault-templates').then(function (res) {
          if (!res.ok) { self.formError = res.error.message; self.templates = []; return; }
          self.templates = res.data;
          if (res.data.length) { self.templateId = res.data[0].template_id; }
        });
      },
      submitRequest: function () {
        var self = this;
        if (!self.templateId || self.busy) { return; }
        self.busy = true;
        self.api.post(self.base() + '/vaults', { template_id: self.templateId }).then(function (res) {
          self.busy = false;
          if (!res.ok) { self.formError = res.error.message; if (res.status === 409) { self.load(); } return; }
          self.requesting = false;
          window.EbToast.show(t('vaults_requested', { name: res.data.name }), 'success');
          self.load();
        });
      },

      // ---- editors --------------------------------------------------------------------------

      isOpen: function (v, kind) { return !!this.open && this.open.vaultId === v.vault_id && this.open.kind === kind; },
      close: function () { this.open = null; this.formError = ''; this.preview = null; this.confirmStep = false; },
      edit: function (v, kind) {
        this.close();
        this.open = { vaultId: v.vault_id, kind: kind };
        this.form.name = v.name;
        this.form.quotaEnabled = v.quota_bytes !== null && v.quota_bytes !== undefined;
        this.form.quotaGb = this.form.quotaEnabled ? String(Math.round(v.quota_bytes / 1e9)) : '';
        this.form.retention = JSON.parse(JSON.stringify(v.retention || { keep_everything: true, ranges: [] }));
        if (kind === 'snapshots') { this.loadSnapshots(v); }
      },
      patch: function (v, body, done) {
        var self = this;
        if (self.busy) { return; }
        self.busy = true;
        self.formError = '';
        // No profile hash from the list: finished jobs change the profile all the time. The API
        // reads the profile and writes it back conditionally, so a change between the two is a 409.
        self.api.request('PATCH', self.base() + '/vaults/' + encodeURIComponent(v.vault_id), body).then(function (res) {
          self.busy = false;
          if (!res.ok) {
            self.formError = res.error.message;
            if (res.status === 409) { self.load(); }
            return;
          }
          window.EbToast.show(done, 'success');
          self.close();
          self.load();
        });
      },
      saveName: function (v) { this.patch(v, { name: this.form.name }, t('vaults_saved')); },
      saveQuota: function (v) {
        var gb = Number(this.form.quotaGb);
        if (this.form.quotaEnabled && !(gb > 0)) { this.formError = t('vaults_quota_invalid'); return; }
        var body = { quota_enabled: !!this.form.quotaEnabled };
        if (this.form.quotaEnabled) { body.quota_bytes = Math.round(gb * 1e9); }
        this.patch(v, body, t('vaults_saved'));
      },

      // ---- retention ------------------------------------------------------------------------

      ruleLabel: function (type) {
        var r = this.ruleTypes.find(function (x) { return x.type === Number(type); });
        return r ? r.label : String(type);
      },
      uses: function (range, field) {
        var r = this.ruleTypes.find(function (x) { return x.type === Number(range.type); });
        return !!r && r.fields.indexOf(field) !== -1;
      },
      countFields: ['jobs', 'days', 'weeks', 'months', 'years', 'week_offset', 'month_offset'],
      fieldLabel: function (f) { return t('vaults_field_' + f); },
      ruleAria: function (i) { return t('vaults_rule_n', { n: i + 1 }); },
      keepLabel: function (s) { return s.keep ? t('vaults_keep') : t('vaults_remove'); },
      addRule: function () {
        this.form.retention.ranges.push({ type: 900, jobs: 30, days: 0, weeks: 0, months: 0, years: 0, week_offset: 0, month_offset: 1, timestamp: 0 });
        this.preview = null;
      },
      removeRule: function (i) { this.form.retention.ranges.splice(i, 1); this.preview = null; },
      retentionBody: function () {
        var r = this.form.retention;
        return {
          keep_everything: !!r.keep_everything,
          ranges: r.ranges.map(function (x) {
            return {
              type: Number(x.type), jobs: Number(x.jobs) || 0, days: Number(x.days) || 0, weeks: Number(x.weeks) || 0,
              months: Number(x.months) || 0, years: Number(x.years) || 0, week_offset: Number(x.week_offset) || 0,
              month_offset: Number(x.month_offset) || 0, timestamp: Number(x.timestamp) || 0
            };
          })
        };
      },
      runPreview: function (v) {
        var self = this;
        self.previewing = true;
        self.formError = '';
        self.api.post(self.base() + '/vaults/' + encodeURIComponent(v.vault_id) + '/retention-preview', { retention: self.retentionBody() })
          .then(function (res) {
            self.previewing = false;
            if (!res.ok) { self.formError = res.error.message; self.preview = null; return; }
            self.preview = res.data;
          });
      },
      saveRetention: function (v) { this.patch(v, { retention: this.retentionBody() }, t('vaults_retention_saved')); },

      // ---- snapshots ------------------------------------------------------------------------

      loadSnapshots: function (v) {
        var self = this;
        self.snapState = 'loading';
        self.snapshots = null;
        self.selected = {};
        self.confirmStep = false;
        self.api.get(self.base() + '/vaults/' + encodeURIComponent(v.vault_id) + '/snapshots').then(function (res) {
          if (!res.ok) { self.snapState = 'error'; self.snapError = res.error.message; return; }
          self.snapshots = res.data;
          self.snapState = 'ready';
        });
      },
      snapList: function () { return (this.snapshots && this.snapshots.snapshots) || []; },
      selectedIds: function () { var s = this.selected; return Object.keys(s).filter(function (k) { return s[k]; }); },
      toggle: function (id) { var next = Object.assign({}, this.selected); next[id] = !next[id]; this.selected = next; this.confirmStep = false; },
      allSelected: function () { return this.snapList().length > 0 && this.selectedIds().length === this.snapList().length; },
      toggleAll: function () {
        var all = !this.allSelected();
        var next = {};
        this.snapList().forEach(function (s) { next[s.snapshot_id] = all; });
        this.selected = next;
        this.confirmStep = false;
      },
      snapTitle: function (s) { return (s.item_name || s.item_id) + (s.device_name ? ' · ' + s.device_name : ''); },
      snapSize: function (s) {
        var parts = [];
        parts.push(s.size_bytes === null || s.size_bytes === undefined ? '—' : F.bytes(s.size_bytes));
        if (s.files !== null && s.files !== undefined) { parts.push(t('vaults_files', { n: F.count(s.files) })); }
        return parts.join(' · ');
      },
      /* Step two: the dialog names every snapshot that will be lost. */
      deleteSelected: function (v) {
        var self = this;
        var ids = self.selectedIds();
        if (!ids.length) { return; }
        var lost = self.snapList().filter(function (s) { return ids.indexOf(s.snapshot_id) !== -1; })
          .map(function (s) { return t('vaults_snapshot_of', { item: self.snapTitle(s), when: F.when(s.created_at) }); });
        window.EbConfirm.ask({ title: t('vaults_delete_snapshots_title', { n: ids.length }), lost: lost, confirmLabel: t('vaults_delete_snapshots_confirm', { n: ids.length }) })
          .then(function (ok) {
            if (!ok) { self.confirmStep = false; return; }
            self.busy = true;
            self.api.post(self.base() + '/vaults/' + encodeURIComponent(v.vault_id) + '/snapshots/delete', { snapshot_ids: ids }).then(function (res) {
              self.busy = false;
              self.confirmStep = false;
              if (!res.ok) { window.EbToast.show(res.error.message, 'error'); return; }
              self.trackJob(v.vault_id, res.data);
              window.EbToast.show(res.data.message, 'success');
              self.selected = {};
              var gone = {};
              ids.forEach(function (id) { gone[id] = true; });
              self.snapshots.snapshots = self.snapList().filter(function (s) { return !gone[s.snapshot_id]; });
            });
          });
      },

      // ---- maintenance ----------------------------------------------------------------------

      actionLabel: function (a) { return t('vaults_action_' + a); },
      maintain: function (v, action) {
        var self = this;
        window.EbConfirm.ask({
          title: t('vaults_action_confirm', { action: self.actionLabel(action), name: v.name }),
          lost: [t('vaults_action_effect_' + action)],
          confirmLabel: self.actionLabel(action)
        }).then(function (ok) {
          if (!ok) { return; }
          self.busy = true;
          self.api.post(self.base() + '/vaults/' + encodeURIComponent(v.vault_id) + '/maintenance', { action: action }).then(function (res) {
            self.busy = false;
            if (!res.ok) { window.EbToast.show(res.error.message, 'error'); return; }
            self.trackJob(v.vault_id, res.data);
            window.EbToast.show(res.data.message, 'success');
          });
        });
      },

      // ---- delete ---------------------------------------------------------------------------

      remove: function (v) {
        var self = this;
        window.EbConfirm.ask({
          title: t('vaults_delete_title', { name: v.name }),
          lost: [t('vaults_delete_lost')],
          confirmLabel: t('vaults_delete_confirm')
        }).then(function (ok) {
          if (!ok) { return; }
          self.api.request('DELETE', self.base() + '/vaults/' + encodeURIComponent(v.vault_id))
            .then(function (res) {
              if (!res.ok) { window.EbToast.show(res.error.message, 'error'); if (res.status === 409) { self.load(); } return; }
              window.EbToast.show(t('vaults_deleted', { name: v.name }), 'success');
              self.load();
            });
        });
      }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('vaults', vaults); });
})();
