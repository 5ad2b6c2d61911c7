{* A device's last backup: result badge and time. Inside `x-for="d in devices()"`. *}
<div class="flex flex-wrap items-center gap-2" data-testid="device-last">
  <span x-show="d.last_backup" class="inline-flex rounded-full px-2 py-0.5 text-xs font-medium" :class="badgeClass(lastClass(d))" x-text="d.last_backup ? d.last_backup.status_label : ''"></span>
  <span class="text-sm text-slate-700" x-text="lastText(d)"></span>
</div>
