/* eazyBackup Console — the Restore tab (Alpine component `restore`). A wizard: device to restore
 * to (online first) → protected item → vault → snapshot → browse the snapshot as a lazy tree and
 * select files/folders (or the whole item) → destination, type and overwrite → confirm → follow the
 * job to its end. A "Find a file" panel searches every snapshot of the item and restores a chosen
 * version. Everything comes from /services/{id}/restore/...; Comet strings are bound with x-text. */
(function () {
  'use strict';

  var POLL_MS = 1500;
  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var F = window.EbFormat;

  function restore(serviceId) {
    return {
      serviceId: Number(serviceId),
      state: 'loading', // loading | ready | error
      error: '',
      sources: null,
      step: 'device', // device | item | vault | snapshot | browse | options | confirm | follow
      deviceId: '',
      itemId: '',
      vaultId: '',
      snapshots: [],
      snapshotsState: 'idle', // idle | loading | ready | error
      snapshotsError: '',
      snapshotId: '',
      tree: {}, // path -> { state, objects, error, open }
      selected: {}, // path -> true
      wholeItem: false,
      filter: '',
      restoreType: 0,
      destination: 'original',
      destPath: '',
      overwrite: 'never',
      archiveFormat: 0,
      submitting: false,
      submitError: '',
      submitField: '',
      job: null,
      jobId: '',
      jobError: '',
      pollTimer: null,
      // Find a file
      findQuery: '',
      findState: 'idle', // idle | loading | ready | error
      findError: '',
      findResults: null,

      init: function () {
        var self = this;
        self.api = window.EbApi.client(self.$root.closest('#eb-console'));
        // Ask Comet only once the tab is first shown (its panel is hidden until then).
        if (!('IntersectionObserver' in window)) { self.load(); return; }
        var seen = new IntersectionObserver(function (entries) {
          if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); self.load(); }
        });
        seen.observe(self.$root);
      },

      base: function () { return '/services/' + this.serviceId + '/restore'; },

      load: function () {
        var self = this;
        self.state = 'loading';
        return self.api.get(self.base() + '/sources').then(function (res) {
          if (!res.ok) { self.error = res.error.message; self.state = 'error'; return; }
          self.error = '';
          self.sources = res.data;
          self.state = 'ready';
        });
      },

      // ---- lookups ------------------------------------------------------------------------------
      t: t,
      formatWhen: F.when,
      formatBytes: F.bytes,
      formatCount: F.count,
      devices: function () { return (this.sources && this.sources.devices) || []; },
      items: function () { return (this.sources && this.sources.items) || []; },
      vaultsAll: function () { return (this.sources && this.sources.vaults) || []; },
      device: function () { var id = this.deviceId; return this.devices().find(function (d) { return d.device_id === id; }) || null; },
      item: function () { var id = this.itemId; return this.items().find(function (i) { return i.item_id === id; }) || null; },
      vault: function () { var id = this.vaultId; return this.vaultsAll().find(function (v) { return v.vault_id === id; }) || null; },
      snapshot: function () { var id = this.snapshotId; return this.snapshots.find(function (s) { return s.snapshot_id === id; }) || null; },
      /* The item's vaults first, then the account's others. */
      vaults: function () {
        var item = this.item();
        var mine = (item && item.vault_ids) || [];
        var all = this.vaultsAll().slice();
        all.sort(function (a, b) { return (mine.indexOf(b.vault_id) !== -1) - (mine.indexOf(a.vault_id) !== -1); });
        return all;
      },
      itemVault: function (v) { var item = this.item(); return !!item && item.vault_ids.indexOf(v.vault_id) !== -1; },
      types: function () { var item = this.item(); return (item && item.restore_types) || []; },
      type: function () { var v = Number(this.restoreType); return this.types().find(function (x) { return x.value === v; }) || null; },
      archiveFormats: function () { return (this.sources && this.sources.archive_formats) || []; },
      idsQuery: function () {
        return 'device_id=' + encodeURIComponent(this.deviceId) + '&item_id=' + encodeURIComponent(this.itemId) +
          '&vault_id=' + encodeURIComponent(this.vaultId);
      },

      // ---- steps ----------------------------------------------------------------------------------
      chooseDevice: function (d) {
        if (!d.online) { return; }
        this.deviceId = d.device_id;
        this.step = 'item';
      },
      chooseItem: function (i) {
        this.itemId = i.item_id;
        var first = i.restore_types[0];
        this.restoreType = first ? first.value : 0;
        this.step = 'vault';
      },
      chooseVault: function (v) {
        this.vaultId = v.vault_id;
        this.step = 'snapshot';
        this.loadSnapshots();
      },
      loadSnapshots: function () {
        var self = this;
        self.snapshotsState = 'loading';
        self.snapshots = [];
        return self.api.get(self.base() + '/snapshots?' + self.idsQuery()).then(function (res) {
          if (!res.ok) { self.snapshotsError = res.error.message; self.snapshotsState = 'error'; return; }
          self.snapshots = res.data.snapshots || [];
          self.snapshotsState = 'ready';
        });
      },
      chooseSnapshot: function (s) {
        this.snapshotId = s.snapshot_id;
        this.tree = {};
        this.selected = {};
        this.wholeItem = false;
        this.filter = '';
        this.step = 'browse';
        this.openDir('', null);
      },
      back: function (to) { this.stopPolling(); this.step = to; },
      restart: function () {
        this.stopPolling();
        this.job = null; this.jobId = ''; this.jobError = '';
        this.selected = {}; this.wholeItem = false; this.submitError = ''; this.submitField = '';
        this.step = 'device';
        this.load();
      },

      // ---- the lazy tree --------------------------------------------------------------------------
      node: function (path) { return this.tree[path] || { state: 'idle', objects: [], error: '', open: false }; },
      openDir: function (path, treeId) {
        var self = this;
        var n = self.node(path);
        if (n.state === 'ready' || n.state === 'loading') {
          self.tree[path] = Object.assign({}, n, { open: !n.open || path === '' });
          return Promise.resolve();
        }
        self.tree[path] = { state: 'loading', objects: [], error: '', open: true };
        var q = self.base() + '/objects?' + self.idsQuery() + '&snapshot_id=' + encodeURIComponent(self.snapshotId);
        if (treeId) { q += '&tree_id=' + encodeURIComponent(treeId) + '&path=' + encodeURIComponent(path); }
        return self.api.get(q).then(function (res) {
          if (!res.ok) { self.tree[path] = { state: 'error', objects: [], error: res.error.message, open: true }; return; }
          self.tree[path] = { state: 'ready', objects: res.data.objects || [], error: '', open: true };
        });
      },
      toggleDir: function (o) { return this.openDir(o.path, o.tree_id); },
      /* Visible rows, depth first, with their depth; the filter keeps matching names and open folders. */
      rows: function () {
        var out = [];
        var self = this;
        var needle = self.filter.trim().toLowerCase();
        function walk(path, depth) {
          var n = self.tree[path];
          if (!n || !n.open) { return; }
          n.objects.forEach(function (o) {
            var match = !needle || o.name.toLowerCase().indexOf(needle) !== -1;
            if (match || o.is_container) { out.push({ o: o, depth: depth }); }
            if (o.is_container) { walk(o.path, depth + 1); }
          });
        }
        walk('', 0);
        return out;
      },
      isSelected: function (o) { return !!this.selected[o.path]; },
      toggleSelect: function (o) {
        var next = Object.assign({}, this.selected);
        if (next[o.path]) { delete next[o.path]; } else { next[o.path] = true; }
        this.selected = next;
      },
      selectedPaths: function () { return Object.keys(this.selected).sort(); },
      canContinue: function () { return this.wholeItem || this.selectedPaths().length > 0; },
      toOptions: function () { if (this.canContinue()) { this.step = 'options'; } },

      // ---- options and start ------------------------------------------------------------------------
      needsPath: function () { var ty = this.type(); return !!ty && ty.needs_path && (ty.key !== 'files' || this.destination === 'path'); },
      payload: function () {
        var ty = this.type();
        var key = ty ? ty.key : 'files';
        return {
          device_id: this.deviceId,
          item_id: this.itemId,
          vault_id: this.vaultId,
          snapshot_id: this.snapshotId,
          paths: this.wholeItem ? [] : this.selectedPaths(),
          restore_type: Number(this.restoreType),
          destination: key === 'archive' ? 'path' : (key === 'files' ? this.destination : 'original'),
          dest_path: this.needsPath() ? this.destPath : '',
          overwrite: key === 'files' ? this.overwrite : 'never',
          archive_format: Number(this.archiveFormat),
          skip_unreadable: false
        };
      },
      summaryText: function () {
        var n = this.wholeItem ? t('restore_whole_item') : t('restore_n_selected', { n: this.selectedPaths().length });
        return n;
      },
      review: function () { this.submitError = ''; this.submitField = ''; this.step = 'confirm'; },
      overwriteLabel: function () { return t('restore_overwrite_' + this.overwrite); },
      destinationText: function () {
        var ty = this.type();
        if (!ty || ty.key === 'simulate') { return t('restore_dest_none'); }
        if (ty.key === 'files' && this.destination === 'original') { return t('restore_dest_original'); }
        return this.destPath;
      },
      start: function (body) {
        var self = this;
        self.submitting = true;
        self.submitError = '';
        self.submitField = '';
        return self.api.post(self.base(), body).then(function (res) {
          self.submitting = false;
          if (!res.ok) {
            self.submitError = res.error.message;
            self.submitField = res.error.field || '';
            return;
          }
          self.jobId = res.data.job_id || '';
          self.job = null;
          self.step = 'follow';
          self.poll();
        });
      },

      // ---- follow -------------------------------------------------------------------------------------
      poll: function () {
        var self = this;
        self.stopPolling();
        if (!self.jobId) { return; }
        self.api.get(self.base() + '/jobs/' + encodeURIComponent(self.jobId)).then(function (res) {
          if (self.step !== 'follow') { return; }
          if (!res.ok) { self.jobError = res.error.message; } else { self.jobError = ''; self.job = res.data; }
          if (!self.job || self.job.running) { self.pollTimer = setTimeout(function () { self.poll(); }, POLL_MS); }
        });
      },
      stopPolling: function () { if (this.pollTimer) { clearTimeout(this.pollTimer); this.pollTimer = null; } },
      jobDone: function () { return !!this.job && !this.job.running; },
      jobPercent: function () {
        var j = this.job;
        if (!j) { return 0; }
        if (!j.running) { return 100; }
        var p = F.percent(j.bytes_done, j.total_bytes);
        return p === null ? 0 : Math.min(100, p);
      },
      jobBadge: function () {
        var c = this.job ? this.job.status_class : 'running';
        return window.EbStatus && window.EbStatus.badgeClass ? window.EbStatus.badgeClass(c) : '';
      },

      // ---- find a file ---------------------------------------------------------------------------------
      find: function () {
        var self = this;
        var q = self.findQuery.trim();
        if (!q || !self.deviceId || !self.itemId) { return; }
        self.findState = 'loading';
        self.findError = '';
        var url = self.base() + '/search?device_id=' + encodeURIComponent(self.deviceId) + '&item_id=' +
          encodeURIComponent(self.itemId) + '&q=' + encodeURIComponent(q);
        return self.api.get(url).then(function (res) {
          if (!res.ok) { self.findError = res.error.message; self.findState = 'error'; return; }
          self.findResults = res.data;
          self.findState = 'ready';
        });
      },
      /* Restore one version: its vault and snapshot, that path alone, then the options step. */
      restoreVersion: function (p, v) {
        this.vaultId = v.vault_id;
        this.snapshotId = v.snapshot_id;
        this.snapshots = [{ snapshot_id: v.snapshot_id, created_at: v.snapshot_at, total_bytes: null, total_files: null }];
        this.selected = {};
        this.selected[p.path] = true;
        this.wholeItem = false;
        this.step = 'options';
      },
      versionText: function (v) {
        var parts = [F.when(v.snapshot_at)];
        if (v.size) { parts.push(F.bytes(v.size)); }
        return parts.join(' · ');
      }
    };
  }

  document.addEventListener('alpine:init', function () {
    window.Alpine.data('restore', restore);
  });
})();
