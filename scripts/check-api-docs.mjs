// Lists every public export of the published packages that has no TSDoc summary, as TypeDoc
// sees them with typedoc.json (exit code 1 if any). Members are not checked: a summary on each
// export is the rule. Run with `pnpm docs:check`.
import { Application, Comment, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';

const EXPORT_KINDS =
  ReflectionKind.Class |
  ReflectionKind.Function |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum |
  ReflectionKind.Namespace;

/** The summary of an export: its own comment, or its first signature's for a function. */
function summary(reflection) {
  const comment = reflection.comment ?? reflection.signatures?.find((s) => s.comment)?.comment;
  return comment ? Comment.combineDisplayParts(comment.summary).trim() : '';
}

const app = await Application.bootstrapWithPlugins({ logLevel: 'Error' }, [new TypeDocReader(), new TSConfigReader()]);
const project = await app.convert();
if (!project) {
  console.error('TypeDoc could not convert the packages');
  process.exit(2);
}

const missing = [];
for (const pkg of project.children ?? []) {
  for (const reflection of pkg.children ?? []) {
    if (reflection.kindOf(EXPORT_KINDS) && summary(reflection) === '') {
      missing.push(`${pkg.name}: ${reflection.name} (${ReflectionKind.singularString(reflection.kind)})`);
    }
  }
}
if (missing.length > 0) {
  console.error(`${missing.length} public exports have no TSDoc summary:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`every public export of ${project.children?.map((p) => p.name).join(', ')} has a TSDoc summary`);
