// PostCSS plugin: every declaration of a rule scoped to #eb-console becomes !important.
//
// Why: WHMCS themes are Bootstrap, whose utility classes share names with Tailwind's (mb-4, px-3,
// rounded-lg, …) and are all !important, so inside our page they would beat our (unimportant)
// scoped utilities. `#eb-console .mb-4 { … !important }` beats Bootstrap's `.mb-4 { … !important }`
// by specificity, while still applying only inside #eb-console (nothing leaks into the host page).
// `display` is left alone: Alpine's x-show hides with an inline `display: none`, which an
// important `.flex`/`.grid` would override (Bootstrap's display utilities are d-*, no clash).
module.exports = () => ({
  postcssPlugin: 'eb-scoped-important',
  Rule(rule) {
    if (!rule.selectors.every((s) => s.trim().startsWith('#eb-console'))) return;
    // Keyframe steps have no selectors of ours; only plain style rules are touched.
    if (rule.parent && rule.parent.type === 'atrule' && /keyframes$/i.test(rule.parent.name)) return;
    rule.walkDecls((decl) => {
      if (!decl.prop.startsWith('--') && decl.prop !== 'display') decl.important = true;
    });
  },
});
module.exports.postcss = true;
