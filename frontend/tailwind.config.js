/** Tailwind for the eazyBackup addon. It renders inside a WHMCS theme (Bootstrap), so:
 *  - preflight is off (no global reset of the host page),
 *  - every utility is scoped under #eb-console (and wins over theme rules of equal specificity). */
module.exports = {
  content: {
    relative: true, // paths below are relative to this file, whatever the working directory
    files: [
      '../whmcs/modules/addons/eazybackup/templates/**/*.tpl',
      '../whmcs/modules/addons/eazybackup/templates/assets/js/lib/*.js',
      '../whmcs/modules/addons/eazybackup/templates/assets/js/components/*.js',
    ],
  },
  important: '#eb-console',
  corePlugins: { preflight: false },
  theme: {
    extend: {
      fontFamily: {
        sans: ['Inter', 'ui-sans-serif', 'system-ui', '-apple-system', 'Segoe UI', 'Roboto', 'Helvetica Neue', 'Arial', 'sans-serif'],
      },
      keyframes: {
        'eb-stripes': { from: { backgroundPosition: '1rem 0' }, to: { backgroundPosition: '0 0' } },
        'eb-indeterminate': { '0%': { transform: 'translateX(-100%)' }, '100%': { transform: 'translateX(250%)' } },
      },
      animation: {
        'eb-indeterminate': 'eb-indeterminate 1.4s ease-in-out infinite',
      },
    },
  },
  plugins: [],
};
