<div style="max-width:24rem;margin:2rem auto;background:#fff;border-radius:1rem;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.08)">
  <h1 style="margin:0 0 1rem;font-size:1.4rem">Login</h1>
  {if $incorrect}<p id="login-error" style="color:#be123c">{$incorrect|escape}</p>{/if}
  <form method="post" action="login.php">
    <input type="hidden" name="returnurl" value="{$returnurl|escape}">
    <label style="display:block;margin-bottom:.75rem">Email<br><input type="email" name="username" required style="width:100%;padding:.5rem"></label>
    <label style="display:block;margin-bottom:1rem">Password<br><input type="password" name="password" required style="width:100%;padding:.5rem"></label>
    <button type="submit" id="login" style="padding:.55rem 1.2rem;background:#0284c7;color:#fff;border:0;border-radius:.5rem">Login</button>
  </form>
</div>
