// The three seed flows of docspace-auth, from C++: sign in by code, link an authenticator
// app, read and regenerate backup codes. Secrets are masked in the output.
//
//   seed_flows <emulator-url>
//       against a fresh docspace-emulator (its seeded accounts), e.g.
//       tests/c/with-emulator.sh build/cpp/seed_flows
//
//   DOCSPACE_EMULATOR=target/debug/docspace-emulator seed_flows
//       the same, starting that emulator itself (`make demo` does this)
//
//   DOCSPACE_URL=https://portal.example.com DOCSPACE_USER=… DOCSPACE_PASSWORD=…
//   [DOCSPACE_TOTP_SECRET=…] [DOCSPACE_REGENERATE_CODES=1] seed_flows
//       against a real portal, with your account: signs in (with a code from
//       DOCSPACE_TOTP_SECRET when the account has an app linked, or linking the app when the
//       portal's key equals DOCSPACE_TOTP_SECRET, i.e. you already added that key to your
//       authenticator), lists the backup codes, and regenerates them only with
//       DOCSPACE_REGENERATE_CODES=1 (the old codes stop working), then signs out.
#include <docspace_auth.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace {

/// An account to run the flows with.
struct Account {
    std::string email;
    std::string password;
    /// The base32 TOTP secret of the account's authenticator, when known.
    std::optional<std::string> totp_secret;
    /// Link an app with whatever key the portal sends (test accounts only: nobody keeps it).
    bool link_any_key = false;
};

/// The emulator's seeded accounts (tests/emulator/src/seed.rs; fixed across runs).
const Account kLinkedUser{"linked@example.com", "Linked#Pass-2026", std::string("LJVTCTSWGJYEOYSV"), false};
const Account kSetupUser{"setup@example.com", "Setup#Pass-2026", std::nullopt, true};

/// A secret as safe to print: stars, and the length of long ones (tokens, keys).
std::string mask(const std::string& secret) {
    if (secret.size() > 8) {
        return "******** (" + std::to_string(secret.size()) + " chars)";
    }
    return std::string(secret.size(), '*');
}

/// The value of environment variable @p name, if set and not empty.
std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

const char* yes_no(bool value) { return value ? "yes" : "no"; }

/// Flow 2: links an authenticator app for an activation challenge with setup_app +
/// validate_app. @p secret is the key the user's authenticator holds.
docspace::Session link_app(const docspace::Client& client, const docspace::Challenge& challenge,
                           const std::string& secret) {
    const docspace::AppSetup setup = client.setup_app(challenge);
    std::string key = setup.manual_entry_key();
    std::cout << "    setup_app -> account " << setup.account() << ", key " << mask(key) << ", QR code "
              << setup.qr_png().size() << " bytes of PNG\n";
    if (key != secret) {
        docspace::wipe(key);
        throw std::runtime_error("the portal's key is not the one your authenticator holds: not linking");
    }
    docspace::wipe(key);
    std::string code = docspace::totp(secret);
    docspace::AppValidation validation = client.validate_app(challenge, code);
    std::cout << "    validate_app(TOTP " << mask(code) << ") -> linked now: " << yes_no(validation.linked_now)
              << ", authenticated: " << yes_no(client.is_authenticated(validation.session)) << "\n";
    docspace::wipe(code);
    return std::move(validation.session);
}

