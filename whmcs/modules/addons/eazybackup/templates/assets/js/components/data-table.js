/* eazyBackup Console — a table with filter, sorting and paging (Alpine component `dataTable`,
 * templates/shared/table.tpl). Rows are plain objects loaded from an API path (the response is the
 * array, or { items: [...] }); columns come from the template: [{ key, format }], format one of
 * text | bytes | count | date | relative | status. Cells are bound with x-text only. */
(function () {
  'use strict';

  var F = window.EbFormat;
  var S = window.EbStatus;
  var FORMATS = {
    text: function (v) { return v === null || v === undefined ? '' : String(v); },
    bytes: F.bytes, count: F.count, date: F.date, relative: F.relative, status: S.label
  };

  function dataTable(path, columns, pageSize) {
    return {
      path: path,
      columns: columns,
      pageSize: pageSize || 25,
      rows: [],
      state: 'loading', // loading | ready | error
      error: '',
      filter: '',
      sortKey: null,
      sortDir: 1,
      page: 1,

      init: function () { this.load(); },

      load: function () {
        var self = this;
        var api = window.EbApi.client(self.$root.closest('#eb-console'));
        self.state = 'loading';
        return api.get(self.path).then(function (res) {
          if (!res.ok) { self.state = 'error'; self.error = res.error.message; return; }
          self.rows = Array.isArray(res.data) ? res.data : (res.data.items || []);
          self.state = 'ready';
        });
      },

      cell: function (row, col) { return (FORMATS[col.format] || FORMATS.text)(row[col.key]); },

      filtered: function () {
        var self = this;
        var needle = self.filter.trim().toLowerCase();
        var rows = needle === '' ? self.rows.slice() : self.rows.filter(function (row) {
          return self.columns.some(function (c) { return self.cell(row, c).toLowerCase().indexOf(needle) !== -1; });
        });
        if (self.sortKey) {
          var key = self.sortKey;
          var dir = self.sortDir;
          rows.sort(function (a, b) { return (a[key] > b[key] ? 1 : (a[key] < b[key] ? -1 : 0)) * dir; });
        }
        return rows;
      },

      pages: function () { return Math.max(1, Math.ceil(this.filtered().length / this.pageSize)); },
      visible: function () {
        var page = Math.min(this.page, this.pages());
        return this.filtered().slice((page - 1) * this.pageSize, page * this.pageSize);
      },
      sortBy: function (key) {
        this.sortDir = this.sortKey === key ? -this.sortDir : 1;
        this.sortKey = key;
        this.page = 1;
      },
      ariaSort: function (key) { return this.sortKey !== key ? 'none' : (this.sortDir > 0 ? 'ascending' : 'descending'); },
      pageText: function () { return window.EbStrings.t('table_page', { page: Math.min(this.page, this.pages()), pages: this.pages() }); },
      rowKey: function (row, i) { return row.id !== undefined ? String(row.id) : String(i); }
    };
  }

  document.addEventListener('alpine:init', function () { window.Alpine.data('dataTable', dataTable); });
})();
