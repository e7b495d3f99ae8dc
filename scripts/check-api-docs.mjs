// Checks the API reference as TypeDoc sees it with typedoc.json (exit code 1 on a failure):
// - every public export of the published packages has a TSDoc summary;
// - every Tensor member has a summary, and each of its parameters a description;
// - no parameter shows as `__namedParameters` (a destructured parameter needs a name: an
//   `@param name` tag, or a named parameter destructured in the body);
// - every parameter of every exported function, method and constructor has a description.
// Run with `pnpm docs:check` (part of `pnpm test`).
import { Application, Comment, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';

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
        failures.push(`undocumented parameter (document it with @param): ${isTensor ? 'Tensor' : pkg.name} ${path}(${parameter.name})`);
      }
    });
  }
}

if (failures.length > 0) {
  console.error(`${failures.length} API reference problems:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `every public export of ${project.children?.map((p) => p.name).join(', ')} has a TSDoc summary, and every ` +
    `parameter of its functions, methods and constructors a description`,
);