/// Signs @p account in, finishing whichever second factor the portal asks for: a TOTP code
/// (flow 1) or linking the app (flow 2).
docspace::Session sign_in(const docspace::Client& client, const Account& account) {
    docspace::LoginOutcome outcome = client.login(account.email, account.password);
    return std::visit(
        [&](auto& result) -> docspace::Session {
            using Outcome = std::decay_t<decltype(result)>;
            if constexpr (std::is_same_v<Outcome, docspace::Authenticated>) {
                std::cout << "    login -> signed in (no second factor)\n";
                return std::move(result.session);
            } else if constexpr (std::is_same_v<Outcome, docspace::CodeRequired>) {
                std::cout << "    login -> code required\n";
                if (!account.totp_secret) {
                    throw std::runtime_error("the account has an app linked: set DOCSPACE_TOTP_SECRET");
                }
                std::string code = docspace::totp(*account.totp_secret);
                docspace::Session session = client.login_with_code(account.email, account.password, code);
                std::cout << "    login_with_code(TOTP " << mask(code) << ") -> session " << mask(session.token())
                          << ", authenticated: " << yes_no(client.is_authenticated(session)) << "\n";
                docspace::wipe(code);
                return session;
            } else if constexpr (std::is_same_v<Outcome, docspace::SetupRequired>) {
                const std::optional<std::string> secret = result.challenge.secret();
                std::cout << "    login -> app setup required, secret " << (secret ? mask(*secret) : "(none)") << "\n";
                const std::optional<std::string>& enrolled = account.link_any_key ? secret : account.totp_secret;
                if (!enrolled) {
                    throw std::runtime_error(
                        "no app linked yet: add the portal's key to your authenticator, then set DOCSPACE_TOTP_SECRET");
                }
                return link_app(client, result.challenge, *enrolled);
            } else {
                throw std::runtime_error("the portal wants an SMS code, which this example cannot read");
            }
        },
        outcome);
}

/// Flow 3: lists the backup codes; with @p regenerate, replaces them and shows that an old
/// code is refused and a new one works exactly once.
void backup_codes(const docspace::Client& client, const docspace::Session& session, const Account& account,
                  bool regenerate) {
    const std::vector<docspace::BackupCode> codes = client.backup_codes(session);
    std::cout << "    backup_codes -> " << codes.size() << " codes:";
    for (const docspace::BackupCode& code : codes) {
        std::cout << ' ' << mask(code.code) << (code.used ? " (used)" : "");
    }
    std::cout << "\n";
    if (!regenerate) {
        std::cout << "    (not regenerating: set DOCSPACE_REGENERATE_CODES=1; the old codes would stop working)\n";
        return;
    }
    const std::vector<docspace::BackupCode> fresh = client.regenerate_backup_codes(session);
    std::cout << "    regenerate_backup_codes -> " << fresh.size() << " new codes\n";
    if (codes.empty() || fresh.empty()) {
        throw std::runtime_error("expected backup codes before and after regenerating");
    }
    try {
        (void)client.login_with_code(account.email, account.password, codes.front().code);
        throw std::runtime_error("an old backup code still signed in");
    } catch (const docspace::Error& error) {
        if (error.kind() != docspace::ErrorKind::InvalidCode) {
            throw;
        }
        std::cout << "    old code " << mask(codes.front().code) << " -> refused (" << docspace::to_string(error.kind())
                  << ")\n";
    }
    const docspace::Session by_code = client.login_with_code(account.email, account.password, fresh.front().code);
    std::cout << "    new code " << mask(fresh.front().code)
              << " -> signed in: " << yes_no(client.is_authenticated(by_code));
    try {
        (void)client.login_with_code(account.email, account.password, fresh.front().code);
        throw std::runtime_error("a backup code worked twice");
    } catch (const docspace::Error& error) {
        if (error.kind() != docspace::ErrorKind::InvalidCode) {
            throw;
        }
        std::cout << "; again -> refused (" << docspace::to_string(error.kind()) << ")\n";
    }
    client.logout(by_code);
}

/// The three flows with the emulator's seeded accounts.
void run_against_emulator(const std::string& url) {
    const docspace::Client client(url);
    std::cout << "docspace-auth " << docspace::version() << " (C++), emulator at " << client.base_url() << "\n";

    std::cout << "[1] sign in by code: " << kLinkedUser.email << "\n";
    const docspace::Session linked = sign_in(client, kLinkedUser);

    std::cout << "[2] link an app: " << kSetupUser.email << "\n";
    const docspace::Session newly_linked = sign_in(client, kSetupUser);

    std::cout << "[3] backup codes: " << kLinkedUser.email << "\n";
    backup_codes(client, linked, kLinkedUser, true);

    client.logout(newly_linked);
    client.logout(linked);
    std::cout << "all seed flows passed\n";
}

