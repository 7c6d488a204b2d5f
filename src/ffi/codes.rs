//! `docspace_codes`: a list of backup codes.

use std::ffi::c_char;

use super::boundary::{c_string, free_handle, handle_opt, handle_ref, result_of, FfiError, Handle, Out};
use super::result::docspace_result;
use crate::model::BackupCode;

/// The user's backup codes (single-use, 6 case-sensitive characters each), spent ones
/// included, from `docspace_client_backup_codes()` or
/// `docspace_client_regenerate_backup_codes()`. Free with `docspace_codes_free()` (the codes
/// are wiped). Immutable: safe to read from several threads. Corresponds to a `Box` of a
/// `Vec<docspace_auth::BackupCode>`.
pub struct docspace_codes {
    _private: [u8; 0],
}

impl Handle for docspace_codes {
    type Inner = Vec<BackupCode>;
}

/// How many codes the list holds (used ones included); 0 for NULL.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_codes_count(codes: *const docspace_codes) -> usize {
    ffi_boundary! {
        unsafe { handle_opt::<docspace_codes>(codes) }.map_or(0, Vec::len)
    }
}

/// How many codes are still unused; 0 for NULL.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_codes_unused_count(codes: *const docspace_codes) -> usize {
    ffi_boundary! {
        unsafe { handle_opt::<docspace_codes>(codes) }.map_or(0, |c| c.iter().filter(|c| !c.used).count())
    }
}

/// Code number `index` (0-based, below `docspace_codes_count()`). On success `*code_out` is
/// a new string (free with `docspace_string_free()`, which wipes it: codes are secrets) and
/// `*used_out` says whether the code was already spent. Returns OK, NULL_PARAMETER, or
/// INVALID_ARGUMENT for an index out of range.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_codes_get(
    codes: *const docspace_codes,
    index: usize,
    code_out: *mut *mut c_char,
    used_out: *mut bool,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let codes = unsafe { handle_ref::<docspace_codes>(codes, "codes") }?;
            let code = unsafe { Out::new(code_out, "code_out") }?;
            let used = unsafe { Out::new(used_out, "used_out") }?;
            let entry = codes.get(index).ok_or_else(|| FfiError::invalid("the backup code index is out of range"))?;
            code.write(c_string(entry.code.expose())?);
            used.write(entry.used);
            Ok(())
        })
    }
}

/// Free a code list (the codes are wiped). NULL is a no-op; do not free twice.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_codes_free(codes: *mut docspace_codes) {
    ffi_boundary! {
        unsafe { free_handle(codes) }
    }
}
