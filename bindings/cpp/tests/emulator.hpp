// Test support: the DocSpace emulator as a child process, its seeded users and its
// `/__emulator/` controls, shared by every test of one test binary.
#ifndef DOCSPACE_CPP_TESTS_EMULATOR_HPP
#define DOCSPACE_CPP_TESTS_EMULATOR_HPP

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace docspace_test {

/// A portal user as the emulator printed it at start-up.
struct User {
    std::string email;
    std::string password;
    std::string kind;  // no_tfa, not_linked, linked, sms, disabled or admin
    std::string id;
    std::optional<std::string> totp_secret;  // linked users only
    std::string api_key;
};

/// An answer to a control request.
struct Reply {
    int status = 0;
    std::string body;
};

/// A running `docspace-emulator --port 0`.
class Emulator {
public:
    /// Starts the binary at @p path and reads its URL and seeded users from its stdout.
    explicit Emulator(const std::string& path);
    Emulator(const Emulator&) = delete;
    Emulator& operator=(const Emulator&) = delete;
    /// Stops the emulator (SIGTERM) and reaps it.
    ~Emulator();

    /// The base URL, `http://127.0.0.1:<port>`.
    const std::string& url() const { return url_; }

    /// The seeded user of @p kind (each kind is seeded once).
    const User& user(const std::string& kind) const;

    /// Back to the seeded state (users, tokens, lockouts, faults, clock).
    void reset() const;

    /// Queues a fault (`POST /__emulator/faults` with this JSON object).
    void fault(const std::string& json) const;

    /// Adds a user of @p kind (e-mail and password as given).
    void add_user(const std::string& email, const std::string& password, const std::string& kind) const;

    /// A raw control request to `/__emulator/<path>`.
    Reply control(const std::string& method, const std::string& path, const std::string& body = "") const;

private:
    /// Terminates and reaps the child, closes the pipe.
    void stop() noexcept;

    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string url_;
    std::vector<User> users_;
};

/// The emulator of this test binary (started by the environment before any test).
Emulator& emulator();

/// The GoogleTest environment: starts the emulator before the first test, stops it after
/// the last. The binary comes from `$DOCSPACE_EMULATOR`, else from the build's default.
class EmulatorEnvironment : public ::testing::Environment {
public:
    void SetUp() override;
    void TearDown() override;
};

/// Base fixture of tests that talk to the emulator: resets it before each test.
class EmulatorTest : public ::testing::Test {
protected:
    void SetUp() override { emulator().reset(); }

    static const std::string& url() { return emulator().url(); }
    static const User& user(const std::string& kind) { return emulator().user(kind); }
};

}  // namespace docspace_test

#endif  // DOCSPACE_CPP_TESTS_EMULATOR_HPP
