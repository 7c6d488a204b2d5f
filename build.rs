//! Generates `include/docspace_auth.h` from the C ABI in `src/ffi/` with cbindgen.
//!
//! The header is written to `OUT_DIR` and copied to `include/` only when its content changed,
//! so unchanged builds do not touch the committed file (CI checks `git diff --exit-code
//! include/`). A parse failure (a syntax error in the crate) is reported as a warning and the
//! script returns, so that rustc shows the real error.

use std::env;
use std::fs;
use std::path::PathBuf;

const HEADER: &str = "include/docspace_auth.h";

fn main() {
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=cbindgen.toml");
    println!("cargo::rerun-if-changed=build.rs");
    // Regenerate a deleted or hand-edited header too.
    println!("cargo::rerun-if-changed={HEADER}");
    set_soname();

    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    let mut config = match cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")) {
        Ok(config) => config,
        Err(error) => {
            println!("cargo::warning=cbindgen.toml could not be read, header not regenerated: {error}");
            return;
        }
    };
    let version_macros = version_macros();
    config.after_includes = Some(match config.after_includes.take() {
        Some(existing) if !existing.trim().is_empty() => format!("{version_macros}\n{existing}"),
        _ => version_macros,
    });

    // Parse the ffi module tree alone: only the C ABI lands in the header, and no `cargo
    // metadata` run is needed inside the build.
    let bindings =
        match cbindgen::Builder::new().with_config(config).with_src(crate_dir.join("src/ffi/mod.rs")).generate() {
            Ok(bindings) => bindings,
            Err(error) => {
                println!("cargo::warning=cbindgen could not parse src/ffi (header not regenerated): {error}");
                return;
            }
        };

    let generated = out_dir.join("docspace_auth.h");
    bindings.write_to_file(&generated);
    let new = fs::read(&generated).expect("the header was just written");
    let target = crate_dir.join(HEADER);
    if fs::read(&target).ok().as_deref() != Some(new.as_slice()) {
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).expect("create include/");
        }
        // Write beside it and rename, so a concurrent build never reads a half-written header.
        let temp = target.with_extension(format!("h.tmp{}", std::process::id()));
        fs::write(&temp, &new).expect("write include/docspace_auth.h");
        fs::rename(&temp, &target).expect("replace include/docspace_auth.h");
    }
}

/// Give the shared library an ELF SONAME, so that programs linked against it by path record
/// `libdocspace_auth.so` (found through their rpath or the loader's search path) rather than
/// the absolute path of the build tree. Unversioned while the ABI is 0.x (docs/c-api.md:
/// "ABI policy"). Only for ELF targets: Mach-O and PE have their own mechanisms.
fn set_soname() {
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "solaris" | "illumos"
    );
    if elf {
        println!("cargo::rustc-cdylib-link-arg=-Wl,-soname,libdocspace_auth.so");
    }
}

/// `DOCSPACE_VERSION_*` macros from `CARGO_PKG_VERSION` (libcurl / liboath style).
fn version_macros() -> String {
    let number =
        |name: &str| -> u32 { env::var(name).ok().and_then(|v| v.parse().ok()).expect("cargo sets the version parts") };
    let (major, minor, patch) =
        (number("CARGO_PKG_VERSION_MAJOR"), number("CARGO_PKG_VERSION_MINOR"), number("CARGO_PKG_VERSION_PATCH"));
    assert!(major <= 0xff && minor <= 0xff && patch <= 0xff, "version parts must fit in one byte each");
    let version = env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    format!(
        "// The version of this header (compare with docspace_version() at run time).\n\
         #define DOCSPACE_VERSION_MAJOR {major}\n\
         #define DOCSPACE_VERSION_MINOR {minor}\n\
         #define DOCSPACE_VERSION_PATCH {patch}\n\
         #define DOCSPACE_VERSION_STRING \"{version}\"\n\
         // 0xXXYYZZ: major, minor, patch, one byte each.\n\
         #define DOCSPACE_VERSION_NUMBER 0x{major:02x}{minor:02x}{patch:02x}\n\
         // True when this header is version x.y.z or newer.\n\
         #define DOCSPACE_AT_LEAST_VERSION(x, y, z) \\\n    \
         (DOCSPACE_VERSION_NUMBER >= (((x) << 16) | ((y) << 8) | (z)))\n"
    )
}
