{* The Account settings tab (components/account.js): profile, email reports, password, two-factor,
   privacy switches, client downloads and the service's activity. Every string from Comet or the
   customer is bound with x-text. *}
<div x-data="accountSettings({$eb_service.service_id|escape})" :data-state="state" data-testid="account" class="space-y-5">
  {include file="../../shared/state.tpl" kind="error" when="state === 'error'" message="error" retry="retry()"}
  {include file="../../shared/state.tpl" kind="loading" when="state === 'loading'" text=$eb_lang.account_loading}

  <div x-show="state === 'ready'" x-cloak class="grid grid-cols-1 gap-5 lg:grid-cols-2">

    {* ---- profile ---- *}
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-acct-profile" data-testid="account-profile">
      <h2 id="eb-acct-profile" class="text-base font-semibold text-slate-900">{$eb_lang.account_profile|escape}</h2>
      <p class="mt-1 text-sm text-slate-500">{$eb_lang.account_username|escape}: <span class="font-mono text-slate-700" x-text="data && data.username"></span></p>
      <form class="mt-4 space-y-4" x-on:submit.prevent="saveProfile()">
        <div>
          <label for="eb-acct-name" class="block text-sm font-medium text-slate-700">{$eb_lang.account_display_name|escape}</label>
          <input id="eb-acct-name" type="text" maxlength="255" x-model="profile.display_name" :disabled="!allowed('account.rename')" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:bg-slate-50" aria-describedby="eb-acct-name-note">
          <p id="eb-acct-name-note" class="mt-1 text-xs text-slate-500" x-show="reason('account.rename')" x-text="reason('account.rename')"></p>
          <p class="mt-1 text-xs text-rose-700" x-show="fieldErrors.display_name" x-text="fieldErrors.display_name" role="alert"></p>
        </div>
        <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <div>
            <label for="eb-acct-lang" class="block text-sm font-medium text-slate-700">{$eb_lang.account_language|escape}</label>
            <select id="eb-acct-lang" x-model="profile.language_code" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
              <option value="" x-show="profile.language_code === ''">{$eb_lang.account_language_default|escape}</option>
              <template x-for="l in (data ? data.languages : [])" :key="l.code">
                <option :value="l.code" x-text="l.name" :selected="l.code === profile.language_code"></option>
              </template>
            </select>
          </div>
          <div>
            <label for="eb-acct-tz" class="block text-sm font-medium text-slate-700">{$eb_lang.account_time_zone|escape}</label>
            <input id="eb-acct-tz" type="text" maxlength="64" x-model="profile.time_zone" placeholder="America/Toronto" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm" aria-describedby="eb-acct-tz-err">
            <p id="eb-acct-tz-err" class="mt-1 text-xs text-rose-700" x-show="fieldErrors.time_zone" x-text="fieldErrors.time_zone" role="alert"></p>
          </div>
        </div>
        <button type="submit" class="rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" :disabled="saving.profile" data-testid="account-profile-save">
          <span x-show="!saving.profile">{$eb_lang.account_save|escape}</span><span x-show="saving.profile">{$eb_lang.account_saving|escape}</span>
        </button>
      </form>
    </section>

    {* ---- password ---- *}
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-acct-password" data-testid="account-password">
      <h2 id="eb-acct-password" class="text-base font-semibold text-slate-900">{$eb_lang.account_password|escape}</h2>
      <p class="mt-1 text-sm text-slate-500" x-text="data ? window.EbStrings.t('account_password_rules', data.password_rules) : ''"></p>
      <p class="mt-2 text-sm text-amber-800" x-show="data && data.require_password_change">{$eb_lang.account_password_must_change|escape}</p>
      <p class="mt-2 text-sm text-slate-500" x-show="reason('account.change_password')" x-text="reason('account.change_password')"></p>
      <form class="mt-4 space-y-3" x-show="allowed('account.change_password')" x-on:submit.prevent="changePassword()">
        <div>
          <label for="eb-acct-pw-cur" class="block text-sm font-medium text-slate-700">{$eb_lang.account_password_current|escape}</label>
          <input id="eb-acct-pw-cur" type="password" autocomplete="current-password" x-model="password.current" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
          <p class="mt-1 text-xs text-rose-700" x-show="fieldErrors.current_password" x-text="fieldErrors.current_password" role="alert"></p>
        </div>
        <div>
          <label for="eb-acct-pw-new" class="block text-sm font-medium text-slate-700">{$eb_lang.account_password_new|escape}</label>
          <input id="eb-acct-pw-new" type="password" autocomplete="new-password" x-model="password.next" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
        </div>
        <div>
          <label for="eb-acct-pw-again" class="block text-sm font-medium text-slate-700">{$eb_lang.account_password_again|escape}</label>
          <input id="eb-acct-pw-again" type="password" autocomplete="new-password" x-model="password.again" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
          <p class="mt-1 text-xs text-rose-700" x-show="passwordProblem() || fieldErrors.new_password" x-text="passwordProblem() || fieldErrors.new_password" role="alert" data-testid="account-password-problem"></p>
        </div>
        <button type="submit" class="rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" :disabled="!canChangePassword()" data-testid="account-password-save">
          <span x-show="!saving.password">{$eb_lang.account_password_change|escape}</span><span x-show="saving.password">{$eb_lang.account_saving|escape}</span>
        </button>
      </form>
      <div x-show="passwordResult" x-cloak class="mt-4 rounded-xl border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="account-password-devices">
        <p x-show="stillOld().length === 0" class="text-emerald-800">{$eb_lang.account_password_all_devices|escape}</p>
        <div x-show="stillOld().length > 0">
          <p class="font-medium text-amber-900">{$eb_lang.account_password_still_old|escape}</p>
          <ul class="mt-1 list-disc pl-5 text-slate-700">
            <template x-for="d in stillOld()" :key="d.device_id">
              <li class="break-words"><span x-text="d.name || d.device_id"></span> <span class="text-slate-500" x-text="d.online ? '' : window.EbStrings.t('account_device_offline')"></span></li>
            </template>
          </ul>
        </div>
      </div>
    </section>

    {* ---- two-factor ---- *}
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-acct-totp" data-testid="account-totp">
      <h2 id="eb-acct-totp" class="text-base font-semibold text-slate-900">{$eb_lang.account_totp|escape}</h2>
      <p class="mt-1 text-sm" data-testid="account-totp-state" :class="data && data.two_factor.enabled ? 'text-emerald-700' : 'text-slate-500'"
         x-text="data && data.two_factor.enabled ? window.EbStrings.t('account_totp_is_on') : window.EbStrings.t('account_totp_is_off')"></p>
      <p class="mt-2 text-sm text-slate-500" x-show="reason('account.open_web_ui')" x-text="reason('account.open_web_ui')"></p>
      <div class="mt-4 flex flex-wrap gap-2" x-show="!totp && allowed('account.open_web_ui')">
        <button type="button" class="rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" x-show="data && !data.two_factor.enabled" :disabled="saving.totp" x-on:click="startTotp()" data-testid="account-totp-start">{$eb_lang.account_totp_start|escape}</button>
        <button type="button" class="rounded-lg border border-rose-300 px-4 py-2 text-sm font-medium text-rose-700 hover:bg-rose-50 disabled:opacity-50" x-show="data && data.two_factor.enabled" :disabled="saving.totp" x-on:click="disableTotp()" data-testid="account-totp-disable">{$eb_lang.account_totp_disable|escape}</button>
      </div>
      <div x-show="totp" x-cloak class="mt-4 space-y-3" data-testid="account-totp-enrol">
        <p class="text-sm text-slate-700">{$eb_lang.account_totp_scan|escape}</p>
        <img x-show="totp && totp.qr_image" :src="totp ? totp.qr_image : ''" alt="{$eb_lang.account_totp_qr_alt|escape}" class="h-40 w-40 rounded-lg ring-1 ring-slate-200" style="image-rendering: pixelated">
        <p class="text-sm text-slate-700">{$eb_lang.account_totp_manual|escape}</p>
        <p class="break-all rounded-lg bg-slate-100 px-3 py-2 font-mono text-sm text-slate-900" x-text="totp ? totp.manual_entry : ''" data-testid="account-totp-secret"></p>
        <form class="flex flex-wrap items-end gap-2" x-on:submit.prevent="confirmTotp()">
          <div>
            <label for="eb-acct-totp-code" class="block text-sm font-medium text-slate-700">{$eb_lang.account_totp_code|escape}</label>
            <input id="eb-acct-totp-code" x-ref="totpCode" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" x-model="totpCode" class="mt-1 block w-32 rounded-lg border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm">
          </div>
          <button type="submit" class="rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" :disabled="saving.totp" data-testid="account-totp-confirm">{$eb_lang.account_totp_confirm|escape}</button>
          <button type="button" class="rounded-lg px-3 py-2 text-sm text-slate-600 hover:bg-slate-100" x-on:click="cancelTotp()">{$eb_lang.confirm_cancel|escape}</button>
        </form>
        <p class="text-xs text-rose-700" x-show="fieldErrors.code" x-text="fieldErrors.code" role="alert"></p>
      </div>
    </section>

    {* ---- privacy ---- *}
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-acct-privacy" data-testid="account-privacy">
      <h2 id="eb-acct-privacy" class="text-base font-semibold text-slate-900">{$eb_lang.account_privacy|escape}</h2>
      <dl class="mt-3 divide-y divide-slate-100 text-sm" x-show="data">
        <div class="flex flex-wrap items-center justify-between gap-2 py-2">
          <dt class="text-slate-700">{$eb_lang.account_privacy_reset|escape}</dt>
          <dd class="flex items-center gap-2">
            <span class="font-medium" x-text="data ? switchState(data.privacy.admin_password_reset) : ''"></span>
            <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" x-show="data && data.privacy.admin_password_reset.fixed_by_policy">{$eb_lang.account_privacy_fixed|escape}</span>
            <button type="button" class="text-xs font-medium text-sky-700 underline" x-show="data && data.privacy.admin_password_reset.enabled && !data.privacy.admin_password_reset.fixed_by_policy" x-on:click="turnOffAdminReset()">{$eb_lang.account_privacy_turn_off|escape}</button>
          </dd>
        </div>
        <div class="flex flex-wrap items-center justify-between gap-2 py-2">
          <dt class="text-slate-700">{$eb_lang.account_privacy_filenames|escape}</dt>
          <dd class="flex items-center gap-2">
            <span class="font-medium" x-text="data ? switchState(data.privacy.admin_may_view_filenames) : ''"></span>
            <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" x-show="data && data.privacy.admin_may_view_filenames.fixed_by_policy">{$eb_lang.account_privacy_fixed|escape}</span>
          </dd>
        </div>
      </dl>
      <p class="mt-2 text-xs text-slate-500">{$eb_lang.account_privacy_note|escape}</p>
    </section>

    {* ---- email reports ---- *}
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5 lg:col-span-2" aria-labelledby="eb-acct-email" data-testid="account-email">
      <h2 id="eb-acct-email" class="text-base font-semibold text-slate-900">{$eb_lang.account_email|escape}</h2>
      <p class="mt-2 text-sm text-slate-500" x-show="reason('account.change_email_settings')" x-text="reason('account.change_email_settings')"></p>
      <form class="mt-3 space-y-4" x-on:submit.prevent="saveEmail()">
        <fieldset :disabled="!allowed('account.change_email_settings')" class="space-y-4">
          <label class="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" x-model="email.enabled" class="rounded border border-slate-300" data-testid="account-email-enabled"> {$eb_lang.account_email_enabled|escape}
          </label>
          <ul class="space-y-3" data-testid="account-recipients">
            <template x-for="(r, i) in email.recipients" :key="r.address">
              <li class="rounded-xl border border-slate-200 p-3">
                <div class="flex flex-wrap items-center justify-between gap-2">
                  <span class="min-w-0 break-all font-medium text-slate-900" x-text="r.address"></span>
                  <button type="button" class="text-xs font-medium text-rose-700 underline" x-on:click="removeRecipient(i)" :aria-label="window.EbStrings.t('account_email_remove_named', { address: r.address })">{$eb_lang.account_email_remove|escape}</button>
                </div>
                <label class="mt-2 flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" x-model="r.custom" class="rounded border border-slate-300"> {$eb_lang.account_email_own_reports|escape}
                </label>
                <p class="mt-1 text-xs text-slate-500" x-show="!r.custom">{$eb_lang.account_email_default_reports|escape}</p>
                <div x-show="r.custom" class="mt-2 space-y-2">
                  <template x-for="(rep, j) in r.reports" :key="j">
                    <div class="flex flex-wrap items-end gap-2 rounded-lg bg-slate-50 p-2">
                      <label class="text-xs text-slate-600">{$eb_lang.account_report_type|escape}
                        <select x-model="rep.kind" class="mt-0.5 block rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
                          <template x-for="k in reportKinds" :key="k"><option :value="k" x-text="kindLabel(k)" :selected="k === rep.kind"></option></template>
                        </select>
                      </label>
                      <label class="text-xs text-slate-600" x-show="rep.kind !== 'immediate'">{$eb_lang.account_report_when|escape}
                        <select x-model="rep.frequency" class="mt-0.5 block rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
                          <template x-for="f in frequencies" :key="f"><option :value="f" x-text="freqLabel(f)" :selected="f === rep.frequency"></option></template>
                        </select>
                      </label>
                      <label class="text-xs text-slate-600" x-show="rep.kind !== 'immediate'">{$eb_lang.account_report_at|escape}
                        <input type="time" x-model="rep.at" class="mt-0.5 block rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
                      </label>
                      <label class="flex items-center gap-1 pb-2 text-sm text-slate-700">
                        <input type="checkbox" x-model="rep.failures_only" class="rounded border border-slate-300"> {$eb_lang.account_report_failures|escape}
                      </label>
                      <button type="button" class="pb-2 text-xs font-medium text-sky-700 underline" x-on:click="previewReport(r, rep)">{$eb_lang.account_report_preview|escape}</button>
                      <button type="button" class="pb-2 text-xs font-medium text-rose-700 underline" x-on:click="removeReport(r, j)">{$eb_lang.account_email_remove|escape}</button>
                    </div>
                  </template>
                  <button type="button" class="text-sm font-medium text-sky-700 underline" x-on:click="addReport(r)">{$eb_lang.account_report_add|escape}</button>
                </div>
              </li>
            </template>
          </ul>
          <div class="flex flex-wrap items-end gap-2">
            <div class="min-w-0 flex-1">
              <label for="eb-acct-recipient" class="block text-sm font-medium text-slate-700">{$eb_lang.account_email_add|escape}</label>
              <input id="eb-acct-recipient" type="email" x-model="newRecipient" x-on:keydown.enter.prevent="addRecipient()" placeholder="name@example.com" class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm" data-testid="account-recipient-input">
            </div>
            <button type="button" class="rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50" x-on:click="addRecipient()" data-testid="account-recipient-add">{$eb_lang.account_email_add_button|escape}</button>
          </div>
          <p class="text-xs text-rose-700" x-show="fieldErrors.recipients || fieldErrors.reports" x-text="fieldErrors.recipients || fieldErrors.reports" role="alert"></p>
          <button type="submit" class="rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" :disabled="saving.email" data-testid="account-email-save">
            <span x-show="!saving.email">{$eb_lang.account_save|escape}</span><span x-show="saving.email">{$eb_lang.account_saving|escape}</span>
          </button>
        </fieldset>
      </form>
      <div x-show="preview" x-cloak class="mt-4 rounded-xl border border-slate-200 bg-slate-50 p-3" tabindex="-1" x-ref="preview" data-testid="account-preview">
        <div class="flex items-start justify-between gap-2">
          <p class="min-w-0 break-words text-sm font-medium text-slate-900" x-text="preview ? preview.subject : ''"></p>
          <button type="button" class="text-xs text-slate-600 underline" x-on:click="preview = null">{$eb_lang.account_close|escape}</button>
        </div>
        <pre class="mt-2 max-h-64 overflow-auto whitespace-pre-wrap break-words text-xs text-slate-700" x-text="preview ? preview.text : ''"></pre>
      </div>
    </section>

    {* ---- downloads ---- *}
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-acct-downloads" data-testid="account-downloads">
      <h2 id="eb-acct-downloads" class="text-base font-semibold text-slate-900">{$eb_lang.account_downloads|escape}</h2>
      {include file="../../shared/state.tpl" kind="error" when="downloadsError !== ''" message="downloadsError" retry="loadDownloads()"}
      <div x-show="downloads" class="mt-3 space-y-3">
        <dl class="grid grid-cols-1 gap-2 text-sm sm:grid-cols-2">
          <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.account_server_address|escape}</dt><dd class="break-all font-mono text-slate-900" x-text="downloads ? downloads.server_address : ''"></dd></div>
          <div class="min-w-0"><dt class="text-xs text-slate-500">{$eb_lang.account_username|escape}</dt><dd class="break-all font-mono text-slate-900" x-text="downloads ? downloads.username : ''"></dd></div>
        </dl>
        <ul class="divide-y divide-slate-100 text-sm">
          <template x-for="p in (downloads ? downloads.platforms : [])" :key="p.platform">
            <li class="flex flex-wrap items-center justify-between gap-2 py-2">
              <span class="min-w-0"><span x-text="p.description"></span> <span class="text-xs text-emerald-700" x-show="p.recommended">{$eb_lang.account_recommended|escape}</span></span>
              <button type="button" class="rounded-lg border border-slate-300 px-3 py-1 text-sm text-slate-700 hover:bg-slate-50" x-on:click="download(p)">{$eb_lang.account_download|escape}</button>
            </li>
          </template>
        </ul>
        <form x-show="anyTokenPlatform()" class="space-y-2 rounded-xl bg-slate-50 p-3" x-on:submit.prevent="createToken()">
          <p class="text-sm text-slate-700">{$eb_lang.account_install_token_intro|escape}</p>
          <label for="eb-acct-install-pw" class="block text-sm font-medium text-slate-700">{$eb_lang.account_install_password|escape}</label>
          <div class="flex flex-wrap gap-2">
            <input id="eb-acct-install-pw" type="password" autocomplete="current-password" x-model="installPassword" class="block min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
            <button type="submit" class="rounded-lg bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50" :disabled="saving.token">{$eb_lang.account_install_token_create|escape}</button>
          </div>
          <p class="text-xs text-rose-700" x-show="fieldErrors.password" x-text="fieldErrors.password" role="alert"></p>
          <div x-show="installToken" class="text-sm">
            <p class="text-slate-700">{$eb_lang.account_install_token_is|escape}</p>
            <p class="break-all font-mono text-slate-900" x-text="installToken ? installToken.install_token : ''" data-testid="account-install-token"></p>
          </div>
        </form>
      </div>
    </section>

    {* ---- activity ---- *}
    <section class="min-w-0 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" aria-labelledby="eb-acct-activity" data-testid="account-activity">
      <h2 id="eb-acct-activity" class="text-base font-semibold text-slate-900">{$eb_lang.account_activity|escape}</h2>
      <label for="eb-acct-activity-filter" class="sr-only">{$eb_lang.table_filter|escape}</label>
      <input id="eb-acct-activity-filter" type="search" x-model="activityFilter" placeholder="{$eb_lang.table_filter|escape}" class="mt-3 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
      {include file="../../shared/state.tpl" kind="error" when="activityError !== ''" message="activityError" retry="loadActivity(false)"}
      <p class="mt-3 text-sm text-slate-500" x-show="activityError === '' && filteredActivity().length === 0">{$eb_lang.account_activity_empty|escape}</p>
      <ul class="mt-2 divide-y divide-slate-100 text-sm">
        <template x-for="e in filteredActivity()" :key="e.id">
          <li class="py-2">
            <div class="flex flex-wrap justify-between gap-2">
              <span class="font-medium text-slate-900" x-text="e.action"></span>
              <span class="text-xs text-slate-500" x-text="when(e.created_at)"></span>
            </div>
            <p class="break-words text-xs text-slate-600"><span x-text="e.result"></span> <span x-text="e.target"></span></p>
          </li>
        </template>
      </ul>
      <button type="button" class="mt-2 text-sm font-medium text-sky-700 underline" x-show="activityNext" x-on:click="loadActivity(true)">{$eb_lang.account_activity_more|escape}</button>
    </section>
  </div>
</div>
