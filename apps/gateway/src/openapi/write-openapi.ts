import { existsSync, mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { buildOpenApiDocument } from './document';

/** The committed copy of the document; a unit test fails when it differs from the generated one. */
export function openApiFilePath(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return join(dir, 'docs', 'openapi.json');
}

export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

if (require.main === module) {
  const file = openApiFilePath();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderOpenApi());
  process.stdout.write(`wrote ${file}\n`);
}
