// Babel plugin for Jest only: replaces `import.meta.*` in ES-module packages (NestJS 12) with values
// fixed at transform time, so they can run as CommonJS inside Jest on Node 20.
const path = require('path');
const { pathToFileURL } = require('url');

module.exports = function importMeta({ types: t }) {
  return {
    visitor: {
      MetaProperty(p, state) {
        if (p.node.meta.name !== 'import' || p.node.property.name !== 'meta') return;
        const file = state.filename;
        const parent = p.parentPath;
        if (!parent.isMemberExpression()) return;
        const key = parent.node.property.name;
        if (key === 'url') parent.replaceWith(t.stringLiteral(pathToFileURL(file).href));
        else if (key === 'dirname') parent.replaceWith(t.stringLiteral(path.dirname(file)));
        else if (key === 'filename') parent.replaceWith(t.stringLiteral(file));
        else if (key === 'resolve') {
          // import.meta.resolve(x) -> ((s) => require('url').pathToFileURL(require.resolve(s)).href)(x)
          const s = t.identifier('s');
          const req = (arg) => t.callExpression(t.identifier('require'), [arg]);
          parent.replaceWith(
            t.arrowFunctionExpression(
              [s],
              t.memberExpression(
                t.callExpression(
                  t.memberExpression(req(t.stringLiteral('url')), t.identifier('pathToFileURL')),
                  [
                    t.callExpression(t.memberExpression(t.identifier('require'), t.identifier('resolve')), [
                      s,
                    ]),
                  ],
                ),
                t.identifier('href'),
              ),
            ),
          );
        }
      },
    },
  };
};
