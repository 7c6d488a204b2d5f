//! Plumbing shared by every exported function: the panic boundary, argument checks (NULL,
//! UTF-8, enum ranges), output writers, the handle casts and the internal error type.
//!
//! Nothing here allocates unless an error message needs formatting: the NULL / UTF-8 /
//! buffer errors carry `&'static str`s, so hot paths such as `docspace_totp_generate` stay
//! allocation-free even when they fail.

use std::borrow::Cow;
use std::ffi::{c_char, CStr, CString};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};
use std::time::Duration;

use zeroize::Zeroize;

use super::result::{
    docspace_confirm_type, docspace_login_kind, docspace_result, docspace_tfa_method, docspace_totp_algorithm,
    result_for,
};

/// Run an exported function's body inside `catch_unwind`. On a panic the function returns
/// [`PanicDefault::on_panic`] for its return type: `DOCSPACE_RESULT_PANIC` for
/// `docspace_result`, NULL for pointers, 0 / false / -1 (retry-after "none") for plain values,
/// nothing for `void`. `return` inside the body returns from the function.
macro_rules! ffi_boundary {
    ($($body:tt)*) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| { $($body)* })) {
            Ok(value) => value,
            Err(_) => $crate::ffi::boundary::PanicDefault::on_panic(),
        }
    };
}

/// What an exported function returns when its body panicked.
pub(crate) trait PanicDefault {
    fn on_panic() -> Self;
}

impl PanicDefault for docspace_result {
    fn on_panic() -> Self {
        docspace_result::Panic
    }
}

impl<T> PanicDefault for *const T {
    fn on_panic() -> Self {
        ptr::null()
    }
}

impl<T> PanicDefault for *mut T {
    fn on_panic() -> Self {
        ptr::null_mut()
    }
}

impl PanicDefault for () {
    fn on_panic() -> Self {}
}

impl PanicDefault for bool {
    fn on_panic() -> Self {
        false
    }
}

impl PanicDefault for u16 {
    fn on_panic() -> Self {
        0
    }
}

impl PanicDefault for u32 {
    fn on_panic() -> Self {
        0
    }
}

impl PanicDefault for usize {
    fn on_panic() -> Self {
        0
    }
}

impl PanicDefault for docspace_login_kind {
    fn on_panic() -> Self {
        docspace_login_kind::Invalid
    }
}

impl PanicDefault for docspace_confirm_type {
    fn on_panic() -> Self {
        docspace_confirm_type::Invalid
    }
}

impl PanicDefault for docspace_totp_algorithm {
    fn on_panic() -> Self {
        docspace_totp_algorithm::Invalid
    }
}

impl PanicDefault for docspace_tfa_method {
    fn on_panic() -> Self {
        docspace_tfa_method::None
    }
}

/// Only the retry-after accessors return `i64`; -1 is their "none".
impl PanicDefault for i64 {
    fn on_panic() -> Self {
        -1
    }
}

