//go:build docspace_static

package docspace

// -tags docspace_static: the repository's release static library (cargo build --release),
// named by path because -l would pick the .so next to it, plus the Rust standard library's
// system dependencies. The binary then needs nothing of docspace-auth at run time.

// #cgo LDFLAGS: ${SRCDIR}/../../target/release/libdocspace_auth.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
import "C"
