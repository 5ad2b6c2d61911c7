/* eazyBackup Console — the live event stream (GET /events) shared by the pulse card and the console.
 * One EventSource per page; components subscribe to job events. When the stream fails it is
 * reopened with a fresh URL (a new token in direct mode) resuming after the last event id, with
 * back-off; while it is down, subscribers' poll() runs on a timer so figures keep moving. */
(function () {
  'use strict';

  var RECONNECT_MIN_MS = 2000;
  var RECONNECT_MAX_MS = 30000;
  var POLL_MS = 20000;
  var KINDS = ['job:start', 'job:progress', 'job:end'];
  var DEVICE_KINDS = ['device:new', 'device:updated', 'device:online', 'device:offline', 'device:removed'];

  function Stream(api) {
    this.api = api;
    this.source = null;
    this.lastEventId = '';
    this.state = 'connecting'; // connecting | live | reconnecting
    this.delay = RECONNECT_MIN_MS;
    this.subscribers = [];
    this.pollTimer = null;
    this.retryTimer = null;
    this.closed = false;
    this.opening = false;
  }

  /** sub: { onEvent(kind, job), onDevice(kind, device), onState(state), onOpen(), poll() } — every
   * member optional. */
  Stream.prototype.subscribe = function (sub) {
    this.subscribers.push(sub);
    if (sub.onState) { sub.onState(this.state); }
    if (this.state === 'live' && sub.onOpen) { sub.onOpen(); }
    // `opening`: the URL is still being fetched; components subscribing in the same tick share it.
    if (!this.source && !this.retryTimer && !this.opening) { this.open(); }
    return sub;
  };

  Stream.prototype.emit = function (member, a, b) {
    this.subscribers.forEach(function (s) { if (typeof s[member] === 'function') { s[member](a, b); } });
  };

  Stream.prototype.setState = function (state) {
    if (this.state === state) { return; }
    this.state = state;
    this.emit('onState', state);
    if (state === 'live') { this.stopPolling(); } else { this.startPolling(); }
  };

  Stream.prototype.open = function () {
    var self = this;
    var path = '/events' + (self.lastEventId ? '?last_event_id=' + encodeURIComponent(self.lastEventId) : '');
    self.opening = true;
    self.api.streamUrl(path).then(function (url) {
      self.opening = false;
      if (self.closed) { return; }
      var source = new EventSource(url);
      self.source = source;
      source.onopen = function () {
        self.delay = RECONNECT_MIN_MS;
        self.setState('live');
        self.emit('onOpen');
      };
      source.onerror = function () {
        self.setState('reconnecting');
        // CLOSED: the browser gave up (a refused token, the API or WHMCS down); otherwise it is
        // already retrying on its own, sending Last-Event-ID.
        if (source.readyState === EventSource.CLOSED) { source.close(); self.source = null; self.retry(); }
      };
      KINDS.forEach(function (kind) {
        source.addEventListener(kind, function (ev) {
          if (ev.lastEventId) { self.lastEventId = ev.lastEventId; }
          var job;
          try { job = JSON.parse(ev.data); } catch (e) { return; }
          if (job && job.job_id) { self.emit('onEvent', kind, job); }
        });
      });
      DEVICE_KINDS.forEach(function (kind) {
        source.addEventListener(kind, function (ev) {
          if (ev.lastEventId) { self.lastEventId = ev.lastEventId; }
          var device;
          try { device = JSON.parse(ev.data); } catch (e) { return; }
          if (device && device.device_id) { self.emit('onDevice', kind, device); }
        });
      });
    }, function () {
      self.opening = false;
      // No token (the WHMCS session ended, or WHMCS is unreachable): keep trying with back-off.
      self.setState('reconnecting');
      self.retry();
    });
  };

  Stream.prototype.retry = function () {
    var self = this;
    var delay = self.delay;
    self.delay = Math.min(self.delay * 2, RECONNECT_MAX_MS);
    self.retryTimer = setTimeout(function () { self.retryTimer = null; if (!self.closed) { self.open(); } }, delay);
  };

  Stream.prototype.startPolling = function () {
    var self = this;
    if (self.pollTimer) { return; }
    self.pollTimer = setInterval(function () { self.emit('poll'); }, POLL_MS);
  };

  Stream.prototype.stopPolling = function () {
    if (this.pollTimer) { clearInterval(this.pollTimer); this.pollTimer = null; }
  };

  Stream.prototype.close = function () {
    this.closed = true;
    this.stopPolling();
    if (this.retryTimer) { clearTimeout(this.retryTimer); }
    if (this.source) { this.source.close(); }
  };

  var pageStream = null;

  window.EbStream = {
    /** The page's one stream, shared by every component (a page holds one console or dashboard;
     * `root` only tells the API client where its settings are). */
    of: function (root) {
      if (!pageStream) { pageStream = new Stream(window.EbApi.client(root)); }
      return pageStream;
    }
  };
})();
