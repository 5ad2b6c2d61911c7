/* eazyBackup Console — the confirm dialog (Alpine component `confirmDialog`,
 * templates/shared/confirm.tpl). A destructive action asks first and names what will be lost:
 *   EbConfirm.ask({ title, lost: ['Device "X" and its settings', …], confirmLabel }).then(ok => …)
 * Every text is bound with x-text (names may come from Comet). */
(function () {
  'use strict';

  var EVENT = 'eb-confirm';

  function confirmDialog() {
    return {
      open: false,
      title: '',
      lost: [],
      confirmLabel: '',
      resolve: null,
      returnFocus: null,
      init: function () {
        var self = this;
        window.addEventListener(EVENT, function (ev) { self.show(ev.detail); });
      },
      show: function (detail) {
        var self = this;
        if (self.resolve) { self.resolve(false); }
        self.title = String(detail.title || '');
        self.lost = (detail.lost || []).map(String);
        self.confirmLabel = String(detail.confirmLabel || '');
        self.resolve = detail.resolve;
        self.returnFocus = document.activeElement;
        self.open = true;
        self.$nextTick(function () { var b = self.$refs.cancel; if (b) { b.focus(); } });
      },
      answer: function (ok) {
        var resolve = this.resolve;
        this.open = false;
        this.resolve = null;
        if (this.returnFocus && this.returnFocus.focus) { this.returnFocus.focus(); }
        if (resolve) { resolve(ok); }
      }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('confirmDialog', confirmDialog); });

  window.EbConfirm = {
    ask: function (options) {
      return new Promise(function (resolve) {
        window.dispatchEvent(new CustomEvent(EVENT, { detail: Object.assign({}, options, { resolve: resolve }) }));
      });
    }
  };
})();
