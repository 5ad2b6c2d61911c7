/* eazyBackup Console — service switcher (Alpine component `serviceSwitcher`): a labelled native
 * <select> of the client's backup accounts (keyboard and screen-reader friendly as it is); choosing
 * one opens its console on the same tab. */
(function () {
  'use strict';

  function serviceSwitcher() {
    return {
      go: function (event) {
        var root = this.$root.closest('#eb-console');
        var id = String(event.target.value || '');
        if (!/^\d+$/.test(id)) { return; }
        window.location.href = root.dataset.consoleUrl + '&serviceid=' + id + window.location.hash;
      }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('serviceSwitcher', serviceSwitcher); });
})();
