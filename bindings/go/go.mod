module github.com/docspace-auth/docspace-auth/bindings/go

go 1.24
