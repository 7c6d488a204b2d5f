//! Strings handed to C, and the library version.

use std::ffi::{c_char, CStr, CString};

use zeroize::Zeroize;

/// `CARGO_PKG_VERSION` with its NUL, checked at compile time.
const VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(version) => version,
    Err(_) => panic!("the package version contains a NUL"),
};

/// Free a string the library returned through a `char **..._out` parameter (tokens, secrets,
/// codes, URIs, ids). The bytes are overwritten with zeros before the memory is released,
/// because many of these strings are secrets. This is the only correct way to free them: not
/// `free()`. NULL is a no-op; do not free the same string twice. Thread-safe.
///
/// Strings returned as `const char *` (messages, names, the version, the base URL) are
/// borrowed and must not be passed here.
#[no_mangle]
pub extern "C" fn docspace_string_free(s: *mut c_char) {
    ffi_boundary! {
        if !s.is_null() {
            // SAFETY: `s` came from `CString::into_raw` in `boundary::c_string` and is freed once.
            let string = unsafe { CString::from_raw(s) };
            string.into_bytes_with_nul().zeroize();
        }
    }
}

/// The library version, e.g. `"0.1.0"` (the same text as `DOCSPACE_VERSION_STRING` in the
/// header this program was compiled against; compare them to detect a mismatched library).
/// Static: do not free it. Thread-safe.
/// Never NULL.
#[no_mangle]
pub extern "C" fn docspace_version() -> *const c_char {
    ffi_boundary! {
        VERSION.as_ptr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_matches_the_package() {
        let version = unsafe { CStr::from_ptr(docspace_version()) };
        assert_eq!(version.to_str().unwrap(), crate::VERSION);
    }

    #[test]
    fn free_accepts_null() {
        docspace_string_free(std::ptr::null_mut());
    }
}
