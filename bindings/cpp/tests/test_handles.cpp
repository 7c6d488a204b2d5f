// RAII handles: move-only, moved-from objects empty and safe, self-move harmless.
#include "emulator.hpp"
#include "helpers.hpp"

#include <docspace_auth.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace docspace_test {
namespace {

using docspace::AppSetup;
using docspace::Challenge;
using docspace::Client;
using docspace::ErrorKind;
using docspace::Policy;
using docspace::Session;
using docspace::Totp;

template <typename T>
constexpr bool move_only_v = !std::is_copy_constructible_v<T> && !std::is_copy_assignable_v<T> &&
                             std::is_nothrow_move_constructible_v<T> && std::is_nothrow_move_assignable_v<T> &&
                             std::is_nothrow_destructible_v<T>;

static_assert(move_only_v<Client>);
static_assert(move_only_v<Session>);
static_assert(move_only_v<Challenge>);
static_assert(move_only_v<AppSetup>);
static_assert(move_only_v<Policy>);
static_assert(move_only_v<Totp>);
static_assert(move_only_v<docspace::LoginOutcome>);
static_assert(move_only_v<docspace::AppValidation>);
static_assert(move_only_v<docspace::AppReset>);
static_assert(move_only_v<docspace::OtpauthUri>);

/// Moves @p object onto itself through a reference (what generic code may do).
template <typename T>
void self_move_assign(T& object) {
    T& alias = object;
    object = std::move(alias);
}

TEST(Handles, MovedFromSessionIsEmptyAndSafe) {
    Session original = Session::from_token("token-one");
    Session moved(std::move(original));
    EXPECT_FALSE(original);
    EXPECT_TRUE(moved);
    EXPECT_EQ(moved.token(), "token-one");
    EXPECT_EQ(kind_of([&] { (void)original.token(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)original.user_id(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)original.is_api_key(); }), ErrorKind::NullParameter);
    const Client client("http://127.0.0.1:1");
    EXPECT_EQ(kind_of([&] { (void)client.is_authenticated(original); }), ErrorKind::NullParameter);

    // Assigning into a moved-from object revives it; assigning over a live one frees the old.
    original = Session::from_token("token-two");
    EXPECT_EQ(original.token(), "token-two");
    moved = std::move(original);
    EXPECT_EQ(moved.token(), "token-two");
    EXPECT_FALSE(original);
}

TEST(Handles, SelfMoveAssignKeepsTheHandle) {
    Session session = Session::from_token("token");
    self_move_assign(session);
    ASSERT_TRUE(session);
    EXPECT_EQ(session.token(), "token");

    Totp totp("LJVTCTSWGJYEOYSV");
    self_move_assign(totp);
    EXPECT_TRUE(totp);

    Session empty = Session::from_token("x");
    Session sink(std::move(empty));
    self_move_assign(empty);
    EXPECT_FALSE(empty);
}

TEST(Handles, MovedFromClientIsEmptyAndSafe) {
    Client client("http://127.0.0.1:1");
    EXPECT_EQ(client.base_url(), "http://127.0.0.1:1/");
    Client moved(std::move(client));
    EXPECT_FALSE(client);
    EXPECT_TRUE(moved);
    EXPECT_EQ(moved.base_url(), "http://127.0.0.1:1/");
    EXPECT_EQ(kind_of([&] { (void)client.base_url(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)client.login("user@example.com", "password"); }), ErrorKind::NullParameter);
    client = std::move(moved);
    EXPECT_TRUE(client);
    self_move_assign(client);
    EXPECT_TRUE(client);
}

TEST(Handles, MovedFromTotpIsEmptyAndSafe) {
    Totp totp("LJVTCTSWGJYEOYSV");
    Totp moved = std::move(totp);
    EXPECT_FALSE(totp);
    EXPECT_EQ(kind_of([&] { (void)totp.code(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)totp.to_uri("account"); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)totp.algorithm(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)totp.digits(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)totp.period(); }), ErrorKind::NullParameter);
    EXPECT_EQ(moved.period(), std::chrono::seconds(30));
    EXPECT_EQ(moved.code(), docspace::totp("LJVTCTSWGJYEOYSV"));
}

class HandlesWithEmulator : public EmulatorTest {};

TEST_F(HandlesWithEmulator, MovedFromFlowValuesAreEmptyAndSafe) {
    const User& setup_user = user("not_linked");
    const Client client(url());
    docspace::LoginOutcome outcome = client.login(setup_user.email, setup_user.password);
    ASSERT_TRUE(std::holds_alternative<docspace::SetupRequired>(outcome));

    // The variant moves as a whole; the source's challenge is left empty.
    docspace::LoginOutcome moved_outcome = std::move(outcome);
    Challenge& empty_challenge = std::get<docspace::SetupRequired>(outcome).challenge;
    EXPECT_FALSE(empty_challenge);
    EXPECT_EQ(kind_of([&] { (void)empty_challenge.confirm_type(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)empty_challenge.secret(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)client.setup_app(empty_challenge); }), ErrorKind::NullParameter);

    Challenge challenge = std::move(std::get<docspace::SetupRequired>(moved_outcome).challenge);
    AppSetup setup = client.setup_app(challenge);
    AppSetup moved_setup = std::move(setup);
    EXPECT_FALSE(setup);
    EXPECT_EQ(kind_of([&] { (void)setup.qr_png(); }), ErrorKind::NullParameter);
    EXPECT_FALSE(moved_setup.qr_png().empty());

    const docspace::AppValidation validation = client.validate_app(challenge, docspace::totp(*challenge.secret()));
    Policy policy = client.tfa_policy(validation.session);
    Policy moved_policy = std::move(policy);
    EXPECT_FALSE(policy);
    EXPECT_EQ(kind_of([&] { (void)policy.enabled_method(); }), ErrorKind::NullParameter);
    EXPECT_EQ(kind_of([&] { (void)policy.trusted_ips(docspace::TfaMethod::App); }), ErrorKind::NullParameter);
    EXPECT_EQ(moved_policy.enabled_method(), docspace::TfaMethod::App);
}

}  // namespace
}  // namespace docspace_test
