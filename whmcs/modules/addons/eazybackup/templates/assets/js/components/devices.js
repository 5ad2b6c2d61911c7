/* eazyBackup Console — the Devices tab (Alpine component `devicesTab`): GET /services/{id}/devices,
 * kept live by the page's event stream (a device going online/offline, renamed or revoked
 * elsewhere, a job starting or ending on it), a detail drawer (GET /services/{id}/devices/{device}),
 * and the device actions. What is allowed comes from GET /services/{id}/capabilities?device_id=…
 * (the API refuses the same things): a refused action stays visible, disabled, with its reason.
 * Comet-controlled text (device names, item names, paths) is bound with x-text only. */
(function () {
  'use strict';

  var REFRESH_AFTER_EVENT_MS = 1500;
  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var F = window.EbFormat;
  var S = window.EbStatus;

  /* The actions of the menu: the capability deciding each (null: decided by the device's state
   * alone) and whether it acts through the device's live connection. */
  var ACTIONS = [
    { id: 'run', cap: 'devices.run_backup', live: true },
    { id: 'rename', cap: 'devices.rename', live: false },
    { id: 'update', cap: 'devices.update_software', live: true },
    { id: 'refetch', cap: 'devices.manage_connection', live: true },
    { id: 'password', cap: 'devices.manage_connection', live: true },
    { id: 'drop', cap: 'devices.manage_connection', live: true },
    { id: 'kill', cap: 'devices.manage_connection', live: true },
    { id: 'uninstall', cap: 'devices.uninstall_software', live: true },
    { id: 'revoke', cap: 'devices.revoke', live: false }
  ];

  function devicesTab(serviceId) {
    return {
      serviceId: Number(serviceId),
      state: 'loading', // loading | ready | error
      error: '',
      data: null,
      live: 'connecting',
      api: null,
      refreshTimer: null,
      // The action menu: which device it is open for, and that device's capabilities.
      menuFor: '',
      caps: {},
      capsState: {},
      busy: {},
      // Inline rename.
      renaming: '',
      renameValue: '',
      renameError: '',
      // The detail drawer.
      drawer: { open: false, id: '', state: 'loading', error: '', data: null },
      // The form dialog (run backup, push password, uninstall).
      dialog: { open: false, kind: '', device: null, error: '', field: '', busy: false, mode: 'rule', rule: '', item: '', vault: '', password: '', removeConfig: false, options: { log_level: '', stop_after_hours: '' } },
      actions: ACTIONS,

      init: function () {
        var self = this;
        var root = self.$root.closest('#eb-console');
        self.api = window.EbApi.client(root);
        self.load();
        window.EbStream.of(root).subscribe({
          onState: function (state) { self.live = state; },
          onEvent: function (kind, job) { self.onJob(kind, job); },
          onDevice: function (kind, device) { self.onDevice(kind, device); },
          poll: function () { self.load(); }
        });
      },

      base: function () { return '/services/' + this.serviceId + '/devices'; },

      load: function () {
        var self = this;
        return self.api.get(self.base()).then(function (res) {
          if (!res.ok) {
            self.error = res.error.message;
            if (!self.data) { self.state = 'error'; }
            return;
          }
          self.error = '';
          self.data = res.data;
          self.state = 'ready';
        });
      },

      retry: function () { this.state = this.data ? 'ready' : 'loading'; this.load(); },

      scheduleRefresh: function () {
        var self = this;
        if (self.refreshTimer) { clearTimeout(self.refreshTimer); }
        self.refreshTimer = setTimeout(function () {
          self.refreshTimer = null;
          self.load();
          if (self.drawer.open) { self.loadDetail(self.drawer.id, true); }
        }, REFRESH_AFTER_EVENT_MS);
      },

      // ---- live ---------------------------------------------------------------------------------

      onJob: function (kind, job) {
        if (Number(job.service_id) !== this.serviceId || !this.data) { return; }
        var d = this.find(job.device_id);
        if (!d) { return; }
        var running = d.running_jobs || [];
        if (kind === 'job:start' && running.indexOf(job.job_id) < 0) {
          d.running_jobs = running.concat([job.job_id]);
        } else if (kind === 'job:end') {
          d.running_jobs = running.filter(function (id) { return id !== job.job_id; });
        } else {
          return;
        }
        this.scheduleRefresh();
      },

      onDevice: function (kind, ev) {
        if (Number(ev.service_id) !== this.serviceId || !this.data) { return; }
        var d = this.find(ev.device_id);
        if (kind === 'device:online' || kind === 'device:offline') {
          if (d) { d.online = kind === 'device:online'; }
          delete this.caps[ev.device_id];
          if (this.drawer.open && this.drawer.id === ev.device_id) { this.scheduleRefresh(); }
          return;
        }
        if (kind === 'device:updated' && d && typeof ev.name === 'string' && this.renaming !== ev.device_id) {
          d.name = ev.name;
        }
        this.scheduleRefresh();
      },

      // ---- view helpers -------------------------------------------------------------------------

      t: t,
      formatDate: F.date,
      formatWhen: F.when,
      formatBytes: F.bytes,
      statusLabel: S.label,
      badgeClass: S.badgeClass,
      devices: function () { return (this.data && this.data.devices) || []; },
      find: function (id) { return this.devices().filter(function (d) { return d.device_id === id; })[0] || null; },
      cometDown: function () { return !!this.data && !!this.data.comet && this.data.comet.reachable === false; },
      cometMessage: function () { return (this.data && this.data.comet && this.data.comet.message) || ''; },
      onlineCount: function () { return this.devices().filter(function (d) { return d.online; }).length; },
      summaryText: function () { return t('devices_summary', { online: F.count(this.onlineCount()), total: F.count(this.devices().length) }); },
      displayName: function (d) { return (d && d.name) || t('devices_unnamed'); },
      osText: function (d) {
        var parts = [d.distribution || d.platform_os || ''];
        if (d.os_version) { parts.push(d.os_version); }
        return parts.filter(Boolean).join(' · ') || '—';
      },
      archText: function (d) { return [d.platform_os, d.platform_arch].filter(Boolean).join('/') || ''; },
      versionText: function (d) { return d.client_version || '—'; },
      registeredText: function (d) { return d.registered_at ? F.date(d.registered_at) : '—'; },
      lastText: function (d) {
        if (!d.last_backup) { return t('devices_never'); }
        return F.when(d.last_backup.ended_at || d.last_backup.started_at);
      },
      lastClass: function (d) { return d.last_backup ? d.last_backup.status_class : ''; },
      isBusy: function (d) { return this.busy[d.device_id] === true; },
      isRunning: function (d) { return (d.running_jobs || []).length > 0; },
      itemsText: function (d) { return F.count(d.items); },
      storageText: function (d) { return F.bytes(d.storage_used_bytes); },

      // ---- capabilities and the action menu -----------------------------------------------------

      loadCaps: function (id) {
        var self = this;
        if (self.capsState[id] === 'loading') { return Promise.resolve(); }
        self.capsState[id] = 'loading';
        return self.api.get('/services/' + self.serviceId + '/capabilities?device_id=' + encodeURIComponent(id)).then(function (res) {
          self.capsState[id] = res.ok ? 'ready' : 'error';
          if (res.ok) { self.caps[id] = res.data; }
        });
      },

      toggleMenu: function (id) {
        if (this.menuFor === id) { this.menuFor = ''; return; }
        this.menuFor = id;
        delete this.caps[id];
        this.loadCaps(id);
      },

      closeMenu: function () { this.menuFor = ''; },

      /* null when allowed, else the reason shown beside the disabled action. */
      refusal: function (d, action) {
        var caps = this.caps[d.device_id];
        if (caps && caps.read_only) { return (caps.capabilities[action.cap] || {}).reason || t('devices_read_only'); }
        if (action.live && !d.online) { return t('devices_offline_reason'); }
        // Capabilities could not be read: offer the action; the API refuses it with its reason.
        if (!caps) { return this.capsState[d.device_id] === 'error' ? null : t('devices_checking'); }
        var decision = caps.capabilities[action.cap];
        if (decision && !decision.allowed) { return decision.reason || t('devices_not_allowed'); }
        return null;
      },

      actionLabel: function (action) { return t('devices_action_' + action.id); },

      run: function (d, action) {
        if (this.refusal(d, action)) { return; }
        this.closeMenu();
        switch (action.id) {
          case 'run': return this.openDialog('run', d);
          case 'rename': return this.startRename(d);
          case 'update': return this.simple(d, 'update-software', {}, 'devices_done_update');
          case 'refetch': return this.simple(d, 'refetch-profile', {}, 'devices_done_refetch');
          case 'password': return this.openDialog('password', d);
          case 'drop': return this.confirmThen(d, 'drop-connection', 'devices_confirm_drop', [t('devices_lost_drop')], 'devices_done_drop');
          case 'kill': return this.confirmThen(d, 'kill-process', 'devices_confirm_kill', [t('devices_lost_kill')], 'devices_done_kill');
          case 'uninstall': return this.openDialog('uninstall', d);
          case 'revoke': return this.revoke(d);
        }
      },

      post: function (d, path, body) {
        return this.api.post(this.base() + '/' + encodeURIComponent(d.device_id) + '/' + path, body || {});
      },

      simple: function (d, path, body, doneKey) {
        var self = this;
        self.busy[d.device_id] = true;
        return self.post(d, path, body).then(function (res) {
          self.busy[d.device_id] = false;
          if (!res.ok) { window.EbToast.show(res.error.message, 'error'); return res; }
          window.EbToast.show(t(doneKey, { name: self.displayName(d) }), 'success');
          self.scheduleRefresh();
          return res;
        });
      },

      confirmThen: function (d, path, titleKey, lost, doneKey) {
        var self = this;
        return window.EbConfirm.ask({ title: t(titleKey, { name: self.displayName(d) }), lost: lost, confirmLabel: t('devices_confirm_go') })
          .then(function (ok) { if (ok) { return self.simple(d, path, {}, doneKey); } });
      },

      revoke: function (d) {
        var self = this;
        self.busy[d.device_id] = true;
        // The confirmation names the items and schedules that go: read them fresh.
        return self.api.get(self.base() + '/' + encodeURIComponent(d.device_id)).then(function (res) {
          self.busy[d.device_id] = false;
          if (!res.ok) { window.EbToast.show(res.error.message, 'error'); return; }
          var lost = [t('devices_lost_device', { name: self.displayName(d) })];
          (res.data.items || []).forEach(function (item) {
            var rules = (item.rules || []).map(function (r) { return r.name; }).join(', ');
            lost.push(rules ? t('devices_lost_item_rules', { item: item.name, rules: rules }) : t('devices_lost_item', { item: item.name }));
          });
          lost.push(t('devices_lost_retention'));
          return window.EbConfirm.ask({ title: t('devices_confirm_revoke', { name: self.displayName(d) }), lost: lost, confirmLabel: t('devices_action_revoke') })
            .then(function (ok) {
              if (!ok) { return; }
              return self.post(d, 'revoke', {}).then(function (r) {
                if (!r.ok) { window.EbToast.show(r.error.message, 'error'); return; }
                window.EbToast.show(t('devices_done_revoke', { name: self.displayName(d) }), 'success');
                self.data.devices = self.devices().filter(function (x) { return x.device_id !== d.device_id; });
                if (self.drawer.id === d.device_id) { self.closeDrawer(); }
                self.scheduleRefresh();
              });
            });
        });
      },

      // ---- rename -------------------------------------------------------------------------------

      startRename: function (d) {
        var self = this;
        self.renaming = d.device_id;
        self.renameValue = d.name || '';
        self.renameError = '';
        self.$nextTick(function () {
          // The table and the phone cards each have the field; focus the one on screen.
          var input = null;
          var inputs = self.$root.querySelectorAll('[data-rename-input]');
          for (var i = 0; i < inputs.length; i++) { if (inputs[i].offsetParent !== null) { input = inputs[i]; break; } }
          if (input) { input.focus(); input.select(); }
        });
      },

      cancelRename: function () { this.renaming = ''; this.renameError = ''; },

      saveRename: function (d) {
        var self = this;
        var name = self.renameValue.trim();
        if (!name) { self.renameError = t('devices_rename_empty'); return; }
        if (name === d.name) { self.cancelRename(); return; }
        self.busy[d.device_id] = true;
        return self.post(d, 'rename', { name: name, expected_name: d.name }).then(function (res) {
          self.busy[d.device_id] = false;
          if (!res.ok) {
            self.renameError = res.error.message;
            if (res.error.code === 'conflict') { self.load(); }
            return;
          }
          d.name = name;
          self.renaming = '';
          window.EbToast.show(t('devices_done_rename', { name: name }), 'success');
          if (self.drawer.open && self.drawer.id === d.device_id) { self.loadDetail(d.device_id, true); }
        });
      },

      // ---- the drawer ---------------------------------------------------------------------------

      openDrawer: function (d) {
        this.closeMenu();
        this.drawer = { open: true, id: d.device_id, state: 'loading', error: '', data: null };
        this.loadCaps(d.device_id);
        this.loadDetail(d.device_id, false);
        var self = this;
        self.$nextTick(function () { var c = self.$refs.drawerClose; if (c) { c.focus(); } });
      },

      loadDetail: function (id, quiet) {
        var self = this;
        if (!quiet) { self.drawer.state = 'loading'; }
        return self.api.get(self.base() + '/' + encodeURIComponent(id)).then(function (res) {
          if (self.drawer.id !== id) { return; }
          if (!res.ok) {
            self.drawer.error = res.error.message;
            if (!self.drawer.data) { self.drawer.state = 'error'; }
            return;
          }
          self.drawer.error = '';
          self.drawer.data = res.data;
          self.drawer.state = 'ready';
        });
      },

      closeDrawer: function () { this.drawer.open = false; this.drawer.id = ''; },
      drawerDevice: function () { return (this.drawer.data && this.drawer.data.device) || this.find(this.drawer.id) || {}; },
      drawerItems: function () { return (this.drawer.data && this.drawer.data.items) || []; },
      drawerJobs: function () { return (this.drawer.data && this.drawer.data.jobs) || []; },
      drawerConnection: function () { return this.drawer.data && this.drawer.data.connection; },
      drawerLive: function () { var d = this.find(this.drawer.id); return d || this.drawerDevice(); },
      itemName: function (id) {
        var item = this.drawerItems().filter(function (i) { return i.item_id === id; })[0];
        return item ? item.name : (id || '—');
      },
      rulesText: function (item) {
        if (!item.rules || item.rules.length === 0) { return t('devices_no_rules'); }
        return item.rules.map(function (r) { return r.name + (r.vault_name ? ' → ' + r.vault_name : ''); }).join(', ');
      },

      // ---- the form dialog ----------------------------------------------------------------------

      openDialog: function (kind, d) {
        var self = this;
        self.dialog = {
          open: true, kind: kind, device: d, error: '', field: '', busy: false, mode: 'rule', rule: '', item: '', vault: '',
          password: '', removeConfig: false, options: { log_level: '', stop_after_hours: '' }, items: [], vaults: [], loading: kind === 'run'
        };
        if (kind === 'run') {
          self.api.get(self.base() + '/' + encodeURIComponent(d.device_id)).then(function (res) {
            self.dialog.loading = false;
            if (!res.ok) { self.dialog.error = res.error.message; return; }
            self.dialog.items = res.data.items || [];
            self.dialog.vaults = res.data.vaults || [];
            var rules = self.dialogRules();
            self.dialog.mode = rules.length > 0 ? 'rule' : 'custom';
            self.dialog.rule = rules.length > 0 ? rules[0].rule_id : '';
            self.dialog.item = self.dialog.items.length > 0 ? self.dialog.items[0].item_id : '';
            self.dialog.vault = self.dialog.vaults.length > 0 ? self.dialog.vaults[0].vault_id : '';
          });
        }
        self.$nextTick(function () { var f = self.$refs[kind + 'First']; if (f) { f.focus(); } });
      },

      closeDialog: function () { this.dialog.open = false; },

      dialogRules: function () {
        var out = [];
        (this.dialog.items || []).forEach(function (item) {
          (item.rules || []).forEach(function (r) { out.push({ rule_id: r.rule_id, label: item.name + ' — ' + r.name }); });
        });
        return out;
      },

      dialogTitle: function () {
        var name = this.displayName(this.dialog.device);
        return t('devices_dialog_' + this.dialog.kind, { name: name });
      },

      submitDialog: function () {
        var self = this;
        var dlg = self.dialog;
        var d = dlg.device;
        var path;
        var body;
        dlg.error = '';
        dlg.field = '';
        if (dlg.kind === 'run') {
          path = 'run-backup';
          if (dlg.mode === 'rule') {
            if (!dlg.rule) { dlg.error = t('devices_pick_rule'); return; }
            body = { rule_id: dlg.rule };
          } else {
            if (!dlg.item || !dlg.vault) { dlg.error = t('devices_pick_item_vault'); return; }
            var options = {};
            if (dlg.options.log_level) { options.log_level = dlg.options.log_level; }
            var hours = parseFloat(dlg.options.stop_after_hours);
            if (hours > 0) { options.stop_after_secs = Math.round(hours * 3600); }
            body = { item_id: dlg.item, vault_id: dlg.vault, options: options };
          }
        } else if (dlg.kind === 'password') {
          if (!dlg.password) { dlg.error = t('devices_password_empty'); dlg.field = 'password'; return; }
          path = 'push-password';
          body = { password: dlg.password };
        } else {
          path = 'uninstall';
          body = { remove_config: !!dlg.removeConfig };
        }
        dlg.busy = true;
        return self.post(d, path, body).then(function (res) {
          dlg.busy = false;
          dlg.password = '';
          if (!res.ok) { dlg.error = res.error.message; dlg.field = res.error.field || ''; return; }
          dlg.open = false;
          var key = { run: 'devices_done_run', password: 'devices_done_password', uninstall: 'devices_done_uninstall' }[dlg.kind];
          window.EbToast.show(t(key, { name: self.displayName(d) }), 'success');
          if (dlg.kind === 'run' && res.data.job_id && d.running_jobs.indexOf(res.data.job_id) < 0) {
            d.running_jobs = d.running_jobs.concat([res.data.job_id]);
          }
          self.scheduleRefresh();
        });
      }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('devicesTab', devicesTab); });
})();
