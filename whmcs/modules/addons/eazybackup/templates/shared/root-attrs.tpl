{* Attributes of the #eb-console element: everything the scripts read (lib/api.js picks the
   deployment mode from data-mode; lib/strings.js reads data-strings). Printed inside the tag. *}
data-mode="{$eb_mode|escape}"
     data-api-base="{$eb_api_base|escape}"
     data-proxy-url="{$eb_routes.proxy|escape}"
     data-token-url="{$eb_routes.token|escape}"
     data-account-password-url="{$eb_routes.account_password|escape}"
     data-token="{$eb_token|escape}"
     data-token-expires-at="{$eb_token_expires_at|escape}"
     data-console-url="{$eb_routes.console|escape}"
     data-csrf="{$eb_csrf|escape}"
     data-services="{$eb_services_json|escape}"
     data-strings="{$eb_strings_json|escape}"
