// Used by `tailwindcss --postcss` (npm run build): Tailwind, then our scoping rule.
module.exports = {
  plugins: [require('tailwindcss')({ config: `${__dirname}/tailwind.config.js` }), require('./scripts/scoped-important.js')],
};
