//! `docspace-emulator`: runs the emulator until killed (SIGTERM/SIGINT).
//!
//! The first stdout line is `docspace-emulator listening on <url>`; one line per seeded user
//! follows (`user email=… password=… kind=… id=… [totp_secret=…] api_key=…`).

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use docspace_emulator::{Config, Emulator, TlsConfig};

const USAGE: &str =
    "usage: docspace-emulator [--port N] [--host IP] [--tls-cert PEM_FILE --tls-key PEM_FILE] [--machine-key HEX]

  --port N           TCP port (default 0: any free port)
  --host IP          address to listen on (default 127.0.0.1)
  --tls-cert FILE    serve HTTPS with this PEM certificate chain (needs --tls-key);
                     the printed URL is then https://localhost:PORT
  --tls-key FILE     PEM private key for --tls-cert
  --machine-key HEX  portal machine key (default: random); fixes TOTP secrets and confirm keys";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("docspace-emulator: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let config = parse_args(std::env::args().skip(1))?;
    let emulator = Emulator::start(config).map_err(|e| format!("cannot start: {e}"))?;
    let mut out = std::io::stdout().lock();
    let print = |out: &mut std::io::StdoutLock, line: String| {
        writeln!(out, "{line}").and_then(|()| out.flush()).map_err(|e| format!("stdout: {e}"))
    };
    // Scripts wait for this exact first line.
    print(&mut out, format!("docspace-emulator listening on {}", emulator.url()))?;
    for user in emulator.users() {
        let secret = user.totp_secret.map(|s| format!(" totp_secret={s}")).unwrap_or_default();
        print(
            &mut out,
            format!(
                "user email={} password={} kind={} id={}{secret} api_key={}",
                user.email, user.password, user.kind, user.id, user.api_key
            ),
        )?;
    }
    drop(out);
    // Serve until a signal's default action ends the process.
    loop {
        std::thread::park();
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config::default();
    let (mut cert, mut key) = (None, None);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--port" => config.port = value.parse().map_err(|_| format!("bad --port {value:?}"))?,
            "--host" => {
                config.host = value.parse::<IpAddr>().map_err(|_| format!("bad --host {value:?} (an IP address)"))?
            }
            "--tls-cert" => cert = Some(read(&value)?),
            "--tls-key" => key = Some(read(&value)?),
            "--machine-key" => {
                config.machine_key =
                    Some(parse_hex(&value).ok_or_else(|| format!("bad --machine-key {value:?} (hex)"))?)
            }
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    config.tls = match (cert, key) {
        (Some(cert_chain_pem), Some(private_key_pem)) => Some(TlsConfig { cert_chain_pem, private_key_pem }),
        (None, None) => None,
        _ => return Err("--tls-cert and --tls-key go together".to_owned()),
    };
    Ok(config)
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn parse_hex(s: &str) -> Option<Vec<u8>> {
    if s.is_empty() || s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok())).collect()
}
