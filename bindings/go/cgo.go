package docspace

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #include <stdlib.h>
// #include "docspace_auth.h"
import "C"

import (
	"math"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// handle owns one C object for the Go value that contains it. Calls use the pointer under
// the read lock, so they run concurrently; close takes the write lock, so it waits for them
// and frees the object exactly once. A cleanup frees it if the Go value is collected first.
// P is the C pointer type (*C.docspace_session, …): cgo's incomplete struct types cannot be
// type arguments themselves.
type handle[P comparable] struct {
	mu      sync.RWMutex
	ptr     P
	free    func(P)
	cleanup runtime.Cleanup
	what    string
}

// own makes h, a field of *owner, the owner of ptr; what names the value in errors.
func own[O any, P comparable](owner *O, h *handle[P], what string, ptr P, free func(P)) {
	h.ptr, h.free, h.what = ptr, free, what
	h.cleanup = runtime.AddCleanup(owner, free, ptr)
}

// use runs f with the C pointer, which stays valid until f returns.
func (h *handle[P]) use(f func(P) error) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var null P
	if h.ptr == null {
		return argumentError("the " + h.what + " is closed")
	}
	return f(h.ptr)
}

// close frees the C object; later calls fail, closing again does nothing.
func (h *handle[P]) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	var null P
	if h.ptr != null {
		h.cleanup.Stop()
		h.free(h.ptr)
		h.ptr = null
	}
}

// cArgs holds the C copies of one call's string arguments. free wipes and releases them,
// so passwords and codes do not linger in C memory.
type cArgs struct {
	strs []*C.char
	lens []int
	err  error
}

// str returns a C copy of s. A NUL byte (which C would silently cut at) makes err set and
// the result nil; check err before the call.
func (a *cArgs) str(s string) *C.char {
	if strings.IndexByte(s, 0) >= 0 {
		if a.err == nil {
			a.err = argumentError("a string argument contains a NUL byte")
		}
		return nil
	}
	p := C.CString(s)
	a.strs, a.lens = append(a.strs, p), append(a.lens, len(s))
	return p
}

// optStr is str, but NULL for "".
func (a *cArgs) optStr(s string) *C.char {
	if s == "" {
		return nil
	}
	return a.str(s)
}

// list returns a C array of C copies of ss (nil when empty). The array itself is Go
// memory holding only C pointers, which cgo allows passing.
func (a *cArgs) list(ss []string) (**C.char, C.size_t) {
	if len(ss) == 0 {
		return nil, 0
	}
	ptrs := make([]*C.char, len(ss))
	for i, s := range ss {
		ptrs[i] = a.str(s)
	}
	return &ptrs[0], C.size_t(len(ptrs))
}

// free wipes and releases the copies.
func (a *cArgs) free() {
	for i, p := range a.strs {
		clear(unsafe.Slice((*byte)(unsafe.Pointer(p)), a.lens[i]))
		C.free(unsafe.Pointer(p))
	}
	a.strs, a.lens = nil, nil
}

// cUint32 converts n for a uint32_t parameter. A value outside the C type's range goes in
// as its maximum, which the library refuses as out of range, where a plain conversion
// would wrap around to a value it might accept.
func cUint32(n int64) C.uint32_t {
	if n < 0 || n > math.MaxUint32 {
		return math.MaxUint32
	}
	return C.uint32_t(n)
}

// takeString copies a library-allocated string (NULL reads as "") and frees it at once.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	defer C.docspace_string_free(p)
	return C.GoString(p)
}

// strReader copies strings out of a handle's accessors, keeping the first error; after
// one, it stops calling accessors.
type strReader struct {
	err error
}

// str runs an accessor that writes a library-allocated string (NULL reads as "") and
// takes it.
func (r *strReader) str(get func(out **C.char) C.docspace_result) string {
	if r.err != nil {
		return ""
	}
	var p *C.char
	if r.err = check(get(&p), nil); r.err != nil {
		return ""
	}
	return takeString(p)
}
