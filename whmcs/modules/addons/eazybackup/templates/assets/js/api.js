/* eazyBackup Console — fetch helpers and Bearer-token upkeep for the addon's pages.
 * Every JSON answer is normalised to { ok, status, data, error: { code, message } | null }. */
(function () {
  'use strict';

  var TOKEN_REFRESH_MARGIN_S = 90;

  function errorFrom(status, body) {
    if (body && body.error && typeof body.error.message === 'string') {
      return { code: String(body.error.code || 'error'), message: body.error.message };
    }
    if (status === 0) {
      return { code: 'network', message: 'Could not reach the server. Check your connection.' };
    }
    return { code: 'http_' + status, message: 'Unexpected answer from the server (HTTP ' + status + ').' };
  }

  function fetchJson(url, options) {
    var opts = Object.assign({ credentials: 'same-origin', headers: {} }, options || {});
    opts.headers = Object.assign({ Accept: 'application/json' }, opts.headers);
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        var ok = res.ok && body !== null;
        return { ok: ok, status: res.status, data: ok ? body : null, error: ok ? null : errorFrom(res.status, body) };
      });
    }, function () {
      return { ok: false, status: 0, data: null, error: errorFrom(0, null) };
    });
  }

  /** POST application/x-www-form-urlencoded fields (PHP reads them from $_POST). */
  function postForm(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { body.append(k, String(fields[k])); });
    // Also send WHMCS's own token so a stricter WHMCS CSRF check never logs the user out.
    if (typeof window.csrfToken === 'string' && window.csrfToken && !fields.token) {
      body.append('token', window.csrfToken);
    }
    return fetchJson(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: body.toString()
    });
  }

  /** Holds the page's Bearer token and re-mints it through a=token shortly before it expires. */
  function TokenKeeper(root) {
    this.url = root.dataset.tokenUrl;
    this.csrf = root.dataset.csrf;
    this.token = root.dataset.token || '';
    this.expiresAt = parseInt(root.dataset.tokenExpiresAt || '0', 10);
    this.pending = null;
  }

  TokenKeeper.prototype.get = function () {
    var self = this;
    var now = Math.floor(Date.now() / 1000);
    if (self.token && self.expiresAt - now > TOKEN_REFRESH_MARGIN_S) {
      return Promise.resolve(self.token);
    }
    if (!self.pending) {
      self.pending = postForm(self.url, { eb_csrf: self.csrf }).then(function (res) {
        self.pending = null;
        if (!res.ok) { throw res.error; }
        self.token = res.data.token;
        self.expiresAt = res.data.expires_at;
        return self.token;
      }, function (err) { self.pending = null; throw err; });
    }
    return self.pending;
  };

  var keepers = new WeakMap();

  window.EbApi = {
    fetchJson: fetchJson,
    postForm: postForm,
    /** The console root element's token keeper (one per page). */
    tokens: function (root) {
      if (!keepers.has(root)) { keepers.set(root, new TokenKeeper(root)); }
      return keepers.get(root);
    }
  };
})();
