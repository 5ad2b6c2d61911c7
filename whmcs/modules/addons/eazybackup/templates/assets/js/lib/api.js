/* eazyBackup Console — the one client of the customer API. The deployment mode is read from the
 * #eb-console element's data-mode:
 *   proxied: every call goes to WHMCS, index.php?m=eazybackup&a=api&path=<api path>, which checks
 *            the session, mints the token and streams the API's answer back (writes carry eb_csrf);
 *   direct:  calls go to <api base><api path> with a Bearer token that is re-minted through a=token
 *            shortly before it expires.
 * Every answer is normalised to { ok, status, data, error: { code, message, field } | null }. */
(function () {
  'use strict';

  var TOKEN_REFRESH_MARGIN_S = 90;
  var t = function (k, p) { return window.EbStrings.t(k, p); };

  function errorFrom(status, body) {
    if (body && body.error && typeof body.error.message === 'string') {
      return { code: String(body.error.code || 'error'), message: body.error.message, field: body.error.field || null };
    }
    if (status === 0) { return { code: 'network', message: t('error_network'), field: null }; }
    return { code: 'http_' + status, message: t('error_http', { status: status }), field: null };
  }

  function fetchJson(url, options) {
    var opts = Object.assign({ credentials: 'same-origin' }, options || {});
    opts.headers = Object.assign({ Accept: 'application/json' }, opts.headers || {});
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        var ok = res.ok && (body !== null || res.status === 204);
        return { ok: ok, status: res.status, data: ok ? body : null, error: ok ? null : errorFrom(res.status, body) };
      });
    }, function () {
      return { ok: false, status: 0, data: null, error: errorFrom(0, null) };
    });
  }

  /** POST form fields (PHP reads them from $_POST): only the addon's own a=token route. */
  function postForm(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { body.append(k, String(fields[k])); });
    // WHMCS's own token too, so a stricter WHMCS CSRF check never logs the user out.
    if (typeof window.csrfToken === 'string' && window.csrfToken) { body.append('token', window.csrfToken); }
    return fetchJson(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: body.toString()
    });
  }

  /** Direct mode: holds the page's Bearer token and re-mints it shortly before it expires. */
  function TokenKeeper(root) {
    this.url = root.dataset.tokenUrl;
    this.csrf = root.dataset.csrf;
    this.token = root.dataset.token || '';
    this.expiresAt = parseInt(root.dataset.tokenExpiresAt || '0', 10);
    this.pending = null;
  }

  TokenKeeper.prototype.get = function () {
    var self = this;
    if (self.token && self.expiresAt - window.EbFormat.nowS() > TOKEN_REFRESH_MARGIN_S) { return Promise.resolve(self.token); }
    if (!self.pending) {
      self.pending = postForm(self.url, { eb_csrf: self.csrf }).then(function (res) {
        self.pending = null;
        if (!res.ok) { throw res; }
        self.token = res.data.token;
        self.expiresAt = res.data.expires_at;
        return self.token;
      });
    }
    return self.pending;
  };

  function Client(root) {
    var d = root.dataset;
    this.mode = d.mode === 'direct' ? 'direct' : 'proxied';
    this.apiBase = d.apiBase || '';
    this.proxyUrl = d.proxyUrl || '';
    this.csrf = d.csrf || '';
    this.tokens = this.mode === 'direct' ? new TokenKeeper(root) : null;
    this.root = root;
  }

  /** The browser-side URL of an API path such as "/services/12/overview?x=1". */
  Client.prototype.url = function (path) {
    return this.mode === 'direct' ? this.apiBase + path : this.proxyUrl + '&path=' + encodeURIComponent(path);
  };

  Client.prototype.request = function (method, path, body) {
    var self = this;
    var opts = { method: method, headers: {} };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    if (self.mode === 'proxied') {
      if (method !== 'GET') { opts.headers['X-EB-CSRF'] = self.csrf; }
      return fetchJson(self.url(path), opts);
    }
    opts.credentials = 'omit'; // the API knows the client from the token only
    return self.tokens.get().then(function (token) {
      opts.headers.Authorization = 'Bearer ' + token;
      return fetchJson(self.url(path), opts);
    }, function (failed) { return failed; });
  };

  /** A password change goes through WHMCS in both modes (a=account-password): WHMCS stores the
   *  new password for the service once the API has changed it. */
  Client.prototype.changePassword = function (serviceId, body) {
    var url = (this.root.dataset.accountPasswordUrl || '') + '&serviceid=' + encodeURIComponent(String(serviceId));
    return fetchJson(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-EB-CSRF': this.csrf },
      body: JSON.stringify(body)
    });
  };

  /** A file from the API (an installer), saved by the browser. Fetched with the same credentials
   *  as every call, so direct mode needs no token in a link. Resolves { ok, error }. */
  Client.prototype.download = function (path, fallbackName) {
    var self = this;
    var go = function (headers, credentials) {
      return fetch(self.url(path), { headers: headers, credentials: credentials }).then(function (res) {
        if (!res.ok) {
          return res.text().then(function (text) {
            var body = null;
            try { body = JSON.parse(text); } catch (e) { body = null; }
            return { ok: false, error: errorFrom(res.status, body) };
          });
        }
        var cd = res.headers.get('Content-Disposition') || '';
        var m = /filename="([^"]+)"/.exec(cd);
        return res.blob().then(function (blob) {
          var a = document.createElement('a');
          a.href = URL.createObjectURL(blob);
          a.download = m ? m[1] : fallbackName;
          document.body.appendChild(a);
          a.click();
          setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
          return { ok: true, error: null };
        });
      }, function () { return { ok: false, error: errorFrom(0, null) }; });
    };
    if (self.mode === 'proxied') { return go({}, 'same-origin'); }
    return self.tokens.get().then(function (token) { return go({ Authorization: 'Bearer ' + token }, 'omit'); }, function (failed) { return failed; });
  };

  Client.prototype.get = function (path) { return this.request('GET', path); };
  Client.prototype.post = function (path, body) { return this.request('POST', path, body); };

  /** An event-stream URL. EventSource sends no headers, so direct mode puts a fresh token in it. */
  Client.prototype.streamUrl = function (path) {
    var self = this;
    if (self.mode === 'proxied') { return Promise.resolve(self.url(path)); }
    return self.tokens.get().then(function (token) {
      return self.url(path) + (path.indexOf('?') === -1 ? '?' : '&') + 'token=' + encodeURIComponent(token);
    });
  };

  var clients = new WeakMap();

  window.EbApi = {
    /** The page's API client (one per #eb-console element). */
    client: function (root) {
      if (!clients.has(root)) { clients.set(root, new Client(root)); }
      return clients.get(root);
    }
  };
})();
