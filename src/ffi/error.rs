//! `docspace_error` (the detailed error given through `error_out`) and the per-thread
//! last-error store kept inside each client handle.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, ThreadId};

use super::boundary::{free_handle, handle_opt, new_handle, owned_c_string, ErrorParts, FfiError, Handle};
use super::result::docspace_result;

/// A failure's details: result, message, HTTP status, the portal's own message and the delay
/// the portal asked for. Created by the library on failure of a call that takes
/// `docspace_error **error_out`; the caller owns it and frees it with `docspace_error_free()`.
/// Immutable: the accessors may be called from any thread. Contains no secret.
///
/// Corresponds to a `Box` of an internal Rust struct.
pub struct docspace_error {
    _private: [u8; 0],
}

/// The detail of one failure, as C strings so that accessors can lend them out.
#[derive(Debug, Clone)]
pub(crate) struct ErrorDetail {
    pub result: docspace_result,
    pub message: CString,
    pub status: u16,
    pub server_message: Option<CString>,
    pub retry_after: i64,
}

impl Handle for docspace_error {
    type Inner = ErrorDetail;
}

impl ErrorDetail {
    pub(crate) fn from_error(error: FfiError) -> ErrorDetail {
        let ErrorParts { result, message, status, server_message, retry_after } = error.into_parts();
        ErrorDetail {
            result,
            message: owned_c_string(&message),
            status: status.unwrap_or(0),
            server_message: server_message.as_deref().map(owned_c_string),
            retry_after: retry_after.map_or(-1, |delay| i64::try_from(delay.as_secs()).unwrap_or(i64::MAX)),
        }
    }
}

/// Give `detail` to the caller through `error_out` (if not NULL).
pub(crate) fn write_error_out(error_out: *mut *mut docspace_error, detail: ErrorDetail) {
    if !error_out.is_null() {
        // SAFETY: non-NULL; the caller passes a writable `docspace_error *` slot.
        unsafe { error_out.write(new_handle(detail)) }
    }
}

/// Run a body that may fail and report a failure through `error_out`: the calls that take
/// `error_out` but have no client handle (client creation, sessions, TOTP). When `error_out`
/// is NULL nothing is allocated for the detail, so allocation-free bodies stay so on failure.
pub(crate) fn with_error_out(
    error_out: *mut *mut docspace_error,
    body: impl FnOnce() -> Result<(), FfiError>,
) -> docspace_result {
    // A panic is reported through `error_out` too (the outer `ffi_boundary!` only sees one
    // if building the detail itself panicked).
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or(Err(FfiError::Panic));
    match outcome {
        Ok(()) => docspace_result::Ok,
        Err(error) if error_out.is_null() => error.result(),
        Err(error) => {
            let detail = ErrorDetail::from_error(error);
            let result = detail.result;
            write_error_out(error_out, detail);
            result
        }
    }
}

/// Most threads one client keeps a last error for. A failing call of a thread without a
/// record, when the store is full, evicts the oldest record of another thread (that thread
/// then reads OK / `""`), so a client used by many short-lived threads stays bounded.
pub(crate) const MAX_LAST_ERRORS: usize = 1024;

/// One thread's record: when it was stored (a counter, for eviction) and the failure.
#[derive(Debug)]
struct Record {
    stored: u64,
    detail: Arc<ErrorDetail>,
}

#[derive(Debug, Default)]
struct Records {
    by_thread: HashMap<ThreadId, Record>,
    stored: u64,
}

/// The last failure of each thread on one client handle. A successful call removes the
/// thread's entry, so the map only holds threads whose last call failed, and at most
/// [`MAX_LAST_ERRORS`] of them.
///
/// `docspace_client_last_error()` and `docspace_client_last_server_message()` lend pointers
/// into a record. The map may drop a record at any time (another thread's call evicts it),
/// so the thread that borrowed also keeps the record alive, in [`LENT`], until its next call
/// on the client: the pointer stays valid however the map changes.
#[derive(Debug, Default)]
pub(crate) struct LastErrors {
    records: Mutex<Records>,
}

thread_local! {
    /// The records this thread borrowed strings from, one per client (keyed by the address of
    /// the client's `LastErrors`). Replaced by the next borrow on the same client, dropped by
    /// this thread's next call on it, and freed with the thread.
    static LENT: RefCell<Vec<(usize, Arc<ErrorDetail>)>> = const { RefCell::new(Vec::new()) };
}

