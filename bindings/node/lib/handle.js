'use strict';

/**
 * Ownership of native handles (`docspace_client *`, `docspace_session *` …).
 *
 * Each JS object that owns a handle ({@link NativeObject}) frees it exactly once: when
 * `dispose()` is called, or, as a safety net, when the object is garbage-collected
 * (`FinalizationRegistry`). A handle in use by a call on a worker thread is freed only once
 * that call has returned, so disposing during a call is safe.
 *
 * @module docspace-auth/lib/handle
 * @private
 */

const native = require('./native');
const { codedError, fromNative } = require('./errors');

/** Frees the handles of objects collected without `dispose()`. Held value: `{ pointer, free }`. */
const registry = new FinalizationRegistry(({ pointer, free }) => free(pointer));

/**
 * @typedef {object} HandleState
 * @property {unknown} pointer the C pointer (a koffi external)
 * @property {(pointer: unknown) => void} free the C `*_free` function
 * @property {number} busy calls on worker threads that use the handle right now
 * @property {boolean} disposed `dispose()` was called (the handle is freed once `busy` is 0)
 */

/** @type {WeakMap<object, HandleState>} the handle of each owner */
const handles = new WeakMap();

/**
 * Makes `owner` the owner of a native handle.
 *
 * @param {object} owner
 * @param {unknown} pointer non-NULL handle
 * @param {(pointer: unknown) => void} free the handle type's `*_free`
 */
function adopt(owner, pointer, free) {
  const state = { pointer, free, busy: 0, disposed: false };
  handles.set(owner, state);
  registry.register(owner, { pointer, free }, state);
}

/**
 * The live handle state of `owner`.
 *
 * @param {object} owner
 * @returns {HandleState}
 */
function live(owner) {
  const state = handles.get(owner);
  if (!state || state.disposed) {
    throw codedError(Error, 'ERR_INVALID_STATE', `This ${owner.constructor.name} has been disposed`);
  }
  return state;
}

/**
 * The C pointer of `owner`, for a synchronous call.
 *
 * @param {object} owner
 */
function pointerOf(owner) {
  return live(owner).pointer;
}

function release(state) {
  state.busy -= 1;
  if (state.disposed && state.busy === 0) state.free(state.pointer);
}

/**
 * Runs a blocking C call on a koffi worker thread, keeping the JS event loop free.
 *
 * The C function takes the owners' pointers first, then `args`, then
 * `docspace_error **error_out`. Output arrays in `args` are filled when the promise
 * resolves. The owners stay alive and their handles unfreed until the call has returned.
 *
 * @param {import('koffi').KoffiFunction} fn
 * @param {object[]} owners objects whose handles the call uses, in parameter order
 * @param {unknown[]} args the remaining parameters, without `error_out`
 * @returns {Promise<void>} rejects with the library's {@link DocSpaceError} on failure
 */
async function callAsync(fn, owners, args) {
  const states = owners.map(live);
  for (const state of states) state.busy += 1;
  const errorOut = [null];
  let result;
  try {
    result = await new Promise((resolve, reject) => {
      fn.async(...states.map((state) => state.pointer), ...args, errorOut,
        (error, value) => (error ? reject(error) : resolve(value)));
    });
  } finally {
    // `owners` is read after the await, so it (and every owner in it) stays reachable, and
    // no finalizer can free a handle while the worker thread uses it.
    owners.forEach((owner) => release(handles.get(owner)));
  }
  if (result !== native.OK) {
    const error = fromNative(result, errorOut[0]);
    // Start the stack at the public method that was called (`at async Client.login`).
    Error.captureStackTrace(error, callAsync);
    throw error;
  }
}

/**
 * Base class of the objects that own a native handle.
 */
class NativeObject {
  /**
   * Frees the native handle now. Idempotent. A call still running with this object
   * finishes first; later calls with it fail with `ERR_INVALID_STATE`.
   */
  dispose() {
    const state = handles.get(this);
    if (!state || state.disposed) return;
    state.disposed = true;
    registry.unregister(state);
    if (state.busy === 0) state.free(state.pointer);
  }

  /** Whether {@link NativeObject#dispose} was called. */
  get disposed() {
    return handles.get(this)?.disposed ?? true;
  }
}

if (typeof Symbol.dispose === 'symbol') {
  // `using session = …` (explicit resource management) disposes the handle at scope exit.
  NativeObject.prototype[Symbol.dispose] = function dispose() {
    this.dispose();
  };
}

/**
 * Calls `use(pointer)` with a C pointer from an output parameter and frees it afterwards
 * (for handles the binding only reads: login results, setups, codes, policies).
 *
 * @template T
 * @param {unknown} pointer
 * @param {(pointer: unknown) => void} free
 * @param {(pointer: unknown) => T} use
 * @returns {T}
 */
function consume(pointer, free, use) {
  try {
    return use(pointer);
  } finally {
    free(pointer);
  }
}

module.exports = { NativeObject, adopt, pointerOf, callAsync, consume };
