//! Load: 8 threads × 2,000 flows against one in-process emulator, once sharing one `Client`
//! and once with a `Client` per thread. A flow is a password sign-in of a user without 2FA,
//! `is_authenticated` and `logout`; every 10th flow also does a full 2FA sign-in (linked
//! user, TOTP code) and reads the backup codes. Every thread has its own users, so the
//! portal's per-login lockout bookkeeping is not shared. Zero errors are allowed; the wall
//! time and flows/s are printed (not asserted).
//!
//! `DOCSPACE_AUTH_STRESS_FLOWS` overrides the flows per thread (e.g. for a quick local run).

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use docspace_auth::totp::Totp;
use docspace_auth::{Client, LoginOutcome};
use docspace_emulator::{Config, Emulator, SeedUser};

const THREADS: usize = 8;
const FLOWS_PER_THREAD: usize = 2_000;
const FULL_2FA_EVERY: usize = 10;

/// The two tests time themselves: run them one after the other, not side by side.
static SERIAL: Mutex<()> = Mutex::new(());

struct Worker {
    plain: SeedUser,
    linked: SeedUser,
    totp: Totp,
}

fn flows_per_thread() -> usize {
    std::env::var("DOCSPACE_AUTH_STRESS_FLOWS").ok().and_then(|v| v.parse().ok()).unwrap_or(FLOWS_PER_THREAD)
}

fn workers(emulator: &Emulator) -> Vec<Worker> {
    let control = emulator.control();
    (0..THREADS)
        .map(|i| {
            let plain = control
                .add_user(&format!("stress.plain{i}@example.com"), &format!("Stress#Plain-{i}"), "no_tfa")
                .unwrap();
            let linked = control
                .add_user(&format!("stress.linked{i}@example.com"), &format!("Stress#Linked-{i}"), "linked")
                .unwrap();
            let totp = Totp::new(linked.totp_secret.as_deref().unwrap()).unwrap();
            Worker { plain, linked, totp }
        })
        .collect()
}

/// One flow; `Err` describes the first thing that went wrong.
fn flow(client: &Client, worker: &Worker, index: usize) -> Result<(), String> {
    let session = match client.login(&worker.plain.email, &worker.plain.password).map_err(|e| format!("login: {e}"))? {
        LoginOutcome::Authenticated(session) => session,
        other => return Err(format!("login: expected a session, got {other:?}")),
    };
    if !client.is_authenticated(&session).map_err(|e| format!("is_authenticated: {e}"))? {
        return Err("is_authenticated: false for a fresh session".into());
    }
    client.logout(&session).map_err(|e| format!("logout: {e}"))?;

    if index % FULL_2FA_EVERY == 0 {
        match client.login(&worker.linked.email, &worker.linked.password).map_err(|e| format!("2FA login: {e}"))? {
            LoginOutcome::CodeRequired(_) => {}
            other => return Err(format!("2FA login: expected CodeRequired, got {other:?}")),
        }
        let code = worker.totp.code_now();
        let session = client
            .login_with_code(&worker.linked.email, &worker.linked.password, code.as_str())
            .map_err(|e| format!("login_with_code: {e}"))?;
        let codes = client.backup_codes(&session).map_err(|e| format!("backup_codes: {e}"))?;
        if codes.len() != 5 {
            return Err(format!("backup_codes: {} codes", codes.len()));
        }
        client.logout(&session).map_err(|e| format!("2FA logout: {e}"))?;
    }
    Ok(())
}

fn run(mode: &str, shared: bool) {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let emulator = Emulator::start(Config::default()).expect("emulator starts");
    let url = emulator.url().to_owned();
    let workers = workers(&emulator);
    let flows = flows_per_thread();
    let shared_client = Client::new(&url).unwrap();
    let errors = Arc::new(AtomicUsize::new(0));
    let first_errors = Arc::new(Mutex::new(Vec::new()));

    let started = Instant::now();
    std::thread::scope(|scope| {
        for worker in &workers {
            let client = if shared { shared_client.clone() } else { Client::new(&url).unwrap() };
            let (errors, first_errors) = (Arc::clone(&errors), Arc::clone(&first_errors));
            scope.spawn(move || {
                for index in 0..flows {
                    if let Err(error) = flow(&client, worker, index) {
                        errors.fetch_add(1, Ordering::Relaxed);
                        let mut first = first_errors.lock().unwrap();
                        if first.len() < 10 {
                            first.push(error);
                        }
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed();

    let total = THREADS * flows;
    let full = THREADS * flows.div_ceil(FULL_2FA_EVERY);
    let requests = total * 3 + full * 5;
    report(mode, total, full, requests, elapsed);
    let errors = errors.load(Ordering::Relaxed);
    assert_eq!(errors, 0, "{errors} flow(s) failed; first: {:#?}", first_errors.lock().unwrap());
    for worker in &workers {
        let state = emulator.control().user_state(&worker.plain.email).unwrap();
        assert_eq!(state.active_tokens, 0, "every session was logged out");
    }
}

/// Written straight to stderr so that it shows in a normal (captured) `cargo test` run.
fn report(mode: &str, flows: usize, full: usize, requests: usize, elapsed: Duration) {
    let seconds = elapsed.as_secs_f64();
    let line = format!(
        "stress [{mode}]: {THREADS} threads, {flows} flows ({full} with full 2FA), {requests} requests in {seconds:.2} s: \
         {:.0} flows/s, {:.0} requests/s\n",
        flows as f64 / seconds,
        requests as f64 / seconds
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

#[test]
fn eight_threads_share_one_client() {
    run("one shared Client", true);
}

#[test]
fn eight_threads_with_a_client_each() {
    run("one Client per thread", false);
}
