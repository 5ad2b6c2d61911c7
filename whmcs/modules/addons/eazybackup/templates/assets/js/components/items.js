/* eazyBackup Console — the Protected items tab (Alpine component `itemsTab`): GET /services/{id}/items
 * (name, kind, device, vaults, schedule in plain language, last result) and the engine catalog
 * (GET /catalog/engines), which the wizard (components/item-wizard.js) renders. Edit reads the
 * item's form; delete asks first. The list re-reads after a save, a delete, or a job of this
 * service ending (its last result moves). Comet-controlled text is bound with x-text only. */
(function () {
  'use strict';

  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var F = window.EbFormat;
  var S = window.EbStatus;

  function itemsTab(serviceId, readOnly) {
    return {
      serviceId: Number(serviceId),
      readOnly: !!readOnly,
      state: 'loading', // loading | ready | error
      error: '',
      items: [],
      devices: [],
      vaults: [],
      catalog: null,
      caps: null,
      api: null,
      busy: '',

      init: function () {
        var self = this;
        var root = self.$root.closest('#eb-console');
        self.api = window.EbApi.client(root);
        self.load();
        window.addEventListener(window.EbItemWizard.CHANGED, function () { self.load(); });
        window.EbStream.of(root).subscribe({
          onState: function () {},
          onEvent: function (kind, job) {
            if (kind === 'job:end' && Number(job.service_id) === self.serviceId) { self.load(); }
          },
          poll: function () {}
        });
      },

      load: function () {
        var self = this;
        var base = '/services/' + self.serviceId;
        var catalog = self.catalog ? Promise.resolve({ ok: true, data: self.catalog }) : self.api.get('/catalog/engines');
        return Promise.all([self.api.get(base + '/items'), catalog, self.api.get(base + '/capabilities')]).then(function (r) {
          var list = r[0];
          if (!list.ok) {
            self.error = list.error.message;
            if (self.state !== 'ready') { self.state = 'error'; }
            return;
          }
          if (!r[1].ok) { self.error = r[1].error.message; self.state = 'error'; return; }
          self.catalog = r[1].data;
          self.caps = r[2].ok ? r[2].data : null;
          self.error = '';
          self.items = list.data.items || [];
          self.devices = list.data.devices || [];
          self.vaults = list.data.vaults || [];
          self.state = 'ready';
        });
      },

      retry: function () { this.state = 'loading'; this.load(); },

      // ---- capabilities ---------------------------------------------------------------------

      decision: function (name) {
        if (this.readOnly) { return { allowed: false, reason: t('items_read_only') }; }
        var c = this.caps && this.caps.capabilities && this.caps.capabilities[name];
        return c || { allowed: true, reason: null };
      },
      can: function (name) { return this.decision(name).allowed; },
      why: function (name) { return this.decision(name).reason || ''; },

      // ---- actions --------------------------------------------------------------------------

      add: function () {
        if (!this.can('items.create')) { return; }
        var allowed = this.caps && this.caps.item_engine_types;
        var catalog = this.catalog;
        if (allowed) {
          catalog = Object.assign({}, catalog, {
            engines: catalog.engines.filter(function (e) { return allowed.indexOf(e.id) !== -1; })
          });
        }
        window.EbItemWizard.open({ api: this.api, serviceId: this.serviceId, catalog: catalog, devices: this.devices, vaults: this.vaults });
      },

      edit: function (item) {
        var self = this;
        self.busy = item.id;
        return self.api.get('/services/' + self.serviceId + '/items/' + encodeURIComponent(item.id)).then(function (res) {
          self.busy = '';
          if (!res.ok) { window.EbToast.show(res.error.message, 'error'); return; }
          window.EbItemWizard.open({
            api: self.api, serviceId: self.serviceId, catalog: self.catalog, devices: self.devices, vaults: self.vaults,
            form: res.data, notice: res.data.read_only_reason || ''
          });
        });
      },

      remove: function (item) {
        var self = this;
        var lost = [t('items_delete_lost_item', { name: item.description })];
        if (item.vaults.length) { lost.push(t('items_delete_lost_schedules', { summary: item.schedule_summary })); }
        lost.push(t('items_delete_lost_data'));
        return window.EbConfirm.ask({ title: t('items_delete_title', { name: item.description }), lost: lost, confirmLabel: t('items_delete') }).then(function (yes) {
          if (!yes) { return; }
          self.busy = item.id;
          return self.api.request('DELETE', '/services/' + self.serviceId + '/items/' + encodeURIComponent(item.id)).then(function (res) {
            self.busy = '';
            if (!res.ok) { window.EbToast.show(res.error.message, 'error'); return; }
            window.EbToast.show(t('items_deleted', { name: item.description }), 'success');
            self.load();
          });
        });
      },

      // ---- view helpers ---------------------------------------------------------------------

      t: t,
      badgeClass: S.badgeClass,
      deviceText: function (item) { return item.device_name || item.device_id || '—'; },
      vaultsText: function (item) { return item.vaults.map(function (v) { return v.name || v.id; }).join(', ') || '—'; },
      lastText: function (item) {
        if (!item.last_job) { return t('items_never'); }
        return item.last_job.status_label + (item.last_job.ended_at ? ' · ' + F.relative(item.last_job.ended_at) : '');
      },
      lastClass: function (item) { return item.last_job ? S.badgeClass(item.last_job.status_class) : 'bg-slate-100 text-slate-600'; }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('itemsTab', itemsTab); });
})();