/// A failure inside the C ABI, before it becomes a `docspace_result` (and, for calls with
/// `error_out` or a client handle, a `docspace_error`). Messages never contain an argument's
/// value: only its name.
#[derive(Debug)]
pub(crate) enum FfiError {
    /// A required pointer argument is NULL; the parameter's name.
    NullParameter(&'static str),
    /// A string argument is not UTF-8; the parameter's name.
    NotUtf8(&'static str),
    /// A caller buffer cannot hold the output; the parameter's name.
    BufferTooSmall(&'static str),
    /// `DOCSPACE_RESULT_INVALID_ARGUMENT` with a plain-words message.
    Invalid(Cow<'static, str>),
    /// A value of the portal's could not be handed to C (interior NUL).
    Unexpected(Cow<'static, str>),
    /// The body panicked.
    Panic,
    /// An error of the core library.
    Core(crate::Error),
}

pub(crate) type FfiResult<T> = Result<T, FfiError>;

impl FfiError {
    pub(crate) fn invalid(message: impl Into<Cow<'static, str>>) -> FfiError {
        FfiError::Invalid(message.into())
    }

    /// The code returned to C.
    pub(crate) fn result(&self) -> docspace_result {
        match self {
            FfiError::NullParameter(_) => docspace_result::NullParameter,
            FfiError::NotUtf8(_) | FfiError::Invalid(_) => docspace_result::InvalidArgument,
            FfiError::BufferTooSmall(_) => docspace_result::BufferTooSmall,
            FfiError::Unexpected(_) => docspace_result::UnexpectedResponse,
            FfiError::Panic => docspace_result::Panic,
            FfiError::Core(error) => result_for(error.kind()),
        }
    }

    /// The message, status, server message and retry delay for a `docspace_error`.
    pub(crate) fn into_parts(self) -> ErrorParts {
        let result = self.result();
        let message = match self {
            FfiError::NullParameter(name) => format!("the `{name}` argument is NULL"),
            FfiError::NotUtf8(name) => format!("the `{name}` argument is not valid UTF-8"),
            FfiError::BufferTooSmall(name) => format!("the `{name}` buffer is too small"),
            FfiError::Invalid(message) | FfiError::Unexpected(message) => message.into_owned(),
            FfiError::Panic => "internal error: the library panicked (a bug; please report it)".to_owned(),
            FfiError::Core(error) => {
                return ErrorParts {
                    result,
                    message: error.to_string(),
                    status: error.status(),
                    server_message: error.server_message().map(str::to_owned),
                    retry_after: error.retry_after(),
                }
            }
        };
        ErrorParts { result, message, status: None, server_message: None, retry_after: None }
    }
}

impl From<crate::Error> for FfiError {
    fn from(error: crate::Error) -> Self {
        FfiError::Core(error)
    }
}

/// The pieces of a detailed error, before they become C strings.
pub(crate) struct ErrorParts {
    pub result: docspace_result,
    pub message: String,
    pub status: Option<u16>,
    pub server_message: Option<String>,
    pub retry_after: Option<Duration>,
}

/// Run a body returning `FfiResult<()>` and turn it into a `docspace_result` (for functions
/// without `error_out`: the detail is dropped).
pub(crate) fn result_of(body: impl FnOnce() -> FfiResult<()>) -> docspace_result {
    match body() {
        Ok(()) => docspace_result::Ok,
        Err(error) => error.result(),
    }
}

// ---- handles --------------------------------------------------------------------------------

/// Links an opaque C handle type (a zero-sized struct the header only declares) to the Rust
/// value behind it. Every cast between the two goes through the functions below, so a handle
/// can only ever be read or freed as the type it was created as.
pub(crate) trait Handle {
    type Inner;
}

/// Box `inner` and hand it out as a handle; the caller frees it with the type's `_free`.
pub(crate) fn new_handle<H: Handle>(inner: H::Inner) -> *mut H {
    Box::into_raw(Box::new(inner)).cast()
}

/// Borrow the value behind a handle argument; NULL gives `NullParameter(name)`.
///
/// # Safety
/// `ptr` is NULL or a live handle of type `H` created by [`new_handle`].
pub(crate) unsafe fn handle_ref<'a, H: Handle>(ptr: *const H, name: &'static str) -> FfiResult<&'a H::Inner> {
    ptr.cast::<H::Inner>().as_ref().ok_or(FfiError::NullParameter(name))
}

/// Mutable access to the value behind a handle argument (builders only).
///
/// # Safety
/// As [`handle_ref`], and no other reference to the value is alive.
pub(crate) unsafe fn handle_mut<'a, H: Handle>(ptr: *mut H, name: &'static str) -> FfiResult<&'a mut H::Inner> {
    ptr.cast::<H::Inner>().as_mut().ok_or(FfiError::NullParameter(name))
}

/// Borrow the value behind a handle for accessors that have no result code (NULL -> `None`).
///
/// # Safety
/// As [`handle_ref`].
pub(crate) unsafe fn handle_opt<'a, H: Handle>(ptr: *const H) -> Option<&'a H::Inner> {
    ptr.cast::<H::Inner>().as_ref()
}

/// Drop the value behind a handle; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or a handle of type `H` from [`new_handle`] that is not used afterwards.
pub(crate) unsafe fn free_handle<H: Handle>(ptr: *mut H) {
    if !ptr.is_null() {
        drop(Box::from_raw(ptr.cast::<H::Inner>()));
    }
}

// ---- inputs ---------------------------------------------------------------------------------

/// A required NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn arg_str<'a>(ptr: *const c_char, name: &'static str) -> FfiResult<&'a str> {
    if ptr.is_null() {
        return Err(FfiError::NullParameter(name));
    }
    CStr::from_ptr(ptr).to_str().map_err(|_| FfiError::NotUtf8(name))
}