impl LastErrors {
    fn with<R>(&self, f: impl FnOnce(&mut Records) -> R) -> R {
        let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut records)
    }

    fn key(&self) -> usize {
        ptr::from_ref(self) as usize
    }

    /// The calling thread made a new call: what it borrowed from this client may go.
    fn release_lent(&self) {
        let key = self.key();
        // During thread teardown the thread-local is gone, and so is anything it held.
        let _ = LENT.try_with(|lent| lent.borrow_mut().retain(|(k, _)| *k != key));
    }

    /// The calling thread's record, shared.
    fn current(&self) -> Option<Arc<ErrorDetail>> {
        self.with(|records| records.by_thread.get(&thread::current().id()).map(|r| Arc::clone(&r.detail)))
    }

    /// Record a failure of the calling thread.
    pub(crate) fn set(&self, detail: ErrorDetail) {
        self.release_lent();
        let me = thread::current().id();
        let detail = Arc::new(detail);
        self.with(|records| {
            let map = &mut records.by_thread;
            if map.len() >= MAX_LAST_ERRORS && !map.contains_key(&me) {
                // Full: the oldest record goes (never the caller's: it has none).
                if let Some(oldest) = map.iter().min_by_key(|(_, r)| r.stored).map(|(id, _)| *id) {
                    map.remove(&oldest);
                }
            }
            records.stored += 1;
            map.insert(me, Record { stored: records.stored, detail });
        });
    }

    /// The calling thread's call succeeded: forget its record.
    pub(crate) fn clear(&self) {
        self.release_lent();
        self.with(|records| {
            // The usual case, no failures on record, skips hashing the thread id.
            if !records.by_thread.is_empty() {
                records.by_thread.remove(&thread::current().id());
            }
        });
    }

    /// Read the calling thread's last failure (`None` after a success or before any call).
    pub(crate) fn read<R>(&self, f: impl FnOnce(Option<&ErrorDetail>) -> R) -> R {
        f(self.current().as_deref())
    }

    /// Lend from the calling thread's last failure: `f` may return pointers into the record,
    /// which stay valid until the thread's next call on this client (or the client is freed)
    /// even if the map evicts the record meanwhile.
    pub(crate) fn lend<R>(&self, f: impl FnOnce(Option<&ErrorDetail>) -> R) -> R {
        let key = self.key();
        // No record (a success, or evicted): what was lent earlier stays lent until the next
        // call, as documented.
        let Some(record) = self.current() else {
            return f(None);
        };
        let value = f(Some(&record));
        let kept = LENT.try_with(|lent| {
            let mut lent = lent.borrow_mut();
            lent.retain(|(k, _)| *k != key);
            lent.push((key, Arc::clone(&record)));
        });
        if kept.is_err() {
            // Called while this thread's locals are being destroyed: keep the record for good
            // (a few hundred bytes, once per such call) rather than lend a pointer that might
            // dangle.
            std::mem::forget(record);
        }
        value
    }
}

impl Drop for LastErrors {
    /// The client is freed: the freeing thread's borrowed strings go with it (other threads'
    /// go at their next borrow or call on a client at this address, or when they exit).
    fn drop(&mut self) {
        self.release_lent();
    }
}

unsafe fn detail<'a>(error: *const docspace_error) -> Option<&'a ErrorDetail> {
    handle_opt::<docspace_error>(error)
}

/// The result code of the failure. `DOCSPACE_RESULT_NULL_PARAMETER` for a NULL `error`.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_error_result(error: *const docspace_error) -> docspace_result {
    ffi_boundary! {
        unsafe { detail(error) }.map_or(docspace_result::NullParameter, |d| d.result)
    }
}

/// What happened and what to do next, in plain English; never contains a password, token,
/// secret or code. Includes the HTTP status and the portal's message when there were some,
/// e.g. `"the portal rejected the user name or password (HTTP 401: User authentication
/// failed)"`. Borrowed: valid until `docspace_error_free(error)`; do not free it. NULL for a
/// NULL `error`.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_error_message(error: *const docspace_error) -> *const c_char {
    ffi_boundary! {
        unsafe { detail(error) }.map_or(ptr::null(), |d| d.message.as_ptr())
    }
}

/// The HTTP status of the portal's answer, or 0 when there was none (transport and argument
/// errors) or `error` is NULL.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_error_status(error: *const docspace_error) -> u16 {
    ffi_boundary! {
        unsafe { detail(error) }.map_or(0, |d| d.status)
    }
}

/// The portal's own `error.message` (e.g. `"User authentication failed"`), cleaned of
/// control characters and at most 512 characters; NULL when the answer carried none or
/// `error` is NULL. Borrowed: valid until `docspace_error_free(error)`.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_error_server_message(error: *const docspace_error) -> *const c_char {
    ffi_boundary! {
        unsafe { detail(error) }
            .and_then(|d| d.server_message.as_ref())
            .map_or(ptr::null(), |m| m.as_ptr())
    }
}

/// How many seconds the portal asked to wait before retrying (`Retry-After`, with
/// `DOCSPACE_RESULT_RATE_LIMITED`), or -1 when it did not say or `error` is NULL.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_error_retry_after(error: *const docspace_error) -> i64 {
    ffi_boundary! {
        unsafe { detail(error) }.map_or(-1, |d| d.retry_after)
    }
}

