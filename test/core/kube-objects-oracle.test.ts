/**
 * `parseCronJob` / `parseJob` against an independent oracle (test/support/bad-object-variants:
 * a table of what the API guarantees and the watcher needs), over 1,040 seeded variants of
 * the fixtures: each object is refused exactly when the oracle says it must be, and the
 * refusal names a field the oracle found broken. Pure and fast; the pass-level behaviour with
 * the same variants is test/reliability/bad-objects.test.ts.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {parseCronJob, parseJob} from '../../functions/core/kube-objects.js';
import {loadFixtureObjects, type KubeObject} from '../support/kube-fixtures.js';
import {
  leafOf,
  makeVariants,
  mustRefuse,
  refusalsOf,
  VARIANTS,
} from '../support/bad-object-variants.js';

const fixtures = loadFixtureObjects();

type Kind = 'CronJob' | 'Job';

/** The object as the API serves it in a list: plain JSON, no apiVersion/kind on items. */
function served(object: KubeObject, kind = object.kind as Kind): {kind: Kind; raw: unknown} {
  const {apiVersion: _a, kind: _k, ...rest} = object;
  return {kind, raw: JSON.parse(JSON.stringify(rest)) as unknown};
}

function parse(kind: 'CronJob' | 'Job', raw: unknown) {
  return kind === 'CronJob' ? parseCronJob(raw) : parseJob(raw);
}

describe('the oracle itself', () => {
  it('accepts every fixture as it is', () => {
    for (const object of [...fixtures.cronJobs, ...fixtures.jobs]) {
      const {kind, raw} = served(object);
      assert.deepEqual(refusalsOf(kind, raw), [], `${kind} ${object.metadata.name}`);
    }
  });

  it('refuses the hand-stated variants, for the stated field', () => {
    for (const {object, problem} of mustRefuse(fixtures)) {
      const {kind, raw} = served(object);
      const refusals = refusalsOf(kind, raw);
      assert.ok(refusals.length > 0, `${object.metadata.namespace}: refused`);
      assert.ok(
        refusals.some(path => problem.source.includes(leafOf(path))),
        `${object.metadata.namespace}: ${refusals.join(', ')} vs ${problem}`,
      );
    }
  });
});

describe(`parseCronJob / parseJob against the oracle: ${VARIANTS} seeded variants`, () => {
  it('refuse exactly what the oracle refuses, naming a broken field', () => {
    let refused = 0;
    let judged = 0;
    // A variant is [CronJob, its run] or [parent, Job]; the mutation may have hit `kind` itself.
    const objects: Array<[KubeObject, Kind]> = [
      ...makeVariants(fixtures).flatMap(v =>
        v.objects.map((o, i): [KubeObject, Kind] => [o, i === 0 ? 'CronJob' : 'Job']),
      ),
      ...mustRefuse(fixtures).map((m): [KubeObject, Kind] => [m.object, m.object.kind as Kind]),
    ];
    for (const [object, objectKind] of objects) {
      const {kind, raw} = served(object, objectKind);
      const where = `${kind} ${String(object.metadata.namespace)}/${String(object.metadata.name).slice(0, 60)}`;
      const refusals = refusalsOf(kind, raw);
      const parsed = parse(kind, raw);
      if (refusals.length === 0) {
        assert.ok(
          parsed.ok,
          `${where}: refused (${parsed.ok ? '' : parsed.problem.problem}) but the oracle judges it`,
        );
        judged++;
        continue;
      }
      assert.ok(
        !parsed.ok,
        `${where}: judged but the oracle refuses it for ${refusals.join(', ')}`,
      );
      refused++;
      const {problem} = parsed.problem;
      assert.ok(
        refusals.some(path => problem.includes(leafOf(path))),
        `${where}: "${problem}" names none of ${refusals.join(', ')}`,
      );
      assert.ok(problem.length > 0 && problem.length < 500, `${where}: a short reason`);
      assert.equal(parsed.problem.kind, kind);
      assert.equal(parsed.problem.namespace, object.metadata.namespace, `${where}: named`);
    }
    // The generator must make plenty of both: refused, and judged despite oddities.
    assert.ok(refused > 100, `refused ${refused}`);
    assert.ok(judged > VARIANTS, `judged ${judged} (every variant brings a clean relative)`);
  });
});
