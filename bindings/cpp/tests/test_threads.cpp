// One Client shared by 8 threads running whole flows at once.
#include "emulator.hpp"
#include "helpers.hpp"

#include <docspace_auth.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace docspace_test {
namespace {

constexpr int kThreads = 8;
constexpr int kRounds = 5;

class Threads : public EmulatorTest {};

/// What one thread saw; checked on the main thread.
struct Outcome {
    int signed_in = 0;
    int signed_out = 0;
    int rejected = 0;
    int by_code = 0;
    std::vector<std::string> failures;
};

TEST_F(Threads, EightThreadsShareOneClient) {
    // One account per thread, so that each thread's failed attempt counts against its own
    // lockout budget only.
    std::vector<User> accounts;
    for (int i = 0; i < kThreads; ++i) {
        User account;
        account.email = "thread" + std::to_string(i) + "@example.com";
        account.password = "Thread#Pass-" + std::to_string(i);
        emulator().add_user(account.email, account.password, "no_tfa");
        accounts.push_back(account);
    }
    const User& linked = user("linked");
    const docspace::Client client(url());

    std::vector<Outcome> outcomes(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            Outcome& seen = outcomes[static_cast<std::size_t>(i)];
            const User& account = accounts[static_cast<std::size_t>(i)];
            try {
                for (int round = 0; round < kRounds; ++round) {
                    docspace::LoginOutcome outcome = client.login(account.email, account.password);
                    const auto& session = std::get<docspace::Authenticated>(outcome).session;
                    seen.signed_in += client.is_authenticated(session) ? 1 : 0;
                    client.logout(session);
                    seen.signed_out += client.is_authenticated(session) ? 0 : 1;

                    const docspace::Session by_code = client.login_with_code(
                        linked.email, linked.password, docspace::totp(*linked.totp_secret));
                    seen.by_code += client.is_authenticated(by_code) ? 1 : 0;
                }
                try {
                    (void)client.login(account.email, "wrong-password");
                } catch (const docspace::Error& error) {
                    seen.rejected += error.kind() == docspace::ErrorKind::InvalidCredentials ? 1 : 0;
                }
            } catch (const std::exception& error) {
                seen.failures.push_back(error.what());
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }

    for (int i = 0; i < kThreads; ++i) {
        const Outcome& seen = outcomes[static_cast<std::size_t>(i)];
        EXPECT_TRUE(seen.failures.empty()) << "thread " << i << ": " << seen.failures.front();
        EXPECT_EQ(seen.signed_in, kRounds) << "thread " << i;
        EXPECT_EQ(seen.signed_out, kRounds) << "thread " << i;
        EXPECT_EQ(seen.by_code, kRounds) << "thread " << i;
        EXPECT_EQ(seen.rejected, 1) << "thread " << i;
    }
}

}  // namespace
}  // namespace docspace_test
