//! The thread-safety rule (`Client` is `Send + Sync`; share it or make one per thread),
//! checked at compile time and with real concurrent flows over HTTP.

mod common;

use std::sync::Arc;
use std::thread;

use common::{totp_now, Portal};
use docspace_auth::totp::{OtpauthUri, Totp};
use docspace_auth::{AppSetup, BackupCode, Challenge, Client, Error, LoginOutcome, Session};

const THREADS: usize = 8;
const FLOWS_PER_THREAD: usize = 25;

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Session>();
    assert_send_sync::<Challenge>();
    assert_send_sync::<LoginOutcome>();
    assert_send_sync::<AppSetup>();
    assert_send_sync::<BackupCode>();
    assert_send_sync::<Error>();
    assert_send_sync::<Totp>();
    assert_send_sync::<OtpauthUri>();
}

/// One 2FA sign-in, a backup-code read and a sign-out.
fn full_flow(client: &Client, portal: &Portal) {
    let user = portal.user("linked");
    let LoginOutcome::CodeRequired(_) = client.login(&user.email, &user.password).unwrap() else {
        panic!("expected CodeRequired");
    };
    let session = client.login_with_code(&user.email, &user.password, &totp_now(&user)).unwrap();
    assert_eq!(client.backup_codes(&session).unwrap().len(), 5);
    client.logout(&session).unwrap();
    assert!(!client.is_authenticated(&session).unwrap());
}

#[test]
fn one_client_shared_by_many_threads() {
    let portal = Arc::new(Portal::start());
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let portal = Arc::clone(&portal);
            thread::spawn(move || (0..FLOWS_PER_THREAD).for_each(|_| full_flow(&portal.client, &portal)))
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().expect("no flow failed"));
}

#[test]
fn one_client_per_thread() {
    let portal = Arc::new(Portal::start());
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let portal = Arc::clone(&portal);
            thread::spawn(move || {
                let client = Client::new(portal.emulator.url()).unwrap();
                (0..FLOWS_PER_THREAD).for_each(|_| full_flow(&client, &portal));
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().expect("no flow failed"));
}
