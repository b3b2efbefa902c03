// Runs the TypeScript sources on Node's own type stripping (Node 24), for the specs, the
// servers they start and `npm start`: `node --import ./scripts/ts-hooks.mjs file.ts`.
// The sources import each other by their compiled names (`./x.js`, as NodeNext resolution and
// the build in dist/ want), so a relative `.js` that does not exist next to a `.ts` file is
// resolved to the `.ts` beside it. Everything else resolves as Node resolves it.
// The sources keep to what Node can strip: `erasableSyntaxOnly` and `verbatimModuleSyntax` in
// tsconfig.json make the typecheck refuse anything else.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const fromTypeScript = (parentURL) => parentURL !== undefined && parentURL.startsWith('file:') && parentURL.endsWith('.ts');

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.endsWith('.js') && fromTypeScript(context.parentURL) && (specifier.startsWith('./') || specifier.startsWith('../'))) {
      const url = new URL(specifier, context.parentURL);
      if (!existsSync(fileURLToPath(url))) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
    return nextResolve(specifier, context);
  },
});
