-- wrk script for the server-ceiling check: the first request of the login-by-code flow.
wrk.method = "POST"
wrk.body = '{"userName":"bench@example.com","password":"bench-password-1","session":false}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
