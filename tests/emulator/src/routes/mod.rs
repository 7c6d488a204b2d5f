//! The DocSpace routes: path matching (case-insensitive, as ASP.NET routing), method checks,
//! and turning a handler's result into the server's envelopes.

mod authentication;
mod security;
mod tfaapp;

use crate::auth::{self, Denied, Identity};
use crate::body::{BindError, Body};
use crate::clock::{Time, DOTNET_DEFAULT_DATE};
use crate::cookies::{self, AUTH_COOKIE};
use crate::envelope::{self, ApiError, Payload};
use crate::http::{Reply, Req};
use crate::state::State;

/// One request being handled, with the state locked.
pub(crate) struct Ctx<'a> {
    pub req: &'a Req,
    pub state: &'a mut State,
    pub now: Time,
    /// `Set-Cookie` values to send with a successful answer.
    pub set_cookies: Vec<String>,
}

impl Ctx<'_> {
    fn identity(&self) -> Option<Identity> {
        auth::identify(self.req, self.state, self.now)
    }

    /// The default scheme must have signed the request in (else 401, no body).
    fn require_identity(&self) -> Result<Identity, Failure> {
        self.identity().ok_or(Failure::Denied(Denied::Unauthorized))
    }

    fn body(&self, param: &str) -> Result<Body, Failure> {
        Ok(Body::bind(self.req, param)?)
    }

    fn secure(&self) -> bool {
        self.req.secure
    }

    /// Signs the user in: a new token and its `asc_auth_key` cookie (a browser-session cookie
    /// if `session`). Returns the token and the `expires` the token DTO carries.
    fn sign_in(&mut self, user_id: &str, session: bool) -> (String, String) {
        let token = self.state.issue_token(user_id, self.now);
        let cookie_expiry = (!session).then_some(token.expires);
        self.set_cookies.push(cookies::set_cookie(AUTH_COOKIE, &token.value, cookie_expiry, self.secure()));
        let expires = if session { DOTNET_DEFAULT_DATE.to_owned() } else { token.expires.iso8601() };
        (token.value, expires)
    }
}

/// Every way a request can fail.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A controller exception: the error envelope.
    Api(ApiError),
    /// The auth layer: 401/403 with no body.
    Denied(Denied),
    /// Model binding.
    Bind(BindError),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

impl From<BindError> for Failure {
    fn from(e: BindError) -> Self {
        Failure::Bind(e)
    }
}

type Handler = fn(&mut Ctx) -> Result<Payload, Failure>;

/// The routes of one path: (method, handler) pairs.
type Route = &'static [(&'static str, Handler)];

fn route(path: &str) -> Option<Route> {
    use authentication as a;
    use tfaapp as t;
    let route: Route = match path {
        "/api/2.0/authentication" => &[("GET", a::is_authenticated), ("POST", a::login)],
        "/api/2.0/authentication/logout" => &[("POST", a::logout)],
        "/api/2.0/authentication/sendsms" => &[("POST", a::send_sms)],
        "/api/2.0/authentication/confirm" => &[("POST", a::check_confirm)],
        // Literal route the real server has; not emulated, and it must not match `{code}`.
        "/api/2.0/authentication/setphone" => return None,
        "/api/2.0/settings/tfaapp" => &[("GET", t::get_policy), ("PUT", t::put_policy)],
        "/api/2.0/settings/tfaapp/confirm" => &[("GET", t::confirm_link)],
        "/api/2.0/settings/tfaapp/setup" => &[("GET", t::setup)],
        "/api/2.0/settings/tfaapp/validate" => &[("POST", t::validate)],
        "/api/2.0/settings/tfaappcodes" => &[("GET", t::backup_codes)],
        "/api/2.0/settings/tfaappnewcodes" => &[("PUT", t::new_backup_codes)],
        "/api/2.0/settings/tfaappnewapp" => &[("PUT", t::unlink_app)],
        "/api/2.0/settings/security/loginsettings" => &[
            ("GET", security::get_login_settings),
            ("PUT", security::put_login_settings),
            ("DELETE", security::reset_login_settings),
        ],
        _ => {
            let code = path.strip_prefix("/api/2.0/authentication/")?;
            if code.is_empty() || code.contains('/') {
                return None;
            }
            &[("POST", a::login_with_code)]
        }
    };
    Some(route)
}

/// Routes a DocSpace request: 404 (no body) for unknown paths, 405 (no body) for a known path
/// with another method.
pub(crate) fn dispatch(req: &Req, state: &mut State) -> Reply {
    let lower = req.path.to_ascii_lowercase();
    let path = match lower.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => lower.as_str(),
    };
    let Some(handlers) = route(path) else {
        return Reply::empty(404);
    };
    let Some((_, handler)) = handlers.iter().find(|(m, _)| *m == req.method) else {
        return Reply::empty(405);
    };
    let now = state.now();
    let mut ctx = Ctx { req, state, now, set_cookies: Vec::new() };
    let href = req.display_url();
    match handler(&mut ctx) {
        Ok(payload) => {
            Reply::json(200, envelope::success(&payload, &href, &req.method, 0, 200)).with_set_cookies(ctx.set_cookies)
        }
        // An exception discards the cookies the action had already appended.
        Err(Failure::Api(e)) => Reply::json(e.status, e.to_json()),
        Err(Failure::Denied(d)) => Reply::empty(d.status()),
        Err(Failure::Bind(BindError::Invalid(errors))) => {
            Reply::json(400, envelope::validation_problem(&errors, &href, &req.method))
        }
        Err(Failure::Bind(BindError::UnsupportedMediaType)) => {
            Reply::json(415, envelope::unsupported_media_type(&href, &req.method))
        }
    }
}
