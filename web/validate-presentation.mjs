// Validates IIIF Presentation 3.0 documents against the official JSON Schema (schemas/iiif-presentation-3.0.schema.json).
// Usage: node validate-presentation.mjs FILE...   Prints one JSON line per file: {"file", "valid", "errors"}.
// Exit code: 0 when every file is valid, 1 when any is not, 2 on a usage or read error.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, 'schemas', 'iiif-presentation-3.0.schema.json'), 'utf8'));
// strict: false because the published schema carries annotations ajv's strict mode rejects (e.g. "default" beside "$ref").
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('Usage: node validate-presentation.mjs FILE...');
  process.exit(2);
}

let allValid = true;
for (const file of files) {
  let document;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(JSON.stringify({ file, valid: false, errors: [`not readable JSON: ${e.message}`] }));
    allValid = false;
    continue;
  }
  const valid = validate(document);
  allValid &&= valid;
  const errors = valid ? [] : validate.errors.slice(0, 20).map(e => `${e.instancePath || '/'} ${e.message}`);
  console.log(JSON.stringify({ file, valid, errors }));
}
process.exit(allValid ? 0 : 1);
