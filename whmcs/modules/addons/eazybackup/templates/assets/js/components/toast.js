/* eazyBackup Console — toasts (Alpine component `toast`, templates/shared/toast.tpl). Anyone shows one
 * with EbToast.show(message, kind); kind is success | error | info. Messages are bound with x-text. */
(function () {
  'use strict';

  var VISIBLE_MS = 5000;
  var EVENT = 'eb-toast';
  var nextId = 1;

  function toast() {
    return {
      items: [],
      init: function () {
        var self = this;
        window.addEventListener(EVENT, function (ev) { self.add(ev.detail || {}); });
      },
      add: function (detail) {
        var self = this;
        var item = { id: nextId++, message: String(detail.message || ''), kind: detail.kind || 'info' };
        self.items = self.items.concat([item]);
        setTimeout(function () { self.dismiss(item.id); }, VISIBLE_MS);
      },
      dismiss: function (id) { this.items = this.items.filter(function (i) { return i.id !== id; }); },
      kindClass: function (kind) {
        return {
          success: 'border-emerald-200 bg-emerald-50 text-emerald-800', error: 'border-rose-200 bg-rose-50 text-rose-800'
        }[kind] || 'border-slate-200 bg-white text-slate-800';
      }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('toast', toast); });

  window.EbToast = {
    show: function (message, kind) { window.dispatchEvent(new CustomEvent(EVENT, { detail: { message: message, kind: kind } })); }
  };
})();