/// An optional string argument: NULL is `None`.
///
/// # Safety
/// As [`arg_str`].
pub(crate) unsafe fn arg_opt_str<'a>(ptr: *const c_char, name: &'static str) -> FfiResult<Option<&'a str>> {
    if ptr.is_null() {
        Ok(None)
    } else {
        arg_str(ptr, name).map(Some)
    }
}

/// An array of `len` strings. NULL with `len == 0` is an empty list; NULL with `len > 0`, or a
/// NULL element, is `NullParameter(name)`.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable `const char *`, each NULL or a string.
pub(crate) unsafe fn arg_str_array(
    ptr: *const *const c_char,
    len: usize,
    name: &'static str,
) -> FfiResult<Vec<String>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if ptr.is_null() {
        return Err(FfiError::NullParameter(name));
    }
    std::slice::from_raw_parts(ptr, len).iter().map(|&item| arg_str(item, name).map(str::to_owned)).collect()
}

/// A non-negative Unix time in seconds.
pub(crate) fn arg_unix_time(unix_time: i64) -> FfiResult<u64> {
    u64::try_from(unix_time).map_err(|_| FfiError::Invalid(Cow::Borrowed("the Unix time must not be negative")))
}

// ---- outputs --------------------------------------------------------------------------------

/// A checked, non-NULL output parameter. Take every output first (so NULLs are refused
/// before any work or network call), then [`Out::write`] them all once the call succeeded.
pub(crate) struct Out<'a, T> {
    ptr: NonNull<T>,
    _lifetime: PhantomData<&'a mut T>,
}

impl<T> Out<'_, T> {
    /// Check an output pointer.
    ///
    /// # Safety
    /// `ptr` is NULL or valid for a write of `T` (it need not be initialised).
    pub(crate) unsafe fn new(ptr: *mut T, name: &'static str) -> FfiResult<Self> {
        NonNull::new(ptr).map(|ptr| Out { ptr, _lifetime: PhantomData }).ok_or(FfiError::NullParameter(name))
    }

    /// An optional output: NULL means the caller does not want it.
    ///
    /// # Safety
    /// As [`Out::new`].
    pub(crate) unsafe fn optional(ptr: *mut T) -> Option<Self> {
        NonNull::new(ptr).map(|ptr| Out { ptr, _lifetime: PhantomData })
    }

    /// Store the value (the old contents are neither read nor dropped).
    pub(crate) fn write(self, value: T) {
        // SAFETY: checked non-NULL; the caller promised it is writable.
        unsafe { self.ptr.as_ptr().write(value) }
    }
}