/// Whichever flows apply to the account in DOCSPACE_USER on the portal at DOCSPACE_URL.
void run_against_portal(const std::string& url) {
    const std::optional<std::string> email = env("DOCSPACE_USER");
    const std::optional<std::string> password = env("DOCSPACE_PASSWORD");
    if (!email || !password) {
        throw std::runtime_error("set DOCSPACE_USER and DOCSPACE_PASSWORD as well as DOCSPACE_URL");
    }
    const Account account{*email, *password, env("DOCSPACE_TOTP_SECRET")};
    const docspace::Client client(url);
    std::cout << "docspace-auth " << docspace::version() << " (C++), portal " << client.base_url() << "\n";

    std::cout << "[1/2] sign in: " << account.email << "\n";
    const docspace::Session session = sign_in(client, account);

    std::cout << "[3] backup codes\n";
    try {
        backup_codes(client, session, account, env("DOCSPACE_REGENERATE_CODES") == std::optional<std::string>("1"));
    } catch (const docspace::Error& error) {
        if (error.kind() != docspace::ErrorKind::TfaNotAvailable) {
            throw;
        }
        std::cout << "    no authenticator app linked: no backup codes\n";
    }
    client.logout(session);
    std::cout << "signed out\n";
}

}  // namespace

/// A docspace-emulator started on a free loopback port, stopped when this goes out of scope.
class EmulatorProcess {
public:
    explicit EmulatorProcess(const std::string& path) {
        int pipe_fds[2];
        if (pipe(pipe_fds) != 0) {
            throw std::runtime_error("cannot create a pipe for the emulator");
        }
        pid_ = fork();
        if (pid_ == 0) {
            dup2(pipe_fds[1], STDOUT_FILENO);
            close(pipe_fds[0]);
            close(pipe_fds[1]);
            execl(path.c_str(), path.c_str(), "--port", "0", static_cast<char*>(nullptr));
            _exit(127);
        }
        close(pipe_fds[1]);
        if (pid_ < 0) {
            close(pipe_fds[0]);
            throw std::runtime_error("cannot start the emulator");
        }
        output_ = fdopen(pipe_fds[0], "r");
        // The first line: "docspace-emulator listening on <url>".
        const std::string prefix = "docspace-emulator listening on ";
        std::string line;
        for (int c = output_ ? std::fgetc(output_) : EOF; c != EOF && c != '\n'; c = std::fgetc(output_)) {
            line.push_back(static_cast<char>(c));
        }
        if (line.rfind(prefix, 0) != 0) {
            stop();
            throw std::runtime_error("the emulator at " + path + " did not start (run `cargo build`)");
        }
        url_ = line.substr(prefix.size());
    }
    EmulatorProcess(const EmulatorProcess&) = delete;
    EmulatorProcess& operator=(const EmulatorProcess&) = delete;
    ~EmulatorProcess() { stop(); }

    const std::string& url() const { return url_; }

private:
    void stop() noexcept {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
        if (output_ != nullptr) {
            std::fclose(output_);
            output_ = nullptr;
        }
    }

    pid_t pid_ = -1;
    std::FILE* output_ = nullptr;
    std::string url_;
};

int main(int argc, char** argv) {
    try {
        if (argc == 2) {
            run_against_emulator(argv[1]);
        } else if (const std::optional<std::string> url = env("DOCSPACE_URL"); argc == 1 && url) {
            run_against_portal(*url);
        } else if (const std::optional<std::string> emulator = env("DOCSPACE_EMULATOR"); argc == 1 && emulator) {
            const EmulatorProcess process(*emulator);
            run_against_emulator(process.url());
        } else {
            std::cerr << "usage: " << argv[0] << " <emulator-url>\n"
                      << "   or: DOCSPACE_EMULATOR=<path to docspace-emulator> " << argv[0] << "\n"
                      << "   or: DOCSPACE_URL=… DOCSPACE_USER=… DOCSPACE_PASSWORD=… [DOCSPACE_TOTP_SECRET=…] "
                      << "[DOCSPACE_REGENERATE_CODES=1] " << argv[0] << "\n";
            return 2;
        }
    } catch (const docspace::Error& error) {
        std::cerr << "failed: " << docspace::to_string(error.kind()) << ": " << error.what();
        if (error.status()) {
            std::cerr << " (HTTP " << *error.status() << ")";
        }
        if (error.is_retryable()) {
            std::cerr << "; this may succeed if tried again later";
        }
        std::cerr << "\n";
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "failed: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
