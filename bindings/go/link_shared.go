//go:build !docspace_static

package docspace

// Default: the repository's debug shared library, found at run time through the rpath.
// CGO_LDFLAGS (its -L and -Wl,-rpath come first and win) points at another build, e.g.
// CGO_LDFLAGS="-L/opt/docspace/lib -Wl,-rpath,/opt/docspace/lib".

// #cgo LDFLAGS: -L${SRCDIR}/../../target/debug -ldocspace_auth -Wl,-rpath,${SRCDIR}/../../target/debug
import "C"
