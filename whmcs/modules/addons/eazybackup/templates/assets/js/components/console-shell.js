/* eazyBackup Console — the console's tabs (Alpine component `consoleShell`). The open tab lives in
 * the URL hash (#jobs), so reload, back/forward and shared links keep it. Keyboard: the WAI-ARIA
 * tabs pattern (arrows, Home/End move between tabs; Tab goes into the panel). */
(function () {
  'use strict';

  function consoleShell(tabs) {
    return {
      tabs: tabs,
      current: tabs[0],
      init: function () {
        var self = this;
        self.current = self.fromHash();
        var follow = function () { self.current = self.fromHash(); };
        window.addEventListener('hashchange', follow);
        window.addEventListener('popstate', follow); // Back/Forward over our pushState entries

      },
      fromHash: function () {
        var wanted = window.location.hash.replace(/^#/, '');
        return this.tabs.indexOf(wanted) !== -1 ? wanted : this.tabs[0];
      },
      select: function (tab, focus) {
        if (this.tabs.indexOf(tab) === -1) { return; }
        this.current = tab;
        // Each choice is a history entry: Back returns to the previous tab.
        if (window.location.hash.replace(/^#/, '') !== tab) { window.history.pushState(null, '', '#' + tab); }
        if (focus) {
          var el = document.getElementById('eb-tab-' + tab);
          if (el) { el.focus(); }
        }
      },
      isCurrent: function (tab) { return this.current === tab; },
      onKey: function (event) {
        var i = this.tabs.indexOf(this.current);
        var next = {
          ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: this.tabs.length - 1
        }[event.key];
        if (next === undefined) { return; }
        event.preventDefault();
        this.select(this.tabs[(next + this.tabs.length) % this.tabs.length], true);
      }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('consoleShell', consoleShell); });
})();
