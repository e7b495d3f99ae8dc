// Checks the API reference as TypeDoc sees it with typedoc.json (exit code 1 on a failure):
// - every public export of the published packages has a TSDoc summary;
// - every Tensor member has a summary, and each of its parameters a description;
// - no parameter shows as `__namedParameters` (a destructured parameter needs a name: an
//   `@param name` tag, or a named parameter destructured in the body);
// - no exported function, method or constructor has an undocumented parameter beyond those listed
//   in scripts/api-docs-baseline.txt — the debt that predates this check, which may only shrink.
// Run with `pnpm docs:check` (part of `pnpm test`); `pnpm docs:check --update-baseline` rewrites
// the baseline after parameters were documented.
import { readFileSync, writeFileSync } from 'node:fs';
import { Application, Comment, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';

const BASELINE = new URL('./api-docs-baseline.txt', import.meta.url);
const EXPORT_KINDS =
  ReflectionKind.Class |
  ReflectionKind.Function |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum |
  ReflectionKind.Namespace;

const text = (comment) => (comment ? Comment.combineDisplayParts(comment.summary).trim() : '');

/** The summary of a reflection: its own comment, or a signature's (functions, methods, accessors). */
function summary(reflection) {
  const signatures = [...(reflection.signatures ?? []), reflection.getSignature].filter(Boolean);
  return text(reflection.comment) || signatures.map((s) => text(s.comment)).find(Boolean) || '';
}

/** Calls `fn(path, parameter)` for every parameter of every signature under `reflection`, inherited members skipped. */
function forEachParameter(reflection, path, fn) {
  if (reflection.inheritedFrom) return;
  for (const signature of reflection.signatures ?? []) {
    for (const parameter of signature.parameters ?? []) fn(path, parameter);
  }
  for (const child of reflection.children ?? []) forEachParameter(child, `${path}.${child.name}`, fn);
}

const app = await Application.bootstrapWithPlugins({ logLevel: 'Error' }, [new TypeDocReader(), new TSConfigReader()]);
const project = await app.convert();
if (!project) {
  console.error('TypeDoc could not convert the packages');
  process.exit(2);
}

const failures = [];
const undocumented = new Set();
for (const pkg of project.children ?? []) {
  for (const reflection of pkg.children ?? []) {
    if (reflection.kindOf(EXPORT_KINDS) && summary(reflection) === '') {
      failures.push(`no summary: ${pkg.name} ${reflection.name} (${ReflectionKind.singularString(reflection.kind)})`);
    }
    const isTensor = pkg.name === '@loom/core' && reflection.name === 'Tensor';
    if (isTensor) {
      for (const member of reflection.children ?? []) {
        if (!member.inheritedFrom && summary(member) === '') failures.push(`no summary: Tensor.${member.name}`);
      }
    }
    forEachParameter(reflection, reflection.name, (path, parameter) => {
      if (parameter.name === '__namedParameters') failures.push(`unnamed destructured parameter: ${pkg.name} ${path}`);
      else if (text(parameter.comment) === '') {
        if (isTensor) failures.push(`undocumented parameter: Tensor ${path}(${parameter.name})`);
        else undocumented.add(`${pkg.name} ${path}(${parameter.name})`);
      }
    });
  }
}

const sorted = [...undocumented].sort();
if (process.argv.includes('--update-baseline')) {
  writeFileSync(BASELINE, `${sorted.join('\n')}\n`);
  console.log(`baseline: ${sorted.length} undocumented parameters`);
}
const baseline = new Set(readFileSync(BASELINE, 'utf8').split('\n').filter(Boolean));
for (const entry of sorted) if (!baseline.has(entry)) failures.push(`undocumented parameter (document it with @param): ${entry}`);
const paid = [...baseline].filter((entry) => !undocumented.has(entry)).length;

if (failures.length > 0) {
  console.error(`${failures.length} API reference problems:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `every public export of ${project.children?.map((p) => p.name).join(', ')} has a TSDoc summary, every Tensor member ` +
    `and its parameters are documented; ${undocumented.size} older parameters still lack a description` +
    (paid > 0 ? ` (${paid} baseline entries are documented now: run pnpm docs:check --update-baseline)` : ''),
);
