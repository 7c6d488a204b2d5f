module docspace-auth/bench/clients/go

go 1.24

require (
	github.com/docspace-auth/docspace-auth/bindings/go v0.0.0
	github.com/pquerna/otp v1.5.0
)

require github.com/boombuler/barcode v1.0.1-0.20190219062509-6c824513bacc // indirect

replace github.com/docspace-auth/docspace-auth/bindings/go => ../../../bindings/go