/// A string for C: NUL-terminated, allocated here, freed by `docspace_string_free` (which
/// wipes it). The buffer is allocated once at its final size, so no reallocation leaves a
/// stray copy of a secret behind. Interior NULs (only possible in portal-supplied text) are
/// refused.
pub(crate) fn c_string(value: &str) -> FfiResult<*mut c_char> {
    if value.as_bytes().contains(&0) {
        return Err(FfiError::Unexpected(Cow::Borrowed("a text from the portal contains a NUL character")));
    }
    let mut bytes = Vec::with_capacity(value.len() + 1);
    bytes.extend_from_slice(value.as_bytes());
    bytes.push(0);
    match CString::from_vec_with_nul(bytes) {
        Ok(string) => Ok(string.into_raw()),
        Err(error) => {
            // Unreachable (checked above); wipe anyway.
            error.into_bytes().zeroize();
            Err(FfiError::Unexpected(Cow::Borrowed("a text contains a NUL character")))
        }
    }
}

/// [`c_string`] for optional text: `None` is NULL.
pub(crate) fn c_string_opt(value: Option<&str>) -> FfiResult<*mut c_char> {
    value.map_or(Ok(ptr::null_mut()), c_string)
}

/// A C string kept inside a handle and lent out (`const char *`); interior NULs become spaces.
pub(crate) fn owned_c_string(value: &str) -> CString {
    let bytes: Vec<u8> = value.bytes().map(|b| if b == 0 { b' ' } else { b }).collect();
    CString::new(bytes).unwrap_or_default()
}

/// Write a code and its NUL into a caller buffer of `len` bytes. Does not allocate.
///
/// # Safety
/// `buf` is NULL or valid for `len` bytes of writes.
pub(crate) unsafe fn write_to_buffer(text: &str, buf: *mut c_char, len: usize, name: &'static str) -> FfiResult<()> {
    if buf.is_null() {
        return Err(FfiError::NullParameter(name));
    }
    let bytes = text.as_bytes();
    if len <= bytes.len() {
        return Err(FfiError::BufferTooSmall(name));
    }
    ptr::copy_nonoverlapping(bytes.as_ptr(), buf.cast::<u8>(), bytes.len());
    *buf.add(bytes.len()) = 0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panicking() -> docspace_result {
        ffi_boundary! {
            if std::hint::black_box(true) {
                panic!("deliberate test panic");
            }
            docspace_result::Ok
        }
    }

    fn panicking_pointer() -> *const c_char {
        ffi_boundary! {
            if std::hint::black_box(true) {
                panic!("deliberate test panic");
            }
            c"x".as_ptr()
        }
    }

    #[test]
    fn a_panic_becomes_the_panic_result() {
        assert_eq!(panicking(), docspace_result::Panic);
        assert!(panicking_pointer().is_null());
    }

    #[test]
    fn strings_are_checked() {
        unsafe {
            assert!(matches!(arg_str(ptr::null(), "user"), Err(FfiError::NullParameter("user"))));
            let bad = [0xffu8, 0xfe, 0];
            assert!(matches!(arg_str(bad.as_ptr().cast(), "user"), Err(FfiError::NotUtf8("user"))));
            assert_eq!(arg_str(c"ann".as_ptr(), "user").unwrap(), "ann");
            assert_eq!(arg_opt_str(ptr::null(), "issuer").unwrap(), None);
            assert!(arg_str_array(ptr::null(), 0, "ips").unwrap().is_empty());
            assert!(matches!(arg_str_array(ptr::null(), 1, "ips"), Err(FfiError::NullParameter("ips"))));
        }
        assert!(c_string("a\0b").is_err());
        let s = c_string("abc").unwrap();
        super::super::strings::docspace_string_free(s);
    }

    #[test]
    fn buffers_are_checked() {
        let mut buf = [1 as c_char; 7];
        unsafe {
            assert!(matches!(
                write_to_buffer("123456", buf.as_mut_ptr(), 6, "code_out"),
                Err(FfiError::BufferTooSmall(_))
            ));
            assert_eq!(buf[0], 1, "nothing written on failure");
            write_to_buffer("123456", buf.as_mut_ptr(), 7, "code_out").unwrap();
            assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), "123456");
        }
    }
}
