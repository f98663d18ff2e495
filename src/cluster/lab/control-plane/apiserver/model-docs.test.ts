import { test } from 'node:test'
import assert from 'node:assert/strict'
import { modelDocs, parseModelDeclaration } from './model-docs.ts'

test('a declaration gives the class comment, property comments (quotes unescaped) and optionality', () => {
  const text = `/**
 * Kubernetes
 */
import { X } from '../x.js';
/**
* A port of a \\'thing\\'.
*/
export declare class V1Thing {
    /**
    * First line.
    * Second line.
    */
    'port': number;
    'name'?: string;
}`
  assert.deepEqual(parseModelDeclaration(text, 'V1Thing'), {
    description: "A port of a 'thing'.",
    fields: {
      port: { description: 'First line.\nSecond line.', required: true },
      name: { required: false },
    },
  })
})

test("client-node's own declarations are found; an unknown class has no docs", () => {
  assert.equal(modelDocs('V1ServicePort').fields.port?.required, true)
  assert.deepEqual(modelDocs('V1NoSuchThing'), { fields: {} })
})
