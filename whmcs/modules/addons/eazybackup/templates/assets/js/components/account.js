/* eazyBackup Console — the Account settings tab (Alpine component `accountSettings`):
 * GET /services/{id}/account, then one form per section. Profile and email-report changes send the
 * profile_hash they were based on (409 → reload); the password change goes through WHMCS
 * (a=account-password) so the service password it stores follows; TOTP is enrolled in Comet's
 * order (new secret → a code from the app is verified → required at login). Downloads and the
 * install token come through the API; the activity list is the service's audit log. Every string
 * from Comet or the customer is bound with x-text. */
(function () {
  'use strict';

  var t = function (k, p) { return window.EbStrings.t(k, p); };
  var F = window.EbFormat;
  var toast = function (m, kind) { window.EbToast.show(m, kind); };
  var REPORT_KINDS = ['immediate', 'summary', 'grouped_status', 'recent_activity'];
  var FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly'];

  function hhmm(secondsPast) {
    var s = Number(secondsPast || 0) % 86400;
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    return (h < 10 ? '0' : '') + h + ':' + (m < 10 ? '0' : '') + m;
  }

  function secondsOf(hhmmText) {
    var m = /^(\d{1,2}):(\d{2})$/.exec(String(hhmmText || ''));
    if (!m) { return 0; }
    return Math.min(23, Number(m[1])) * 3600 + Math.min(59, Number(m[2])) * 60;
  }

  function reportForm(r) {
    var first = (r.schedule && r.schedule[0]) || null;
    return {
      kind: r.kind, failures_only: !!r.failures_only, custom_filter: !!r.custom_filter,
      frequency: first ? first.frequency : 'daily', at: first ? hhmm(first.seconds_past) : '08:00',
      extraTimes: (r.schedule || []).slice(1)
    };
  }

  function reportBody(f) {
    var periodic = f.kind !== 'immediate';
    var schedule = periodic ? [{ frequency: f.frequency, seconds_past: secondsOf(f.at) }].concat(f.extraTimes || []) : [];
    return { kind: f.kind, failures_only: !!f.failures_only, custom_filter: !!f.custom_filter, schedule: schedule };
  }

  function accountSettings(serviceId) {
    return {
      serviceId: Number(serviceId),
      state: 'loading', // loading | ready | error
      error: '',
      data: null,
      caps: {},
      api: null,
      reportKinds: REPORT_KINDS,
      frequencies: FREQUENCIES,
      profile: { display_name: '', language_code: '', time_zone: '' },
      email: { enabled: false, recipients: [] },
      newRecipient: '',
      saving: { profile: false, email: false, password: false, totp: false, privacy: false, token: false, preview: false },
      fieldErrors: {},
      password: { current: '', next: '', again: '' },
      passwordResult: null,
      totp: null, // enrolment in progress: { otpauth_uri, manual_entry, qr_image }
      totpCode: '',
      preview: null,
      downloads: null,
      downloadsError: '',
      installPassword: '',
      installToken: null,
      activity: [],
      activityError: '',
      activityFilter: '',
      activityNext: null,

      init: function () {
        var self = this;
        self.api = window.EbApi.client(self.$root.closest('#eb-console'));
        self.load();
        self.loadCaps();
        self.loadDownloads();
        self.loadActivity(false);
      },

      base: function () { return '/services/' + this.serviceId; },

      load: function () {
        var self = this;
        return self.api.get(self.base() + '/account').then(function (res) {
          if (!res.ok) {
            self.error = res.error.message;
            if (!self.data) { self.state = 'error'; }
            return;
          }
          self.error = '';
          self.apply(res.data);
          self.state = 'ready';
        });
      },

      apply: function (d) {
        this.data = d;
        this.profile = { display_name: d.display_name, language_code: d.language_code, time_zone: d.time_zone };
        this.email = {
          enabled: !!d.email_reports.enabled,
          recipients: d.email_reports.recipients.map(function (r) {
            return { address: r.address, custom: r.reports !== null, reports: (r.reports || []).map(reportForm) };
          })
        };
      },

      loadCaps: function () {
        var self = this;
        self.api.get(self.base() + '/capabilities').then(function (res) {
          if (res.ok) { self.caps = res.data.capabilities || {}; }
        });
      },

      allowed: function (name) { var c = this.caps[name]; return !c || c.allowed; },
      reason: function (name) { var c = this.caps[name]; return c && !c.allowed ? (c.reason || '') : ''; },

      retry: function () { this.state = this.data ? 'ready' : 'loading'; this.load(); },

      fail: function (res, section) {
        if (res.error && res.error.code === 'conflict') {
          toast(res.error.message, 'error');
          this.load();
          return;
        }
        if (res.error && res.error.field) { this.fieldErrors[res.error.field] = res.error.message; }
        toast(res.error ? res.error.message : t('account_error'), 'error');
        this.saving[section] = false;
      },

      patch: function (section, body) {
        var self = this;
        self.fieldErrors = {};
        self.saving[section] = true;
        body.profile_hash = self.data.profile_hash;
        return self.api.request('PATCH', self.base() + '/account', body).then(function (res) {
          self.saving[section] = false;
          if (!res.ok) { self.fail(res, section); return; }
          self.apply(res.data);
          toast(t('account_saved'), 'success');
        });
      },

      // ---- profile -------------------------------------------------------------------------------
      saveProfile: function () {
        var body = {};
        if (this.profile.display_name !== this.data.display_name) { body.display_name = this.profile.display_name; }
        if (this.profile.language_code !== this.data.language_code) { body.language_code = this.profile.language_code; }
        if (this.profile.time_zone !== this.data.time_zone) { body.time_zone = this.profile.time_zone.trim(); }
        if (Object.keys(body).length === 0) { toast(t('account_nothing_changed'), 'info'); return; }
        this.patch('profile', body);
      },

      // ---- email reports -------------------------------------------------------------------------
      addRecipient: function () {
        var a = this.newRecipient.trim();
        this.fieldErrors.recipients = '';
        if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/.test(a)) { this.fieldErrors.recipients = t('account_email_invalid'); return; }
        if (this.email.recipients.some(function (r) { return r.address.toLowerCase() === a.toLowerCase(); })) {
          this.fieldErrors.recipients = t('account_email_duplicate');
          return;
        }
        this.email.recipients.push({ address: a, custom: false, reports: [] });
        this.newRecipient = '';
      },
      removeRecipient: function (i) { this.email.recipients.splice(i, 1); },
      addReport: function (r) { r.reports.push(reportForm({ kind: 'summary', failures_only: false, schedule: [{ frequency: 'daily', seconds_past: 28800 }] })); },
      removeReport: function (r, i) { r.reports.splice(i, 1); },
      saveEmail: function () {
        this.patch('email', {
          email_reports: {
            enabled: this.email.enabled,
            recipients: this.email.recipients.map(function (r) {
              return { address: r.address, reports: r.custom ? r.reports.map(reportBody) : null };
            })
          }
        });
      },
      previewReport: function (r, report) {
        var self = this;
        self.saving.preview = true;
        self.api.post(self.base() + '/account/email-reports/preview', { report: reportBody(report), address: r.address }).then(function (res) {
          self.saving.preview = false;
          if (!res.ok) { toast(res.error.message, 'error'); return; }
          self.preview = res.data;
          self.$nextTick(function () { var el = self.$refs.preview; if (el) { el.focus(); } });
        });
      },
      kindLabel: function (k) { return t('account_report_' + k); },
      freqLabel: function (f) { return t('account_freq_' + f); },

      // ---- password ------------------------------------------------------------------------------
      passwordProblem: function () {
        var rules = this.data ? this.data.password_rules : { min_length: 8 };
        var p = this.password.next;
        if (p === '') { return ''; }
        if (p.length < rules.min_length) { return t('account_password_too_short', { min: rules.min_length }); }
        if (/[\r\n]/.test(p)) { return t('account_password_one_line'); }
        if (this.password.again !== '' && this.password.again !== p) { return t('account_password_mismatch'); }
        return '';
      },
      canChangePassword: function () {
        return this.password.current !== '' && this.password.next !== '' && this.password.again === this.password.next && this.passwordProblem() === '' && !this.saving.password;
      },
      changePassword: function () {
        var self = this;
        if (!self.canChangePassword()) { return; }
        self.fieldErrors = {};
        self.saving.password = true;
        self.passwordResult = null;
        self.api.changePassword(self.serviceId, { current_password: self.password.current, new_password: self.password.next }).then(function (res) {
          self.saving.password = false;
          if (!res.ok) { self.fail(res, 'password'); return; }
          self.password = { current: '', next: '', again: '' };
          self.passwordResult = res.data;
          toast(t('account_password_changed'), 'success');
          self.load();
        });
      },
      stillOld: function () {
        return this.passwordResult ? this.passwordResult.devices.filter(function (d) { return !d.updated; }) : [];
      },

      // ---- two-factor ----------------------------------------------------------------------------
      startTotp: function () {
        var self = this;
        self.saving.totp = true;
        self.api.post(self.base() + '/account/totp/enrol', {}).then(function (res) {
          self.saving.totp = false;
          if (!res.ok) { toast(res.error.message, 'error'); return; }
          self.totp = res.data;
          self.totpCode = '';
          self.$nextTick(function () { var el = self.$refs.totpCode; if (el) { el.focus(); } });
        });
      },
      confirmTotp: function () {
        var self = this;
        self.fieldErrors = {};
        if (!/^\d{6}$/.test(self.totpCode.trim())) { self.fieldErrors.code = t('account_totp_six_digits'); return; }
        self.saving.totp = true;
        self.api.post(self.base() + '/account/totp/confirm', { code: self.totpCode.trim() }).then(function (res) {
          self.saving.totp = false;
          if (!res.ok) { self.fail(res, 'totp'); return; }
          self.totp = null;
          toast(t('account_totp_on'), 'success');
          self.load();
        });
      },
      cancelTotp: function () { this.totp = null; this.totpCode = ''; this.load(); },
      disableTotp: function () {
        var self = this;
        window.EbConfirm.ask({ title: t('account_totp_disable_title'), lost: [t('account_totp_disable_lost')], confirmLabel: t('account_totp_disable') }).then(function (yes) {
          if (!yes) { return; }
          self.saving.totp = true;
          self.api.request('DELETE', self.base() + '/account/totp').then(function (res) {
            self.saving.totp = false;
            if (!res.ok) { toast(res.error.message, 'error'); return; }
            toast(t('account_totp_off'), 'success');
            self.load();
          });
        });
      },

      // ---- privacy -------------------------------------------------------------------------------
      switchState: function (s) {
        if (s.enabled === null) { return t('account_privacy_unknown'); }
        return s.enabled ? t('account_on') : t('account_off');
      },
      turnOffAdminReset: function () {
        var self = this;
        window.EbConfirm.ask({ title: t('account_privacy_reset_off_title'), lost: [t('account_privacy_reset_off_lost')], confirmLabel: t('account_privacy_turn_off') }).then(function (yes) {
          if (yes) { self.patch('privacy', { admin_password_reset: false }); }
        });
      },

      // ---- downloads -----------------------------------------------------------------------------
      loadDownloads: function () {
        var self = this;
        self.api.get(self.base() + '/account/downloads').then(function (res) {
          if (!res.ok) { self.downloadsError = res.error.message; return; }
          self.downloadsError = '';
          self.downloads = res.data;
        });
      },
      download: function (p) {
        this.api.download(this.base() + '/account/downloads/' + p.platform, 'backup-client-' + p.platform).then(function (res) {
          if (!res.ok) { toast(res.error.message, 'error'); }
        });
      },
      anyTokenPlatform: function () { return !!this.downloads && this.downloads.platforms.some(function (p) { return p.install_token; }); },
      createToken: function () {
        var self = this;
        self.fieldErrors = {};
        if (self.installPassword === '') { self.fieldErrors.password = t('account_install_password_needed'); return; }
        self.saving.token = true;
        self.api.post(self.base() + '/account/install-token', { password: self.installPassword }).then(function (res) {
          self.saving.token = false;
          if (!res.ok) { self.fail(res, 'token'); return; }
          self.installPassword = '';
          self.installToken = res.data;
        });
      },

      // ---- activity ------------------------------------------------------------------------------
      loadActivity: function (more) {
        var self = this;
        var q = '?limit=25' + (more && self.activityNext ? '&before=' + self.activityNext : '');
        self.api.get(self.base() + '/activity' + q).then(function (res) {
          if (!res.ok) { self.activityError = res.error.message; return; }
          self.activityError = '';
          self.activity = (more ? self.activity : []).concat(res.data.entries);
          self.activityNext = res.data.next_before;
        });
      },
      filteredActivity: function () {
        var f = this.activityFilter.trim().toLowerCase();
        if (!f) { return this.activity; }
        return this.activity.filter(function (e) {
          return (e.action + ' ' + e.target + ' ' + e.result + ' ' + (e.message || '')).toLowerCase().indexOf(f) !== -1;
        });
      },
      when: function (ts) { return F.when(ts); }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('accountSettings', accountSettings); });
})();