/// Free an error from `error_out`. NULL is a no-op; do not free the same error twice. The
/// strings borrowed from it become invalid.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_error_free(error: *mut docspace_error) {
    ffi_boundary! {
        unsafe { free_handle(error) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::time::Duration;

    #[test]
    fn details_come_from_core_errors() {
        let core = crate::Error::new(crate::ErrorKind::RateLimited, "slow down")
            .with_status(429)
            .with_server_message("Too many\nrequests")
            .with_retry_after(Duration::from_secs(42));
        let mut out: *mut docspace_error = ptr::null_mut();
        let result = with_error_out(&mut out, || Err(core.into()));
        assert_eq!(result, docspace_result::RateLimited);
        assert!(!out.is_null());
        assert_eq!(docspace_error_result(out), docspace_result::RateLimited);
        assert_eq!(docspace_error_status(out), 429);
        assert_eq!(docspace_error_retry_after(out), 42);
        let server = unsafe { CStr::from_ptr(docspace_error_server_message(out)) };
        assert_eq!(server.to_str().unwrap(), "Too many requests");
        let message = unsafe { CStr::from_ptr(docspace_error_message(out)) }.to_str().unwrap();
        assert!(message.starts_with("slow down"), "{message}");
        docspace_error_free(out);

        assert_eq!(docspace_error_result(ptr::null()), docspace_result::NullParameter);
        assert!(docspace_error_message(ptr::null()).is_null());
        assert_eq!(docspace_error_retry_after(ptr::null()), -1);
        docspace_error_free(ptr::null_mut());
    }

    #[test]
    fn panics_reach_error_out() {
        let mut out: *mut docspace_error = ptr::null_mut();
        let result = with_error_out(&mut out, || {
            if std::hint::black_box(true) {
                panic!("deliberate test panic");
            }
            Ok(())
        });
        assert_eq!(result, docspace_result::Panic);
        assert_eq!(docspace_error_result(out), docspace_result::Panic);
        docspace_error_free(out);
    }

    #[test]
    fn null_parameters_are_named() {
        let mut out: *mut docspace_error = ptr::null_mut();
        let result = with_error_out(&mut out, || Err(FfiError::NullParameter("client_out")));
        assert_eq!(result, docspace_result::NullParameter);
        let message = unsafe { CStr::from_ptr(docspace_error_message(out)) }.to_str().unwrap();
        assert!(message.contains("client_out"));
        assert_eq!(docspace_error_status(out), 0);
        assert!(docspace_error_server_message(out).is_null());
        docspace_error_free(out);
    }

    #[test]
    fn last_errors_are_per_thread() {
        let store = LastErrors::default();
        store.set(ErrorDetail::from_error(FfiError::invalid("main")));
        std::thread::scope(|s| {
            s.spawn(|| {
                assert!(store.read(|d| d.is_none()));
                store.set(ErrorDetail::from_error(FfiError::Panic));
                assert_eq!(store.read(|d| d.unwrap().result), docspace_result::Panic);
            });
        });
        assert_eq!(store.read(|d| d.unwrap().result), docspace_result::InvalidArgument);
        store.clear();
        assert!(store.read(|d| d.is_none()));
    }

    #[test]
    fn last_errors_are_bounded_and_lent_strings_survive_eviction() {
        let store = LastErrors::default();
        store.set(ErrorDetail::from_error(FfiError::invalid("the main thread's failure")));
        let lent = store.lend(|d| d.unwrap().message.as_ptr());
        // More failing threads than the store keeps: it stays bounded, evicting others.
        for i in 0..MAX_LAST_ERRORS + 10 {
            std::thread::scope(|s| {
                s.spawn(|| store.set(ErrorDetail::from_error(FfiError::invalid(format!("thread {i}")))));
            });
        }
        assert_eq!(store.with(|records| records.by_thread.len()), MAX_LAST_ERRORS);
        assert!(store.read(|d| d.is_none()), "the main thread's record, the oldest, was evicted");
        // The string lent before the eviction is still readable until this thread's next call.
        assert!(store.lend(|d| d.is_none()), "reading again finds no record...");
        let message = unsafe { std::ffi::CStr::from_ptr(lent) }.to_str().unwrap();
        assert_eq!(message, "the main thread's failure", "...but the string lent before stays valid");
        store.clear();
        assert!(LENT.with(|lent| lent.borrow().is_empty()), "a call releases what was lent");

        // A thread that succeeds leaves nothing behind.
        std::thread::scope(|s| {
            s.spawn(|| {
                store.set(ErrorDetail::from_error(FfiError::Panic));
                store.clear();
            });
        });
        assert_eq!(store.with(|records| records.by_thread.len()), MAX_LAST_ERRORS - 1);
    }
}
